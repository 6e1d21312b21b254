//! JSON as requests reach it: every body is read by `serde_json` (`from_slice` into a `Value`,
//! or straight into an agent channel shape), whose recursion limit is in force on every path:
//! its depth budget is 128, so a value may nest 127 levels and the 128th is refused with
//! "recursion limit exceeded". Nothing in Berth disables it (no `disable_recursion_limit`, no
//! `serde_stacker`); members a shape does not know, and `RawValue` (the task definitions of a
//! poll answer, read by the agent), are skipped without recursion. Then `validate_input` walks
//! a body along the operation's model, never deeper than the model.
//!
//! These tests read adversarial bodies on a small stack, and fuzz the reading and validation of
//! bodies.

use serde_json::Value;

use api::agent::{LogsRequest, PollRequest, ReportRequest};
use api::validate::validate_input;
use api::{ErrorCode, Operation};

/// Runs `work` on a thread with a 512 KiB stack, a quarter of a runtime worker thread's (a debug
/// build of serde_json reads 127 levels of objects in less than 512 KiB, not in 256 KiB).
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(work)
        .expect("a thread starts")
        .join()
        .expect("the work neither panics nor overflows its stack")
}

/// `{"cluster": ...}` nesting `depth` levels in all (the outer object counts as one), the
/// inner levels lists (`[[1]]`) or objects (`{"a": {"a": 1}}`).
fn nested_body(depth: usize, lists: bool) -> String {
    let inner = depth - 1;
    let value = if lists {
        format!("{}1{}", "[".repeat(inner), "]".repeat(inner))
    } else {
        format!("{}1{}", "{\"a\": ".repeat(inner), "}".repeat(inner))
    };
    format!("{{\"cluster\": {value}}}")
}

#[test]
fn json_values_nest_at_most_127_levels_on_every_entry_point() {
    on_small_stack(|| {
        for lists in [true, false] {
            let at_limit = nested_body(127, lists);
            let value: Value = serde_json::from_str(&at_limit).unwrap_or_else(|e| panic!("{e}"));
            // Validation walks the model, not the body: the member is the wrong type.
            for op in Operation::ALL {
                let _ = validate_input(*op, &value);
            }
            let error = validate_input(Operation::ListServices, &value).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidParameterException);
            for depth in [128, 2000, 100_000] {
                let text = nested_body(depth, lists);
                let error = serde_json::from_str::<Value>(&text).unwrap_err();
                assert!(error.to_string().starts_with("recursion limit exceeded"), "{error}");
                // The agent channel's shapes are read straight from the body.
                assert!(serde_json::from_str::<PollRequest>(&text).is_err());
                assert!(serde_json::from_str::<ReportRequest>(&text).is_err());
                assert!(serde_json::from_str::<LogsRequest>(&text).is_err());
            }
        }
        // A member a shape does not know is skipped without recursion (serde_json walks it
        // with a stack of its own, on the heap): however deep, it costs no thread stack.
        let unknown = |depth: usize| {
            format!(
                r#"{{"cluster": "c", "containerInstanceArn": "i", "generation": 1, "extra": {}1{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            )
        };
        for depth in [127, 128, 100_000] {
            let poll: PollRequest = serde_json::from_str(&unknown(depth)).unwrap();
            assert_eq!(poll.generation, 1);
        }
    });
}

/// Random bodies never panic reading or validation, and a body that validates always converts
/// to the operation's request type (the boundary the server relies on).
/// `PARSER_FUZZ_CASES` sets the number of cases (default 256).
#[test]
fn fuzz_request_bodies() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let cases = std::env::var("PARSER_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256);
    let name = prop::sample::select(vec![
        "cluster",
        "count",
        "taskDefinition",
        "placementConstraints",
        "type",
        "expression",
        "filter",
        "maxResults",
        "containerDefinitions",
        "name",
        "image",
        "memory",
        "family",
        "tags",
        "key",
        "value",
        "serviceName",
        "desiredCount",
        "overrides",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        Just(Value::from("memberOf")),
        Just(Value::from("attribute:a == b or (task:group == x)")),
    ];
    let value = leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(name.clone(), inner, 0..6).prop_map(|map| {
                Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    });
    let body = prop_oneof![
        value.prop_map(|value| value.to_string()),
        ".{0,80}",
        (2..300usize, any::<bool>()).prop_map(|(depth, lists)| nested_body(depth, lists)),
    ];
    let ops = [
        Operation::RunTask,
        Operation::CreateService,
        Operation::RegisterTaskDefinition,
        Operation::ListContainerInstances,
        Operation::CreateCluster,
    ];
    let mut runner =
        TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&body, |text| {
            let _ = serde_json::from_str::<PollRequest>(&text);
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                return Ok(());
            };
            for op in ops {
                if validate_input(op, &value).is_err() {
                    continue;
                }
                let body = value.clone();
                let converted = match op {
                    Operation::RunTask => {
                        serde_json::from_value::<api::RunTaskRequest>(body).map(drop)
                    }
                    Operation::CreateService => {
                        serde_json::from_value::<api::CreateServiceRequest>(body).map(drop)
                    }
                    Operation::RegisterTaskDefinition => {
                        serde_json::from_value::<api::RegisterTaskDefinitionRequest>(body).map(drop)
                    }
                    Operation::ListContainerInstances => {
                        serde_json::from_value::<api::ListContainerInstancesRequest>(body).map(drop)
                    }
                    _ => serde_json::from_value::<api::CreateClusterRequest>(body).map(drop),
                };
                prop_assert!(converted.is_ok(), "{:?} {}: {:?}", op, text, converted);
            }
            Ok(())
        })
        .unwrap();
}
