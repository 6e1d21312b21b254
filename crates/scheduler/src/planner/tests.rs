//! Planner unit tests: delta semantics and errors, and long bench-like runs with tiny limits so
//! that eviction, log trimming and rebuilds happen, each plan checked against the stateless plan.

use std::collections::VecDeque;

use super::*;
use crate::model::Resources;
use crate::strategy::{Constraint, Strategy};
use crate::testkit::synthetic_cluster;

fn instance(id: &str, zone: &str) -> Instance {
    Instance {
        id: id.to_owned(),
        arn: format!("arn:{id}"),
        ec2_instance_id: format!("i-{id}"),
        status: InstanceStatus::Active,
        agent_connected: true,
        agent_version: "1.70.0".to_owned(),
        registered_at: 0.0,
        attributes: [("ecs.availability-zone".to_owned(), Some(zone.to_owned()))]
            .into_iter()
            .collect(),
        registered: Resources {
            cpu: 1024,
            memory: 2048,
            ports_tcp: [22].into_iter().collect(),
            ..Resources::default()
        },
        remaining: Resources {
            cpu: 1024,
            memory: 2048,
            ports_tcp: [22].into_iter().collect(),
            ..Resources::default()
        },
        tasks: Vec::new(),
    }
}

fn task(id: &str, group: &str) -> TaskOnInstance {
    TaskOnInstance { id: id.to_owned(), group: group.to_owned(), started_by: None }
}

#[test]
fn deltas_update_the_view() {
    let mut planner = Planner::new(Snapshot {
        instances: vec![instance("b", "us-east-1b"), instance("a", "us-east-1a")],
    });
    assert_eq!(planner.len(), 2);
    let ids: Vec<String> = planner.snapshot().instances.into_iter().map(|i| i.id).collect();
    assert_eq!(ids, ["a", "b"], "instances are kept in id order");

    planner
        .apply(Delta::TaskPlaced {
            instance_id: "a".to_owned(),
            task: task("t1", "service:web"),
            cpu: 256,
            memory: 512,
            host_ports: vec![(22, Protocol::Tcp), (80, Protocol::Tcp), (53, Protocol::Udp)],
        })
        .unwrap();
    let placed = planner.snapshot();
    planner
        .apply(Delta::TaskPlaced {
            instance_id: "a".to_owned(),
            task: task("t1", "service:web"),
            cpu: 256,
            memory: 512,
            host_ports: vec![(22, Protocol::Tcp), (80, Protocol::Tcp), (53, Protocol::Udp)],
        })
        .unwrap();
    assert_eq!(planner.snapshot(), placed, "placing a task twice places it once");
    let a = planner.instance("a").unwrap();
    assert_eq!((a.remaining.cpu, a.remaining.memory), (768, 1536));
    assert_eq!(a.remaining.ports_tcp.iter().copied().collect::<Vec<_>>(), [22, 80]);
    assert_eq!(a.remaining.ports_udp.iter().copied().collect::<Vec<_>>(), [53]);
    assert_eq!(a.tasks, [task("t1", "service:web")]);

    // Releasing keeps the registered (agent) port reserved.
    planner
        .apply(Delta::TaskRemoved {
            instance_id: "a".to_owned(),
            task_id: "t1".to_owned(),
            cpu: 256,
            memory: 512,
            host_ports: vec![(22, Protocol::Tcp), (80, Protocol::Tcp), (53, Protocol::Udp)],
        })
        .unwrap();
    assert_eq!(planner.instance("a"), Some(&instance("a", "us-east-1a")));

    let before = planner.snapshot();
    assert_eq!(
        planner.apply(Delta::TaskRemoved {
            instance_id: "a".to_owned(),
            task_id: "t1".to_owned(),
            cpu: 1,
            memory: 1,
            host_ports: Vec::new(),
        }),
        Err(DeltaError::UnknownTask { instance_id: "a".to_owned(), task_id: "t1".to_owned() })
    );
    assert_eq!(
        planner.apply(Delta::RemoveInstance { instance_id: "zz".to_owned() }),
        Err(DeltaError::UnknownInstance("zz".to_owned()))
    );
    assert_eq!(planner.snapshot(), before, "a refused delta changes nothing");

    let mut draining = instance("b", "us-east-1b");
    draining.status = InstanceStatus::Draining;
    planner.apply(Delta::UpsertInstance(draining.clone())).unwrap();
    assert_eq!(planner.instance("b"), Some(&draining));
    planner.apply(Delta::RemoveInstance { instance_id: "a".to_owned() }).unwrap();
    planner.apply(Delta::UpsertInstance(instance("c", "us-east-1c"))).unwrap();
    let ids: Vec<String> = planner.snapshot().instances.into_iter().map(|i| i.id).collect();
    assert_eq!(ids, ["b", "c"]);
}

