// Starting and stopping: the address bound, the lifecycle events, and stop, graceful or not.
// Included once per engine by `tests/engine_wire.rs`.

/// `host` chooses the address the server binds: the configuration keeps the last name given,
/// and a server started with `127.0.0.1` is bound there and answers on it.
#[test]
fn host_is_the_address_bound() {
    let (server, address) = start_with(hello::module, |server| {
        let named = server.host("localhost"); // not started with it: nothing is bound there
        assert_eq!(named.config().host, "localhost");
        named.host("127.0.0.1")
    });
    assert_eq!(server.config().host, "127.0.0.1");
    assert_eq!(address.ip(), std::net::Ipv4Addr::LOCALHOST);
    assert_ne!(address.port(), 0);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"Hello World!");
}

/// A host that is none of this machine's addresses cannot be bound: `start` fails with the
/// system's error, rather than serving on another address. (192.0.2.1 is in TEST-NET-1,
/// RFC 5737, kept for documentation: binding to it fails at once, and nothing is sent.)
#[test]
fn a_host_that_is_not_this_machines_fails_to_start() {
    let mut server = unstarted(hello::module).host("192.0.2.1");
    let error = server.start(false).expect_err("nothing is bound on 192.0.2.1");
    assert_eq!(error.kind(), ErrorKind::AddrNotAvailable, "{error}");
    assert_eq!(server.local_address(), None);
}

/// The lifecycle events come in Ktor's order: started, ready; then, for a stop, preparing
/// when it begins, and stopping and stopped once the engine has stopped, after the request
/// that was in flight was answered.
#[test]
fn lifecycle_events_in_order() {
    use mini_ktor::application::{
        ApplicationStarted, ApplicationStopPreparing, ApplicationStopped, ApplicationStopping, ServerReady,
    };
    use std::sync::Mutex;
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let (mut server, address) = start(move |app| {
        let monitor = app.monitor_mut();
        let names = ["started", "ready", "preparing", "stopping", "stopped"];
        for name in names {
            let seen = Arc::clone(&seen);
            let push = move |_: &Application| seen.lock().unwrap().push(name);
            match name {
                "started" => monitor.subscribe(ApplicationStarted, push),
                "ready" => monitor.subscribe(ServerReady, push),
                "preparing" => monitor.subscribe(ApplicationStopPreparing, push),
                "stopping" => monitor.subscribe(ApplicationStopping, push),
                _ => monitor.subscribe(ApplicationStopped, push),
            }
        }
        app.routing(move |route| {
            route.get("/slow", async move |call| {
                sleep(Duration::from_millis(200)).await;
                seen.lock().unwrap().push("answered");
                call.respond_text("finished").await
            });
        });
    });
    assert_eq!(*log.lock().unwrap(), ["started", "ready"]);
    let mut busy = requesting(address, "/slow");
    thread::sleep(Duration::from_millis(50)); // the request is in its handler
    server.stop(Duration::from_secs(5), Duration::from_secs(5));
    let events = ["started", "ready", "preparing", "answered", "stopping", "stopped"];
    assert_eq!(*log.lock().unwrap(), events);
    assert!(read_to_close(&mut busy).ends_with(b"finished"));
}

/// Stopping the server closes the listener: new connections are refused.
#[test]
fn stop_stops_accepting() {
    let (mut server, address) = start(hello::module);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"Hello World!");
    server.stop(Duration::from_secs(1), Duration::from_secs(1));
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_err());
}

/// A graceful stop lets a request in flight finish (answered with `Connection: close`), closes
/// idle connections, and refuses new ones.
#[test]
fn graceful_stop_finishes_requests_in_flight() {
    let (mut server, address) = start(|app| {
        app.routing(|route| {
            route.get("/slow", async |call| {
                sleep(Duration::from_millis(300)).await;
                call.respond_text("finished").await
            });
        });
    });
    let mut idle = requesting(address, "/slow");
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut idle, &mut buffered).body, b"finished"); // now idle

    let mut busy = requesting(address, "/slow");
    thread::sleep(Duration::from_millis(50)); // the request is in its handler
    let started = Instant::now();
    server.stop(Duration::from_secs(5), Duration::from_secs(5));
    assert!(started.elapsed() < Duration::from_secs(4), "stop waited for the idle connection");

    let answer = String::from_utf8(read_to_close(&mut busy)).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("\r\nConnection: close\r\n"), "{answer}");
    assert!(answer.ends_with("finished"), "{answer}");
    assert!(read_to_close(&mut idle).is_empty(), "the idle connection is closed without a word");
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_err());
}

/// A request on a connection accepted just before a stop is waited for like any other: stop
/// does not return while its answer is still to come. (On Blocking, a connection used to join
/// the list that stop waits on only once its thread had started; a stop in between found the
/// list empty and returned at once.) The window is short, so the stop is tried ten times.
#[test]
fn stop_waits_for_a_connection_accepted_just_before_it() {
    let mut answered = 0;
    for _ in 0..10 {
        let finished = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&finished);
        let (mut server, address) = start(move |app| {
            app.routing(move |route| {
                route.get("/slow", async move |call| {
                    sleep(Duration::from_millis(100)).await;
                    seen.store(1, Ordering::SeqCst);
                    call.respond_text("finished").await
                });
            });
        });
        let mut client = requesting(address, "/slow");
        // Read on another thread, so that the lingering close after the answer ends as soon
        // as the answer is read.
        let reader = thread::spawn(move || {
            let mut answer = Vec::new();
            let _ = std::io::Read::read_to_end(&mut client, &mut answer); // a reset if never accepted
            answer
        });
        server.stop(Duration::from_secs(5), Duration::from_secs(5));
        let finished_at_stop = finished.load(Ordering::SeqCst) == 1;
        let answer = reader.join().unwrap();
        if answer.ends_with(b"finished") {
            assert!(finished_at_stop, "stop returned while the request was being answered");
            answered += 1;
        }
    }
    assert!(answered > 0, "no request was accepted before its stop: the test tested nothing");
}

/// A request still in its handler when the grace period ends is not waited for: `stop` closes
/// its connection at the end of the grace period and cancels the handler, whose future is
/// dropped at the `await` it waits in, so no application code runs for it after `stop`
/// returns; the client gets no answer. (The handler would take 30 s; the test gives `stop` 10.)
#[test]
fn stop_closes_what_is_left_after_the_grace_period() {
    /// Dropped with the handler's future: says that the handler was cancelled.
    struct Cancelled(Arc<AtomicUsize>);
    impl Drop for Cancelled {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let dropped = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&dropped);
    let (mut server, address) = start(move |app| {
        app.routing(move |route| {
            route.get("/endless", async move |call| {
                let _cancelled = Cancelled(Arc::clone(&seen));
                sleep(Duration::from_secs(30)).await;
                call.respond_text("too late").await
            });
        });
    });
    let mut busy = requesting(address, "/endless");
    thread::sleep(Duration::from_millis(50)); // the request is in its handler
    let started = Instant::now();
    server.stop(Duration::from_millis(300), Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(10), "stop waited for the handler");
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "the handler was cancelled before stop returned");
    let mut rest = Vec::new();
    let closed = std::io::Read::read_to_end(&mut busy, &mut rest); // an end or a reset
    assert!(closed.is_ok() || closed.is_err_and(|error| error.kind() != ErrorKind::WouldBlock));
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}
