//! Attributes: a typed map where plugins and handlers keep their own data.
//!
//! Ktor gives the application and every call an `Attributes` map. A plugin that must remember
//! something per call (when the call started, the session it loaded, the route it matched) puts
//! it there under a key of its own, and only code that holds the key can read it back, with
//! its type. Nothing in the call's own structure has to know about the plugin.
//!
//! A key is a name and a type: [`AttributeKey<T>`] is declared once, usually as a `const`, and
//! two keys are the same key when both the name and the type agree, as Ktor's data-class keys
//! are. The map stores `Box<dyn Any>` values under `(name, TypeId)` and downcasts on the way out,
//! which cannot fail because the key's type decided what was stored.
//!
//! Values must be `Send + Sync`: the application's attributes are read by every worker thread.
//! Ktor keeps a concurrent map for pipelines and a plain one for calls; one map type with the
//! thread-safe bound serves both here, at no cost when nothing crosses threads.
//!
//! Ktor: `io.ktor.util.Attributes` and `io.ktor.util.AttributeKey`

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

/// The key of one attribute: a name and the type of its value.
///
/// ```
/// use mini_ktor::util::{AttributeKey, Attributes};
///
/// const VISITS: AttributeKey<u32> = AttributeKey::new("visits");
///
/// let mut attributes = Attributes::new();
/// assert_eq!(attributes.get(&VISITS), None);
/// attributes.put(&VISITS, 1);
/// *attributes.compute_if_absent(&VISITS, || 0) += 1;
/// assert_eq!(attributes.get(&VISITS), Some(&2));
/// assert_eq!(VISITS.to_string(), "AttributeKey: visits");
/// ```
///
/// Ktor: `io.ktor.util.AttributeKey<T>`
pub struct AttributeKey<T> {
    name: &'static str,
    /// The key's value type, without owning one: `fn() -> T` keeps the key `Send + Sync` and
    /// `Copy` whatever `T` is.
    value: PhantomData<fn() -> T>,
}

impl<T> AttributeKey<T> {
    /// A key named `name` for values of type `T`.
    ///
    /// # Panics
    ///
    /// If `name` is empty (checked when the key is built, so a `const` key fails to compile).
    ///
    /// Ktor: `AttributeKey<T>(name)`
    pub const fn new(name: &'static str) -> AttributeKey<T> {
        assert!(!name.is_empty(), "an attribute key needs a name");
        AttributeKey {
            name,
            value: PhantomData,
        }
    }

    /// The key's name.
    ///
    /// Ktor: `AttributeKey.name`
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Clone for AttributeKey<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for AttributeKey<T> {}

impl<T> fmt::Display for AttributeKey<T> {
    /// Formats as Ktor's `toString()` does: `AttributeKey: name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AttributeKey: {}", self.name)
    }
}

impl<T> fmt::Debug for AttributeKey<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A map from [`AttributeKey`]s to values of the keys' types.
///
/// Ktor: `io.ktor.util.Attributes`
#[derive(Default)]
pub struct Attributes {
    values: HashMap<(&'static str, TypeId), Box<dyn Any + Send + Sync>>,
}

impl Attributes {
    /// An empty map; it allocates only when the first value is put.
    ///
    /// Ktor: `Attributes()`
    pub fn new() -> Attributes {
        Attributes::default()
    }

    /// The value under `key`, if any.
    ///
    /// Ktor: `Attributes.getOrNull(key)`
    pub fn get<T: Any + Send + Sync>(&self, key: &AttributeKey<T>) -> Option<&T> {
        self.values.get(&slot(key)).and_then(|value| value.downcast_ref())
    }

    /// The value under `key`, mutably, if any.
    ///
    /// Ktor: none; a Kotlin value is changed through the reference `getOrNull` returns
    pub fn get_mut<T: Any + Send + Sync>(&mut self, key: &AttributeKey<T>) -> Option<&mut T> {
        self.values
            .get_mut(&slot(key))
            .and_then(|value| value.downcast_mut())
    }

    /// Whether `key` has a value.
    ///
    /// Ktor: `Attributes.contains(key)`
    pub fn contains<T: Any + Send + Sync>(&self, key: &AttributeKey<T>) -> bool {
        self.values.contains_key(&slot(key))
    }

