//! The bytes a connection will write, and the `Date` its responses will carry.
//!
//! Responses collect here until the connection writes them (`flush` in `connection.rs`): one
//! response, or all the responses to a batch of pipelined requests. Every response head has a
//! `Date` field (RFC 9110 §6.6.1), which names the current second, and reading the clock costs
//! more than the rest of the field together (a vDSO call, some 30 to 50 ns). So the writer
//! leaves a placeholder where the date goes, this buffer remembers where each placeholder is,
//! and [`stamp_dates`](OutputBuffer::stamp_dates) fills them all, just before the write, with
//! one clock read:
//!
//! ```text
//! push_head ─► "HTTP/1.1 200 OK\r\nDate: <placeholder>\r\n..." ─┐
//! push_head ─► "HTTP/1.1 200 OK\r\nDate: <placeholder>\r\n..." ─┼─► stamp_dates ─► write
//! push_head ─► ...                                               ─┘   (one clock read)
//! ```
//!
//! RFC 9110 §6.6.1 lets a `Date` be generated "at any time during message origination", and
//! the moment of the write is still part of it: every date here names the second its response
//! was handed to the kernel. Reading the time once per event-loop turn (nginx) or refreshing
//! it from a timer (actix-web, may_minihttp) would save the read as well, but such a time can
//! be older than the response it stamps, by as long as the handlers that ran since it was read.
//!
//! Ktor writes the date header per response: its `DefaultHeaders` plugin caches the text and
//! checks the time on every call.

use crate::http::{self, Headers, HttpStatusCode, ResponseFraming};

/// How many bytes of responses may collect before they are written, although pipelined
/// requests remain to be answered. Without a bound, a client that pipelines many requests for
/// large responses and reads none of them would make the server hold every answer at once
/// (a hundred 1 MB answers to 3.5 KB of requests). With it, the server answers on only as far
/// as the client reads. Large enough that a batch of small responses (16 of wrk's take 2 KB)
/// still goes out in one write.
const FULL: usize = 64 * 1024;

/// Responses not yet written: their bytes, and where their `Date` placeholders are.
#[derive(Default)]
pub(crate) struct OutputBuffer {
    bytes: Vec<u8>,
    /// Where the 29 bytes of each automatic `Date` lie in `bytes`, in order.
    dates: Vec<usize>,
}

impl OutputBuffer {
    /// Whether nothing waits to be written.
    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Whether enough waits to be written that it should be, before answering another
    /// pipelined request: [`FULL`] bytes or more.
    pub(crate) fn is_full(&self) -> bool {
        self.bytes.len() >= FULL
    }

    /// Appends a response head (see [`http::write_response_head`]) whose `Date` is filled in
    /// when the buffer is written.
    pub(crate) fn push_head(
        &mut self,
        status: HttpStatusCode,
        headers: &Headers,
        framing: ResponseFraming,
        close: bool,
    ) {
        let place = http::write_response_head_undated(&mut self.bytes, status, headers, framing, close);
        if let Some(at) = place {
            self.dates.push(at);
        }
    }

    /// Appends bytes that carry no date: a body, `100 Continue`, a chunk.
    pub(crate) fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// The buffer's bytes, to append to directly (with `http::encode_last_chunk`, say).
    pub(crate) fn bytes_mut(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// Fills every `Date` placeholder with the current date, read from the clock once, and
    /// returns the bytes, ready to be written.
    pub(crate) fn stamp_dates(&mut self) -> &[u8] {
        // Every place was inside the buffer when it was recorded, and bytes are only appended
        // until `clear`; `get_mut` keeps a broken promise from panicking.
        if let Some((&first, others)) = self.dates.split_first()
            && let Some(first) = self
                .bytes
                .get_mut(first..)
                .and_then(|rest| rest.first_chunk_mut())
        {
            http::put_http_date_now(first);
            let date = *first;
            for &at in others {
                if let Some(place) = self.bytes.get_mut(at..).and_then(|rest| rest.first_chunk_mut()) {
                    *place = date;
                }
            }
        }
        self.dates.clear();
        &self.bytes
    }

    /// Empties the buffer, keeping its capacity.
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.dates.clear();
    }

    /// The bytes allocated, used or not.
    pub(crate) fn capacity_bytes(&self) -> usize {
        self.bytes.capacity() + self.dates.capacity() * size_of::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpHeaders;

    const PLACEHOLDER: &[u8] = b"Date: Thu, 01 Jan 1970 00:00:00 GMT";

    fn date_lines(bytes: &[u8]) -> Vec<&[u8]> {
        let starts = bytes.windows(6).enumerate().filter(|(_, w)| *w == b"Date: ");
        starts.map(|(at, _)| &bytes[at..at + PLACEHOLDER.len()]).collect()
    }

    /// Responses pushed together get one date, the current one, in place of every
    /// placeholder; a handler's own `Date` and body bytes that look like a placeholder are left
    /// as they are; the buffer then empties for the next batch.
    #[test]
    fn every_placeholder_gets_the_same_current_date() {
        let mut output = OutputBuffer::default();
        let plain = Headers::new();
        let mut own_date = Headers::new();
        own_date.append(HttpHeaders::DATE, "Sun, 06 Nov 1994 08:49:37 GMT");
        output.push_head(HttpStatusCode::OK, &plain, ResponseFraming::Length(35), false);
        output.extend_from_slice(PLACEHOLDER); // a body that looks like a placeholder
        output.push_head(
            HttpStatusCode::NOT_FOUND,
            &own_date,
            ResponseFraming::Length(0),
            false,
        );
        output.push_head(HttpStatusCode::NO_CONTENT, &plain, ResponseFraming::NoBody, true);
        let before = http::http_date_now();
        let bytes = output.stamp_dates().to_vec();
        let after = http::http_date_now();

        let lines = date_lines(&bytes);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], lines[3], "one date for the whole write");
        assert!(
            [before, after].iter().any(|now| lines[0][6..] == now[..]),
            "the date is the current one: {:?}",
            String::from_utf8_lossy(lines[0])
        );
        assert_eq!(lines[1], PLACEHOLDER, "the body is not touched");
        assert_eq!(lines[2], b"Date: Sun, 06 Nov 1994 08:49:37 GMT");

        output.clear();
        assert!(output.is_empty());
        output.push_head(HttpStatusCode::OK, &plain, ResponseFraming::Length(0), false);
        assert_eq!(date_lines(output.stamp_dates()).len(), 1);
    }
}
