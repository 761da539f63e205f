//! Reading a request head out of the connection's buffer into the call that will answer it.
//!
//! The parser (`http::parser`) borrows from the buffer; a call must outlive the buffer's next
//! read, so the connection copies what a handler may look at (the target and the headers,
//! values as text) into the request of the call kept in its [`CallStorage`], whose capacity
//! the previous request left, so copying them allocates nothing in the usual case, and sets
//! its method and version. The rest goes into a [`Head`]: what framing, keep-alive and
//! `Expect` decided, and what the connection needs to know of the method and version.
//!
//! Ktor: the `Request` that CIO's `parseRequest` builds

use std::sync::Arc;

use super::connection::Peer;
use super::storage::CallStorage;
use crate::application::{Application, ApplicationCall};
use crate::http::{
    self, BodyFraming, EMPTY_HEADER, Header, HttpMethod, HttpStatusCode, HttpVersion, Limits, ParseError,
    Status,
};

/// A parsed request head, out of the input buffer.
///
/// The method and the version are set on the call's request already; the connection gets
/// what it needs of them here, as a bool and a byte. (Carrying the method, 24 bytes with its
/// `Other(Box<str>)`, to set it later would make this value, moved several times on its way to
/// the connection loop, half as large again: about 30 instructions more per request.)
pub(crate) struct Head {
    /// The call to answer it, its request's target, headers, method and version in place.
    pub(crate) call: Box<ApplicationCall>,
    /// Whether the method is `HEAD`, as the client sent it: the response then has no body,
    /// whatever method the application routes it as.
    pub(crate) is_head: bool,
    pub(crate) version: HttpVersion,
    pub(crate) framing: BodyFraming,
    pub(crate) keep_alive: bool,
    pub(crate) expects_continue: bool,
}

/// How many header slots a parse prepares: a tier at a time, smallest first. Preparing a slot
/// costs a few instructions, so a short head should not pay for a hundred; a head with more
/// lines than its tier has slots makes the parser answer 431, and is parsed again with the
/// next tier (the last one's 431 stands, as do `limits.max_headers`).
///
/// Clients send the same kind of head again and again on a connection (wrk one line, a
/// browser 10 to 20), so the tier that fitted the last head is where the next parse starts.
/// The [`CallStorage`] the head was parsed into remembers it (and never steps down, which
/// would only save a few instructions on a short head after a long one). While a connection
/// is busy, its storage stays with it: a browser's first request is read twice, once with too
/// few slots, and the requests after it once.
///
/// But storages move between connections: an idle connection puts its storage on the worker's
/// shelf (`spare.rs`) and, when it wakes, takes the one shelved last, or a new one, with that
/// storage's tier. So a browser's connection may wake with a tier-0 storage and read its next
/// head twice again, and a connection of short heads may wake with a higher tier and prepare
/// more slots than it needs on every request until its storage moves again: an extra parse
/// per wake-up, or a few instructions per request. Keeping the tier in the connection instead
/// would make it follow the client, at the price of one more value carried through every idle
/// wait and into `parse_head`.
const TIERS: [usize; 3] = [8, 32, 256];

/// What parsing a head needs besides the bytes and the call storage: the limits the head is
/// held to, and the application and connection a new call is made for. One reference instead
/// of three, passed down the tiers to [`parse_with`].
pub(crate) struct ParseContext<'a> {
    pub(crate) limits: &'a Limits,
    pub(crate) application: &'a Arc<Application>,
    pub(crate) peer: &'a Peer,
}

/// Parses one request head from `buffer`: `Ok(None)` when more bytes are needed.
///
/// A plain function, not `async`: the header slots live on the stack only while parsing and
/// never become part of the connection's future.
pub(crate) fn parse_head(
    buffer: &[u8],
    storage: &mut CallStorage,
    context: &ParseContext,
) -> Result<Option<(Head, usize)>, ParseError> {
    // The smallest tier, where nearly every connection stays, is tried here, and the larger
    // ones out of line: their arrays (8 KiB for the largest) would otherwise be this
    // function's stack frame on every call, which costs a probe of each page touched and
    // more registers saved (13 instructions per head, measured).
    if storage.slot_tier == 0 {
        let slots = TIERS[0].min(context.limits.max_headers);
        let parsed = parse_with(buffer, &mut [EMPTY_HEADER; TIERS[0]][..slots], storage, context);
        if !too_few_slots(&parsed, 0, slots, context.limits) {
            return parsed;
        }
        storage.slot_tier = 1;
    }
    parse_with_larger_tiers(buffer, storage, context)
}

