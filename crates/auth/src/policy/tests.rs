//! Table tests of policy evaluation and of the errors for malformed policies.

use super::*;

const ALICE: &str = "arn:aws:iam::000000000000:user/alice";
const PROD: &str = "arn:aws:ecs:us-east-1:000000000000:cluster/prod";
const DEV_A: &str = "arn:aws:ecs:us-east-1:000000000000:cluster/dev-a";

fn policy(json: &str) -> Policy {
    Policy::from_json(json, None).unwrap_or_else(|error| panic!("{error}: {json}"))
}

fn request(action: &str, resources: &[&str], cluster: Option<&str>) -> AuthzRequest<'static> {
    AuthzRequest {
        principal: ALICE.to_owned(),
        action: action.to_owned(),
        resources: resources.iter().map(|r| (*r).to_owned().into()).collect(),
        cluster_arn: cluster.map(str::to_owned),
    }
}

/// `Allow`, `Implicit` or `Explicit` for each (action, resources, cluster) under `policies`.
fn check(policies: &[Policy], cases: &[(&str, &[&str], Option<&str>, &str)]) {
    for (action, resources, cluster, expected) in cases {
        let decision = authorize(policies, &request(action, resources, *cluster));
        let got = match decision {
            Decision::Allow => "Allow",
            Decision::ImplicitDeny { .. } => "Implicit",
            Decision::ExplicitDeny { .. } => "Explicit",
        };
        assert_eq!(got, *expected, "{action} on {resources:?} in {cluster:?}");
    }
}

#[test]
fn describe_wildcard_allows_describes_only() {
    let policies = [policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"}]}"#,
    )];
    check(
        &policies,
        &[
            ("ecs:DescribeTasks", &[], Some(PROD), "Allow"),
            ("ecs:DescribeClusters", &[PROD], None, "Allow"),
            ("ecs:RunTask", &[], Some(PROD), "Implicit"),
            ("ecs:ListTasks", &[], None, "Implicit"),
            ("ecs2:DescribeTasks", &[], None, "Implicit"),
        ],
    );
}

#[test]
fn cluster_limited_user() {
    let policies = [policy(
        r#"{"Statement": {"Effect": "Allow", "Action": ["ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks"],
            "Resource": "arn:aws:ecs:us-east-1:000000000000:cluster/dev-*"}}"#,
    )];
    let task_in_dev =
        "arn:aws:ecs:us-east-1:000000000000:task/dev-a/0123456789abcdef0123456789abcdef";
    let task_in_prod =
        "arn:aws:ecs:us-east-1:000000000000:task/prod/0123456789abcdef0123456789abcdef";
    let task_definition = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3";
    check(
        &policies,
        &[
            ("ecs:RunTask", &[DEV_A], Some(DEV_A), "Allow"),
            ("ecs:RunTask", &[PROD], Some(PROD), "Implicit"),
            // The task definition is not a dev cluster, but the call acts in one.
            ("ecs:RunTask", &[task_definition], Some(DEV_A), "Allow"),
            ("ecs:RunTask", &[task_definition], Some(PROD), "Implicit"),
            ("ecs:RunTask", &[task_definition], None, "Implicit"),
            // Tasks are authorized through their cluster.
            ("ecs:StopTask", &[task_in_dev], Some(DEV_A), "Allow"),
            ("ecs:StopTask", &[task_in_prod], Some(PROD), "Implicit"),
            // Without the cluster, the task's own ARN is not a dev cluster.
            ("ecs:DescribeTasks", &[task_in_dev], None, "Implicit"),
            ("ecs:DeleteCluster", &[DEV_A], Some(DEV_A), "Implicit"),
        ],
    );
}

