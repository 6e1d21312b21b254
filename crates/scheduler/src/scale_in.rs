//! Scale-in: which of a service's tasks to stop, so that what stays keeps the strategy's shape.

use std::collections::BTreeMap;

use rand::rngs::SmallRng;
use rand::{Rng, RngCore, SeedableRng};

use crate::model::{Instance, PlanCtx, Snapshot, TaskRef};
use crate::strategy::{BinpackField, SpreadField, Strategy};

/// Chooses `count` of `candidates` to stop, in stopping order (fewer when there are fewer candidates).
///
/// Each step prefers, lexicographically:
/// 1. a task whose instance is not in the snapshot (it is orphaned anyway);
/// 2. the strategies in order, mirrored from placement: `spread(attribute:NAME)` the value with the
///    most remaining candidates, `spread(instanceId)` the instance with the most remaining candidates,
///    `binpack(cpu|memory)` the instance with the most of that resource remaining (it will have the
///    most left afterwards; task sizes are not known here, so the instance's current remaining
///    amount ranks it), `random` a uniformly random task among the instances still tied;
/// 3. without `random`: the instance with the most remaining candidates (ECS's "the instance with the
///    most such tasks"), then a per-instance random priority drawn once from the seed.
///
/// Within the chosen instance the task is drawn at random. Counts are taken over the candidates
/// themselves, so pass all of the group's tasks that may be stopped. Cost: `O(count × h)` for `h`
/// instances holding candidates.
pub fn select_for_scale_in(
    snapshot: &Snapshot,
    candidates: &[TaskRef],
    count: usize,
    strategy: &[Strategy],
    ctx: &PlanCtx,
) -> Vec<String> {
    let mut rng = SmallRng::seed_from_u64(ctx.seed);
    let instances: BTreeMap<&str, &Instance> =
        snapshot.instances.iter().map(|instance| (instance.id.as_str(), instance)).collect();

    // Strategies up to the first `random`, at most five, as in placement.
    let mut slots: Vec<&Strategy> = Vec::new();
    let mut random = false;
    for item in strategy.iter().take(crate::place::MAX_STRATEGIES) {
        if *item == Strategy::Random {
            random = true;
            break;
        }
        slots.push(item);
    }

    struct Host<'a> {
        instance: Option<&'a Instance>,
        tasks: Vec<&'a str>,
        priority: i64,
    }
    let mut by_instance: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for task in candidates {
        by_instance.entry(task.instance_id.as_str()).or_default().push(task.id.as_str());
    }
    let mut hosts: Vec<Host<'_>> = by_instance
        .into_iter()
        .map(|(id, tasks)| Host { instance: instances.get(id).copied(), tasks, priority: 0 })
        .collect();
    if !random {
        for host in &mut hosts {
            host.priority = rng.next_u64() as i64;
        }
    }

    let attribute_of = |host: &Host<'_>, name: &str| -> Option<String> {
        host.instance
            .and_then(|instance| instance.attributes.get(name))
            .map(|value| value.clone().unwrap_or_default())
    };
    // Remaining candidates per spread attribute and value.
    let mut value_counts: BTreeMap<(&str, Option<String>), i64> = BTreeMap::new();
    for strategy in &slots {
        if let Strategy::Spread(SpreadField::Attribute(name)) = strategy {
            for host in &hosts {
                *value_counts.entry((name.as_str(), attribute_of(host, name))).or_default() +=
                    host.tasks.len() as i64;
            }
        }
    }

    let key_of = |host: &Host<'_>, value_counts: &BTreeMap<(&str, Option<String>), i64>| {
        // Smaller is preferred, so "most" is negated.
        let mut key = [0i64; 9];
        key[0] = i64::from(host.instance.is_some());
        for (slot, value) in slots.iter().zip(key[1..].iter_mut()) {
            *value = match slot {
                Strategy::Spread(SpreadField::Attribute(name)) => -value_counts
                    .get(&(name.as_str(), attribute_of(host, name)))
                    .copied()
                    .unwrap_or(0),
                Strategy::Spread(SpreadField::InstanceId) => -(host.tasks.len() as i64),
                Strategy::Binpack(field) => {
                    -host.instance.map_or(i64::MIN + 1, |instance| match field {
                        BinpackField::Cpu => instance.remaining.cpu,
                        BinpackField::Memory => instance.remaining.memory,
                    })
                }
                Strategy::Random => 0,
            };
        }
        if !random {
            key[1 + slots.len()] = -(host.tasks.len() as i64);
            key[2 + slots.len()] = host.priority;
        }
        key
    };

    let mut stopped = Vec::with_capacity(count.min(candidates.len()));
    while stopped.len() < count {
        let mut best: Option<[i64; 9]> = None;
        let mut tied: Vec<usize> = Vec::new();
        for (number, host) in hosts.iter().enumerate() {
            if host.tasks.is_empty() {
                continue;
            }
            let key = key_of(host, &value_counts);
            match best {
                Some(best_key) if key > best_key => {}
                Some(best_key) if key == best_key => tied.push(number),
                _ => {
                    best = Some(key);
                    tied.clear();
                    tied.push(number);
                }
            }
        }
        if tied.is_empty() {
            break;
        }
        // Uniform over the tied tasks (with unique keys there is one host).
        let total: usize = tied.iter().map(|&number| hosts[number].tasks.len()).sum();
        let mut draw = rng.random_range(0..total);
        let mut chosen = tied[0];
        for &number in &tied {
            let size = hosts[number].tasks.len();
            if draw < size {
                chosen = number;
                break;
            }
            draw -= size;
        }
        let host = &mut hosts[chosen];
        let task = host.tasks.swap_remove(draw.min(host.tasks.len() - 1));
        stopped.push(task.to_owned());
        for strategy in &slots {
            if let Strategy::Spread(SpreadField::Attribute(name)) = strategy {
                let value = attribute_of(&hosts[chosen], name);
                if let Some(count) = value_counts.get_mut(&(name.as_str(), value)) {
                    *count -= 1;
                }
            }
        }
    }
    stopped
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::testkit::fixture;

    /// Stops `count` tasks of the fixture's request group and renders them with their instances.
    fn check(text: &str, count: usize, expected: Expect) {
        let fixture = fixture::parse(text).unwrap();
        let candidates: Vec<TaskRef> =
            fixture
                .snapshot
                .instances
                .iter()
                .flat_map(|instance| {
                    instance.tasks.iter().filter(|task| task.group == fixture.request.group).map(
                        |task| TaskRef { id: task.id.clone(), instance_id: instance.id.clone() },
                    )
                })
                .chain([TaskRef { id: "orphan".to_owned(), instance_id: "gone".to_owned() }])
                .collect();
        let stopped = select_for_scale_in(
            &fixture.snapshot,
            &candidates,
            count,
            &fixture.request.strategy,
            &fixture.ctx,
        );
        let again = select_for_scale_in(
            &fixture.snapshot,
            &candidates,
            count,
            &fixture.request.strategy,
            &fixture.ctx,
        );
        assert_eq!(stopped, again, "scale-in is not deterministic");
        expected.assert_eq(&stopped.join(" "));
    }

    const ZONES: &str = r#"