/// [`parse_head`] from the tier in `storage` on, the smallest excepted.
#[inline(never)]
fn parse_with_larger_tiers(
    buffer: &[u8],
    storage: &mut CallStorage,
    context: &ParseContext,
) -> Result<Option<(Head, usize)>, ParseError> {
    let mut tier = storage.slot_tier.clamp(1, TIERS.len() - 1);
    loop {
        let slots = TIERS[tier].min(context.limits.max_headers);
        // One array per tier, each prepared only in its own arm.
        let parsed = match tier {
            1 => parse_with(buffer, &mut [EMPTY_HEADER; TIERS[1]][..slots], storage, context),
            _ => parse_with(buffer, &mut [EMPTY_HEADER; TIERS[2]][..slots], storage, context),
        };
        if !too_few_slots(&parsed, tier, slots, context.limits) {
            storage.slot_tier = tier;
            return parsed;
        }
        tier += 1;
    }
}

/// Whether `parsed`, a parse with `slots` slots of `tier`, failed only for want of slots that
/// a larger tier has.
fn too_few_slots(
    parsed: &Result<Option<(Head, usize)>, ParseError>,
    tier: usize,
    slots: usize,
    limits: &Limits,
) -> bool {
    matches!(parsed, Err(error)
        if error.status == HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
            && slots < limits.max_headers
            && tier + 1 < TIERS.len())
}

/// Parses with the given header slots and copies out what outlives the buffer, into the call
/// taken from `storage`.
fn parse_with<'b>(
    buffer: &'b [u8],
    slots: &mut [Header<'b>],
    storage: &mut CallStorage,
    context: &ParseContext,
) -> Result<Option<(Head, usize)>, ParseError> {
    let ParseContext {
        limits,
        application,
        peer,
    } = *context;
    let (head, consumed) = match http::parse_request(buffer, slots, limits)? {
        Status::Complete(parsed) => parsed,
        Status::Partial => return Ok(None),
    };
    let framing = http::request_body_framing(&head, limits)?;
    let expects_continue = http::expects_continue(&head)?;
    let mut call = storage.take_call(application, peer);
    let request = call.request_mut();
    let method = HttpMethod::parse(head.method);
    let is_head = method == HttpMethod::Head;
    request.set_request_line(method, head.version);
    let (target, headers) = request.head_storage();
    // Header values are bytes (obs-text is allowed); handlers get text. Nearly every head is
    // UTF-8 as a whole, already checked by the parser, and its field lines are copied in one
    // piece; in a head that is not, a value that is not UTF-8 is decoded lossily.
    if !headers.append_fields(&head) {
        for header in head.headers {
            match head.value_text(header) {
                Some(value) => headers.append_copied(header.name, value),
                None => headers.append_copied(header.name, &String::from_utf8_lossy(header.value)),
            }
        }
    }
    target.push_str(head.target);
    let owned = Head {
        call,
        is_head,
        version: head.version,
        keep_alive: http::keep_alive(&head),
        framing,
        expects_continue,
    };
    Ok(Some((owned, consumed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GET head with `lines` field lines after `Host`.
    fn head_with(lines: usize) -> Vec<u8> {
        let mut head = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
        for line in 1..lines {
            head.extend_from_slice(format!("X-{line}: {line}\r\n").as_bytes());
        }
        head.extend_from_slice(b"\r\n");
        head
    }

    /// Heads of every size around the tiers' edges parse whole through one storage, in an order
    /// that climbs the tiers and comes back down; the storage's tier only climbs; one line more
    /// than `max_headers` is 431, at any tier.
    #[test]
    fn every_head_gets_enough_slots() {
        let application = Application::from_module(|_| {});
        let nowhere = std::net::SocketAddr::from(([0, 0, 0, 0], 0));
        let peer = Peer {
            local: nowhere,
            remote: nowhere,
        };
        let limits = Limits::default();
        let context = ParseContext {
            limits: &limits,
            application: &application,
            peer: &peer,
        };
        let mut storage = CallStorage::default();
        let mut tiers = Vec::new();
        for lines in [1, 8, 2, 9, 32, 1, 33, 100, 3, 101] {
            let head = head_with(lines);
            match parse_head(&head, &mut storage, &context) {
                Ok(Some((parsed, consumed))) => {
                    assert_eq!(consumed, head.len());
                    assert_eq!(parsed.call.request().headers().len(), lines, "{lines} lines");
                    assert_eq!(
                        parsed.call.request().headers().get("x-7"),
                        (lines > 7).then_some("7")
                    );
                    storage.keep(parsed.call);
                }
                Ok(None) => panic!("{lines} lines: partial"),
                Err(error) => {
                    assert_eq!(lines, 101);
                    assert_eq!(error.status, HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
                }
            }
            tiers.push(storage.slot_tier);
        }
        assert_eq!(tiers, [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);

        let few = Limits {
            max_headers: 5,
            ..Limits::default()
        };
        let context = ParseContext {
            limits: &few,
            ..context
        };
        let mut storage = CallStorage::default();
        let error = parse_head(&head_with(6), &mut storage, &context).err();
        assert_eq!(
            error.map(|e| e.status),
            Some(HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        assert_eq!(storage.slot_tier, 0, "no larger tier is tried past max_headers");
    }
}