#[test]
fn an_empty_planner_reports_no_instances() {
    let mut planner = Planner::new(Snapshot::default());
    assert!(planner.is_empty());
    let request = PlacementRequest {
        count: 2,
        group: "service:web".to_owned(),
        cpu: 1,
        memory: 1,
        host_ports: Vec::new(),
        required_attributes: Vec::new(),
        constraints: Vec::new(),
        strategy: Vec::new(),
    };
    let ctx = PlanCtx { seed: 1 };
    assert_eq!(planner.plan(&request, &ctx), crate::plan(&Snapshot::default(), &request, &ctx));
}

/// A service-like workload with churn on a synthetic cluster; every plan is compared with the
/// stateless plan of the planner's snapshot.
fn churn_run(max_shapes: usize, rebuild_slack: usize, requests: u32) -> Planner {
    let mut planner = Planner::new(synthetic_cluster(120, 3, 5));
    planner.set_max_shapes(max_shapes);
    planner.rebuild_slack = rebuild_slack;
    let member_of =
        Constraint::from_ecs("memberOf", Some(r"attribute:ecs.instance-type =~ '(m5|c5|r5)\..*'"))
            .unwrap();
    let chains: [Vec<Strategy>; 3] = [
        vec![
            Strategy::from_ecs("spread", Some("attribute:ecs.availability-zone")).unwrap(),
            Strategy::from_ecs("binpack", Some("memory")).unwrap(),
        ],
        vec![
            Strategy::from_ecs("spread", Some("attribute:ecs.availability-zone")).unwrap(),
            Strategy::from_ecs("spread", Some("instanceId")).unwrap(),
        ],
        vec![Strategy::from_ecs("binpack", Some("cpu")).unwrap()],
    ];
    let mut live: VecDeque<(String, String, i64, i64)> = VecDeque::new();
    let mut next = 0u64;
    for number in 0..requests {
        let service = (crate::place::mix64(u64::from(number)) % 6) as u32;
        let request = PlacementRequest {
            count: 1 + (number * 13) % 40,
            group: format!("service:s{service}"),
            cpu: 64 << (service % 3),
            memory: 256 << (service % 2),
            host_ports: if service == 5 { vec![(8080, Protocol::Tcp)] } else { Vec::new() },
            required_attributes: Vec::new(),
            constraints: if service == 4 {
                vec![member_of.clone(), Constraint::DistinctInstance]
            } else {
                vec![member_of.clone()]
            },
            strategy: chains[service as usize % 3].clone(),
        };
        let ctx = PlanCtx { seed: u64::from(number) };
        let got = planner.plan(&request, &ctx);
        assert_eq!(got, crate::plan(&planner.snapshot(), &request, &ctx), "request {number}");
        for placement in got.placements {
            next += 1;
            let id = format!("t{next}");
            planner
                .apply(Delta::TaskPlaced {
                    instance_id: placement.instance_id.clone(),
                    task: task(&id, &request.group),
                    cpu: request.cpu,
                    memory: request.memory,
                    host_ports: request.host_ports.clone(),
                })
                .unwrap();
            live.push_back((placement.instance_id, id, request.cpu, request.memory));
        }
        // Churn: keep about 600 tasks; now and then an instance drains and comes back.
        while live.len() > 600 {
            let (instance_id, task_id, cpu, memory) = live.pop_front().unwrap();
            let host_ports = if planner
                .instance(&instance_id)
                .unwrap()
                .tasks
                .iter()
                .any(|t| t.id == task_id && t.group == "service:s5")
            {
                vec![(8080, Protocol::Tcp)]
            } else {
                Vec::new()
            };
            planner
                .apply(Delta::TaskRemoved { instance_id, task_id, cpu, memory, host_ports })
                .unwrap();
        }
        if number % 9 == 0 {
            let id = format!("ci-{:012}", (number * 31) % 120);
            let mut updated = planner.instance(&id).unwrap().clone();
            updated.status = if updated.status == InstanceStatus::Active {
                InstanceStatus::Draining
            } else {
                InstanceStatus::Active
            };
            planner.apply(Delta::UpsertInstance(updated)).unwrap();
        }
    }
    planner
}

#[test]
fn long_runs_match_the_stateless_plan() {
    let planner = churn_run(DEFAULT_MAX_SHAPES, 1024, 300);
    assert_eq!(planner.shapes.len(), 6);
}

#[test]
fn eviction_trimming_and_rebuilds_match_the_stateless_plan() {
    // Three cached shapes for six services, and indexes rebuilt once more than n changes behind.
    let planner = churn_run(3, 0, 300);
    assert!(planner.shapes.len() <= 3);
    assert!(
        planner.log.len() <= 2 * planner.rebuild_threshold(),
        "the change log is trimmed: {} entries",
        planner.log.len()
    );
}
