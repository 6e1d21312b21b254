//! Where a request goes: the target group of a weighted forward (with group stickiness) and the
//! target within the group (eligibility, fail-open, stickiness, slow start, round robin or least
//! outstanding requests). Pure but for the shared counters and the caller's random source.
//!
//! Eligible targets are the healthy ones. When none is healthy the group fails open to all its
//! registered, non-draining targets, as ELB does. A target in slow start (healthy for less than
//! `slow_start_seconds`) is passed over with probability `1 - elapsed / slow_start`, so its share
//! ramps up linearly; if that passes over every eligible target, they are all used.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use rand::Rng;
use rand::rngs::SmallRng;

use crate::config::{CompiledGroup, TargetState, WeightedGroup};

/// Chooses the index of the group to forward to: the sticky group if the client names one still
/// in the action with a weight, else one drawn by weight. A single group is used whatever its
/// weight; groups of weight 0 among several get nothing.
pub(crate) fn choose_group(
    groups: &[WeightedGroup],
    sticky_key: Option<&str>,
    rng: &mut SmallRng,
) -> Option<usize> {
    if groups.len() == 1 {
        return Some(0);
    }
    if let Some(key) = sticky_key
        && let Some(index) = groups.iter().position(|g| g.weight > 0 && g.group.key == key)
    {
        return Some(index);
    }
    let total: u64 = groups.iter().map(|g| u64::from(g.weight)).sum();
    if total == 0 {
        return None;
    }
    let mut draw = rng.random_range(0..total);
    for (index, group) in groups.iter().enumerate() {
        let weight = u64::from(group.weight);
        if draw < weight {
            return Some(index);
        }
        draw -= weight;
    }
    None
}

/// Chooses a target of the group, or `None` when it has no registered, non-draining target.
/// `sticky_key` is the client's `AWSALB` cookie, honoured when the group has stickiness on and
/// the target it names is still eligible.
pub(crate) fn choose_target(
    group: &CompiledGroup,
    sticky_key: Option<&str>,
    now: Instant,
    rng: &mut SmallRng,
) -> Option<Arc<TargetState>> {
    let all: Vec<(&Arc<TargetState>, Option<Instant>)> = group
        .targets
        .iter()
        .map(|t| {
            let health = t.state.health.lock();
            let healthy_since = if health.state == api::lb::HealthState::Healthy {
                Some(health.healthy_since.unwrap_or(now))
            } else {
                None
            };
            (&t.state, healthy_since)
        })
        .collect();
    let healthy: Vec<(&Arc<TargetState>, Option<Instant>)> =
        all.iter().filter(|(_, since)| since.is_some()).cloned().collect();
    let pool = if healthy.is_empty() { all } else { healthy };
    if pool.is_empty() {
        return None;
    }
    if group.stickiness_seconds.is_some()
        && let Some(key) = sticky_key
        && let Some((target, _)) = pool.iter().find(|(t, _)| t.key == key)
    {
        return Some(Arc::clone(target));
    }
    let mut candidates: Vec<&Arc<TargetState>> = pool.iter().map(|(t, _)| *t).collect();
    if !group.slow_start.is_zero() {
        let ramped: Vec<&Arc<TargetState>> = pool
            .iter()
            .filter(|(_, since)| {
                let elapsed =
                    since.map_or(group.slow_start, |since| now.saturating_duration_since(since));
                elapsed >= group.slow_start
                    || rng.random_bool(elapsed.as_secs_f64() / group.slow_start.as_secs_f64())
            })
            .map(|(t, _)| *t)
            .collect();
        if !ramped.is_empty() {
            candidates = ramped;
        }
    }
    let start = group.next.fetch_add(1, Ordering::Relaxed);
    let chosen = match group.algorithm {
        api::lb::Algorithm::RoundRobin => candidates[start % candidates.len()],
        api::lb::Algorithm::LeastOutstandingRequests => {
            // Ties go round robin, so idle targets share the load.
            let n = candidates.len();
            (0..n)
                .map(|i| candidates[(start + i) % n])
                .min_by_key(|t| t.in_flight())
                .unwrap_or(candidates[0])
        }
    };
    Some(Arc::clone(chosen))
}

