//! Requests in flight across configuration changes, and bodies streamed through.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::Request;
use hyper_util::rt::TokioIo;

use crate::common::*;

/// Starts a `/hold` request and returns it with the backend holding it.
async fn hold<'a>(
    addr: std::net::SocketAddr,
    a: &'a Backend,
    b: &'a Backend,
) -> (tokio::task::JoinHandle<Reply>, &'a Backend, &'a Backend) {
    let held = tokio::spawn(async move { get(addr, "/hold").await });
    eventually("a request held", || async { a.holding() + b.holding() == 1 }).await;
    if a.holding() == 1 { (held, a, b) } else { (held, b, a) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draining_target_gets_no_new_requests_and_finishes_in_flight() {
    let a = Backend::start("a").await;
    let b = Backend::start("b").await;
    let node = node();
    let mut config = simple(free_port(), vec![group("tg", &[&a, &b])]);
    let addr = apply_ok(&node, config.clone()).await;
    healthy(&node, 2).await;
    let (held, busy, other) = hold(addr, &a, &b).await;

    config.revision = 2;
    for target in &mut config.target_groups[0].targets {
        target.draining = target.id == busy.name;
    }
    apply_ok(&node, config).await;
    assert!(state_of(&node, &busy.name).is_none(), "draining targets are not reported");
    let before = busy.hits();
    let counts = spread(addr, 10).await;
    assert_eq!(counts.get(&other.name), Some(&10), "{counts:?}");
    assert_eq!(busy.hits(), before);

    busy.release();
    let reply = held.await.unwrap();
    assert_eq!(
        (reply.status, reply.backend(), reply.body.as_str()),
        (200, busy.name.as_str(), busy.name.as_str())
    );
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removed_target_finishes_in_flight() {
    let a = Backend::start("a").await;
    let b = Backend::start("b").await;
    let node = node();
    let mut config = simple(free_port(), vec![group("tg", &[&a, &b])]);
    let addr = apply_ok(&node, config.clone()).await;
    healthy(&node, 2).await;
    let (held, busy, other) = hold(addr, &a, &b).await;

    config.revision = 2;
    config.target_groups[0].targets.retain(|t| t.id != busy.name);
    apply_ok(&node, config).await;
    let counts = spread(addr, 6).await;
    assert_eq!(counts.get(&other.name), Some(&6), "{counts:?}");
    busy.release();
    let reply = held.await.unwrap();
    assert_eq!((reply.status, reply.backend()), (200, busy.name.as_str()));
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn response_streams_before_the_target_finishes() {
    let a = Backend::start("a").await;
    let node = node();
    let addr = apply_ok(&node, simple(free_port(), vec![group("tg", &[&a])])).await;
    healthy(&node, 1).await;
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(conn);
    let res = sender.send_request(request("GET", "/stream", &[])).await.unwrap();
    assert_eq!(res.status(), 200);
    let mut body = res.into_body();
    let first = tokio::time::timeout(DEADLINE, body.frame()).await.unwrap().unwrap().unwrap();
    assert_eq!(first.into_data().unwrap(), Bytes::from_static(b"first\n"));
    a.release();
    let rest = body.collect().await.unwrap().to_bytes();
    assert_eq!(rest, Bytes::from_static(b"last\n"));
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_body_streams_both_ways() {
    let a = Backend::start("a").await;
    let node = node();
    let addr = apply_ok(&node, simple(free_port(), vec![group("tg", &[&a])])).await;
    healthy(&node, 1).await;

    // Echo: each chunk comes back before the next is sent, so nothing waits for the whole body.
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(conn);
    let (mut tx, body) = http_body_util::channel::Channel::<Bytes, hyper::Error>::new(1);
    let req = Request::post("/echo").header("host", "lb.test").body(body.boxed_unsync()).unwrap();
    tx.send_data(Bytes::from_static(b"one")).await.unwrap();
    let res = tokio::time::timeout(DEADLINE, sender.send_request(req)).await.unwrap().unwrap();
    let mut res_body = res.into_body();
    for chunk in [&b"one"[..], b"two", b"three"] {
        if chunk != b"one" {
            tx.send_data(Bytes::copy_from_slice(chunk)).await.unwrap();
        }
        let frame =
            tokio::time::timeout(DEADLINE, res_body.frame()).await.unwrap().unwrap().unwrap();
        assert_eq!(frame.into_data().unwrap(), Bytes::copy_from_slice(chunk));
    }
    drop(tx);
    assert!(
        tokio::time::timeout(DEADLINE, res_body.collect())
            .await
            .unwrap()
            .unwrap()
            .to_bytes()
            .is_empty()
    );

    // A 64 MiB upload in 64 KiB chunks, produced as it is sent.
    const CHUNK: usize = 64 * 1024;
    const CHUNKS: usize = 1024;
    let (mut tx, body) = http_body_util::channel::Channel::<Bytes, hyper::Error>::new(4);
    let producer = tokio::spawn(async move {
        let chunk = Bytes::from(vec![b'x'; CHUNK]);
        for _ in 0..CHUNKS {
            tx.send_data(chunk.clone()).await.unwrap();
        }
    });
    let req = Request::post("/count").header("host", "lb.test").body(body.boxed_unsync()).unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(120), send(addr, req)).await.unwrap();
    producer.await.unwrap();
    assert_eq!(reply.body, (CHUNK * CHUNKS).to_string());
    let metrics = node.metrics();
    let row = metrics.iter().find(|m| m.target_group_arn.is_some()).unwrap();
    assert!(row.processed_bytes >= (CHUNK * CHUNKS) as u64, "{metrics:?}");
    node.shutdown().await;
}
