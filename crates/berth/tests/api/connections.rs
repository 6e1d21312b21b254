//! Limits on what clients may hold: request bodies (size and time), and connections (count,
//! per peer, idle, slow heads), checked on a real server over loopback.

use std::time::Duration;

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