    /// Puts `value` under `key`, replacing any earlier one.
    ///
    /// Ktor: `Attributes.put(key, value)`
    pub fn put<T: Any + Send + Sync>(&mut self, key: &AttributeKey<T>, value: T) {
        self.values.insert(slot(key), Box::new(value));
    }

    /// Removes the value under `key` and returns it.
    ///
    /// Ktor: `Attributes.takeOrNull(key)`
    pub fn take<T: Any + Send + Sync>(&mut self, key: &AttributeKey<T>) -> Option<T> {
        let value = self.values.remove(&slot(key))?;
        // The key's type decided what was stored under this slot, so this cannot fail.
        value.downcast().ok().map(|value| *value)
    }

    /// The value under `key`, first putting `make()` there if there is none.
    ///
    /// Ktor: `Attributes.computeIfAbsent(key, block)`
    pub fn compute_if_absent<T: Any + Send + Sync>(
        &mut self,
        key: &AttributeKey<T>,
        make: impl FnOnce() -> T,
    ) -> &mut T {
        let value = self.values.entry(slot(key)).or_insert_with(|| Box::new(make()));
        value.downcast_mut().expect("a key's slot holds that key's type")
    }

    /// The names of the keys that have values, in no particular order.
    ///
    /// Ktor: `Attributes.allKeys`
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.values.keys().map(|(name, _)| *name)
    }

    /// Whether no key has a value.
    ///
    /// Ktor: `Attributes.allKeys.isEmpty()`
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Removes every value, keeping the map's capacity (a recycled call's attributes, see
    /// `ApplicationCall::recycle`). `#[inline]`: what nearly every call runs is the one test
    /// below, cheaper than the function call around it.
    #[inline]
    pub(crate) fn clear(&mut self) {
        // Checked first: clearing an empty map still walks its control bytes.
        if !self.values.is_empty() {
            self.values.clear();
        }
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// Where `key`'s value lives in the map: its name and its type together.
fn slot<T: Any>(key: &AttributeKey<T>) -> (&'static str, TypeId) {
    (key.name, TypeId::of::<T>())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNT: AttributeKey<u32> = AttributeKey::new("count");
    const COUNT_TEXT: AttributeKey<String> = AttributeKey::new("count");
    const OTHER: AttributeKey<u32> = AttributeKey::new("other");

    /// A value put under a key comes back with its type; a missing key gives `None`.
    #[test]
    fn put_then_get() {
        let mut attributes = Attributes::new();
        assert_eq!(attributes.get(&COUNT), None);
        attributes.put(&COUNT, 7);
        assert_eq!(attributes.get(&COUNT), Some(&7));
        assert!(attributes.contains(&COUNT));
        assert!(!attributes.contains(&OTHER));
    }

    /// Keys with the same name but different types are different keys, as in Ktor.
    #[test]
    fn same_name_different_type_is_another_key() {
        let mut attributes = Attributes::new();
        attributes.put(&COUNT, 1);
        attributes.put(&COUNT_TEXT, "one".to_string());
        assert_eq!(attributes.get(&COUNT), Some(&1));
        assert_eq!(attributes.get(&COUNT_TEXT).map(String::as_str), Some("one"));
    }

    /// Putting again replaces; `take` removes and returns; `get_mut` edits in place.
    #[test]
    fn replace_take_and_edit() {
        let mut attributes = Attributes::new();
        attributes.put(&COUNT, 1);
        attributes.put(&COUNT, 2);
        *attributes.get_mut(&COUNT).unwrap() += 10;
        assert_eq!(attributes.take(&COUNT), Some(12));
        assert_eq!(attributes.take(&COUNT), None);
        assert!(attributes.is_empty());
    }

    /// `compute_if_absent` creates once, then returns the existing value.
    #[test]
    fn compute_if_absent_creates_once() {
        let mut attributes = Attributes::new();
        *attributes.compute_if_absent(&COUNT, || 5) += 1;
        *attributes.compute_if_absent(&COUNT, || 100) += 1;
        assert_eq!(attributes.get(&COUNT), Some(&7));
        let names: Vec<_> = attributes.names().collect();
        assert_eq!(names, ["count"]);
    }

    /// A key prints as Ktor's does.
    #[test]
    fn key_display_matches_ktor() {
        assert_eq!(COUNT.to_string(), "AttributeKey: count");
        assert_eq!(COUNT.name(), "count");
    }
}
