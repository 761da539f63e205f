//! HTTP dates (RFC 9110 §5.6.7): formatting IMF-fixdate, cached per thread.
//!
//! # Concept
//!
//! HTTP writes instants in one fixed format, always in GMT:
//!
//! ```text
//! IMF-fixdate  = day-name "," SP date1 SP time-of-day SP GMT
//! day-name     = %s"Mon" / %s"Tue" / %s"Wed" / %s"Thu" / %s"Fri" / %s"Sat" / %s"Sun"
//! date1        = day SP month SP year     ; e.g., 02 Jun 1982
//! day          = 2DIGIT
//! month        = %s"Jan" / %s"Feb" / %s"Mar" / %s"Apr" / %s"May" / %s"Jun"
//!              / %s"Jul" / %s"Aug" / %s"Sep" / %s"Oct" / %s"Nov" / %s"Dec"
//! year         = 4DIGIT
//! time-of-day  = hour ":" minute ":" second
//! GMT          = %s"GMT"
//! ```
//!
//! for example `Sun, 06 Nov 1994 08:49:37 GMT`: always 29 bytes, so it fits
//! in a `[u8; 29]` with no allocation. RFC 9110 §6.6.1 requires a `Date`
//! field on most responses from a server with a clock, so this runs for
//! every write of responses and is worth making cheap.
//!
//! # Design
//!
//! - std has no calendar, so the conversion from Unix seconds to a civil
//!   date is written out in `civil_from_days`, with its reasoning.
//! - The text only changes once per second, so each thread keeps the last
//!   second it formatted and the bytes it produced. A busy thread formats at
//!   most once per second and otherwise copies 29 bytes. A thread-local
//!   needs no lock; a process-wide cache would need a `Mutex` or a seqlock,
//!   and it would make every worker thread contend on one cache line.
//! - The cache remembers its second as the two instants that bound it, and
//!   a hit is `start <= now < end`: two comparisons of `SystemTime`s.
//!   Turning `now` into Unix seconds first (`duration_since(UNIX_EPOCH)`,
//!   with its borrow and its `Result`) would cost more than the rest of the
//!   lookup together. Comparing both bounds, not only the end, keeps a
//!   clock set backwards from reusing a later second's text. The clock
//!   itself is still read on every call: `SystemTime::now` is a vDSO call,
//!   no system call, and an `Instant` would cost the same read while
//!   needing a second clock to be mapped to this one. That read is most of
//!   the cost of a cached date (30 to 50 ns on the machine the benches ran
//!   on). hyper keeps the same kind of thread-local cache and also reads
//!   `SystemTime::now` for each response, but compares it only with the
//!   instant of its next update, so after the clock is set back it serves
//!   the later second's text until the clock catches up; the lower bound
//!   here costs one comparison more.
//! - The engine reads the clock once per *write*, not per response: the
//!   writer leaves a placeholder in each response's `Date` line and the
//!   connection's output buffer fills them all just before the bytes go out
//!   (`engine/output.rs`), so a write of sixteen pipelined responses reads
//!   the clock once. The date then names the second of the write, which
//!   RFC 9110 §6.6.1 allows ("at any time during message origination").
//!   A time read once per event-loop turn (nginx) or refreshed by a timer
//!   (actix-web's date service, every 500 ms) costs even less, but can be
//!   older than the response it stamps, by as long as the handlers that ran
//!   since it was read; a coarse clock (`CLOCK_REALTIME_COARSE`) lags by up
//!   to a timer tick, and std does not offer one.
//!
//! # Ktor counterpart
//!
//! `io.ktor.util.date.GMTDate` with `toHttpDate()` formats the date; the
//! `DefaultHeaders` plugin caches the text in one shared `@Volatile` field,
//! refreshed when it is at least a second old.

use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The earliest and latest instants with a 4-digit year: 0000-01-01T00:00:00
/// and 9999-12-31T23:59:59. Instants outside are clamped to these, since
/// IMF-fixdate has no way to write a 5-digit or negative year.
const MIN_SECONDS: i64 = -62_167_219_200;
const MAX_SECONDS: i64 = 253_402_300_799;

const DAY_NAMES: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];
const MONTH_NAMES: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// One formatted second: the instants where it begins and where the next
/// one begins, and its text.
#[derive(Clone, Copy)]
struct CachedSecond {
    start: SystemTime,
    end: SystemTime,
    text: [u8; 29],
}

/// What a thread's cache holds before its first date: an empty second, from the epoch to the
/// epoch, which no instant is in. (An `Option` would say the same with a test of its own on
/// every hit.)
const NOTHING_CACHED: CachedSecond = CachedSecond {
    start: UNIX_EPOCH,
    end: UNIX_EPOCH,
    text: [0; 29],
};

thread_local! {
    /// The last second this thread formatted.
    static CACHE: Cell<CachedSecond> = const { Cell::new(NOTHING_CACHED) };
}

