//! Limits on what clients may hold: request bodies (size and time), and connections (count,
//! per peer, idle, slow heads), checked on a real server over loopback.

use std::time::Duration;

use futures::StreamExt as _;
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::common::Server;

const TARGET: &str = "AmazonEC2ContainerServiceV20141113.ListClusters";

/// A server with the given `[connections]` settings.
fn server_with(connections: &str) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("berth.toml");
    std::fs::write(&config, format!("[connections]\n{connections}")).unwrap();
    (Server::start_with_config(&config), dir)
}

fn address(server: &Server) -> String {
    server.endpoint.trim_start_matches("http://").to_owned()
}

/// Reads what the server sends until it closes the connection (or `limit` passes).
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut received = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut received)).await {
        Ok(_) => Some(String::from_utf8_lossy(&received).into_owned()),
        Err(_) => None,
    }
}

/// The JSON body of a raw HTTP/1.1 answer.
fn json_body(answer: &str) -> serde_json::Value {
    let (_, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"))
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let (head, _) = answer.split_once("\r\n\r\n")?;
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[tokio::test]
async fn an_oversized_body_is_refused_in_the_ecs_error_shape() {
    let server = Server::start();
    // Declared too large: refused before it is read.
    let body = vec![b' '; 1024 * 1024 + 1];
    let headers = vec![
        ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
        ("x-amz-target".to_owned(), TARGET.to_owned()),
    ];
    let response = server.raw().unsigned(&headers, &body).await;
    assert_eq!(response.status, 413, "{response:?}");
    assert_eq!(response.error_type.as_deref(), Some("RequestEntityTooLargeException"));
    assert_eq!(response.content_type.as_deref(), Some("application/x-amz-json-1.1"));
    assert_eq!(response.body["__type"], "RequestEntityTooLargeException");
    assert!(response.body["message"].as_str().unwrap().contains("1048576 bytes"), "{response:?}");
    // Undeclared (chunked): refused once the limit is passed, the rest never read.
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.1\r\nx-amz-target: {TARGET}\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
    for _ in 0..17 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let answer = read_to_close(&mut stream, Duration::from_secs(10)).await.expect("closed");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(header(&answer, "x-amzn-errortype"), Some("RequestEntityTooLargeException"));
    assert_eq!(json_body(&answer)["__type"], "RequestEntityTooLargeException");
    // A head too large to hold is refused too.
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    let head =
        format!("GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n", "y".repeat(300_000));
    let _ = stream.write_all(head.as_bytes()).await;
    let answer = read_to_close(&mut stream, Duration::from_secs(10)).await.expect("closed");
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    // The server is as it was.
    assert_eq!(server.raw().op("ListClusters", json!({})).await.status, 200);
}

#[tokio::test]
async fn a_half_sent_body_is_dropped_after_the_body_timeout() {
    let (server, _dir) = server_with("body-timeout = 1\n");
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    let started = tokio::time::Instant::now();
    let head = format!(
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.1\r\nx-amz-target: {TARGET}\r\ncontent-length: 1000\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(br#"{"maxResults": 10, "nextTo"#).await.unwrap();
    let answer = read_to_close(&mut stream, Duration::from_secs(10))
        .await
        .expect("the server closes the connection");
    let waited = started.elapsed();
    println!("half-sent body: answered and closed after {waited:?}");
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(header(&answer, "x-amzn-errortype"), Some("RequestTimeoutException"));
    assert_eq!(json_body(&answer)["__type"], "RequestTimeoutException");
}

/// Raises this process's open-file limit (the hard one too when allowed, as root is) so that
/// it, and the servers it starts, can hold `wanted` files; returns the soft limit in force.
fn raise_open_file_limit(wanted: u64) -> u64 {
    let (_, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if hard < wanted {
        // Refused without the privilege: the hard limit then stays as it is.
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, wanted, wanted);
    }
    rlimit::increase_nofile_limit(u64::MAX).unwrap()
}

/// A loopback address of this test run's own, `127.a.b.host`: each address has its own
/// ports, so thousands of connections neither run short of them nor meet the ports an earlier
/// run left waiting (TIME_WAIT).
fn loopback(host: u8) -> [u8; 4] {
    let seed = std::process::id() ^ std::time::UNIX_EPOCH.elapsed().unwrap().subsec_nanos();
    static BASE: std::sync::OnceLock<[u8; 2]> = std::sync::OnceLock::new();
    let [a, b] = *BASE.get_or_init(|| [(seed % 251) as u8 + 1, (seed / 251 % 256) as u8]);
    [127, a, b, host]
}

/// Opens a connection from the loopback address `from`.
async fn connect_from(from: [u8; 4], to: &str) -> std::io::Result<TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(std::net::SocketAddr::from((from, 0)))?;
    socket.connect(to.parse().unwrap()).await
}

/// Whether the server has closed `stream` (it reads the end of the stream).
fn closed_by_server(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    match stream.try_read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(error) => error.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// The 99th percentile of `samples`.
fn p99(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[(samples.len() * 99).div_ceil(100) - 1]
}

/// Times `count` signed requests, one after the other on one connection.
async fn signed_latencies(raw: &crate::common::Raw, count: usize) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        let started = tokio::time::Instant::now();
        let response = raw.op("ListClusters", json!({})).await;
        samples.push(started.elapsed());
        assert_eq!(response.status, 200, "{response:?}");
    }
    samples
}

/// Slowloris: `count` connections from `from`, each sending a request head a line every
/// 300 ms and never finishing it; a connection the server closes is opened again. Returns,
/// once `stop` is set, how many the server closed and the longest one lasted.
async fn slowloris(
    from: [u8; 4],
    to: String,
    count: usize,
    stop: tokio::sync::watch::Receiver<bool>,
) -> (usize, Duration) {
    let mut attackers = tokio::task::JoinSet::new();
    for _ in 0..count {
        let to = to.clone();
        let mut stop = stop.clone();
        attackers.spawn(async move {
            let mut closed = 0;
            let mut longest = Duration::ZERO;
            while !*stop.borrow() {
                let Ok(mut stream) = connect_from(from, &to).await else {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let opened = tokio::time::Instant::now();
                let mut line = 0;
                let mut head = b"POST / HTTP/1.1\r\nhost: x\r\n".to_vec();
                loop {
                    if stream.write_all(&head).await.is_err() || closed_by_server(&stream) {
                        closed += 1;
                        longest = longest.max(opened.elapsed());
                        break;
                    }
                    line += 1;
                    head = format!("x-slow-{line}: y\r\n").into_bytes();
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_millis(300)) => {}
                        _ = stop.changed() => return (closed, longest),
                    }
                }
            }
            (closed, longest)
        });
    }
    let mut total = (0, Duration::ZERO);
    while let Some(result) = attackers.join_next().await {
        let (closed, longest) = result.unwrap();
        total = (total.0 + closed, total.1.max(longest));
    }
    total
}

/// The agent channel's poll count, from `GET /status`.
async fn polls(server: &Server) -> u64 {
    let status: serde_json::Value =
        reqwest::get(format!("{}/status", server.endpoint)).await.unwrap().json().await.unwrap();
    status["agentChannel"]["polls"].as_u64().unwrap()
}

/// Thousands of idle connections and a slowloris, all unsigned, from loopback addresses of
/// their own: the server holds the idle ones, drops the slow heads after the header timeout,
/// keeps answering signed requests as fast as before, and its agent keeps polling.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_and_a_slowloris_leave_signed_requests_their_latency() {
    const IDLE_WANTED: usize = 20_000;
    const SLOW: usize = 500;
    const SIGNED: usize = 300;
    let open_files = raise_open_file_limit(50_000);
    // This process holds the attackers' ends (and keeps room for the other tests); the server
    // has the same limit, less its reserve (a tenth), for connections. With a limit under
    // 20,000 and some more, the attack passes the server's cap and the quietest connections
    // make room for new ones.
    let server_cap = usize::try_from(open_files - (open_files / 10).max(256)).unwrap();
    let idle_count = IDLE_WANTED.min(usize::try_from(open_files).unwrap() - SLOW - 1500);
    println!(
        "open-file limit {open_files} (server's connection cap {server_cap}): {idle_count} idle \
         connections, {SLOW} slow ones"
    );
    let (server, _dir) = server_with("header-timeout = 2\nbody-timeout = 2\nidle-timeout = 300\n");
    let to = address(&server);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("busy").send().await.unwrap();
    let _agent = crate::common::SimAgent::start(&server, "busy", "zone-a");
    let raw = server.raw();
    let work = async {
        crate::common::eventually(20, "the agent's first polls", || async {
            (polls(&server).await >= 2).then_some(())
        })
        .await;
        signed_latencies(&raw, 20).await;
        let idle_p99 = p99(signed_latencies(&raw, SIGNED).await);

        // The attack: idle connections from one address, a slowloris from another.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let slow = tokio::spawn(slowloris(loopback(3), to.clone(), SLOW, stopped));
        let mut idle = Vec::with_capacity(idle_count);
        let mut opening = futures::stream::iter(0..idle_count)
            .map(|_| connect_from(loopback(2), &to))
            .buffer_unordered(200);
        while let Some(stream) = opening.next().await {
            idle.push(stream.expect("an idle connection"));
        }
        let polls_before = polls(&server).await;
        let busy_p99 = p99(signed_latencies(&raw, SIGNED).await);
        // A half-sent body under attack is dropped after the body timeout all the same.
        let mut half = TcpStream::connect(&to).await.unwrap();
        let started = tokio::time::Instant::now();
        let head = format!(
            "POST / HTTP/1.1\r\nhost: x\r\nx-amz-target: {TARGET}\r\ncontent-length: 1000\r\n\r\n{{\"maxResults\": 10, \"nextTo"
        );
        half.write_all(head.as_bytes()).await.unwrap();
        let answer = read_to_close(&mut half, Duration::from_secs(10)).await.expect("dropped");
        let half_waited = started.elapsed();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        // Long enough for slow heads to meet the header timeout and for the agent to poll
        // again (its polls wait 2 s when nothing changes).
        tokio::time::sleep(Duration::from_secs(3)).await;
        let polls_during = polls(&server).await - polls_before;
        let held = idle.iter().filter(|stream| !closed_by_server(stream)).count();
        stop.send(true).unwrap();
        let (slow_closed, slow_longest) = slow.await.unwrap();
        println!(
            "signed requests p99: {idle_p99:?} idle, {busy_p99:?} with {held} of {} idle \
             connections held and {SLOW} slow heads ({slow_closed} closed by the server, the \
             longest after {slow_longest:?}); agent polls during the attack: {polls_during}; \
             half-sent body dropped after {half_waited:?}",
            idle.len()
        );
        if idle.len() + SLOW < server_cap {
            assert_eq!(held, idle.len(), "idle connections within the idle timeout are kept");
        } else {
            assert!(held + SLOW <= server_cap, "{held} held: more than the cap");
            assert!(held + SLOW + 100 >= server_cap, "{held} held: the cap was not used");
        }
        assert!(slow_closed >= SLOW, "every slow head meets the header timeout: {slow_closed}");
        assert!(slow_longest < Duration::from_secs(5), "{slow_longest:?}");
        assert!(polls_during >= 1, "the agent kept polling");
        assert!((Duration::from_millis(1900)..Duration::from_secs(5)).contains(&half_waited));
        assert!(
            busy_p99 <= idle_p99 * 5 + Duration::from_millis(100),
            "p99 {busy_p99:?} under attack against {idle_p99:?} idle"
        );
    };
    tokio::time::timeout(Duration::from_secs(180), work).await.expect("bounded in time");
}