/// Counts a request in flight to a target until dropped.
#[derive(Debug)]
pub(crate) struct InFlight(Arc<TargetState>);

impl InFlight {
    pub(crate) fn start(target: Arc<TargetState>) -> InFlight {
        target.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(target)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::time::Duration;

    use rand::SeedableRng;

    use super::*;
    use crate::config::{Registry, compile};
    use crate::metrics::Metrics;

    fn group(
        algorithm: api::lb::Algorithm,
        slow_start: u32,
        stickiness: Option<u32>,
    ) -> api::lb::TargetGroup {
        api::lb::TargetGroup {
            arn: "tg".into(),
            dimension: "targetgroup/tg/1".into(),
            protocol: api::lb::Protocol::Http,
            health_check: api::lb::HealthCheck {
                enabled: false,
                protocol: api::lb::Protocol::Http,
                port: None,
                path: "/".into(),
                interval_seconds: 5,
                timeout_seconds: 2,
                healthy_threshold: 2,
                unhealthy_threshold: 2,
                matcher: "200".into(),
            },
            algorithm,
            slow_start_seconds: slow_start,
            stickiness_seconds: stickiness,
            deregistration_delay_seconds: 0,
            targets: (1..=3)
                .map(|i| api::lb::Target {
                    id: format!("t{i}"),
                    port: 80,
                    address: format!("10.0.0.{i}:80"),
                    draining: i == 3,
                })
                .collect(),
        }
    }

    fn compiled(g: api::lb::TargetGroup, now: Instant) -> Arc<CompiledGroup> {
        let config = api::lb::Config {
            revision: 1,
            listeners: vec![api::lb::Listener {
                arn: "l".into(),
                load_balancer_arn: "lb".into(),
                load_balancer_dimension: "app/lb/1".into(),
                load_balancer_type: api::lb::LoadBalancerType::Application,
                address: "127.0.0.1".into(),
                port: 80,
                protocol: api::lb::Protocol::Http,
                certificate: None,
                rules: vec![api::lb::Rule {
                    arn: "r".into(),
                    priority: None,
                    conditions: vec![],
                    action: api::lb::Action::Forward {
                        target_groups: vec![api::lb::WeightedGroup {
                            target_group_arn: "tg".into(),
                            weight: 1,
                        }],
                        stickiness_seconds: None,
                    },
                }],
                idle_timeout_seconds: 60,
            }],
            target_groups: vec![g],
        };
        let (routing, _) = compile(&config, &mut Registry::default(), &Metrics::default(), now);
        let listener = routing.listeners.get(&80).unwrap();
        match &listener.rules[0].action {
            crate::config::Action::Forward { groups, .. } => groups[0].group.clone(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn round_robin_skips_draining() {
        let now = Instant::now();
        let g = compiled(group(api::lb::Algorithm::RoundRobin, 0, None), now);
        let mut rng = SmallRng::seed_from_u64(1);
        let mut seen = HashMap::new();
        for _ in 0..10 {
            let t = choose_target(&g, None, now, &mut rng).unwrap();
            *seen.entry(t.address.to_string()).or_insert(0) += 1;
        }
        assert_eq!(seen.len(), 2);
        assert_eq!(seen["10.0.0.1:80"], 5);
    }

    #[test]
    fn least_outstanding_prefers_idle() {
        let now = Instant::now();
        let g = compiled(group(api::lb::Algorithm::LeastOutstandingRequests, 0, None), now);
        let mut rng = SmallRng::seed_from_u64(1);
        let busy = InFlight::start(g.targets[0].state.clone());
        for _ in 0..5 {
            assert_eq!(
                choose_target(&g, None, now, &mut rng).unwrap().address,
                g.targets[1].state.address
            );
        }
        drop(busy);
        let picks: Vec<_> =
            (0..4).map(|_| choose_target(&g, None, now, &mut rng).unwrap().address).collect();
        assert!(picks.contains(&g.targets[0].state.address));
    }

    #[test]
    fn fail_open_and_stickiness() {
        let now = Instant::now();
        let g = compiled(group(api::lb::Algorithm::RoundRobin, 0, Some(60)), now);
        let mut rng = SmallRng::seed_from_u64(1);
        // Only the second is healthy: it gets everything, the sticky key of the first is ignored.
        g.targets[0].state.health.lock().observe(
            &crate::health::Outcome::Failed,
            crate::health::Thresholds { healthy: 1, unhealthy: 1 },
            now,
        );
        let first_key = g.targets[0].state.key.clone();
        for _ in 0..4 {
            assert_eq!(
                choose_target(&g, Some(&first_key), now, &mut rng).unwrap().address,
                g.targets[1].state.address
            );
        }
        // Stickiness to the healthy one holds.
        let second_key = g.targets[1].state.key.clone();
        for _ in 0..4 {
            assert_eq!(
                choose_target(&g, Some(&second_key), now, &mut rng).unwrap().address,
                g.targets[1].state.address
            );
        }
        // All unhealthy: fail open to both.
        g.targets[1].state.health.lock().observe(
            &crate::health::Outcome::Failed,
            crate::health::Thresholds { healthy: 1, unhealthy: 1 },
            now,
        );
        let picks: Vec<_> =
            (0..4).map(|_| choose_target(&g, None, now, &mut rng).unwrap().address).collect();
        assert!(
            picks.contains(&g.targets[0].state.address)
                && picks.contains(&g.targets[1].state.address)
        );
    }

    #[test]
    fn slow_start_ramps() {
        let now = Instant::now();
        let g = compiled(group(api::lb::Algorithm::RoundRobin, 100, None), now);
        // The first target has been healthy for long, the second just became healthy.
        g.targets[0].state.health.lock().healthy_since = now.checked_sub(Duration::from_secs(1000));
        g.targets[1].state.health.lock().healthy_since = now.checked_sub(Duration::from_secs(10));
        let mut rng = SmallRng::seed_from_u64(7);
        let newcomer = g.targets[1].state.address;
        let picks = (0..2000)
            .filter(|_| choose_target(&g, None, now, &mut rng).unwrap().address == newcomer)
            .count();
        // A 10% share of round robin's 50% is about 100 in 2000.
        assert!((20..300).contains(&picks), "newcomer got {picks}");
        let later = now + Duration::from_secs(200);
        let picks = (0..2000)
            .filter(|_| choose_target(&g, None, later, &mut rng).unwrap().address == newcomer)
            .count();
        assert!((900..1100).contains(&picks), "newcomer got {picks}");
    }

    #[test]
    fn weighted_groups() {
        let now = Instant::now();
        let a = compiled(group(api::lb::Algorithm::RoundRobin, 0, None), now);
        let metrics = Metrics::default();
        let weighted =
            |weight: u32| WeightedGroup { group: a.clone(), weight, row: metrics.row("lb", None) };
        let groups = vec![weighted(0), weighted(80), weighted(20)];
        let mut rng = SmallRng::seed_from_u64(3);
        let mut counts = [0; 3];
        for _ in 0..1000 {
            counts[choose_group(&groups, None, &mut rng).unwrap()] += 1;
        }
        assert_eq!(counts[0], 0);
        assert!((700..900).contains(&counts[1]), "{counts:?}");
        assert_eq!(choose_group(&[weighted(0), weighted(0)], None, &mut rng), None);
        assert_eq!(choose_group(&[weighted(0)], None, &mut rng), Some(0));
        // Stickiness picks the first group with that key and a weight.
        assert_eq!(choose_group(&groups, Some(&a.key), &mut rng), Some(1));
    }
}
