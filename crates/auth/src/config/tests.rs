//! Tests of config parsing: valid files, each validation error, and secrets kept out of `Debug`
//! and error output.

use std::error::Error as _;

use super::*;
use crate::{Decision, authorize};

const ACCOUNT: &str = "000000000000";

const EXAMPLE: &str = r#"
[managed-policies]
ecs-read-only = '''
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"], "Resource": "*"}]}
'''
no-prod = { Statement = [{ Effect = "Deny", Action = "ecs:*", Resource = "arn:aws:ecs:*:*:cluster/prod" }] }

[[users]]
name = "admin"
managed-policies = ["AdministratorAccess"]
[[users.keys]]
access-key-id = "AKIAADMIN00000000001"
secret-access-key = "admin-secret-do-not-print"

[[users]]
name = "alice"
managed-policies = ["ecs-read-only", "no-prod"]
policies = [
  '''{"Statement": {"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:cluster/dev-*"}}''',
  { Statement = [{ Effect = "Allow", Action = "ecs:RegisterTaskDefinition", Resource = "*" }] },
]
[[users.keys]]
access-key-id = "AKIAALICE00000000001"
secret-access-key = "alice-secret-do-not-print"
[[users.keys]]
access-key-id = "ASIAALICE00000000002"
secret-access-key = "alice-temporary-secret"
session-token = "alice-session-token-do-not-print"

[[users]]
name = "bob"
arn = "arn:aws:iam::111111111111:user/teams/bob"

[throttle]
per = "account"
[throttle.limits]
cluster-read = { burst = 5, sustained = 0.5 }
"#;

fn request(action: &str, resources: &[&str], cluster: Option<&str>) -> AuthzRequest<'static> {
    AuthzRequest {
        principal: format!("arn:aws:iam::{ACCOUNT}:user/alice"),
        action: action.to_owned(),
        resources: resources.iter().map(|r| (*r).to_owned().into()).collect(),
        cluster_arn: cluster.map(str::to_owned),
    }
}

#[test]
fn parses_the_example() {
    let config = parse(EXAMPLE, ACCOUNT).unwrap();
    assert_eq!(config.users.len(), 3);

    let alice = config.user("alice").unwrap();
    assert_eq!(alice.arn, "arn:aws:iam::000000000000:user/alice");
    assert_eq!(alice.policies.len(), 4);
    assert_eq!(alice.policies[1].arn.as_deref(), Some("arn:aws:iam::000000000000:policy/no-prod"));
    assert_eq!(alice.policies[2].arn, None);
    assert_eq!(config.user("bob").unwrap().arn, "arn:aws:iam::111111111111:user/teams/bob");
    assert!(config.user("bob").unwrap().policies.is_empty());

    let key = config.key("ASIAALICE00000000002").unwrap();
    assert_eq!(key.user, "alice");
    assert_eq!(key.principal_arn, "arn:aws:iam::000000000000:user/alice");
    assert_eq!(key.secret_access_key.expose(), "alice-temporary-secret");
    assert_eq!(key.session_token.map(Secret::expose), Some("alice-session-token-do-not-print"));
    assert!(config.key("AKIAALICE00000000001").unwrap().session_token.is_none());
    assert!(config.key("AKIAUNKNOWN").is_none());
    assert!(config.has_key("AKIAADMIN00000000001"));

    assert_eq!(config.throttle.scope, ThrottleScope::Account);
    assert!(config.throttle.enabled);
    assert_eq!(config.throttle.limit(Category::ClusterRead), Limit { burst: 5.0, sustained: 0.5 });
    assert_eq!(config.throttle.limit(Category::ClusterModify), Category::ClusterModify.ecs_limit());
}

#[test]
fn example_policies_behave() {
    let config = parse(EXAMPLE, ACCOUNT).unwrap();
    let prod = "arn:aws:ecs:us-east-1:000000000000:cluster/prod";
    let dev = "arn:aws:ecs:us-east-1:000000000000:cluster/dev-1";
    let alice = config.policies_of("alice");
    assert_eq!(authorize(alice, &request("ecs:RunTask", &[dev], Some(dev))), Decision::Allow);
    assert_eq!(authorize(alice, &request("ecs:ListClusters", &[], None)), Decision::Allow);
    assert_eq!(
        authorize(alice, &request("ecs:RegisterTaskDefinition", &[], None)),
        Decision::Allow
    );
    assert!(matches!(
        authorize(alice, &request("ecs:DescribeClusters", &[prod], None)),
        Decision::ExplicitDeny { policy_arn: Some(_), .. }
    ));
    assert!(config.authorize("admin", &request("ecs:DeleteCluster", &[prod], Some(prod))).is_ok());
    let denied = config.authorize("bob", &request("ecs:ListClusters", &[], None)).unwrap_err();
    assert_eq!(denied.code, "AccessDeniedException");
    assert!(config.authorize("nobody", &request("ecs:ListClusters", &[], None)).is_err());
}