/// The current time as IMF-fixdate bytes, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
/// Reformatted at most once per second per thread.
///
/// Ktor: the cached date of `io.ktor.server.plugins.defaultheaders.DefaultHeaders`.
pub fn http_date_now() -> [u8; 29] {
    let mut text = [0; 29];
    put_http_date_now(&mut text);
    text
}

/// [`http_date_now`] written straight into `dst`, the response writer's `Date`
/// line: returned by value, the 29 bytes would be copied to the stack twice on
/// their way there.
#[inline]
pub(crate) fn put_http_date_now(dst: &mut [u8; 29]) {
    put_cached_date_at(SystemTime::now(), dst);
}

/// Writes the text of `now` into `dst`, from this thread's cache when `now`
/// is in the cached second, otherwise formatted and cached.
#[inline]
fn put_cached_date_at(now: SystemTime, dst: &mut [u8; 29]) {
    CACHE.with(|cache| {
        // Two reads of the cell, the bounds first and then the text, and a store in each
        // branch: the compiler then copies the text straight into `dst`, where one read and one
        // `*dst = match ...` would make it go through copies on the stack.
        let CachedSecond { start, end, .. } = cache.get();
        if start <= now && now < end {
            *dst = cache.get().text;
        } else {
            *dst = refresh(cache, now);
        }
    });
}

/// Formats `now` and makes it the cached second. Kept out of line so that the
/// hit path above stays small enough to be inlined into its callers.
#[cold]
#[inline(never)]
fn refresh(cache: &Cell<CachedSecond>, now: SystemTime) -> [u8; 29] {
    let second = unix_seconds(now);
    let text = imf_fixdate(second);
    // Only an instant with no representable bounds (never a real clock) goes uncached.
    let cached = second_bounds(second).map(|(start, end)| CachedSecond { start, end, text });
    cache.set(cached.unwrap_or(NOTHING_CACHED));
    text
}

/// The instants where Unix second `second` starts and where the next one
/// starts, so that `start <= t < end` holds exactly when
/// `unix_seconds(t) == second`; `None` if `SystemTime` cannot hold them.
fn second_bounds(second: i64) -> Option<(SystemTime, SystemTime)> {
    let offset = Duration::from_secs(second.unsigned_abs());
    let start = match second >= 0 {
        true => UNIX_EPOCH.checked_add(offset)?,
        false => UNIX_EPOCH.checked_sub(offset)?,
    };
    Some((start, start.checked_add(Duration::from_secs(1))?))
}

/// Formats `time` as IMF-fixdate, e.g. for a cookie's `Expires`. Sub-second
/// parts are dropped (the format has none).
///
/// Ktor: `io.ktor.util.date.GMTDate.toHttpDate`.
pub fn format_http_date(time: SystemTime) -> String {
    // The bytes are ASCII, so mapping each to a char is an exact conversion.
    imf_fixdate(unix_seconds(time))
        .iter()
        .map(|&b| char::from(b))
        .collect()
}

/// Whole seconds since the Unix epoch, rounded towards the past.
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            // 0.5 s before the epoch is in second -1, not second 0.
            -whole - i64::from(before.subsec_nanos() > 0)
        }
    }
}

/// Formats Unix seconds as the 29 bytes of an IMF-fixdate.
fn imf_fixdate(seconds: i64) -> [u8; 29] {
    let seconds = seconds.clamp(MIN_SECONDS, MAX_SECONDS);
    let days = seconds.div_euclid(86_400);
    let time_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday (index 4 with Sunday at 0).
    let weekday = (days + 4).rem_euclid(7);

    let mut text = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    text[0..3].copy_from_slice(DAY_NAMES[weekday as usize]);
    put_digits(&mut text[5..7], day);
    text[8..11].copy_from_slice(MONTH_NAMES[month as usize - 1]);
    put_digits(&mut text[12..16], year);
    put_digits(&mut text[17..19], time_of_day / 3600);
    put_digits(&mut text[20..22], time_of_day / 60 % 60);
    put_digits(&mut text[23..25], time_of_day % 60);
    text
}