instance a1 az=us-east-1a mem=100
  task a1-1 service:web
  task a1-2 service:web
  task a1-3 service:web
instance a2 az=us-east-1a mem=3000
  task a2-1 service:web
instance b1 az=us-east-1b mem=500
  task b1-1 service:web
  task b1-2 service:web
instance c1 az=us-east-1c mem=9000
  task c1-1 service:web
  task db service:db
request group=service:web
"#;

    #[test]
    fn spread_stops_from_the_fullest_zone_and_instance_first() {
        check(
            &format!("{ZONES}strategy spread attribute:ecs.availability-zone\n"),
            6,
            expect!["orphan a1-3 a1-2 b1-1 a1-1 c1-1"],
        );
    }

    #[test]
    fn spread_instance_id_evens_out_instances() {
        check(&format!("{ZONES}strategy spread instanceId\n"), 4, expect!["orphan a1-3 a1-2 b1-1"]);
    }

    #[test]
    fn binpack_empties_the_instance_with_the_most_left() {
        check(&format!("{ZONES}strategy binpack memory\n"), 4, expect!["orphan c1-1 a2-1 b1-1"]);
    }

    #[test]
    fn random_is_seeded() {
        check(&format!("{ZONES}strategy random\nseed 1\n"), 3, expect!["orphan b1-2 a1-1"]);
        check(&format!("{ZONES}strategy random\nseed 2\n"), 3, expect!["orphan a2-1 b1-1"]);
    }

    #[test]
    fn count_beyond_the_candidates_stops_them_all() {
        check(
            &format!("{ZONES}strategy spread attribute:ecs.availability-zone\n"),
            100,
            expect!["orphan a1-3 a1-2 b1-1 a1-1 c1-1 b1-2 a2-1"],
        );
    }
}
