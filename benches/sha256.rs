//! How fast the hashes and the MAC are: SHA-256 and SHA-1 in MB/s over 1 MiB, and
//! HMAC-SHA-256 in ns per tag for a message the size of a signed session id.
//!
//! ```sh
//! cargo bench --bench sha256
//! ```
//!
//! A std-only measurement (no criterion), like the other benches: each case runs a warm-up,
//! then a fixed number of iterations timed with `Instant`, and `black_box` keeps the compiler
//! from skipping the work. MB/s counts input bytes in units of 10^6 bytes per second. The whole
//! run takes a few seconds.

use std::hint::black_box;
use std::time::Instant;

use mini_ktor::crypto::{hmac_sha256, sha1, sha256};

/// One row of the table.
struct Row {
    name: &'static str,
    bytes: usize,
    ns: f64,
}

impl Row {
    fn print(&self) {
        let mb_per_s = self.bytes as f64 / self.ns * 1e3; // bytes/ns = 10^9 B/s = 10^3 MB/s
        println!(
            "{:<34} {:>8} {:>12.0} {:>10.0}",
            self.name, self.bytes, self.ns, mb_per_s
        );
    }
}

/// Nanoseconds per call of `work`, after `iterations / 10` warm-up calls.
fn ns_per_call<T>(iterations: u32, mut work: impl FnMut() -> T) -> f64 {
    for _ in 0..iterations / 10 {
        black_box(work());
    }
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(work());
    }
    start.elapsed().as_nanos() as f64 / iterations as f64
}

fn main() {
    let mebibyte: Vec<u8> = (0..1u32 << 20).map(|i| (i * 31 + i / 251) as u8).collect();
    // About the size of a signed session cookie's value: a 64-character id and some fields.
    let message = [b'7'; 100];
    let key = [0x42u8; 32];

    println!(
        "{:<34} {:>8} {:>12} {:>10}",
        "case", "bytes", "ns per call", "MB/s"
    );
    let rows = [
        Row {
            name: "sha256, 1 MiB",
            bytes: mebibyte.len(),
            ns: ns_per_call(300, || sha256(black_box(&mebibyte))),
        },
        Row {
            name: "sha1, 1 MiB",
            bytes: mebibyte.len(),
            ns: ns_per_call(300, || sha1(black_box(&mebibyte))),
        },
        Row {
            name: "sha256, 100 bytes",
            bytes: message.len(),
            ns: ns_per_call(500_000, || sha256(black_box(&message))),
        },
        // The key goes through `black_box` too, so its padded blocks cannot be precomputed
        // by the compiler: every call does the four compressions a real MAC does.
        Row {
            name: "hmac_sha256, 100-byte message",
            bytes: message.len(),
            ns: ns_per_call(300_000, || hmac_sha256(black_box(&key), black_box(&message))),
        },
    ];
    for row in rows {
        row.print();
    }
}
