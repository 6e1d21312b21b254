//! Deterministic test inputs: a synthetic cluster generator and a small text format for fixtures.
//!
//! Public (and pure) so that benchmarks and the server's tests can build the same clusters.

pub mod fixture;

use std::collections::{BTreeMap, BTreeSet};

use rand::rngs::SmallRng;
use rand::{Rng, RngCore, SeedableRng};

use crate::model::{Instance, InstanceStatus, Resources, Snapshot, TaskOnInstance};

/// Instance types of the synthetic cluster: name, CPU units, MiB, and relative frequency.
pub const INSTANCE_TYPES: &[(&str, i64, i64, u32)] = &[
    ("m5.large", 2048, 7680, 30),
    ("m5.xlarge", 4096, 15_580, 20),
    ("m5.2xlarge", 8192, 31_400, 5),
    ("c5.large", 2048, 3700, 15),
    ("c5.xlarge", 4096, 7500, 10),
    ("r5.large", 2048, 15_700, 10),
    ("t3.medium", 2048, 3800, 10),
];

/// Ports the ECS agent reserves on every instance.
pub const AGENT_PORTS: [u16; 5] = [22, 2375, 2376, 51678, 51679];

/// A deterministic cluster of `instances` instances spread round-robin over `zones` availability
/// zones (`us-east-1a`, `us-east-1b`, ...; at least one).
///
/// Instance types are drawn from [`INSTANCE_TYPES`] by weight; about 1% of the instances are
/// DRAINING and about 1% have a disconnected agent; about a third already run one or two tasks of
/// another group (`service:existing-N`), which use part of their resources. Ids are
/// `ci-000000000042`-style, so the instances come out sorted by id, as the server passes them.
pub fn synthetic_cluster(instances: usize, zones: usize, seed: u64) -> Snapshot {
    let zones = zones.max(1);
    let mut rng = SmallRng::seed_from_u64(seed);
    let total_weight: u32 = INSTANCE_TYPES.iter().map(|t| t.3).sum();
    let mut list = Vec::with_capacity(instances);
    for number in 0..instances {
        let mut draw = rng.random_range(0..total_weight);
        let &(instance_type, cpu, memory, _) = INSTANCE_TYPES
            .iter()
            .find(|t| {
                if draw < t.3 {
                    true
                } else {
                    draw -= t.3;
                    false
                }
            })
            .expect("weights cover the draw");
        let zone = format!("us-east-1{}", zone_letter(number % zones));
        let id = format!("ci-{number:012}");
        let status = if rng.random_ratio(1, 100) {
            InstanceStatus::Draining
        } else {
            InstanceStatus::Active
        };
        let agent_connected = !rng.random_ratio(1, 100);
        let mut attributes: BTreeMap<String, Option<String>> = BTreeMap::new();
        attributes.insert("ecs.availability-zone".to_owned(), Some(zone));
        attributes.insert("ecs.instance-type".to_owned(), Some(instance_type.to_owned()));
        attributes.insert("ecs.os-type".to_owned(), Some("linux".to_owned()));
        attributes.insert("ecs.cpu-architecture".to_owned(), Some("x86_64".to_owned()));
        attributes.insert("ecs.ami-id".to_owned(), Some("ami-0123456789abcdef0".to_owned()));
        for capability in [
            "com.amazonaws.ecs.capability.docker-remote-api.1.44",
            "com.amazonaws.ecs.capability.logging-driver.awslogs",
            "ecs.capability.task-eni",
        ] {
            attributes.insert(capability.to_owned(), None);
        }
        let ports: BTreeSet<u16> = AGENT_PORTS.into_iter().collect();
        let registered =
            Resources { cpu, memory, ports_tcp: ports.clone(), ports_udp: BTreeSet::new() };
        let mut remaining = registered.clone();
        let mut tasks = Vec::new();
        if rng.random_ratio(1, 3) {
            for task_number in 0..rng.random_range(1..=2u32) {
                let task_cpu = 256 * rng.random_range(1..=2i64);
                let task_memory = 512 * rng.random_range(1..=3i64);
                if remaining.cpu < task_cpu || remaining.memory < task_memory {
                    break;
                }
                remaining.cpu -= task_cpu;
                remaining.memory -= task_memory;
                tasks.push(TaskOnInstance {
                    id: format!("t-{number:012}-{task_number}"),
                    group: format!("service:existing-{}", rng.random_range(0..5u32)),
                    started_by: Some("ecs-svc/0000000000000000000".to_owned()),
                });
            }
        }
        list.push(Instance {
            arn: format!("arn:aws:ecs:us-east-1:000000000000:container-instance/synthetic/{id}"),
            ec2_instance_id: format!("i-{:017x}", rng.next_u64() >> 4),
            id,
            status,
            agent_connected,
            agent_version: format!(
                "1.{}.{}",
                rng.random_range(60..90u32),
                rng.random_range(0..5u32)
            ),
            registered_at: 1_700_000_000.0 + number as f64 * 7.0,
            attributes,
            registered,
            remaining,
            tasks,
        });
    }
    Snapshot { instances: list }
}

fn zone_letter(zone: usize) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    if zone < letters.len() { (letters[zone] as char).to_string() } else { format!("z{zone}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_cluster_is_deterministic_and_sorted() {
        let one = synthetic_cluster(500, 3, 9);
        let two = synthetic_cluster(500, 3, 9);
        assert_eq!(one, two);
        assert_ne!(one, synthetic_cluster(500, 3, 10));
        assert!(one.instances.windows(2).all(|pair| pair[0].id < pair[1].id));
        let zones: BTreeSet<_> = one
            .instances
            .iter()
            .map(|instance| instance.attributes["ecs.availability-zone"].clone())
            .collect();
        assert_eq!(zones.len(), 3);
        let types: BTreeSet<_> = one
            .instances
            .iter()
            .map(|instance| instance.attributes["ecs.instance-type"].clone())
            .collect();
        assert_eq!(types.len(), INSTANCE_TYPES.len());
        assert!(one.instances.iter().any(|i| i.status == InstanceStatus::Draining));
        assert!(one.instances.iter().any(|i| !i.agent_connected));
        assert!(one.instances.iter().all(|i| i.remaining.cpu >= 0 && i.remaining.memory >= 0));
    }
}
