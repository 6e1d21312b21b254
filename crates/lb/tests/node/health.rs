//! Health checks against real backends: states, reasons, routing around unhealthy targets.

use api::lb::HealthState;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unhealthy_target_is_left_out_and_comes_back() {
    let a = Backend::start("a").await;
    let b = Backend::start("b").await;
    let node = node();
    let addr = apply_ok(&node, simple(free_port(), vec![group("tg", &[&a, &b])])).await;
    let initial = state_of(&node, "a").unwrap();
    // The first check may already have passed, but one success is below the threshold of two.
    assert_eq!(initial.state, HealthState::Initial, "{initial:?}");
    assert_eq!(initial.reason.as_deref(), Some("Elb.InitialHealthChecking"));
    healthy(&node, 2).await;

    let mut changes = node.health_changes();
    changes.mark_unchanged();
    b.set_health(503);
    eventually("b unhealthy", || async {
        state_of(&node, "b").unwrap().state == HealthState::Unhealthy
    })
    .await;
    assert!(changes.has_changed().unwrap(), "health_changes must fire");
    let report = state_of(&node, "b").unwrap();
    assert_eq!(report.reason.as_deref(), Some("Target.ResponseCodeMismatch"));
    assert_eq!(report.description.as_deref(), Some("Health checks failed with these codes: [503]"));
    let counts = spread(addr, 10).await;
    assert_eq!(counts.get("a"), Some(&10), "{counts:?}");

    b.set_health(200);
    healthy(&node, 2).await;
    let counts = spread(addr, 10).await;
    assert_eq!(counts.get("b"), Some(&5), "{counts:?}");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_unhealthy_fails_open() {
    let a = Backend::start("a").await;
    let b = Backend::start("b").await;
    a.set_health(500);
    b.set_health(500);
    let node = node();
    let addr = apply_ok(&node, simple(free_port(), vec![group("tg", &[&a, &b])])).await;
    eventually("both unhealthy", || async {
        node.health().iter().all(|h| h.state == HealthState::Unhealthy)
    })
    .await;
    let counts = spread(addr, 10).await;
    assert_eq!((counts.get("a"), counts.get("b")), (Some(&5), Some(&5)), "{counts:?}");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabled_checks_report_healthy_and_tcp_checks_fail_on_refusal() {
    let a = Backend::start("a").await;
    let mut disabled = group("tg-off", &[&a]);
    disabled.health_check.enabled = false;
    let mut tcp = group("tg-tcp", &[]);
    tcp.health_check.protocol = api::lb::Protocol::Tcp;
    tcp.targets.push(api::lb::Target {
        id: "closed".into(),
        port: 1,
        address: format!("127.0.0.1:{}", free_port()),
        draining: false,
    });
    let mut tcp_ok = group("tg-tcp-ok", &[&a]);
    tcp_ok.health_check.protocol = api::lb::Protocol::Tcp;
    let node = node();
    apply_ok(&node, simple(free_port(), vec![disabled, tcp, tcp_ok])).await;
    let off = node.health().into_iter().find(|h| h.target_group_arn == "tg-off").unwrap();
    assert_eq!((off.state, off.reason), (HealthState::Healthy, None));
    eventually("tcp check results", || async {
        let health = node.health();
        let closed = health.iter().find(|h| h.id == "closed").unwrap();
        let open = health.iter().find(|h| h.target_group_arn == "tg-tcp-ok").unwrap();
        closed.state == HealthState::Unhealthy && open.state == HealthState::Healthy
    })
    .await;
    let closed = state_of(&node, "closed").unwrap();
    assert_eq!(closed.reason.as_deref(), Some("Target.FailedHealthChecks"));
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_check_settings_keep_states() {
    let a = Backend::start("a").await;
    let node = node();
    let mut config = simple(free_port(), vec![group("tg", &[&a])]);
    apply_ok(&node, config.clone()).await;
    healthy(&node, 1).await;
    // Thresholds that would take a minute to reach from `initial`.
    config.revision = 2;
    config.target_groups[0].health_check.healthy_threshold = 60;
    config.target_groups[0].health_check.path = "/health?again".into();
    apply_ok(&node, config).await;
    assert_eq!(state_of(&node, "a").unwrap().state, HealthState::Healthy);
    node.shutdown().await;
}