#[test]
fn an_empty_file_has_no_users_and_default_throttling() {
    let config = parse("", ACCOUNT).unwrap();
    assert!(config.users.is_empty());
    assert_eq!(config.throttle, ThrottleConfig::ecs_defaults());
    let config = parse("[throttle]\nenabled = false\n", ACCOUNT).unwrap();
    assert!(!config.throttle.enabled);
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let config = parse(EXAMPLE, ACCOUNT).unwrap();
    let raw: RawAuthConfig = toml::from_str(EXAMPLE).unwrap();
    for shown in [format!("{config:?}"), format!("{config:#?}"), format!("{raw:?}")] {
        assert!(shown.contains("AKIAALICE00000000001"), "key ids are not secret");
        for secret in [
            "admin-secret-do-not-print",
            "alice-secret-do-not-print",
            "alice-temporary-secret",
            "alice-session-token-do-not-print",
        ] {
            assert!(!shown.contains(secret), "{secret} appears in {shown}");
        }
    }
}

/// The full error text, with its sources, as the server logs it.
fn error_chain(text: &str) -> String {
    let error = parse(text, ACCOUNT).unwrap_err();
    let mut shown = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        shown.push_str(": ");
        shown.push_str(&cause.to_string());
        source = cause.source();
    }
    shown
}

#[test]
fn toml_errors_do_not_quote_the_offending_line() {
    let text = "[[users]]\nname = \"alice\"\nkeys = [{ access-key-id = \"A1\", secret-access-key = \"hunter2-secret\", typo = 1 }]\n";
    let shown = error_chain(text);
    assert!(shown.starts_with("the auth config is not valid: unknown field `typo`"), "{shown}");
    assert!(shown.ends_with("(line 3, column 71)"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let shown = error_chain("users = 3");
    assert!(
        shown.starts_with("the auth config is not valid: invalid type: integer `3`"),
        "{shown}"
    );
    assert!(error_chain("[[users]]\nname = ").contains("line 2"));
}

#[test]
fn malformed_policies_name_the_user_and_statement() {
    let text = r#"
[[users]]
name = "alice"
policies = [
  '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}',
  { Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }, { Sid = "Bad", Effect = "Permit", Action = "*", Resource = "*" }] },
]
"#;
    assert_eq!(
        error_chain(text),
        r#"user `alice`, inline policy #2 is not valid: statement #2 (Sid "Bad"): Effect must be "Allow" or "Deny", got "Permit""#
    );
    let text = "[[users]]\nname = \"alice\"\npolicies = ['{\"Statement\": ']\n";
    assert!(
        error_chain(text)
            .starts_with("user `alice`, inline policy #1 is not valid: not valid JSON"),
        "{}",
        error_chain(text)
    );
    let text = "[[users]]\nname = \"alice\"\npolicies = [3]\n";
    assert_eq!(
        error_chain(text),
        "user `alice`, inline policy #1 is not valid: a policy must be a JSON string or a table, got a integer"
    );
    let text = "[managed-policies]\nbroken = { Statement = { Effect = \"Allow\", Action = \"ecs:RunTask\" } }\n";
    assert_eq!(
        error_chain(text),
        "managed policy `broken` is not valid: statement #1: Resource (or NotResource) is missing"
    );
}