#[test]
fn explicit_deny_wins_and_default_is_deny() {
    let policies = [
        policy(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}]}"#),
        policy(
            r#"{"Statement": [{"Sid": "NoProd", "Effect": "Deny", "Action": ["ecs:RunTask", "ecs:Delete*"],
                "Resource": "arn:aws:ecs:us-east-1:000000000000:cluster/prod"}]}"#,
        ),
    ];
    let service_in_prod = "arn:aws:ecs:us-east-1:000000000000:service/prod/web";
    check(
        &policies,
        &[
            ("ecs:RunTask", &[DEV_A], Some(DEV_A), "Allow"),
            ("ecs:RunTask", &[PROD], Some(PROD), "Explicit"),
            ("ecs:DeleteService", &[service_in_prod], Some(PROD), "Explicit"),
            ("ecs:UpdateService", &[service_in_prod], Some(PROD), "Allow"),
            ("ecs:ListClusters", &[], None, "Allow"),
            ("s3:GetObject", &[], None, "Implicit"),
        ],
    );
    check(&[], &[("ecs:ListClusters", &[], None, "Implicit")]);
    // Order does not matter: the deny wins wherever it is.
    let reversed = [policies[1].clone(), policies[0].clone()];
    check(&reversed, &[("ecs:RunTask", &[PROD], Some(PROD), "Explicit")]);
}

#[test]
fn single_character_wildcard_and_case() {
    let policies = [policy(
        r#"{"Statement": [
            {"Effect": "Allow", "Action": "ECS:list????s", "Resource": "*"},
            {"Effect": "Allow", "Action": "ecs:describeclusters", "Resource": "arn:aws:ecs:us-east-1:000000000000:cluster/dev-?"}
        ]}"#,
    )];
    check(
        &policies,
        &[
            ("ecs:ListTasks", &[], None, "Allow"),
            ("ecs:ListClusters", &[], None, "Implicit"),
            ("ecs:DescribeClusters", &[DEV_A], None, "Allow"),
            (
                "ecs:DescribeClusters",
                &["arn:aws:ecs:us-east-1:000000000000:cluster/dev-ab"],
                None,
                "Implicit",
            ),
            // Resources keep their case.
            (
                "ecs:DescribeClusters",
                &["arn:aws:ecs:us-east-1:000000000000:cluster/DEV-A"],
                None,
                "Implicit",
            ),
        ],
    );
}

#[test]
fn calls_without_a_resource_need_a_star() {
    let scoped = [policy(
        r#"{"Statement": {"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:cluster/*"}}"#,
    )];
    check(
        &scoped,
        &[
            ("ecs:ListClusters", &[], None, "Implicit"),
            ("ecs:RegisterTaskDefinition", &[], None, "Implicit"),
            ("ecs:DescribeClusters", &[PROD], None, "Allow"),
            // A list call inside a cluster is covered through the cluster.
            ("ecs:ListServices", &[], Some(PROD), "Allow"),
        ],
    );
    let star =
        [policy(r#"{"Statement": {"Effect": "Allow", "Action": "ecs:List*", "Resource": "*"}}"#)];
    check(&star, &[("ecs:ListClusters", &[], None, "Allow")]);
}

#[test]
fn ecs_cluster_condition() {
    let policies = [policy(
        r#"{"Statement": [
            {"Effect": "Allow", "Action": ["ecs:RunTask", "ecs:ListTasks"], "Resource": "*",
             "Condition": {"ArnLike": {"ecs:cluster": "arn:aws:ecs:*:000000000000:cluster/dev-*"}}},
            {"Effect": "Allow", "Action": "ecs:DescribeTasks", "Resource": "*",
             "Condition": {"StringEquals": {"ecs:cluster": ["arn:aws:ecs:us-east-1:000000000000:cluster/prod"]}}},
            {"Effect": "Deny", "Action": "ecs:StopTask", "Resource": "*",
             "Condition": {"StringNotLike": {"ECS:Cluster": "*:cluster/dev-*"}}},
            {"Effect": "Allow", "Action": "ecs:StopTask", "Resource": "*"}
        ]}"#,
    )];
    let task_definition = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3";
    check(
        &policies,
        &[
            ("ecs:RunTask", &[task_definition], Some(DEV_A), "Allow"),
            ("ecs:RunTask", &[task_definition], Some(PROD), "Implicit"),
            // A positive operator on an absent key does not hold.
            ("ecs:RunTask", &[task_definition], None, "Implicit"),
            ("ecs:ListTasks", &[], Some(DEV_A), "Allow"),
            ("ecs:DescribeTasks", &[], Some(PROD), "Allow"),
            ("ecs:DescribeTasks", &[], Some(DEV_A), "Implicit"),
            ("ecs:StopTask", &[], Some(DEV_A), "Allow"),
            ("ecs:StopTask", &[], Some(PROD), "Explicit"),
            // A negated operator on an absent key holds, so the deny applies.
            ("ecs:StopTask", &[], None, "Explicit"),
        ],
    );
}

