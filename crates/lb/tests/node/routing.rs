//! Rules, actions, target choice and metrics through a real node and real backends.

use api::lb::{Condition, QueryPair};

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_robin_across_three_backends() {
    let backends =
        [Backend::start("a").await, Backend::start("b").await, Backend::start("c").await];
    let node = node();
    let addr = apply_ok(
        &node,
        simple(free_port(), vec![group("tg", &[&backends[0], &backends[1], &backends[2]])]),
    )
    .await;
    healthy(&node, 3).await;
    let counts = spread(addr, 30).await;
    assert_eq!(counts.len(), 3, "{counts:?}");
    assert!(counts.values().all(|n| *n == 10), "{counts:?}");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_and_actions() {
    let api_backend = Backend::start("api").await;
    let web_backend = Backend::start("web").await;
    let mut api_group = group("tg-api", &[&api_backend]);
    api_group.health_check.enabled = false;
    let mut web_group = group("tg-web", &[&web_backend]);
    web_group.health_check.enabled = false;
    let port = free_port();
    let rules = vec![
        rule(
            1,
            vec![Condition::PathPattern { values: vec!["/api/*".into()] }],
            forward(&[("tg-api", 1)]),
        ),
        rule(
            2,
            vec![Condition::HostHeader { values: vec!["admin.*".into()] }],
            fixed(403, "admins elsewhere"),
        ),
        rule(
            3,
            vec![Condition::HttpHeader { name: "X-Env".into(), values: vec!["gr?en".into()] }],
            fixed(200, "green"),
        ),
        rule(
            4,
            vec![Condition::QueryString {
                values: vec![QueryPair { key: Some("v".into()), value: "2*".into() }],
            }],
            fixed(200, "version two"),
        ),
        rule(
            5,
            vec![
                Condition::HttpRequestMethod { values: vec!["DELETE".into()] },
                Condition::PathPattern { values: vec!["/things/*".into()] },
            ],
            fixed(405, "no deleting"),
        ),
        rule(
            6,
            vec![Condition::PathPattern { values: vec!["/old/*".into()] }],
            api::lb::Action::Redirect {
                protocol: "HTTPS".into(),
                host: "#{host}".into(),
                port: "443".into(),
                path: "/new/#{path}".into(),
                query: "#{query}".into(),
                status_code: 301,
            },
        ),
        rule(
            7,
            vec![Condition::SourceIp { values: vec!["192.0.2.0/24".into()] }],
            fixed(200, "never"),
        ),
        default_rule(forward(&[("tg-web", 1)])),
    ];
    let config = api::lb::Config {
        revision: 1,
        listeners: vec![listener("listener-1", port, api::lb::Protocol::Http, rules)],
        target_groups: vec![api_group, web_group],
    };
    let node = node();
    let addr = apply_ok(&node, config).await;

    assert_eq!(get(addr, "/api/users").await.backend(), "api");
    assert_eq!(get(addr, "/API/users").await.backend(), "web");
    let reply = get_with(addr, "/", &[("host", "Admin.example.com:8080")]).await;
    assert_eq!((reply.status, reply.body.as_str()), (403, "admins elsewhere"));
    assert_eq!(reply.headers["content-type"], "text/plain");
    assert_eq!(get_with(addr, "/", &[("x-env", "GREEN")]).await.body, "green");
    assert_eq!(get(addr, "/x?a=1&v=2.1").await.body, "version two");
    assert_eq!(get(addr, "/x?v=1").await.backend(), "web");
    let reply = send(addr, request("DELETE", "/things/1", &[])).await;
    assert_eq!((reply.status, reply.body.as_str()), (405, "no deleting"));
    assert_eq!(send(addr, request("GET", "/things/1", &[])).await.backend(), "web");
    let reply = get(addr, "/old/page?x=1").await;
    assert_eq!(reply.status, 301);
    assert_eq!(reply.headers["location"], "https://lb.test/new/old/page?x=1");
    assert_eq!(get(addr, "/").await.backend(), "web");

    let metrics = node.metrics();
    let own = metrics.iter().find(|m| m.target_group_arn.is_none()).unwrap();
    // Fixed responses and the redirect: 403, green, version two, 405, 301.
    assert_eq!(own.request_count, 5, "{metrics:?}");
    assert_eq!(own.elb_4xx, 0, "fixed responses are not the load balancer's errors");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weighted_forward_and_group_stickiness() {
    let a = Backend::start("a").await;
    let b = Backend::start("b").await;
    let c = Backend::start("c").await;
    let groups: Vec<_> = [("tg-a", &a), ("tg-b", &b), ("tg-c", &c)]
        .into_iter()
        .map(|(arn, backend)| {
            let mut g = group(arn, &[backend]);
            g.health_check.enabled = false;
            g
        })
        .collect();
    let port = free_port();
    let mut config = api::lb::Config {
        revision: 1,
        listeners: vec![listener(
            "listener-1",
            port,
            api::lb::Protocol::Http,
            vec![default_rule(forward(&[("tg-a", 80), ("tg-b", 20), ("tg-c", 0)]))],
        )],
        target_groups: groups,
    };
    let node = node();
    let addr = apply_ok(&node, config.clone()).await;
    let counts = spread(addr, 200).await;
    assert_eq!(counts.get("c"), None, "{counts:?}");
    let to_a = counts.get("a").copied().unwrap_or(0);
    assert!((130..=190).contains(&to_a), "{counts:?}");

    // Group stickiness: the cookie brings a client back to its group.
    config.revision = 2;
    if let api::lb::Action::Forward { stickiness_seconds, .. } =
        &mut config.listeners[0].rules[0].action
    {
        *stickiness_seconds = Some(300);
    }
    apply_ok(&node, config).await;
    let first = get(addr, "/").await;
    let cookie = first.cookie("AWSALBTG").expect("group cookie");
    assert!(cookie.contains("Max-Age=300"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_owned();
    for _ in 0..20 {
        assert_eq!(get_with(addr, "/", &[("cookie", &pair)]).await.backend(), first.backend());
    }
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_stickiness() {
    let backends =
        [Backend::start("a").await, Backend::start("b").await, Backend::start("c").await];
    let mut g = group("tg", &[&backends[0], &backends[1], &backends[2]]);
    g.stickiness_seconds = Some(86400);
    let node = node();
    let addr = apply_ok(&node, simple(free_port(), vec![g])).await;
    healthy(&node, 3).await;
    let first = get(addr, "/").await;
    let cookie = first.cookie("AWSALB").expect("target cookie");
    assert!(cookie.contains("Max-Age=86400") && cookie.contains("Path=/"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_owned();
    for _ in 0..12 {
        assert_eq!(get_with(addr, "/", &[("cookie", &pair)]).await.backend(), first.backend());
    }
    // A cookie naming no target is ignored.
    let counts = {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..6 {
            seen.insert(
                get_with(addr, "/", &[("cookie", "AWSALB=bogus")]).await.backend().to_owned(),
            );
        }
        seen
    };
    assert_eq!(counts.len(), 3, "{counts:?}");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn least_outstanding_requests_prefers_the_idle_backend() {
    let a = Backend::start("a").await;
    let b = Backend::start("b").await;
    let mut g = group("tg", &[&a, &b]);
    g.algorithm = api::lb::Algorithm::LeastOutstandingRequests;
    let node = node();
    let addr = apply_ok(&node, simple(free_port(), vec![g])).await;
    healthy(&node, 2).await;
    let held = tokio::spawn(async move { get(addr, "/hold").await });
    eventually("a request held", || async { a.holding() + b.holding() == 1 }).await;
    let (busy, idle) = if a.holding() == 1 { (&a, &b) } else { (&b, &a) };
    let counts = spread(addr, 10).await;
    assert_eq!(counts.get(&idle.name), Some(&10), "{counts:?}");
    busy.release();
    let reply = held.await.unwrap();
    assert_eq!((reply.status, reply.backend()), (200, busy.name.as_str()));
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_connection_is_a_502_and_no_target_a_503() {
    let mut g = group("tg", &[]);
    g.health_check.enabled = false;
    g.targets.push(api::lb::Target {
        id: "gone".into(),
        port: 1,
        address: format!("127.0.0.1:{}", free_port()),
        draining: false,
    });
    let empty = group("tg-empty", &[]);
    let port = free_port();
    let config = api::lb::Config {
        revision: 1,
        listeners: vec![listener(
            "listener-1",
            port,
            api::lb::Protocol::Http,
            vec![
                rule(
                    1,
                    vec![Condition::PathPattern { values: vec!["/empty".into()] }],
                    forward(&[("tg-empty", 1)]),
                ),
                default_rule(forward(&[("tg", 1)])),
            ],
        )],
        target_groups: vec![g, empty],
    };
    let node = node();
    let addr = apply_ok(&node, config).await;
    assert_eq!(get(addr, "/").await.status, 502);
    assert_eq!(get(addr, "/empty").await.status, 503);
    let metrics = node.metrics();
    let row = |tg: Option<&str>| {
        metrics.iter().find(|m| m.target_group_arn.as_deref() == tg).cloned().unwrap_or_default()
    };
    assert_eq!((row(Some("tg")).request_count, row(Some("tg")).elb_5xx), (1, 1), "{metrics:?}");
    assert_eq!((row(None).request_count, row(None).elb_5xx), (1, 1), "{metrics:?}");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_headers_and_metrics() {
    let a = Backend::start("a").await;
    let node = node();
    let port = free_port();
    let addr = apply_ok(&node, simple(port, vec![group("tg", &[&a])])).await;
    healthy(&node, 1).await;
    let reply = get_with(
        addr,
        "/headers",
        &[("x-forwarded-for", "203.0.113.7"), ("connection", "keep-alive")],
    )
    .await;
    assert_eq!(reply.status, 200);
    let headers = reply.body;
    assert!(headers.contains("x-forwarded-for: 203.0.113.7, 127.0.0.1\n"), "{headers}");
    assert!(headers.contains("x-forwarded-proto: http\n"), "{headers}");
    assert!(headers.contains(&format!("x-forwarded-port: {port}\n")), "{headers}");
    assert!(headers.contains("x-amzn-trace-id: Root=1-"), "{headers}");
    assert!(headers.contains("host: lb.test\n"), "{headers}");
    let reply = get_with(addr, "/headers", &[("x-amzn-trace-id", "Root=1-abc")]).await;
    assert!(reply.body.contains("x-amzn-trace-id: Root=1-abc\n"), "{}", reply.body);
    for _ in 0..3 {
        get(addr, "/").await;
    }
    let metrics = node.metrics();
    let row = metrics.iter().find(|m| m.target_group_arn.as_deref() == Some("tg")).unwrap();
    assert_eq!((row.request_count, row.target_2xx), (5, 5), "{metrics:?}");
    assert!(row.target_response_micros > 0 && row.processed_bytes > 0, "{metrics:?}");
    let own = metrics.iter().find(|m| m.target_group_arn.is_none()).unwrap();
    assert_eq!(own.load_balancer_arn, "lb-1");
    assert_eq!(own.new_connections, 5, "{metrics:?}");
    eventually("connections closed", || async {
        node.metrics().iter().all(|m| m.active_connections == 0)
    })
    .await;
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_target_is_a_504_after_the_idle_timeout() {
    let a = Backend::start("a").await;
    let mut g = group("tg", &[&a]);
    g.health_check.enabled = false;
    let mut config = simple(free_port(), vec![g]);
    config.listeners[0].idle_timeout_seconds = 1;
    let node = node();
    let addr = apply_ok(&node, config).await;
    let reply = get(addr, "/hold").await;
    assert_eq!(reply.status, 504);
    let metrics = node.metrics();
    let row = metrics.iter().find(|m| m.target_group_arn.as_deref() == Some("tg")).unwrap();
    assert_eq!((row.request_count, row.elb_5xx, row.target_2xx), (1, 1, 0), "{metrics:?}");
    a.release();
    node.shutdown().await;
}
