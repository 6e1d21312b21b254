//! Placement fixtures: a cluster and a request in the text format of [`crate::testkit::fixture`], and
//! the rendered plan. Run with `UPDATE_EXPECT=1` to rewrite the expectations after a deliberate change.

use expect_test::{Expect, expect};

use crate::plan;
use crate::testkit::fixture;

fn check(text: &str, expected: Expect) {
    let fixture = fixture::parse(text).unwrap();
    let result = plan(&fixture.snapshot, &fixture.request, &fixture.ctx);
    let rendered = fixture::render(&fixture, &result);
    // Same input, same output.
    let again = plan(&fixture.snapshot, &fixture.request, &fixture.ctx);
    assert_eq!(result, again, "plan is not deterministic");
    // The incremental planner agrees with the stateless plan on the same instances in id order
    // (its order), twice: from a fresh index and from the cached one.
    let mut planner = crate::Planner::new(fixture.snapshot.clone());
    let sorted = planner.snapshot();
    let stateless = plan(&sorted, &fixture.request, &fixture.ctx);
    assert_eq!(planner.plan(&fixture.request, &fixture.ctx), stateless, "planner differs");
    assert_eq!(planner.plan(&fixture.request, &fixture.ctx), stateless, "cached index differs");
    expected.assert_eq(&rendered);
}

