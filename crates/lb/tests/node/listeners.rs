//! Listeners: HTTPS, TCP and TLS pass-through, bind failures, and what re-applying keeps.

use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

/// A TCP server that echoes what it reads.
async fn tcp_echo() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else { continue };
            tokio::spawn(async move {
                let (mut read, mut write) = stream.split();
                let _ = tokio::io::copy(&mut read, &mut write).await;
            });
        }
    });
    addr
}

fn tcp_group(arn: &str, addr: std::net::SocketAddr) -> api::lb::TargetGroup {
    let mut g = group(arn, &[]);
    g.protocol = api::lb::Protocol::Tcp;
    g.health_check.protocol = api::lb::Protocol::Tcp;
    g.targets.push(api::lb::Target {
        id: "echo".into(),
        port: addr.port(),
        address: addr.to_string(),
        draining: false,
    });
    g
}

async fn ping<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut stream: S) {
    stream.write_all(b"ping").await.unwrap();
    let mut buf = [0u8; 4];
    tokio::time::timeout(DEADLINE, stream.read_exact(&mut buf)).await.unwrap().unwrap();
    assert_eq!(&buf, b"ping");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_listener_terminates_tls() {
    let a = Backend::start("a").await;
    let mut config = simple(free_port(), vec![group("tg", &[&a])]);
    config.listeners[0].protocol = api::lb::Protocol::Https;
    config.listeners[0].certificate = Some(certificate());
    let node = node();
    let addr = apply_ok(&node, config).await;
    healthy(&node, 1).await;
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tls_connector().connect(name, tcp).await.unwrap();
    let reply = send_on(TokioIo::new(tls), request("GET", "/headers", &[])).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("x-forwarded-proto: https\n"), "{}", reply.body);
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_and_tls_listeners_pass_bytes_through() {
    let echo = tcp_echo().await;
    let tcp_port = free_port();
    let tls_port = free_port();
    let mut tls_listener = listener(
        "listener-tls",
        tls_port,
        api::lb::Protocol::Tls,
        vec![default_rule(forward(&[("tg", 1)]))],
    );
    tls_listener.certificate = Some(certificate());
    let config = api::lb::Config {
        revision: 1,
        listeners: vec![
            listener(
                "listener-tcp",
                tcp_port,
                api::lb::Protocol::Tcp,
                vec![default_rule(forward(&[("tg", 1)]))],
            ),
            tls_listener,
        ],
        target_groups: vec![tcp_group("tg", echo)],
    };
    let node = node();
    let tcp_addr = apply_ok(&node, config).await;
    healthy(&node, 1).await;
    ping(tokio::net::TcpStream::connect(tcp_addr).await.unwrap()).await;
    let tls_addr = node.bound("listener-tls").unwrap();
    let tcp = tokio::net::TcpStream::connect(tls_addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    ping(tls_connector().connect(name, tcp).await.unwrap()).await;
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unservable_listeners_are_reported_and_the_rest_served() {
    let a = Backend::start("a").await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_port = taken.local_addr().unwrap().port();
    let mut bad_cert = listener(
        "listener-bad-cert",
        free_port(),
        api::lb::Protocol::Https,
        vec![default_rule(forward(&[("tg", 1)]))],
    );
    bad_cert.certificate = Some(api::lb::Certificate {
        arn: "arn:cert:bad".into(),
        certificate_chain_pem:
            "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".into(),
        private_key_pem: certificate().private_key_pem,
    });
    let mut no_cert = bad_cert.clone();
    no_cert.arn = "listener-no-cert".into();
    no_cert.port = free_port();
    no_cert.certificate = None;
    let mut udp = listener(
        "listener-udp",
        free_port(),
        api::lb::Protocol::Udp,
        vec![default_rule(forward(&[("tg", 1)]))],
    );
    udp.load_balancer_type = api::lb::LoadBalancerType::Network;
    let good_port = free_port();
    let config = api::lb::Config {
        revision: 1,
        listeners: vec![
            listener(
                "listener-taken",
                taken_port,
                api::lb::Protocol::Http,
                vec![default_rule(forward(&[("tg", 1)]))],
            ),
            bad_cert,
            no_cert,
            udp,
            listener(
                "listener-good",
                good_port,
                api::lb::Protocol::Http,
                vec![default_rule(forward(&[("tg", 1)]))],
            ),
        ],
        target_groups: vec![group("tg", &[&a])],
    };
    let node = node();
    let errors = node.apply(config.clone()).await;
    let mut failed: Vec<&str> = errors.iter().map(|e| e.listener_arn.as_str()).collect();
    failed.sort_unstable();
    assert_eq!(
        failed,
        ["listener-bad-cert", "listener-no-cert", "listener-taken", "listener-udp"],
        "{errors:?}"
    );
    let taken_error = errors.iter().find(|e| e.listener_arn == "listener-taken").unwrap();
    assert!(taken_error.message.contains(&taken_port.to_string()), "{taken_error:?}");
    assert!(node.bound("listener-taken").is_none());
    healthy(&node, 1).await;
    assert_eq!(get(node.bound("listener-good").unwrap(), "/").await.backend(), "a");

    // Once the port is free, applying the same configuration again binds it.
    drop(taken);
    let errors = node.apply(config).await;
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(get(node.bound("listener-taken").unwrap(), "/").await.backend(), "a");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reapplying_keeps_connections_and_swaps_routing() {
    let a = Backend::start("a").await;
    let port = free_port();
    let mut config = api::lb::Config {
        revision: 1,
        listeners: vec![listener(
            "listener-1",
            port,
            api::lb::Protocol::Http,
            vec![default_rule(fixed(200, "one"))],
        )],
        target_groups: vec![group("tg", &[&a])],
    };
    let node = node();
    let addr = apply_ok(&node, config.clone()).await;
    // One keep-alive connection across applies.
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(conn);
    let body = |res: hyper::Response<hyper::body::Incoming>| async move {
        use http_body_util::BodyExt;
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    };
    assert_eq!(body(sender.send_request(request("GET", "/", &[])).await.unwrap()).await, "one");
    // The same configuration again changes nothing.
    assert!(node.apply(config.clone()).await.is_empty());
    config.revision = 2;
    config.listeners[0].rules[0].action = fixed(200, "two");
    assert!(node.apply(config.clone()).await.is_empty());
    sender.ready().await.unwrap();
    assert_eq!(body(sender.send_request(request("GET", "/", &[])).await.unwrap()).await, "two");

    // A protocol change rebinds the port: now TCP to an echo server.
    let echo = tcp_echo().await;
    config.revision = 3;
    config.listeners[0].protocol = api::lb::Protocol::Tcp;
    config.listeners[0].rules[0].action = forward(&[("tg-tcp", 1)]);
    config.target_groups = vec![tcp_group("tg-tcp", echo)];
    let addr = apply_ok(&node, config.clone()).await;
    assert_eq!(addr.port(), port);
    ping(tokio::net::TcpStream::connect(addr).await.unwrap()).await;

    // A listener gone closes its port.
    config.revision = 4;
    config.listeners.clear();
    assert!(node.apply(config).await.is_empty());
    assert!(node.bound("listener-1").is_none());
    eventually("port closed", || async { tokio::net::TcpStream::connect(addr).await.is_err() })
        .await;
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_listeners() {
    let node = node();
    let port = free_port();
    let config = api::lb::Config {
        revision: 1,
        listeners: vec![listener(
            "listener-1",
            port,
            api::lb::Protocol::Http,
            vec![default_rule(fixed(200, "x"))],
        )],
        target_groups: vec![],
    };
    let addr = apply_ok(&node, config).await;
    assert_eq!(get(addr, "/").await.body, "x");
    node.shutdown().await;
    assert!(node.bound("listener-1").is_none());
    let refused =
        tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr))
            .await
            .unwrap();
    assert!(refused.is_err());
}