#[test]
fn if_exists_null_and_ignore_case() {
    let policies = [policy(
        r#"{"Statement": [
            {"Effect": "Allow", "Action": "ecs:ListTasks", "Resource": "*",
             "Condition": {"StringLikeIfExists": {"ecs:cluster": "*/dev-*"}}},
            {"Effect": "Allow", "Action": "ecs:ListServices", "Resource": "*",
             "Condition": {"Null": {"ecs:cluster": "false"}}},
            {"Effect": "Allow", "Action": "ecs:ListContainerInstances", "Resource": "*",
             "Condition": {"StringEqualsIgnoreCase": {"ecs:cluster": "ARN:AWS:ECS:US-EAST-1:000000000000:CLUSTER/PROD"}}}
        ]}"#,
    )];
    check(
        &policies,
        &[
            ("ecs:ListTasks", &[], None, "Allow"),
            ("ecs:ListTasks", &[], Some(DEV_A), "Allow"),
            ("ecs:ListTasks", &[], Some(PROD), "Implicit"),
            ("ecs:ListServices", &[], Some(PROD), "Allow"),
            ("ecs:ListServices", &[], None, "Implicit"),
            ("ecs:ListContainerInstances", &[], Some(PROD), "Allow"),
            ("ecs:ListContainerInstances", &[], Some(DEV_A), "Implicit"),
        ],
    );
}

#[test]
fn not_action_and_not_resource() {
    let policies = [policy(
        r#"{"Statement": [
            {"Effect": "Allow", "NotAction": ["ecs:Delete*", "ecs:Deregister*"], "Resource": "*"},
            {"Effect": "Deny", "Action": "ecs:UpdateService", "NotResource": "arn:aws:ecs:*:*:cluster/dev-*"}
        ]}"#,
    )];
    let service_in_dev = "arn:aws:ecs:us-east-1:000000000000:service/dev-a/web";
    let service_in_prod = "arn:aws:ecs:us-east-1:000000000000:service/prod/web";
    check(
        &policies,
        &[
            ("ecs:RunTask", &[PROD], Some(PROD), "Allow"),
            ("ecs:DeleteCluster", &[DEV_A], Some(DEV_A), "Implicit"),
            ("ecs:DeregisterTaskDefinition", &[], None, "Implicit"),
            // NotResource covers what neither the resource nor its cluster matches.
            ("ecs:UpdateService", &[service_in_dev], Some(DEV_A), "Allow"),
            ("ecs:UpdateService", &[service_in_prod], Some(PROD), "Explicit"),
            ("ecs:UpdateService", &[service_in_dev], None, "Explicit"),
        ],
    );
}

