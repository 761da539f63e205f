//! A perfect hash table from paths to values, for the routing fast path (`fast_path.rs`).
//!
//! The fast path knows every constant path of the route tree once the tree is frozen, and
//! then only looks paths up. A table whose keys never change can be *perfect*: built once so
//! that every key has a slot of its own, a lookup hashes the path, reads one small number and
//! one slot, and compares one stored path. No probing, no chain.
//!
//! ```text
//! build:  paths ──hash(seed)──► buckets ──a pilot per bucket, tried until its keys fit──► slots
//! get:    path ──hash(seed)──► bucket ──its pilot──► one slot ──same path?──► value
//! ```
//!
//! The hash need not resist flooding (as std's SipHash does): an attacker's path is only ever
//! looked up, never inserted, so it costs at most one compare. Not chosen: std's `HashMap`
//! keyed by path and hashed with FNV-1a, whose hashing byte by byte, probing of control groups,
//! `memcmp` and method search come to about 210 instructions a request in the pipelined
//! benchmark (callgrind), where a lookup here costs about 85.
//!
//! Ktor: none of its own; `RoutingPathTree`, whose narrower counterpart this table serves (see
//! `fast_path.rs`), keeps a map of constant segments per node and walks it segment by segment.

/// A perfect hash table: paths fixed when it is built, each in a slot of its own, so a lookup
/// reads one slot and compares one path, with no probing.
///
/// A path's hash (under the table's seed) picks a bucket with its low bits; the bucket's pilot,
/// mixed into the hash, picks the slot with the high bits. `build` chooses each bucket's pilot
/// so that its keys land in free, distinct slots ("hash and displace", as CHD and PTHash do).
/// Not chosen: one seed for the whole table and no pilots, one load less per lookup, but some
/// seed puts n keys apart only in about n²/2 slots (the birthday bound: two million slots for
/// 2,000 routes); with pilots, twice as many slots as keys do.
pub(super) struct PathTable<V> {
    seed: u64,
    /// One per bucket, a power of two of them: about one bucket per four keys.
    pilots: Vec<u32>,
    /// A power of two of them, at least twice as many as keys; `None` where no key landed.
    slots: Vec<Option<(Box<str>, V)>>,
    /// `64 - log2(slots.len())`: a slot is the top bits of the mixed hash.
    shift: u32,
}

impl<V> PathTable<V> {
    /// The table of `entries`, whose paths must differ.
    pub(super) fn build(entries: Vec<(String, V)>) -> PathTable<V> {
        let buckets = (entries.len() / 4).max(1).next_power_of_two();
        let mut shift = 64 - (2 * entries.len()).max(2).next_power_of_two().trailing_zeros();
        let mut seed = 0;
        loop {
            let hashes: Vec<u64> = entries
                .iter()
                .map(|(path, _)| hash(seed, path.as_bytes()))
                .collect();
            if let Some((pilots, slot_of)) = place(&hashes, buckets, shift) {
                let mut slots: Vec<_> = (0..1usize << (64 - shift)).map(|_| None).collect();
                for ((path, value), slot) in entries.into_iter().zip(slot_of) {
                    slots[slot] = Some((path.into_boxed_str(), value));
                }
                return PathTable {
                    seed,
                    pilots,
                    slots,
                    shift,
                };
            }
            // A seed fails when two keys' 64-bit hashes are equal, or by rare bad luck; a table
            // twice as large every 16 seeds makes sure the search ends.
            seed += 1;
            if seed % 16 == 0 {
                shift -= 1;
            }
        }
    }

    /// The value stored for `path`, if it is a key.
    pub(super) fn get(&self, path: &str) -> Option<&V> {
        let hash = hash(self.seed, path.as_bytes());
        let pilot = self.pilots[hash as usize & (self.pilots.len() - 1)];
        let (key, value) = self.slots[slot(hash, pilot, self.shift)].as_ref()?;
        same(key.as_bytes(), path.as_bytes()).then_some(value)
    }
}

/// Each bucket's pilot and each key's slot, for keys with these `hashes`, in a table of
/// `2^(64 - shift)` slots; `None` if some bucket finds no pilot among the first 65,536.
fn place(hashes: &[u64], buckets: usize, shift: u32) -> Option<(Vec<u32>, Vec<usize>)> {
    let mut members = vec![Vec::new(); buckets];
    for (key, &hash) in hashes.iter().enumerate() {
        members[hash as usize & (buckets - 1)].push(key);
    }
    // The fullest buckets first, while most slots are free: the small ones fit in anywhere.
    let mut order: Vec<usize> = (0..buckets).collect();
    order.sort_by_key(|&bucket| std::cmp::Reverse(members[bucket].len()));
    let mut taken = vec![false; 1 << (64 - shift)];
    let (mut pilots, mut slot_of) = (vec![0; buckets], vec![0; hashes.len()]);
    for bucket in order {
        let keys = &members[bucket];
        let slots_with = |pilot| keys.iter().map(move |&key| slot(hashes[key], pilot, shift));
        pilots[bucket] = (0..1 << 16).find(|&pilot| {
            let slots: Vec<usize> = slots_with(pilot).collect();
            (0..slots.len()).all(|i| !taken[slots[i]] && !slots[..i].contains(&slots[i]))
        })?;
        for (&key, slot) in keys.iter().zip(slots_with(pilots[bucket])) {
            (taken[slot], slot_of[key]) = (true, slot);
        }
    }
    Some((pilots, slot_of))
}

/// Odd multipliers whose bits are spread over the word (the golden ratio's and SplitMix64's).
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
const PILOT_MIX: u64 = 0xbf58_476d_1ce4_e5b9;