#[test]
fn binpack_memory_fills_the_instance_with_the_least_memory_that_fits() {
    check(
        r#"
instance big  mem=4096
instance mid  mem=1536
instance tiny mem=256
request count=4 mem=512
strategy binpack memory
"#,
        expect![[r#"
            task 0 -> mid
            task 1 -> mid
            task 2 -> mid
            task 3 -> big
        "#]],
    );
}

#[test]
fn binpack_cpu_ignores_memory() {
    check(
        r#"
instance a cpu=2048 mem=512
instance b cpu=512  mem=8192
instance c cpu=1024 mem=8192
request count=3 cpu=512 mem=256
strategy binpack cpu
"#,
        expect![[r#"
            task 0 -> b
            task 1 -> c
            task 2 -> c
        "#]],
    );
}

#[test]
fn spread_instance_id_counts_existing_tasks_of_the_group() {
    check(
        r#"
instance a
  task old-1 service:web
  task old-2 service:web
instance b
  task other service:db
instance c
request count=4 group=service:web
strategy spread instanceId
seed 3
"#,
        expect![[r#"
            task 0 -> c
            task 1 -> b
            task 2 -> c
            task 3 -> b
        "#]],
    );
}

#[test]
fn spread_host_is_an_alias_of_instance_id() {
    check(
        r#"
instance a
instance b
request count=4
strategy spread host
"#,
        expect![[r#"
            task 0 -> a
            task 1 -> b
            task 2 -> a
            task 3 -> b
        "#]],
    );
}

#[test]
fn spread_zone_fills_the_zone_with_the_fewest_group_tasks_first() {
    // Zone a already has two tasks of the group; the draining instance's task does not count, since
    // it is about to be replaced.
    check(
        r#"
instance a1 az=us-east-1a
  task t1 service:web
instance a2 az=us-east-1a
  task t2 service:web
instance b1 az=us-east-1b
instance c1 az=us-east-1c
instance c2 az=us-east-1c status=DRAINING
  task t3 service:web
request count=5 group=service:web
strategy spread attribute:ecs.availability-zone
"#,
        expect![[r#"
            task 0 -> c1
            task 1 -> b1
            task 2 -> c1
            task 3 -> b1
            task 4 -> a1
            service:web per ecs.availability-zone: us-east-1a=3 us-east-1b=2 us-east-1c=2
        "#]],
    );
}

#[test]
fn spread_zone_then_instance_with_fewest_group_tasks() {
    check(
        r#"
instance a1 az=us-east-1a
  task t1 service:web
instance a2 az=us-east-1a
instance b1 az=us-east-1b
request count=3 group=service:web
strategy spread attribute:ecs.availability-zone
"#,
        expect![[r#"
            task 0 -> b1
            task 1 -> a2
            task 2 -> b1
            service:web per ecs.availability-zone: us-east-1a=2 us-east-1b=2
        "#]],
    );
}

#[test]
fn spread_counts_instances_without_the_attribute_as_their_own_value() {
    check(
        r#"
instance a1 az=us-east-1a
instance x1
request count=2
strategy spread attribute:ecs.availability-zone
"#,
        expect![[r#"
            task 0 -> x1
            task 1 -> a1
            family:test per ecs.availability-zone: (absent)=1 us-east-1a=1
        "#]],
    );
}

#[test]
fn spread_zone_then_binpack_memory_packs_within_each_zone() {
    check(
        r#"
instance a-big   az=us-east-1a mem=4096
instance a-small az=us-east-1a mem=1024
instance b-big   az=us-east-1b mem=4096
instance b-small az=us-east-1b mem=1024
request count=6 group=service:web mem=512
strategy spread attribute:ecs.availability-zone
strategy binpack memory
"#,
        expect![[r#"
            task 0 -> a-small
            task 1 -> b-small
            task 2 -> a-small
            task 3 -> b-small
            task 4 -> b-big
            task 5 -> a-big
            service:web per ecs.availability-zone: us-east-1a=3 us-east-1b=3
        "#]],
    );
}

#[test]
fn binpack_then_spread_zone_breaks_memory_ties_by_zone() {
    check(
        r#"
instance a1 az=us-east-1a mem=1024
  task t1 service:web
instance b1 az=us-east-1b mem=1024
instance b2 az=us-east-1b mem=2048
request count=3 group=service:web mem=512
strategy binpack memory
strategy spread attribute:ecs.availability-zone
"#,
        expect![[r#"
            task 0 -> b1
            task 1 -> b1
            task 2 -> a1
            service:web per ecs.availability-zone: us-east-1a=2 us-east-1b=2
        "#]],
    );
}

#[test]
fn random_is_seeded() {
    let cluster = r#"
instance a
instance b
instance c
instance d
request count=6
strategy random
"#;
    check(
        &format!("{cluster}seed 1\n"),
        expect![[r#"
            task 0 -> d
            task 1 -> c
            task 2 -> a
            task 3 -> c
            task 4 -> a
            task 5 -> c
        "#]],
    );
    check(
        &format!("{cluster}seed 2\n"),
        expect![[r#"
            task 0 -> d
            task 1 -> c
            task 2 -> c
            task 3 -> b
            task 4 -> b
            task 5 -> d
        "#]],
    );
}

#[test]
fn spread_zone_then_random_stays_balanced() {
    check(
        r#"
instance a1 az=us-east-1a
instance a2 az=us-east-1a
instance a3 az=us-east-1a
instance b1 az=us-east-1b
request count=4
strategy spread attribute:ecs.availability-zone
strategy random
seed 5
"#,
        expect![[r#"
            task 0 -> a2
            task 1 -> b1
            task 2 -> a2
            task 3 -> b1
            family:test per ecs.availability-zone: us-east-1a=2 us-east-1b=2
        "#]],
    );
}

#[test]
fn without_a_strategy_ties_go_to_fewest_group_tasks_then_seeded_priority() {
    check(
        r#"
instance a
  task t1 family:test
instance b
instance c
request count=3
seed 11
"#,
        expect![[r#"
            task 0 -> c
            task 1 -> b
            task 2 -> a
        "#]],
    );
}

#[test]
fn distinct_instance_counts_existing_and_planned_tasks() {
    check(
        r#"
instance a
  task t1 service:web
instance b
  task t2 service:db
instance c
request count=3 group=service:web
constraint distinctInstance
strategy binpack memory
"#,
        expect![[r#"
            task 0 -> c
            task 1 -> b
            task 2 unplaced: DistinctInstance placement constraint unsatisfied. (closest a): container instance a already runs task t1 of group service:web (distinctInstance)
        "#]],
    );
}

#[test]
fn distinct_instance_failure_names_a_task_of_this_request() {
    check(
        r#"
instance a
request count=2 group=service:web
constraint distinctInstance
"#,
        expect![[r#"
            task 0 -> a
            task 1 unplaced: DistinctInstance placement constraint unsatisfied. (closest a): container instance a already gets a task of group service:web from this request (distinctInstance)
        "#]],
    );
}

#[test]
fn member_of_restricts_candidates() {
    check(
        r#"
instance m1 type=m5.large  mem=1024
instance t1 type=t2.small  mem=512
instance m2 type=m5.xlarge mem=4096
request count=3 mem=512
constraint memberOf attribute:ecs.instance-type =~ m5.*
strategy binpack memory
"#,
        expect![[r#"
            task 0 -> m1
            task 1 -> m1
            task 2 -> m2
        "#]],
    );
}

#[test]
fn member_of_failure_names_the_expression() {
    check(
        r#"
instance t1 type=t2.small
request count=1
constraint memberOf attribute:ecs.instance-type == m5.large or attribute:team exists
"#,
        expect![[r#"
            task 0 unplaced: MemberOf placement constraint unsatisfied. (closest t1): container instance t1 does not satisfy memberOf(attribute:ecs.instance-type == m5.large or attribute:team exists)
        "#]],
    );
}

#[test]
fn member_of_running_tasks_count_sees_tasks_of_this_plan() {
    check(
        r#"
instance a cpu=4096 mem=8192
  task t1 service:db
instance b cpu=4096 mem=8192
request count=4 group=service:web
constraint memberOf runningTasksCount < 2
strategy binpack memory
"#,
        expect![[r#"
            task 0 -> b
            task 1 -> a
            task 2 -> b
            task 3 unplaced: MemberOf placement constraint unsatisfied. (closest a): container instance a does not satisfy memberOf(runningTasksCount < 2)
        "#]],
    );
}

#[test]
fn member_of_task_group_affinity_and_anti_affinity() {
    // Co-locate with the cache, and never next to the database.
    check(
        r#"
instance a
  task c1 service:cache
instance b
  task c2 service:cache
  task d1 service:database
instance c
request count=2 group=service:web mem=512
constraint memberOf task:group == service:cache and not(task:group == service:database)
"#,
        expect![[r#"
            task 0 -> a
            task 1 -> a
        "#]],
    );
}

#[test]
fn member_of_task_group_becomes_true_for_tasks_of_this_plan() {
    // `task:group == service:web` holds on no instance, so nothing can start the group.
    check(
        r#"
instance a
request count=1 group=service:web
constraint memberOf task:group == service:web
"#,
        expect![[r#"
            task 0 unplaced: MemberOf placement constraint unsatisfied. (closest a): container instance a does not satisfy memberOf(task:group == service:web)
        "#]],
    );
}

#[test]
fn required_attributes_filter_and_explain() {
    check(
        r#"
instance plain
instance eni
  attr ecs.capability.task-eni
  attr team=blue
request count=2
require ecs.capability.task-eni
require team=blue
"#,
        expect![[r#"
            task 0 -> eni
            task 1 -> eni
        "#]],
    );
    check(
        r#"
instance plain
instance red
  attr team=red
instance valueless
  attr team
request count=1
require team=blue
"#,
        expect![[r#"
            task 0 unplaced: ATTRIBUTE (closest plain): container instance plain lacks the required attribute team
        "#]],
    );
    check(
        r#"
instance red
  attr team=red
instance valueless
  attr team
request count=1
require team=blue
"#,
        expect![[r#"
            task 0 unplaced: ATTRIBUTE (closest red): container instance red has attribute team=red, the task requires team=blue
        "#]],
    );
    check(
        r#"
instance valueless
  attr team
request count=1
require team=blue
"#,
        expect![[r#"
            task 0 unplaced: ATTRIBUTE (closest valueless): container instance valueless has attribute team without a value, the task requires team=blue
        "#]],
    );
}

#[test]
fn static_host_ports_allow_one_task_per_instance() {
    check(
        r#"
instance a ports=22,2375
instance b ports=22,80
instance c udp=53
request count=3 ports=80,53/udp
"#,
        expect![[r#"
            task 0 -> a
            task 1 unplaced: RESOURCE:PORTS (closest b): container instance b is already using port 80/tcp
            task 2 unplaced: RESOURCE:PORTS (closest b): container instance b is already using port 80/tcp
        "#]],
    );
}

#[test]
fn ports_failure_lists_every_taken_port() {
    check(
        r#"
instance a ports=80,443 udp=53
request count=1 ports=80,443,53/udp,54/udp
"#,
        expect![[r#"
            task 0 unplaced: RESOURCE:PORTS (closest a): container instance a is already using ports 80/tcp, 443/tcp, 53/udp
        "#]],
    );
}

#[test]
fn cpu_shortfall() {
    check(
        r#"
instance a cpu=100/2048
instance b cpu=200/2048
request count=1 cpu=256 mem=128
"#,
        expect![[r#"
            task 0 unplaced: RESOURCE:CPU (closest b): container instance b has 200 CPU units left, the task needs 256
        "#]],
    );
}

#[test]
fn resource_shortfall_picks_the_smallest_relative_gap() {
    check(
        r#"
instance a mem=100
instance b mem=256
instance c cpu=100 mem=4096
request count=1 cpu=128 mem=512
"#,
        expect![[r#"
            task 0 unplaced: RESOURCE:CPU (closest c): container instance c has 100 CPU units left, the task needs 128
        "#]],
    );
    check(
        r#"
instance a mem=100
instance b mem=256
request count=1 cpu=128 mem=512
"#,
        expect![[r#"
            task 0 unplaced: RESOURCE:MEMORY (closest b): container instance b has 256 MiB memory left, the task needs 512
        "#]],
    );
}

#[test]
fn short_of_several_resources() {
    check(
        r#"
instance a cpu=64 mem=64 ports=80
request count=1 cpu=128 mem=512 ports=80
"#,
        expect![[r#"
            task 0 unplaced: RESOURCE:CPU (closest a): container instance a has 64 CPU units left, the task needs 128; it also has 64 MiB memory left, the task needs 512; it also is already using port 80/tcp
        "#]],
    );
}

#[test]
fn a_request_never_over_commits() {
    check(
        r#"
instance a cpu=1024 mem=1024
request count=5 cpu=256 mem=300
strategy binpack memory
"#,
        expect![[r#"
            task 0 -> a
            task 1 -> a
            task 2 -> a
            task 3 unplaced: RESOURCE:MEMORY (closest a): container instance a has 124 MiB memory left, the task needs 300
            task 4 unplaced: RESOURCE:MEMORY (closest a): container instance a has 124 MiB memory left, the task needs 300
        "#]],
    );
}

#[test]
fn constraints_rank_before_resources_for_the_closest_candidate() {
    // The t2 instance has room but is not an m5; the full m5 is the closer miss.
    check(
        r#"
instance m1 type=m5.large mem=128
instance t1 type=t2.small mem=8192
request count=1 mem=512
constraint memberOf attribute:ecs.instance-type =~ m5.*
"#,
        expect![[r#"
            task 0 unplaced: RESOURCE:MEMORY (closest m1): container instance m1 has 128 MiB memory left, the task needs 512
        "#]],
    );
}

#[test]
fn draining_and_inactive_instances_get_nothing() {
    check(
        r#"
instance a status=DRAINING
instance b status=INACTIVE
request count=1
"#,
        expect![[r#"
            task 0 unplaced: INACTIVE (closest a): no container instance in the cluster is ACTIVE; container instance a is DRAINING
        "#]],
    );
}

#[test]
fn disconnected_agents_get_nothing() {
    check(
        r#"
instance a status=DRAINING
instance b agent=disconnected
request count=1
"#,
        expect![[r#"
            task 0 unplaced: AGENT (closest b): no ACTIVE container instance in the cluster has a connected agent; the agent of container instance b is disconnected
        "#]],
    );
}

#[test]
fn an_empty_cluster() {
    check(
        "request count=2\n",
        expect![[r#"
            task 0 unplaced: No Container Instances were found in your cluster. (closest -): No Container Instances were found in your cluster.
            task 1 unplaced: No Container Instances were found in your cluster. (closest -): No Container Instances were found in your cluster.
        "#]],
    );
}

#[test]
fn zero_count_places_nothing() {
    check("instance a\nrequest count=0\n", expect![[r#""#]]);
}

#[test]
fn strategies_after_random_are_ignored() {
    check(
        r#"
instance a mem=512
instance b mem=4096
request count=3 mem=256
strategy random
strategy binpack memory
seed 4
"#,
        expect![[r#"
            task 0 -> b
            task 1 -> b
            task 2 -> a
        "#]],
    );
}

#[test]
fn two_spread_levels_balance_both() {
    check(
        r#"
instance a-m az=us-east-1a type=m5
instance a-c az=us-east-1a type=c5
instance b-m az=us-east-1b type=m5
instance b-c az=us-east-1b type=c5
request count=4
strategy spread attribute:ecs.availability-zone
strategy spread attribute:ecs.instance-type
"#,
        expect![[r#"
            task 0 -> b-m
            task 1 -> a-c
            task 2 -> a-m
            task 3 -> b-c
            family:test per ecs.availability-zone: us-east-1a=2 us-east-1b=2
            family:test per ecs.instance-type: c5=2 m5=2
        "#]],
    );
}

/// `count` fixture lines `instance <prefix>-NN mem=<mem>`.
fn instances(prefix: &str, count: usize, mem: u32) -> String {
    (0..count).map(|n| format!("instance {prefix}-{n:02} mem={mem}\n")).collect()
}

#[test]
fn random_finds_the_few_instances_with_room_and_keeps_distinct_instance() {
    // Forty full instances and two with room: most draws miss, so the plan lists the eligible
    // instances; the third task finds both taken (distinctInstance), and the closest candidate
    // is a full instance, which passes the constraint and lacks only memory.
    let mut text = instances("full", 40, 128);
    text.push_str("instance roomy-a mem=4096\ninstance roomy-b mem=4096\n");
    text.push_str("request count=3 mem=512 group=service:web\n");
    text.push_str("constraint distinctInstance\nstrategy random\nseed 9\n");
    check(
        &text,
        expect![[r#"
            task 0 -> roomy-a
            task 1 -> roomy-b
            task 2 unplaced: RESOURCE:MEMORY (closest full-00): container instance full-00 has 128 MiB memory left, the task needs 512
        "#]],
    );
}

#[test]
fn random_fills_an_instance_until_it_is_full() {
    check(
        r#"
instance a mem=1024
instance b mem=256
request count=4 mem=512
strategy random
seed 3
"#,
        expect![[r#"
            task 0 -> a
            task 1 -> a
            task 2 unplaced: RESOURCE:MEMORY (closest b): container instance b has 256 MiB memory left, the task needs 512
            task 3 unplaced: RESOURCE:MEMORY (closest b): container instance b has 256 MiB memory left, the task needs 512
        "#]],
    );
}

#[test]
fn random_is_uniform_among_the_instances_that_fit() {
    // Over many seeds, each of the three roomy instances gets about a third of the tasks and the
    // sixty full ones none. A draw misses 60 times in 63, so about half the plans find their
    // tasks by drawing and half by listing.
    let mut text = instances("roomy", 3, 65536) + &instances("full", 60, 0);
    text.push_str("request count=4 mem=64\nstrategy random\n");
    let fixture = crate::testkit::fixture::parse(&text).unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for seed in 0..3000 {
        let ctx = crate::PlanCtx { seed };
        let result = plan(&fixture.snapshot, &fixture.request, &ctx);
        assert!(result.unplaced.is_empty());
        for placement in result.placements {
            *counts.entry(placement.instance_id).or_insert(0u32) += 1;
        }
    }
    assert_eq!(counts.len(), 3, "{counts:?}");
    for (instance, count) in &counts {
        // 12,000 tasks: 4,000 expected each; a fair draw stays within ±250 (over 4 sd).
        assert!((3750..=4250).contains(count), "{instance} got {count} of 12000: {counts:?}");
    }
}