#[test]
fn invalid_files() {
    let cases = [
        ("[[users]]\nname = \"al ice\"\n", "user name \"al ice\" is not valid"),
        ("[[users]]\nname = \"\"\n", "user name \"\" is not valid"),
        ("[[users]]\nname = \"a\"\n[[users]]\nname = \"a\"\n", "user `a` is defined twice"),
        ("[[users]]\nname = \"a\"\narn = \"user/a\"\n", "user `a`: \"user/a\" is not an ARN"),
        (
            "[[users]]\nname = \"a\"\n[[users.keys]]\naccess-key-id = \"AK/1\"\nsecret-access-key = \"s\"\n",
            "user `a`: access key id \"AK/1\" is not valid",
        ),
        (
            "[[users]]\nname = \"a\"\n[[users.keys]]\naccess-key-id = \"AK1\"\nsecret-access-key = \"\"\n",
            "user `a`, access key `AK1`: the secret access key is empty",
        ),
        (
            "[[users]]\nname = \"a\"\n[[users.keys]]\naccess-key-id = \"AK1\"\nsecret-access-key = \"s\"\n\
             [[users]]\nname = \"b\"\n[[users.keys]]\naccess-key-id = \"AK1\"\nsecret-access-key = \"t\"\n",
            "access key `AK1` is defined twice (users `a` and `b`)",
        ),
        (
            "[[users]]\nname = \"a\"\nmanaged-policies = [\"nope\"]\n",
            "user `a`: unknown managed policy `nope`",
        ),
        (
            "[managed-policies]\n\"bad name\" = '{}'\n",
            "managed policy name \"bad name\" is not valid",
        ),
        ("[throttle]\nper = \"region\"\n", "throttle: `per` must be \"access-key\" or \"account\""),
        (
            "[throttle.limits]\ncluster-reads = { burst = 1, sustained = 1 }\n",
            "throttle: unknown category `cluster-reads` (known: cluster-modify, cluster-read,",
        ),
        (
            "[throttle.limits]\ncluster-read = { burst = 0, sustained = 1 }\n",
            "throttle: category `cluster-read`: burst must be at least 1",
        ),
        (
            "[throttle.limits]\ncluster-read = { burst = 1, sustained = 0 }\n",
            "throttle: category `cluster-read`: burst must be at least 1",
        ),
        (
            "[[users]]\nname = \"a\"\npassword = \"x\"\n",
            "the auth config is not valid: unknown field `password`",
        ),
    ];
    for (text, expected) in cases {
        let shown = error_chain(text);
        assert!(shown.starts_with(expected), "{text}\n  gave {shown}\n  expected {expected}");
    }
}

/// Runs `work` on a thread with a 512 KiB stack, a quarter of a runtime worker thread's. (The
/// auth file is the operator's, read at start and on reload; the TOML parser caps nesting at 80
/// levels, which a debug build reads in less than 512 KiB but not in 256 KiB.)
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(work)
        .expect("a thread starts")
        .join()
        .expect("the work neither panics nor overflows its stack")
}

/// A user whose inline policy is given as TOML, its `Action` nested in `depth` arrays.
fn user_with_nested_policy(depth: usize) -> String {
    format!(
        "[[users]]\nname = \"deep\"\npolicies = [{{ Statement = [{{ Effect = \"Allow\", Resource = \"*\", Action = {}\"ecs:RunTask\"{} }}] }}]\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

/// TOML nesting is capped by the parser (80 levels); a policy written as a TOML table is held
/// to the policy's own depth limit; neither goes near the end of a small stack.
#[test]
fn deeply_nested_files_and_policies_are_refused() {
    on_small_stack(|| {
        let error = parse(&user_with_nested_policy(20), ACCOUNT).unwrap_err();
        let chain =
            format!("{error}: {}", error.source().map(ToString::to_string).unwrap_or_default());
        assert!(chain.contains("the policy nests deeper than 16 levels"), "{chain}");
        for depth in [100, 2000, 100_000] {
            let error = parse(&user_with_nested_policy(depth), ACCOUNT).unwrap_err();
            assert!(matches!(error, ConfigError::Toml { .. }), "{depth}: {error}");
        }
        let error = parse(&format!("x = {}1{}", "[".repeat(5000), "]".repeat(5000)), ACCOUNT);
        assert!(matches!(error, Err(ConfigError::Toml { .. })));
    });
}

/// Random files, built from the config's own pieces and from noise, never panic the parser.
/// `PARSER_FUZZ_CASES` sets the number of cases (default 256).
#[test]
fn fuzz_config_files() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let cases = std::env::var("PARSER_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256);
    let piece = prop::sample::select(vec![
        "\n",
        " = ",
        "[[users]]",
        "[[users.keys]]",
        "[managed-policies]",
        "[throttle]",
        "name",
        "\"alice\"",
        "access-key-id",
        "secret-access-key",
        "\"AKID\"",
        "\"secret\"",
        "session-token",
        "policies",
        "managed-policies",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'''",
        "\"AdministratorAccess\"",
        "Statement",
        "Effect",
        "\"Allow\"",
        "Action",
        "\"ecs:*\"",
        "Resource",
        "\"*\"",
        "enabled",
        "true",
        "1",
        "-1.5",
        "1979-05-27T07:32:00Z",
        "é",
        "#",
    ]);
    let file = prop_oneof![
        prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat()),
        ".{0,160}",
        (0..120usize).prop_map(user_with_nested_policy),
    ];
    let mut runner =
        TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&file, |text| {
            if let Ok(config) = parse(&text, ACCOUNT) {
                for user in &config.users {
                    let _ = config.policies_of(&user.name);
                }
            }
            Ok(())
        })
        .unwrap();
}