/// The slot of a hash under its bucket's pilot: the top bits after a multiply, which every bit
/// of the hash and the pilot reaches.
fn slot(hash: u64, pilot: u32, shift: u32) -> usize {
    ((hash ^ u64::from(pilot).wrapping_mul(PILOT_MIX)).wrapping_mul(MIX) >> shift) as usize
}

/// The hash of `bytes` under `seed`: each of its [`words`] xored into the state, which is then
/// mixed, one step per word (FNV-1a mixes after every byte: five or six instructions a byte).
/// The length goes in first; each step can be undone, so paths of one length that differ in
/// one word differ after it.
fn hash(seed: u64, bytes: &[u8]) -> u64 {
    let (body, last) = words(bytes);
    let state = seed.wrapping_mul(MIX) ^ bytes.len() as u64;
    let state = body
        .iter()
        .fold(state, |state, word| mix(state ^ u64::from_le_bytes(*word)));
    mix(state ^ last)
}

/// Multiply by an odd number, then fold the high half onto the low: both can be undone.
fn mix(state: u64) -> u64 {
    let state = state.wrapping_mul(MIX);
    state ^ (state >> 32)
}

/// Whether two paths are the same: their lengths, then their [`words`] (`==` would call
/// `memcmp`, whose call and dispatch cost more than comparing a word or two).
fn same(a: &[u8], b: &[u8]) -> bool {
    let ((a_body, a_last), (b_body, b_last)) = (words(a), words(b));
    a.len() == b.len() && a_last == b_last && a_body.iter().zip(b_body).all(|(a, b)| a == b)
}

/// `bytes` as words, each byte in at least one: its whole words, and its last eight bytes
/// (overlapping the words before unless the length is a multiple of eight) or, in a path shorter
/// than eight bytes, all of it put together without `memcpy`: the first and the last four bytes
/// (which may overlap), or below four the first, middle and last (as wyhash reads a short input).
/// Paths of one length with the same words are equal.
fn words(bytes: &[u8]) -> (&[[u8; 8]], u64) {
    let four = |four: &[u8; 4]| u64::from(u32::from_le_bytes(*four));
    let last = if let Some(last) = bytes.last_chunk() {
        u64::from_le_bytes(*last)
    } else if let (Some(first), Some(last)) = (bytes.first_chunk(), bytes.last_chunk()) {
        four(first) | four(last) << 32
    } else if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) {
        u64::from(first) | u64::from(bytes[bytes.len() / 2]) << 8 | u64::from(last) << 16
    } else {
        0
    };
    (bytes.as_chunks().0, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2,000 paths: sharing prefixes and suffixes, prefixes of each other (`/r1`, `/r12`), of
    /// one length and differing in one byte (in the first, middle or last byte of a word, and in
    /// the last word, which overlaps the one before), and of every length around a word.
    fn many_paths() -> Vec<String> {
        let mut paths: Vec<String> = (0..700).map(|i| format!("/users/{i}/posts")).collect();
        paths.extend((0..700).map(|i| format!("/r{i}")));
        paths.extend((0..580).map(|i| format!("/static/{i:06}.css")));
        paths.extend((1..=20).map(|n| "/abcdefghijklmnopqrstuvwxyz"[..n].to_string()));
        paths
    }

    /// Every key of a large set finds its own value, in a table of at most four slots per key;
    /// a path one byte off a key (changed, added, removed), a prefix of one, or the empty path
    /// misses, unless it is another key, which then finds its own value.
    #[test]
    fn every_key_finds_its_own_value_and_near_misses_miss() {
        let paths = many_paths();
        let table = PathTable::build(paths.iter().cloned().zip(0..).collect());
        let size = table.slots.len();
        assert!(size <= 4 * paths.len(), "{size} slots");
        for path in &paths {
            let (mut changed, last) = (path.clone().into_bytes(), path.len() - 1);
            changed[last / 2] ^= 1;
            let changed = String::from_utf8(changed).unwrap();
            let longer = format!("{path}x");
            for near in [path, &changed, &longer, &path[..last], &path[..last / 2], ""] {
                let expected = paths.iter().position(|path| path == near);
                assert_eq!(table.get(near).copied(), expected, "{near:?}");
            }
        }
    }

    /// An empty table finds nothing; a table of one key finds only that key.
    #[test]
    fn empty_and_single_key_tables() {
        let empty = PathTable::<()>::build(Vec::new());
        assert!(empty.get("/").is_none() && empty.get("").is_none());
        let one = PathTable::build(vec![("/plaintext".to_string(), 7)]);
        assert_eq!(one.get("/plaintext"), Some(&7));
        for near in ["/", "", "/plaintex", "/plaintext/", "/plaintexu", "/Plaintext"] {
            assert_eq!(one.get(near), None, "{near}");
        }
    }

    /// Paths that differ anywhere, or only in their length (`/a` and `/a\0`), hash apart under
    /// several seeds, so `build` rarely needs a second seed; keys whose hashes are equal cannot
    /// be placed, which sends `build` to the next seed.
    #[test]
    fn path_hashes_differ_for_different_paths() {
        let mut paths = many_paths(); // "/a" among them
        paths.extend(["/a\0", "/a\0\0", "", "/abcdefg\0", "/abcdefg\0\0"].map(String::from));
        for seed in 0..4 {
            let hashes: std::collections::HashSet<u64> =
                paths.iter().map(|path| hash(seed, path.as_bytes())).collect();
            assert_eq!(hashes.len(), paths.len(), "seed {seed}");
        }
        assert!(place(&[42, 42], 1, 62).is_none());
        assert!(place(&[42, 43], 1, 62).is_some());
    }
}