/// At the cap, a new connection makes room by closing the quietest one; a peer over its own
/// limit is refused; idle connections close after the idle timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caps_make_room_refuse_and_time_out() {
    let [a, b, c, d] = loopback(2);
    let (server, _dir) = server_with(&format!(
        "max = 40\nmax-per-peer = 10\nunlimited-peers = [\"{a}.{b}.{c}.{d}\"]\nidle-timeout = 3\n"
    ));
    let to = address(&server);
    // A peer over its limit: its 11th connection is closed at once.
    let mut limited = Vec::new();
    for _ in 0..11 {
        limited.push(connect_from(loopback(4), &to).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let closed: Vec<bool> = limited.iter().map(closed_by_server).collect();
    assert_eq!(closed.iter().filter(|c| **c).count(), 1, "{closed:?}");
    assert!(closed[10], "the 11th is the one refused: {closed:?}");
    // The cap: 40 connections in all (10 of them the limited peer's).
    let mut unlimited = Vec::new();
    for _ in 0..30 {
        unlimited.push(connect_from(loopback(2), &to).await.unwrap());
    }
    // A signed request still gets through, on a connection that took a quiet one's place.
    assert_eq!(server.raw().op("ListClusters", json!({})).await.status, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let held = limited.iter().chain(&unlimited).filter(|s| !closed_by_server(s)).count();
    assert_eq!(held, 39, "one of the 40 quiet connections made room");
    // Idle ones go after the idle timeout.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let held = limited.iter().chain(&unlimited).filter(|s| !closed_by_server(s)).count();
    assert_eq!(held, 0);
}

/// The answer to a connection's last allowed request closes it.
#[tokio::test]
async fn a_connection_serves_at_most_its_requests() {
    let (server, _dir) = server_with("max-requests-per-connection = 3\n");
    let mut stream = TcpStream::connect(address(&server)).await.unwrap();
    let request = "GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n";
    stream.write_all(request.repeat(4).as_bytes()).await.unwrap();
    let answers = read_to_close(&mut stream, Duration::from_secs(10)).await.expect("closed");
    assert_eq!(answers.matches("HTTP/1.1 200").count(), 3, "{answers}");
    let last = answers.rsplit("HTTP/1.1 200").next().unwrap();
    assert!(last.to_ascii_lowercase().contains("connection: close"), "{answers}");
}
