//! A compact text format for a cluster and a placement request, and a rendering of plans, so that
//! placement tests read like the documentation.
//!
//! ```text
//! # comments start with '#'
//! instance a1 cpu=1024 mem=2048 az=us-east-1a type=m5.large
//! instance b1 cpu=512/2048 mem=256/4096 ports=22,80 udp=53 status=DRAINING agent=disconnected
//!   attr ecs.capability.task-eni          (an attribute without a value)
//!   attr team=blue
//!   task t1 service:web                   (a task of group service:web on b1)
//! request count=3 group=service:web cpu=256 mem=512 ports=80,53/udp
//!   require ecs.capability.task-eni
//!   constraint distinctInstance
//!   constraint memberOf attribute:ecs.instance-type =~ m5.*
//!   strategy spread attribute:ecs.availability-zone
//!   strategy binpack memory
//! seed 7
//! ```
//!
//! `cpu=` and `mem=` give the remaining amount, optionally `/registered` (default: equal). Other
//! instance keys: `version=` (default 1.70.0), `registered=` (a date, default 2024-01-01),
//! `ec2=` (default `i-<id>`), `az=` and `type=` (shorthands for the `ecs.availability-zone` and
//! `ecs.instance-type` attributes). Request defaults: count 1, group `family:test`, no resources, no
//! strategy; the seed defaults to 0.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::model::{
    Instance, InstanceStatus, PlacementRequest, Plan, PlanCtx, Protocol, Resources, Snapshot,
    TaskOnInstance,
};
use crate::strategy::{Constraint, SpreadField, Strategy};

/// A parsed fixture.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub snapshot: Snapshot,
    pub request: PlacementRequest,
    pub ctx: PlanCtx,
}

/// Parses the fixture format; the error names the line.
pub fn parse(text: &str) -> Result<Fixture, String> {
    let mut snapshot = Snapshot::default();
    let mut request = PlacementRequest {
        count: 1,
        group: "family:test".to_owned(),
        cpu: 0,
        memory: 0,
        host_ports: Vec::new(),
        required_attributes: Vec::new(),
        constraints: Vec::new(),
        strategy: Vec::new(),
    };
    let mut seed = 0;
    for (number, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fail = |message: String| format!("fixture line {}: {message}: {line}", number + 1);
        let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        match keyword {
            "instance" => snapshot.instances.push(instance(rest).map_err(fail)?),
            "attr" => {
                let instance = snapshot
                    .instances
                    .last_mut()
                    .ok_or_else(|| fail("attr before any instance".to_owned()))?;
                let (name, value) = name_value(rest);
                instance.attributes.insert(name, value);
            }
            "task" => {
                let instance = snapshot
                    .instances
                    .last_mut()
                    .ok_or_else(|| fail("task before any instance".to_owned()))?;
                let (id, group) = rest
                    .split_once(char::is_whitespace)
                    .ok_or_else(|| fail("expected `task ID GROUP`".to_owned()))?;
                instance.tasks.push(TaskOnInstance {
                    id: id.to_owned(),
                    group: group.trim().to_owned(),
                    started_by: None,
                });
            }
            "request" => {
                for (key, value) in pairs(rest).map_err(fail)? {
                    match key {
                        "count" => request.count = number_of(value).map_err(fail)?,
                        "group" => request.group = value.to_owned(),
                        "cpu" => request.cpu = number_of(value).map_err(fail)?,
                        "mem" => request.memory = number_of(value).map_err(fail)?,
                        "ports" => request.host_ports = ports(value).map_err(fail)?,
                        other => return Err(fail(format!("unknown request key `{other}`"))),
                    }
                }
            }
            "require" => request.required_attributes.push(name_value(rest)),
            "constraint" => {
                let (type_, expression) =
                    rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                let expression = Some(expression.trim()).filter(|e| !e.is_empty());
                request.constraints.push(Constraint::from_ecs(type_, expression).map_err(fail)?);
            }
            "strategy" => {
                let (type_, field) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                let field = Some(field.trim()).filter(|f| !f.is_empty());
                request.strategy.push(Strategy::from_ecs(type_, field).map_err(fail)?);
            }
            "seed" => seed = number_of(rest).map_err(fail)?,
            other => return Err(fail(format!("unknown keyword `{other}`"))),
        }
    }
    Ok(Fixture { snapshot, request, ctx: PlanCtx { seed } })
}

