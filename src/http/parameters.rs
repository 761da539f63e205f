//! Parameters: an ordered multimap of owned strings with case-sensitive names.
//!
//! # Concept
//!
//! Query strings (`?tag=a&tag=b&page=2`), form bodies and route parameters
//! all come down to a list of name/value pairs in which a name may repeat.
//! Unlike header names, these names are case-sensitive: `?Page=2` and
//! `?page=2` are different parameters to every application framework.
//!
//! Like [`Headers`](super::Headers), the storage is a `Vec` of pairs: a query
//! has a handful of parameters, order is preserved for free, and lookup is a
//! short linear scan.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.Parameters` (and `ParametersBuilder`), a `StringValues`
//! with `caseInsensitiveName = false`. Ktor groups values by name in a
//! `LinkedHashMap`; this type keeps the pairs as they came, which is the
//! same for lookups and also remembers how names interleave.

/// An ordered multimap of parameters with case-sensitive names.
///
/// Ktor: `io.ktor.http.Parameters`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parameters {
    /// Every pair in insertion order.
    entries: Vec<(String, String)>,
}

impl Parameters {
    /// An empty set of parameters; does not allocate.
    ///
    /// Ktor: `Parameters.Empty` / `ParametersBuilder()`.
    pub fn new() -> Parameters {
        Parameters::default()
    }

    /// Adds a pair after all existing ones.
    ///
    /// Ktor: `ParametersBuilder.append`.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.entries.push((name.into(), value.into()));
    }

    /// The first value of `name`.
    ///
    /// Ktor: `Parameters.get`.
    pub fn get(&self, name: &str) -> Option<&str> {
        let (_, value) = self.entries.iter().find(|(n, _)| n == name)?;
        Some(value)
    }

    /// Every value of `name`, in order.
    ///
    /// Ktor: `Parameters.getAll`.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        self.entries
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `name` has at least one value.
    ///
    /// Ktor: `Parameters.contains`.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    /// Every pair as `(name, value)`, in insertion order.
    ///
    /// Ktor: `Parameters.entries()` (grouped by name there).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Each distinct name once, in order of first appearance. Quadratic in
    /// the number of pairs, which is fine for the few a request carries.
    ///
    /// Ktor: `Parameters.names()`.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, (name, _))| !self.entries[..*i].iter().any(|(n, _)| n == name))
            .map(|(_, (name, _))| name.as_str())
    }

    /// Whether there are no pairs.
    ///
    /// Ktor: `Parameters.isEmpty`.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The number of pairs (not of distinct names).
    ///
    /// Ktor: none (`entries().size` counts names).
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Parameters;

    /// Names are case-sensitive and repeated names keep their order.
    #[test]
    fn multimap_behaviour() {
        let mut p = Parameters::new();
        p.append("tag", "a");
        p.append("Tag", "x");
        p.append("tag", "b");
        assert_eq!(p.get("tag"), Some("a"));
        assert_eq!(p.get_all("tag").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(p.get("TAG"), None);
        assert!(p.contains("Tag") && !p.contains("TAG"));
        assert_eq!(p.names().collect::<Vec<_>>(), ["tag", "Tag"]);
        assert_eq!(p.iter().nth(1), Some(("Tag", "x")));
        assert_eq!((p.len(), p.is_empty()), (3, false));
    }
}