/// Writes `value` in decimal into all of `slot`, zero-padded on the left.
/// `value` is never negative and always fits, thanks to the clamp above.
fn put_digits(slot: &mut [u8], mut value: i64) {
    for digit in slot.iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Turns a count of days since 1970-01-01 into `(year, month, day)` in the
/// proleptic Gregorian calendar, with months numbered 1 to 12.
///
/// This is the well-known `civil_from_days` method described by Howard
/// Hinnant. Its idea in five steps:
///
/// 1. **Start years in March.** Shift the count so that day 0 is
///    0000-03-01 (719 468 days before the Unix epoch). Now February, the only
///    month whose length varies, is the *last* month of the year, so the leap
///    day never moves any other month.
/// 2. **Cut time into eras of 400 years.** The Gregorian leap rules repeat
///    every 400 years, which are exactly 146 097 days. Euclidean division
///    gives the era and the day within it (0 to 146 096), and also makes
///    dates before 1970 work.
/// 3. **Find the year within the era.** Each year has 365 days plus the leap
///    days before it: one per 4 years (1 460 days), minus one per 100 years
///    (36 524 days), plus one for the 400th year (146 096 days). Removing them
///    from the day count leaves a number that divides evenly by 365.
/// 4. **Find the month.** From March, month lengths run 31 30 31 30 31 /
///    31 30 31 30 31 / 31 28-or-29: the pattern 31 30 31 30 31 (153 days)
///    repeats, so `(5 * day_of_year + 2) / 153` is the month index exactly,
///    and the inverse formula gives the day the month started.
/// 5. **Go back to January-based years**: March to December keep the year,
///    January and February belong to the next one.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097); // 0 ..= 146_096
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153; // 0 = March ..= 11 = February
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Formats a Unix timestamp through the public function.
    fn at(seconds: i64) -> String {
        let time = if seconds >= 0 {
            UNIX_EPOCH + Duration::from_secs(seconds as u64)
        } else {
            UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs())
        };
        format_http_date(time)
    }

    /// Known instants: the epoch, the RFC example, leap days, 2038 and 2100.
    #[test]
    fn known_timestamps() {
        let cases = [
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
            (68_169_600, "Tue, 29 Feb 1972 00:00:00 GMT"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"),
            (2_147_483_648, "Tue, 19 Jan 2038 03:14:08 GMT"),
            (4_107_456_000, "Sun, 28 Feb 2100 00:00:00 GMT"),
            (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
            (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
            (MAX_SECONDS, "Fri, 31 Dec 9999 23:59:59 GMT"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(at(seconds), expected, "{seconds}");
        }
    }

    /// Instants past year 9999 are clamped rather than misformatted.
    #[test]
    fn far_future_is_clamped() {
        assert_eq!(imf_fixdate(i64::MAX), imf_fixdate(MAX_SECONDS));
        assert_eq!(&imf_fixdate(i64::MIN)[..16], b"Sat, 01 Jan 0000");
    }

    /// The cached current date has the fixed shape.
    #[test]
    fn now_has_the_fixed_shape() {
        let now = http_date_now();
        assert_eq!(&now[25..], b" GMT");
        assert_eq!((now[3], now[19], now[22]), (b',', b':', b':'));
    }

    /// The cached bounds of a second hold exactly the instants in that
    /// second: its first nanosecond, its last, and none on either side.
    #[test]
    fn second_bounds_hold_exactly_their_second() {
        let nano = Duration::from_nanos(1);
        for second in [0, 1, -1, -2, 784_111_777, 2_147_483_648, MIN_SECONDS, MAX_SECONDS] {
            let (start, end) = second_bounds(second).expect("representable");
            assert_eq!(unix_seconds(start), second, "{second}");
            assert_eq!(unix_seconds(end - nano), second, "{second}");
            assert_eq!(unix_seconds(end), second + 1, "{second}");
            assert_eq!(unix_seconds(start - nano), second - 1, "{second}");
            assert_eq!(end.duration_since(start).ok(), Some(Duration::from_secs(1)));
        }
    }

    /// Instants on both sides of a second are served the right text, in any
    /// order, including a clock that goes backwards.
    #[test]
    fn cache_follows_the_clock_both_ways() {
        let base = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let instants = [
            0,
            999_999_999,
            1_000_000_000,
            999_999_999,
            0,
            1,
            2_500_000_000,
            500_000_000,
        ];
        for nanos in instants {
            let t = base + Duration::from_nanos(nanos);
            let mut text = [0; 29];
            put_cached_date_at(t, &mut text);
            assert_eq!(text, imf_fixdate(unix_seconds(t)), "{nanos}");
        }
    }

    /// Within one second the cached text is reused,
    /// not formatted again: a sentinel put in the cache comes back for every instant of its
    /// second, and the next second is formatted afresh.
    #[test]
    fn a_second_is_formatted_once() {
        let base = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let (start, end) = second_bounds(784_111_777).unwrap();
        let sentinel = *b"SENTINEL, not a formatted one";
        CACHE.with(|cache| {
            cache.set(CachedSecond {
                start,
                end,
                text: sentinel,
            })
        });
        for nanos in [0, 1, 500_000_000, 999_999_999] {
            let mut text = [0; 29];
            put_cached_date_at(base + Duration::from_nanos(nanos), &mut text);
            assert_eq!(text, sentinel, "{nanos} ns into the cached second");
        }
        let mut text = [0; 29];
        put_cached_date_at(base + Duration::from_secs(1), &mut text);
        assert_eq!(&text, b"Sun, 06 Nov 1994 08:49:38 GMT");
    }
}
