//! What the load-balancer nodes see of each target, as they last reported it, and the state
//! DescribeTargetHealth shows.
//!
//! Each node checks every target itself and reports all it sees on every poll; a node not
//! heard from for [`NODE_TIMEOUT_MS`] no longer counts. A target is unhealthy when any live
//! node finds it so (the reason is that node's), healthy when every live node that checks it
//! finds it healthy, and otherwise still being checked.

use std::collections::BTreeMap;

use parking_lot::Mutex;

use api::lb::{HealthState, ListenerError, MetricsReport, TargetHealthReport};

/// How long a node's reports count after its last poll.
pub(crate) const NODE_TIMEOUT_MS: i64 = 60_000;

/// A target's state as ELB names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetState {
    Initial,
    Healthy,
    Unhealthy,
    Draining,
    Unused,
    Unavailable,
}

impl TargetState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TargetState::Initial => "initial",
            TargetState::Healthy => "healthy",
            TargetState::Unhealthy => "unhealthy",
            TargetState::Draining => "draining",
            TargetState::Unused => "unused",
            TargetState::Unavailable => "unavailable",
        }
    }
}

/// A target's health: its state, and when it is not healthy ELB's reason code and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TargetHealth {
    pub(crate) state: TargetState,
    pub(crate) reason: Option<String>,
    pub(crate) description: Option<String>,
}

impl TargetHealth {
    pub(crate) fn new(state: TargetState, reason: &str, description: &str) -> TargetHealth {
        TargetHealth {
            state,
            reason: Some(reason.to_owned()),
            description: Some(description.to_owned()),
        }
    }
}

#[derive(Default)]
struct NodeView {
    seen_ms: i64,
    reports: BTreeMap<(String, String, u16), TargetHealthReport>,
    listener_errors: Vec<ListenerError>,
    metrics: Vec<MetricsReport>,
}

/// The nodes' reports, in memory.
#[derive(Default)]
pub(crate) struct Health {
    nodes: Mutex<BTreeMap<String, NodeView>>,
}

impl Health {
    /// Replaces what `node` sees with its latest report.
    pub(crate) fn report(
        &self,
        node: &str,
        now_ms: i64,
        reports: Vec<TargetHealthReport>,
        listener_errors: Vec<ListenerError>,
        metrics: Vec<MetricsReport>,
    ) {
        let reports: BTreeMap<_, _> = reports
            .into_iter()
            .map(|r| ((r.target_group_arn.clone(), r.id.clone(), r.port), r))
            .collect();
        let mut nodes = self.nodes.lock();
        let view = nodes.entry(node.to_owned()).or_default();
        view.seen_ms = now_ms;
        view.reports = reports;
        view.listener_errors = listener_errors;
        if !metrics.is_empty() {
            view.metrics = metrics;
        }
    }

    /// The number of nodes heard from lately.
    pub(crate) fn live_nodes(&self, now_ms: i64) -> usize {
        self.nodes.lock().values().filter(|v| now_ms - v.seen_ms < NODE_TIMEOUT_MS).count()
    }

    /// What the live nodes see of a registered, undrained target in a group that receives
    /// traffic: `None` when no live node has checked it yet.
    pub(crate) fn seen(
        &self,
        group_arn: &str,
        id: &str,
        port: u16,
        now_ms: i64,
    ) -> Option<TargetHealth> {
        let nodes = self.nodes.lock();
        let key = (group_arn.to_owned(), id.to_owned(), port);
        let mut any = false;
        let mut healthy = true;
        for view in nodes.values().filter(|v| now_ms - v.seen_ms < NODE_TIMEOUT_MS) {
            let Some(report) = view.reports.get(&key) else { continue };
            any = true;
            match report.state {
                HealthState::Unhealthy => {
                    return Some(TargetHealth {
                        state: TargetState::Unhealthy,
                        reason: report.reason.clone(),
                        description: report.description.clone(),
                    });
                }
                HealthState::Initial => healthy = false,
                HealthState::Healthy => {}
            }
        }
        if !any {
            return None;
        }
        Some(if healthy {
            TargetHealth { state: TargetState::Healthy, reason: None, description: None }
        } else {
            TargetHealth::new(
                TargetState::Initial,
                "Elb.InitialHealthChecking",
                "Initial health checks in progress",
            )
        })
    }

    /// The listeners live nodes could not serve, with the first reason each gave.
    pub(crate) fn listener_errors(&self, now_ms: i64) -> BTreeMap<String, String> {
        let nodes = self.nodes.lock();
        let mut out = BTreeMap::new();
        for view in nodes.values().filter(|v| now_ms - v.seen_ms < NODE_TIMEOUT_MS) {
            for error in &view.listener_errors {
                out.entry(error.listener_arn.clone()).or_insert_with(|| error.message.clone());
            }
        }
        out
    }

    /// The counters of every node (live or not), summed per load balancer and target group.
    pub(crate) fn metrics(&self) -> Vec<MetricsReport> {
        let nodes = self.nodes.lock();
        let mut sum: BTreeMap<(String, Option<String>), MetricsReport> = BTreeMap::new();
        for report in nodes.values().flat_map(|v| &v.metrics) {
            let key = (report.load_balancer_arn.clone(), report.target_group_arn.clone());
            let into = sum.entry(key).or_insert_with(|| MetricsReport {
                load_balancer_arn: report.load_balancer_arn.clone(),
                target_group_arn: report.target_group_arn.clone(),
                ..Default::default()
            });
            into.request_count += report.request_count;
            into.target_2xx += report.target_2xx;
            into.target_3xx += report.target_3xx;
            into.target_4xx += report.target_4xx;
            into.target_5xx += report.target_5xx;
            into.elb_4xx += report.elb_4xx;
            into.elb_5xx += report.elb_5xx;
            into.target_response_micros += report.target_response_micros;
            into.active_connections += report.active_connections;
            into.new_connections += report.new_connections;
            into.processed_bytes += report.processed_bytes;
        }
        sum.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(state: HealthState, reason: Option<&str>) -> TargetHealthReport {
        TargetHealthReport {
            target_group_arn: "tg".into(),
            id: "10.0.0.1".into(),
            port: 80,
            state,
            reason: reason.map(str::to_owned),
            description: None,
        }
    }

    #[test]
    fn a_target_is_unhealthy_when_any_live_node_finds_it_so() {
        let health = Health::default();
        assert_eq!(health.seen("tg", "10.0.0.1", 80, 0), None);
        health.report("a", 0, vec![report(HealthState::Healthy, None)], vec![], vec![]);
        assert_eq!(health.seen("tg", "10.0.0.1", 80, 1).unwrap().state, TargetState::Healthy);
        health.report("b", 0, vec![report(HealthState::Initial, None)], vec![], vec![]);
        assert_eq!(health.seen("tg", "10.0.0.1", 80, 1).unwrap().state, TargetState::Initial);
        health.report(
            "b",
            10,
            vec![report(HealthState::Unhealthy, Some("Target.Timeout"))],
            vec![],
            vec![],
        );
        let seen = health.seen("tg", "10.0.0.1", 80, 11).unwrap();
        assert_eq!(
            (seen.state, seen.reason.as_deref()),
            (TargetState::Unhealthy, Some("Target.Timeout"))
        );
        // Both nodes fall silent: nothing counts.
        let later = NODE_TIMEOUT_MS + 20;
        assert_eq!(health.seen("tg", "10.0.0.1", 80, later), None);
        assert_eq!(health.live_nodes(later), 0);
    }
}