#[test]
fn denial_messages_use_iam_wording() {
    let allow_dev = policy(
        r#"{"Statement": {"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:us-east-1:000000000000:cluster/dev-*"}}"#,
    );
    let request = request("ecs:RunTask", &[PROD], Some(PROD));
    let decision = authorize(std::slice::from_ref(&allow_dev), &request);
    assert_eq!(decision, Decision::ImplicitDeny { resource: PROD.to_owned() });
    let error = decision.into_result(&request).unwrap_err();
    assert_eq!(error.code, "AccessDeniedException");
    assert_eq!(error.status, 400);
    assert_eq!(
        error.message,
        "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: ecs:RunTask on \
         resource: arn:aws:ecs:us-east-1:000000000000:cluster/prod because no identity-based \
         policy allows the ecs:RunTask action"
    );

    let deny_prod = Policy::from_json(
        r#"{"Statement": {"Effect": "Deny", "Action": "ecs:RunTask", "Resource": "*"}}"#,
        Some("arn:aws:iam::000000000000:policy/no-run".to_owned()),
    )
    .unwrap();
    let decision = authorize(&[allow_dev.clone(), deny_prod.clone()], &request);
    assert_eq!(
        decision.access_denied_message(&request).unwrap(),
        "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: ecs:RunTask on \
         resource: arn:aws:ecs:us-east-1:000000000000:cluster/prod with an explicit deny in an \
         identity-based policy: arn:aws:iam::000000000000:policy/no-run"
    );
    let inline_deny = Policy { arn: None, ..deny_prod };
    let decision = authorize(&[allow_dev, inline_deny], &request);
    assert!(
        decision
            .access_denied_message(&request)
            .unwrap()
            .ends_with("cluster/prod with an explicit deny in an identity-based policy")
    );

    let list = self::request("ecs:ListClusters", &[], None);
    assert_eq!(
        authorize(&[], &list).access_denied_message(&list).unwrap(),
        "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: ecs:ListClusters \
         on resource: * because no identity-based policy allows the ecs:ListClusters action"
    );
    assert_eq!(Decision::Allow.access_denied_message(&list), None);
    assert_eq!(Decision::Allow.into_result(&list), Ok(()));
}