fn instance(rest: &str) -> Result<Instance, String> {
    let (id, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if id.is_empty() {
        return Err("expected an instance id".to_owned());
    }
    let mut instance = Instance {
        id: id.to_owned(),
        arn: format!("arn:aws:ecs:us-east-1:000000000000:container-instance/test/{id}"),
        ec2_instance_id: format!("i-{id}"),
        status: InstanceStatus::Active,
        agent_connected: true,
        agent_version: "1.70.0".to_owned(),
        registered_at: 1_704_067_200.0,
        attributes: BTreeMap::new(),
        registered: Resources { cpu: 1024, memory: 2048, ..Resources::default() },
        remaining: Resources { cpu: 1024, memory: 2048, ..Resources::default() },
        tasks: Vec::new(),
    };
    for (key, value) in pairs(rest)? {
        match key {
            "cpu" | "mem" => {
                let (left, total) = match value.split_once('/') {
                    Some((left, total)) => (number_of(left)?, number_of(total)?),
                    None => (number_of(value)?, number_of(value)?),
                };
                if key == "cpu" {
                    (instance.remaining.cpu, instance.registered.cpu) = (left, total);
                } else {
                    (instance.remaining.memory, instance.registered.memory) = (left, total);
                }
            }
            "ports" => instance.remaining.ports_tcp = port_set(value)?,
            "udp" => instance.remaining.ports_udp = port_set(value)?,
            "status" => {
                instance.status = match value {
                    "ACTIVE" => InstanceStatus::Active,
                    "DRAINING" => InstanceStatus::Draining,
                    other => InstanceStatus::Other(other.to_owned()),
                }
            }
            "agent" => {
                instance.agent_connected = match value {
                    "connected" => true,
                    "disconnected" => false,
                    other => {
                        return Err(format!("agent is connected or disconnected, not `{other}`"));
                    }
                }
            }
            "version" => instance.agent_version = value.to_owned(),
            "registered" => {
                instance.registered_at = crate::query::parse_time(value)
                    .ok_or_else(|| format!("invalid date `{value}`"))?
            }
            "ec2" => instance.ec2_instance_id = value.to_owned(),
            "az" => {
                instance
                    .attributes
                    .insert("ecs.availability-zone".to_owned(), Some(value.to_owned()));
            }
            "type" => {
                instance.attributes.insert("ecs.instance-type".to_owned(), Some(value.to_owned()));
            }
            other => return Err(format!("unknown instance key `{other}`")),
        }
    }
    Ok(instance)
}

fn pairs(text: &str) -> Result<Vec<(&str, &str)>, String> {
    text.split_whitespace()
        .map(|pair| {
            pair.split_once('=').ok_or_else(|| format!("expected key=value, found `{pair}`"))
        })
        .collect()
}

fn name_value(text: &str) -> (String, Option<String>) {
    match text.split_once('=') {
        Some((name, value)) => (name.trim().to_owned(), Some(value.trim().to_owned())),
        None => (text.trim().to_owned(), None),
    }
}

fn number_of<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("`{text}` is not a number"))
}

fn port_set(text: &str) -> Result<BTreeSet<u16>, String> {
    text.split(',').map(number_of).collect()
}

fn ports(text: &str) -> Result<Vec<(u16, Protocol)>, String> {
    text.split(',')
        .map(|item| match item.split_once('/') {
            Some((port, "udp")) => Ok((number_of(port)?, Protocol::Udp)),
            Some((port, "tcp")) => Ok((number_of(port)?, Protocol::Tcp)),
            Some((_, other)) => Err(format!("unknown protocol `{other}`")),
            None => Ok((number_of(item)?, Protocol::Tcp)),
        })
        .collect()
}

/// Renders a plan: one line per task, then for each `spread(attribute:NAME)` strategy the group's
/// task count per value after the plan (over ACTIVE instances).
pub fn render(fixture: &Fixture, plan: &Plan) -> String {
    let mut out = String::new();
    for placement in &plan.placements {
        let _ = writeln!(out, "task {} -> {}", placement.task_index, placement.instance_id);
    }
    for unplaced in &plan.unplaced {
        let closest = unplaced
            .instance_arn
            .as_deref()
            .map(|arn| arn.rsplit('/').next().unwrap_or(arn))
            .unwrap_or("-");
        let _ = writeln!(
            out,
            "task {} unplaced: {} (closest {closest}): {}",
            unplaced.task_index,
            unplaced.reason.as_ecs(),
            unplaced.detail
        );
    }
    for strategy in &fixture.request.strategy {
        let Strategy::Spread(SpreadField::Attribute(name)) = strategy else {
            continue;
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for instance in &fixture.snapshot.instances {
            if instance.status != InstanceStatus::Active {
                continue;
            }
            let value = match instance.attributes.get(name) {
                Some(value) => value.clone().unwrap_or_default(),
                None => "(absent)".to_owned(),
            };
            let existing =
                instance.tasks.iter().filter(|task| task.group == fixture.request.group).count();
            let placed = plan
                .placements
                .iter()
                .filter(|placement| placement.instance_id == instance.id)
                .count();
            *counts.entry(value).or_default() += existing + placed;
        }
        let summary: Vec<String> =
            counts.iter().map(|(value, count)| format!("{value}={count}")).collect();
        let _ = writeln!(out, "{} per {name}: {}", fixture.request.group, summary.join(" "));
    }
    out
}