#[test]
fn explicit_deny_is_reported_before_an_earlier_implicit_one() {
    let policies = [
        policy(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:ecs:*:*:task/dev-a/*"}}"#,
        ),
        policy(
            r#"{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:ecs:*:*:task/prod/*"}}"#,
        ),
    ];
    let other = "arn:aws:ecs:us-east-1:000000000000:task/qa/1";
    let prod = "arn:aws:ecs:us-east-1:000000000000:task/prod/1";
    let decision = authorize(&policies, &request("ecs:DescribeTasks", &[other, prod], None));
    assert_eq!(decision, Decision::ExplicitDeny { resource: prod.to_owned(), policy_arn: None });
    let decision = authorize(&policies, &request("ecs:DescribeTasks", &[other], None));
    assert_eq!(decision, Decision::ImplicitDeny { resource: other.to_owned() });
}

#[test]
fn allow_all_allows_everything() {
    let policies = [Policy::allow_all(None)];
    check(
        &policies,
        &[("ecs:ListClusters", &[], None, "Allow"), ("ecs:RunTask", &[PROD], Some(PROD), "Allow")],
    );
}

#[test]
fn malformed_policies_are_named() {
    let error = |json: &str| Policy::from_json(json, None).unwrap_err().to_string();
    assert!(error("{").starts_with("not valid JSON"), "{}", error("{"));
    assert_eq!(error("[]"), "a policy must be a JSON object");
    assert_eq!(error(r#"{"Version": "2012-10-17"}"#), "the policy has no Statement");
    assert_eq!(
        error(r#"{"Version": "2020-01-01", "Statement": []}"#),
        r#"Version must be "2012-10-17" or "2008-10-17", got "2020-01-01""#
    );
    assert_eq!(
        error(r#"{"Statements": []}"#),
        "unknown policy element `Statements` (expected Version, Id, Statement)"
    );
    let statement = |body: &str| {
        error(&format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}, {body}]}}"#
        ))
    };
    assert_eq!(
        statement(r#"{"Sid": "Two", "Effect": "allow", "Action": "*", "Resource": "*"}"#),
        r#"statement #2 (Sid "Two"): Effect must be "Allow" or "Deny", got "allow""#
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Resource": "*"}"#),
        "statement #2: Action (or NotAction) is missing"
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Action": "*", "NotAction": "*", "Resource": "*"}"#),
        "statement #2: a statement has either Action or NotAction, not both"
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Action": "RunTask", "Resource": "*"}"#),
        r#"statement #2: Action "RunTask" must be "*" or "service:action", e.g. "ecs:RunTask" or "ecs:Describe*""#
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Action": [], "Resource": "*"}"#),
        "statement #2: Action must be a string or a non-empty list of strings, got []"
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Action": "*", "Resource": "cluster/prod"}"#),
        r#"statement #2: Resource "cluster/prod" must be "*" or an ARN ("arn:...")"#
    );
    assert_eq!(
        statement(
            r#"{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:ecs:*:*:cluster/${aws:username}"}"#
        ),
        r#"statement #2: Resource "arn:aws:ecs:*:*:cluster/${aws:username}" uses a policy variable; policy variables are not supported"#
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Action": "*"}"#),
        "statement #2: Resource (or NotResource) is missing"
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"#),
        "statement #2: Principal is not allowed in an identity-based policy (the policy applies to the users it is attached to)"
    );
    assert_eq!(
        statement(
            r#"{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}"#
        ),
        "statement #2: unsupported condition operator `IpAddress` (supported: StringEquals, StringNotEquals, \
         StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike, ArnEquals, ArnLike, \
         ArnNotEquals, ArnNotLike, each optionally ...IfExists, and Null)"
    );
    assert_eq!(
        statement(
            r#"{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "alice"}}}"#
        ),
        "statement #2: unsupported condition key `aws:username` (Berth supports `ecs:cluster`)"
    );
    assert_eq!(
        statement(
            r#"{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Null": {"ecs:cluster": "yes"}}}"#
        ),
        r#"statement #2: Null takes true or false, got "yes""#
    );
    assert_eq!(
        statement(r#"{"Effect": "Allow", "Action": "*", "Resource": "*", "Extra": 1}"#),
        "statement #2: unknown statement element `Extra`"
    );
    assert_eq!(
        error(r#"{"Statement": "x"}"#),
        r#"Statement must be an object or a list of objects, got "x""#
    );
}

/// Runs `work` on a thread with a 256 KiB stack, an eighth of a runtime worker thread's.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(work)
        .expect("a thread starts")
        .join()
        .expect("the work neither panics nor overflows its stack")
}

/// A document whose one statement's `Action` is `depth - 3` lists deep (the document, the
/// statement list and the statement are the first three levels).
fn nested_action(depth: usize) -> String {
    let inner = depth - 3;
    format!(
        r#"{{"Statement": [{{"Effect": "Allow", "Resource": "*", "Action": {}"ecs:RunTask"{}}}]}}"#,
        "[".repeat(inner),
        "]".repeat(inner)
    )
}

#[test]
fn documents_nesting_deeper_than_the_maximum_are_refused() {
    on_small_stack(|| {
        // At the limit the document is read, and refused for what it says.
        let error = Policy::from_json(&nested_action(MAX_DOCUMENT_DEPTH), None).unwrap_err();
        assert!(error.to_string().contains("Action must hold strings"), "{error}");
        for depth in [MAX_DOCUMENT_DEPTH + 1, 100, 127] {
            let error = Policy::from_json(&nested_action(depth), None).unwrap_err();
            assert_eq!(error.to_string(), "the policy nests deeper than 16 levels", "{depth}");
        }
        // Deeper than JSON's own limit of 128, and the report's 2,000 levels: the JSON parser
        // stops first.
        for depth in [200, 2000, 100_000] {
            let error = Policy::from_json(&nested_action(depth), None).unwrap_err();
            assert!(error.to_string().contains("recursion limit exceeded"), "{depth}: {error}");
        }
        // A deep value built otherwise (as from a TOML table) is measured without recursion.
        let mut deep = serde_json::json!("ecs:RunTask");
        for _ in 0..10_000 {
            deep = serde_json::Value::Array(vec![deep]);
        }
        let mut statement = serde_json::json!({"Effect": "Allow", "Resource": "*"});
        statement["Action"] = deep;
        let mut document = serde_json::json!({});
        document["Statement"] = statement;
        let error = Policy::from_value(&document, None).unwrap_err();
        assert_eq!(error.to_string(), "the policy nests deeper than 16 levels");
        // Dropping the value recurses once per level: it goes on a thread with a large stack
        // (no document read from text is this deep).
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || drop(document))
            .unwrap()
            .join()
            .unwrap();
    });
}

#[test]
fn documents_longer_than_the_maximum_are_refused() {
    let with_actions = |count: usize| {
        let actions: Vec<String> = (0..count).map(|n| format!("\"ecs:Action{n:05}\"")).collect();
        format!(
            r#"{{"Statement": {{"Effect": "Allow", "Resource": "*", "Action": [{}]}}}}"#,
            actions.join(", ")
        )
    };
    let length = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count();
    // Each action adds 18 characters (quotes, name and a comma), the first one 17.
    let fits = (MAX_DOCUMENT_CHARS - length(&with_actions(0)) + 1) / 18;
    assert!(length(&with_actions(fits)) <= MAX_DOCUMENT_CHARS);
    assert!(length(&with_actions(fits + 1)) > MAX_DOCUMENT_CHARS);
    // Whitespace does not count.
    let spaced = with_actions(fits).replace(", ", ",\n        ");
    assert!(spaced.len() > MAX_DOCUMENT_CHARS);
    on_small_stack(move || {
        assert!(Policy::from_json(&with_actions(fits), None).is_ok());
        assert!(Policy::from_json(&spaced, None).is_ok());
        let error = Policy::from_json(&with_actions(fits + 1), None).unwrap_err();
        assert!(
            error.to_string().ends_with("characters long (whitespace aside); the maximum is 6144"),
            "{error}"
        );
        let error = Policy::from_json(&with_actions(50_000), None).unwrap_err();
        assert!(error.to_string().contains("the maximum is 6144"), "{error}");
    });
}

/// Random documents, built from the language's own pieces and from noise, never panic the
/// parser, and a policy that parses evaluates any request. `PARSER_FUZZ_CASES` sets the number
/// of cases (default 256).
#[test]
fn fuzz_policy_documents() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let cases = std::env::var("PARSER_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256);
    let piece = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"Version\"",
        "\"2012-10-17\"",
        "\"Statement\"",
        "\"Effect\"",
        "\"Allow\"",
        "\"Deny\"",
        "\"Action\"",
        "\"NotAction\"",
        "\"Resource\"",
        "\"NotResource\"",
        "\"Condition\"",
        "\"StringLike\"",
        "\"ArnEqualsIfExists\"",
        "\"Null\"",
        "\"ecs:cluster\"",
        "\"ecs:*\"",
        "\"ecs:Run?ask\"",
        "\"*\"",
        "\"arn:aws:ecs:*:*:cluster/p*\"",
        "\"${aws:username}\"",
        "true",
        "false",
        "null",
        "1",
        "-0.5e9",
        "\"Sid\"",
        "\"\\u0000\"",
        "\"é\"",
        " ",
    ]);
    let document = prop_oneof![
        prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat()),
        ".{0,120}",
        (4..300usize).prop_map(nested_action),
    ];
    let mut runner =
        TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&document, |text| {
            if let Ok(policy) = Policy::from_json(&text, None) {
                let policies = [policy];
                for action in ["ecs:RunTask", "ecs:ListClusters", "s3:GetObject"] {
                    let _ = authorize(&policies, &request(action, &[PROD], Some(PROD)));
                    let _ = authorize(&policies, &request(action, &[], None));
                }
            }
            Ok(())
        })
        .unwrap();
}
