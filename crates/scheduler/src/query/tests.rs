//! Cluster query language tests: every operator on every subject against a small fixture cluster,
//! the parser's grouping and precedence, and its error messages.

use expect_test::{Expect, expect};

use super::parse;
use crate::testkit::fixture;

/// Four instances that differ in every subject.
const CLUSTER: &str = r#"
instance a az=us-east-1a type=m5.large version=1.14.5 registered=2018-06-18T22:28:28Z ec2=i-abcd1234
  attr ecs.capability.task-eni
  attr slots=8
  task a1 service:web
instance b az=us-east-1b type=t2.small version=1.14.10 registered=2018-06-18 ec2=i-wxyx7890
  attr slots=16
  task b1 service:web
  task b2 service:database
instance c az=us-east-1c type=g2.2xlarge version=1.9 registered=2019-01-01T00:00:00+02:00 ec2=i-00000003 agent=disconnected
  attr slots=abc
instance d az=us-east-1d type=m5.xlarge version=2.0.0 registered=2020-02-29T12:00:00Z ec2=i-00000004
  attr team
"#;

/// The ids of the instances the expression matches, or the parse error.
fn check(expression: &str, expected: Expect) {
    let cluster = fixture::parse(CLUSTER).unwrap().snapshot;
    let actual = match parse(expression) {
        Ok(expr) => {
            // The canonical rendering reads back to the same expression.
            let reparsed = parse(&expr.to_string())
                .unwrap_or_else(|err| panic!("{expr} does not read back: {err}"));
            assert_eq!(reparsed, expr, "{expr}");
            let ids: Vec<&str> = cluster
                .instances
                .iter()
                .filter(|instance| expr.matches(instance))
                .map(|instance| instance.id.as_str())
                .collect();
            format!("[{}]", ids.join(" "))
        }
        Err(err) => format!("error: {err}"),
    };
    expected.assert_eq(&actual);
}

#[test]
fn attribute_equality_in_symbol_and_word_forms() {
    check("attribute:ecs.instance-type == t2.small", expect!["[b]"]);
    check("attribute:ecs.instance-type equals t2.small", expect!["[b]"]);
    check("attribute:ecs.instance-type != t2.small", expect!["[a c d]"]);
    check("attribute:ecs.instance-type not_equals t2.small", expect!["[a c d]"]);
    // An absent attribute is "not equal".
    check("attribute:team != blue", expect!["[a b c d]"]);
    check("attribute:team == blue", expect!["[]"]);
}

#[test]
fn attribute_exists() {
    check("attribute:ecs.capability.task-eni exists", expect!["[a]"]);
    check("attribute:team exists", expect!["[d]"]);
    check("attribute:team !exists", expect!["[a b c]"]);
    check("attribute:team not_exists", expect!["[a b c]"]);
}

#[test]
fn attribute_in_lists() {
    check("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", expect!["[a b]"]);
    check("attribute:ecs.availability-zone !in [us-east-1a, 'us-east-1b']", expect!["[c d]"]);
    check("attribute:ecs.availability-zone not_in [\"us-east-1a\"]", expect!["[b c d]"]);
    check("attribute:ecs.availability-zone in us-east-1c", expect!["[c]"]);
    check("attribute:team in [blue,green]", expect!["[]"]);
    check("attribute:team !in [blue,green]", expect!["[a b c d]"]);
}

#[test]
fn attribute_matches_whole_string() {
    check("attribute:ecs.instance-type =~ g2.*", expect!["[c]"]);
    check("attribute:ecs.instance-type matches m5.*", expect!["[a d]"]);
    // Whole-string semantics, like Java's String.matches.
    check("attribute:ecs.instance-type =~ m5", expect!["[]"]);
    check("attribute:ecs.instance-type !~ m5.*", expect!["[b c]"]);
    check("attribute:ecs.instance-type not_matches 'm5\\..*'", expect!["[b c]"]);
    check("attribute:team !~ x.*", expect!["[a b c d]"]);
}

#[test]
fn attribute_ordering_is_numeric_when_the_literal_is_a_number() {
    check("attribute:slots > 9", expect!["[b]"]);
    check("attribute:slots greater_than_equal 8", expect!["[a b]"]);
    check("attribute:slots < 10", expect!["[a]"]);
    check("attribute:slots less_than_equal 16", expect!["[a b]"]);
    // `slots=abc` is not a number, so no numeric comparison holds for it; a text literal compares text.
    check("attribute:slots >= abc", expect!["[c]"]);
    check("attribute:ecs.availability-zone > us-east-1b", expect!["[c d]"]);
}

#[test]
fn agent_connected() {
    check("agentConnected == true", expect!["[a b d]"]);
    check("agentConnected != true", expect!["[c]"]);
    check("agentConnected equals FALSE", expect!["[c]"]);
    check("agentConnected in [false]", expect!["[c]"]);
    check("agentConnected !in [false]", expect!["[a b d]"]);
    check("agentConnected =~ t.*", expect!["[a b d]"]);
    check("agentConnected !~ t.*", expect!["[c]"]);
}

#[test]
fn agent_version_compares_dotted_versions() {
    check("agentVersion < 1.14.6", expect!["[a c]"]);
    check("agentVersion less_than 1.14.10", expect!["[a c]"]);
    check("agentVersion >= 1.14.10", expect!["[b d]"]);
    check("agentVersion > 1.14.10", expect!["[d]"]);
    check("agentVersion <= 1.9.0", expect!["[c]"]);
    check("agentVersion == 2", expect!["[d]"]);
    check("agentVersion != 2.0", expect!["[a b c]"]);
}

#[test]
fn ec2_instance_id() {
    check("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", expect!["[a b]"]);
    check("ec2InstanceId == i-abcd1234", expect!["[a]"]);
    check("ec2InstanceId != i-abcd1234", expect!["[b c d]"]);
    check("ec2InstanceId not_in [i-abcd1234]", expect!["[b c d]"]);
    check("ec2InstanceId =~ i-0+[34]", expect!["[c d]"]);
    check("ec2InstanceId !~ i-0+[34]", expect!["[a b]"]);
}

#[test]
fn registered_at_in_every_date_form() {
    check("registeredAt == 2018-06-18T22:28:28Z", expect!["[a]"]);
    check("registeredAt == 2018-06-18T22:28:28+00:00", expect!["[a]"]);
    check("registeredAt == 2018-06-18T22:28:28", expect!["[a]"]);
    check("registeredAt == 2018-06-18", expect!["[b]"]);
    check("registeredAt > 2018-06-18", expect!["[a c d]"]);
    check("registeredAt >= 2018-06-18", expect!["[a b c d]"]);
    check("registeredAt < 2019-01-01", expect!["[a b c]"]);
    check("registeredAt <= 2018-12-31T22:00:00Z", expect!["[a b c]"]);
    check("registeredAt != 2018-06-18", expect!["[a c d]"]);
}

#[test]
fn running_tasks_count() {
    check("runningTasksCount == 1", expect!["[a]"]);
    check("runningTasksCount != 0", expect!["[a b]"]);
    check("runningTasksCount > 1", expect!["[b]"]);
    check("runningTasksCount >= 1", expect!["[a b]"]);
    check("runningTasksCount < 1", expect!["[c d]"]);
    check("runningTasksCount <= 2", expect!["[a b c d]"]);
}

#[test]
fn task_group_holds_when_any_task_matches() {
    check("task:group == service:web", expect!["[a b]"]);
    check("task:group in [service:database, service:cache]", expect!["[b]"]);
    check("task:group =~ service:.*", expect!["[a b]"]);
    // `!=` means "some task of another group"; an instance without tasks has none.
    check("task:group != service:web", expect!["[b]"]);
    check("task:group !in [service:web]", expect!["[b]"]);
    check("task:group !~ service:w.*", expect!["[b]"]);
    check("not(task:group == database)", expect!["[a b c d]"]);
    check("not(task:group == service:database)", expect!["[a c d]"]);
}

#[test]
fn connectives_and_grouping() {
    check(
        "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
        expect!["[c]"],
    );
    check("attribute:ecs.instance-type == t2.small || agentConnected == false", expect!["[b c]"]);
    check("attribute:ecs.instance-type == t2.small && agentConnected == false", expect!["[]"]);
    // `and` binds tighter than `or`.
    check(
        "runningTasksCount == 0 or runningTasksCount == 2 and attribute:slots == 16",
        expect!["[b c d]"],
    );
    check(
        "(runningTasksCount == 0 or runningTasksCount == 2) and attribute:slots == 16",
        expect!["[b]"],
    );
    check("!(agentConnected == true)", expect!["[c]"]);
    check("not (agentConnected == true) and not(attribute:team exists)", expect!["[c]"]);
    check("((agentVersion >= 2))", expect!["[d]"]);
    check("runningTasksCount==1", expect!["[a]"]);
}

#[test]
fn parse_errors_name_the_position_and_what_was_expected() {
    check(
        "attribute:ecs.instance-type",
        expect![[
            r#"error: expected an operator after "attribute:ecs.instance-type" at position 28"#
        ]],
    );
    check("", expect!["error: expected an expression at position 1"]);
    check("attribute:a == b and", expect!["error: expected an expression at position 21"]);
    check(
        "colour == red",
        expect![[
            r#"error: unknown subject "colour"; expected attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group at position 1"#
        ]],
    );
    check(
        "== red",
        expect![[
            r#"error: expected a subject (attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group), found "==" at position 1"#
        ]],
    );
    check(
        "attribute:a$b == 1",
        expect![[r#"error: expected an operator after "attribute:a" at position 12"#]],
    );
    check(
        "attribute: == 1",
        expect![[
            r#"error: invalid attribute name ""; names are 1-128 characters from A-Z a-z 0-9 - _ / . at position 11"#
        ]],
    );
    check(
        "attribute:a => 1",
        expect![[
            r#"error: unknown operator "=>"; expected ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~ or !~ (or their word forms) at position 13"#
        ]],
    );
    check(
        "attribute:a contains 1",
        expect![[
            r#"error: unknown operator "contains"; expected ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~ or !~ (or their word forms) at position 13"#
        ]],
    );
    check(
        "agentConnected > true",
        expect![[
            r#"error: operator ">" is not allowed with agentConnected, which takes ==, !=, in, !in, =~ and !~ at position 16"#
        ]],
    );
    check(
        "runningTasksCount in [1, 2]",
        expect![[
            r#"error: operator "in" is not allowed with runningTasksCount, which takes ==, !=, >, >=, < and <= at position 19"#
        ]],
    );
    check(
        "task:group exists",
        expect![[
            r#"error: operator "exists" is not allowed with task:group, which takes ==, !=, in, !in, =~ and !~ at position 12"#
        ]],
    );
    check("attribute:a ==", expect![[r#"error: expected a value after "==" at position 15"#]]);
    check(
        "attribute:a == [x, y]",
        expect![[r#"error: operator "==" takes a single value, not a list at position 16"#]],
    );
    check(
        "attribute:a in [x y]",
        expect![[r#"error: expected "," or "]" in the list, found "y]" at position 19"#]],
    );
    check("attribute:a in [x,", expect![[r#"error: expected a value after "in" at position 19"#]]);
    check(
        "attribute:a in [x",
        expect![[
            r#"error: expected "," or "]" in the list, found "end of the expression" at position 18"#
        ]],
    );
    check("attribute:a == 'x", expect!["error: unterminated quoted value at position 16"]);
    check(
        "agentConnected == yes",
        expect![[
            r#"error: invalid value "yes" for agentConnected: expected true or false at position 19"#
        ]],
    );
    check(
        "agentVersion < 1.x",
        expect![[
            r#"error: invalid value "1.x" for agentVersion: expected a dotted version such as 1.14.5 at position 16"#
        ]],
    );
    check(
        "registeredAt > 18/06/2018",
        expect![[
            r#"error: invalid value "18/06/2018" for registeredAt: expected a date such as 2018-06-18 or 2018-06-18T22:28:28Z at position 16"#
        ]],
    );
    check(
        "runningTasksCount > -1",
        expect![[
            r#"error: invalid value "-1" for runningTasksCount: expected a non-negative whole number at position 21"#
        ]],
    );
    check(
        "attribute:a =~ 'x(?=y)'",
        expect![[
            r#"error: invalid regular expression "x(?=y)": look-around, including look-ahead and look-behind, is not supported at position 16"#
        ]],
    );
    check(
        "attribute:a == b attribute:c == d",
        expect![[
            r#"error: expected "and", "or" or the end of the expression, found "attribute:c" at position 18"#
        ]],
    );
    check(
        "(attribute:a == b",
        expect![[r#"error: expected ")" to close the "(" opened at character 1 at position 18"#]],
    );
    check(
        "(attribute:a == b x",
        expect![[
            r#"error: expected "and", "or", ")" or the end of the expression, found "x" at position 19"#
        ]],
    );
    check(
        "attribute:a == b)",
        expect![[
            r#"error: expected "and", "or" or the end of the expression, found ")" at position 17"#
        ]],
    );
    check("not attribute:a exists", expect![[r#"error: expected "(" after "not" at position 5"#]]);
    check(
        "attribute:a == b andattribute:c == d",
        expect![[
            r#"error: expected "and", "or" or the end of the expression, found "andattribute:c" at position 18"#
        ]],
    );
}

#[test]
fn quoted_values_keep_spaces_and_special_characters() {
    let expr = parse(r#"attribute:note == 'it\'s (a) test, ok'"#).unwrap();
    assert_eq!(expr.to_string(), r#"attribute:note == 'it\'s (a) test, ok'"#);
    let expr = parse(r#"attribute:ecs.instance-type in ["m5.large", 'c5.large']"#).unwrap();
    assert_eq!(expr.to_string(), "attribute:ecs.instance-type in [m5.large, c5.large]");
}

#[test]
fn dynamic_subjects_are_flagged() {
    assert!(parse("runningTasksCount > 1").unwrap().is_dynamic());
    assert!(parse("attribute:a exists or not(task:group == x)").unwrap().is_dynamic());
    assert!(!parse("attribute:a exists and agentVersion > 1").unwrap().is_dynamic());
}

/// Runs `work` on a thread with a 256 KiB stack, an eighth of what a runtime worker thread
/// has: what passes here is far from overflowing a server thread.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(work)
        .expect("a thread starts")
        .join()
        .expect("the work neither panics nor overflows its stack")
}

fn nested(depth: usize, keyword: &str) -> String {
    format!("{}task:group == x{}", format!("{keyword}(").repeat(depth), ")".repeat(depth))
}

fn or_chain(terms: usize) -> String {
    vec!["task:group == x"; terms].join(" or ")
}

#[test]
fn nesting_is_capped_at_the_maximum_depth() {
    use super::{MAX_DEPTH, ParseErrorKind};
    on_small_stack(|| {
        for keyword in ["", "not", "!"] {
            assert!(parse(&nested(MAX_DEPTH, keyword)).is_ok(), "{keyword}");
            let error = parse(&nested(MAX_DEPTH + 1, keyword)).unwrap_err();
            assert_eq!(error.kind, ParseErrorKind::TooDeep, "{keyword}");
            // The position is the parenthesis one level too deep.
            let opened = (keyword.len() + 1) * MAX_DEPTH;
            assert_eq!(error.position, opened + keyword.len() + 1, "{keyword}");
        }
        // The expression of the report: 2,000 levels, shorter than the length cap.
        let deep = nested(2000, "");
        assert!(deep.len() < super::MAX_LENGTH);
        assert_eq!(parse(&deep).unwrap_err().kind, ParseErrorKind::TooDeep);
        assert_eq!(
            parse(&nested(MAX_DEPTH + 1, "")).unwrap_err().to_string(),
            "parentheses nest more than 64 deep at position 65"
        );
    });
}

#[test]
fn expressions_longer_than_the_maximum_are_refused_unread() {
    use super::{MAX_LENGTH, ParseErrorKind};
    on_small_stack(|| {
        let chain = or_chain(50_000);
        let error = parse(&chain).unwrap_err();
        assert_eq!(error.kind, ParseErrorKind::TooLong { length: chain.chars().count() });
        assert_eq!(
            error.to_string(),
            format!(
                "the expression is {} characters long; the maximum is {MAX_LENGTH} at position {}",
                chain.len(),
                MAX_LENGTH + 1
            )
        );
        // Characters, not bytes, are counted.
        let wide = format!("attribute:a == '{}'", "é".repeat(MAX_LENGTH - 17));
        assert_eq!(wide.chars().count(), MAX_LENGTH);
        assert!(parse(&wide).is_ok());
        let wider = format!("attribute:a == '{}'", "é".repeat(MAX_LENGTH - 16));
        assert!(matches!(parse(&wider).unwrap_err().kind, ParseErrorKind::TooLong { .. }));
    });
}

/// The largest expressions the caps let through are parsed, evaluated, printed, read back,
/// cloned, compared and dropped on a small stack: every recursion over an expression stays
/// far from a real thread's limit.
#[test]
fn the_largest_accepted_expressions_fit_a_small_stack() {
    use super::{MAX_DEPTH, MAX_LENGTH};
    let cluster = fixture::parse(CLUSTER).unwrap().snapshot;
    on_small_stack(move || {
        let longest_chain = {
            let terms = (MAX_LENGTH + 4) / "task:group == x or ".len();
            let chain = or_chain(terms);
            assert!(chain.len() <= MAX_LENGTH && chain.len() + 19 > MAX_LENGTH);
            chain
        };
        let and_chain = vec!["attribute:slots exists"; MAX_LENGTH / 27].join(" and ");
        // Deep nesting whose innermost group is itself a long chain.
        let deep_and_long = format!(
            "{}{}{}",
            "not(".repeat(MAX_DEPTH),
            vec!["task:group == x"; (MAX_LENGTH - 5 * MAX_DEPTH) / 20].join(" && "),
            ")".repeat(MAX_DEPTH)
        );
        for text in [longest_chain, and_chain, deep_and_long, nested(MAX_DEPTH, "")] {
            assert!(text.chars().count() <= MAX_LENGTH);
            let expr = parse(&text).unwrap_or_else(|error| panic!("{error}"));
            let matched = cluster.instances.iter().filter(|i| expr.matches(i)).count();
            assert!(matched <= cluster.instances.len());
            let _ = expr.is_dynamic();
            let copy = expr.clone();
            assert_eq!(parse(&copy.to_string()).unwrap(), expr);
            drop(copy);
        }
    });
}

/// Random expressions, built from the language's own pieces and from noise, never panic the
/// parser; whatever parses prints to text that reads back to the same expression and
/// evaluates. `PARSER_FUZZ_CASES` sets the number of cases (default 256).
#[test]
fn fuzz_parse() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let cases = std::env::var("PARSER_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256);
    let cluster = fixture::parse(CLUSTER).unwrap().snapshot;
    let piece = prop::sample::select(vec![
        "(",
        ")",
        "((",
        "))",
        "not(",
        "!(",
        " and ",
        " or ",
        "&&",
        "||",
        " ",
        "attribute:a",
        "attribute:slots",
        "task:group",
        "agentVersion",
        "registeredAt",
        "runningTasksCount",
        "agentConnected",
        "ec2InstanceId",
        "==",
        "!=",
        ">",
        ">=",
        "<",
        "<=",
        "exists",
        "!exists",
        " in ",
        "!in",
        "=~",
        "!~",
        " x",
        " 1",
        " 1.14",
        " 2018-06-18",
        "'q u'",
        "\"",
        "'",
        "\\",
        "[",
        "]",
        ",",
        "a[b",
        ".*",
        "(?:",
        "é",
        "\u{0}",
        "\t",
    ]);
    let text = prop_oneof![
        prop::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat()),
        ".{0,80}",
        (0..200usize, 0..4usize)
            .prop_map(|(depth, keyword)| { nested(depth, ["", "not", "!", "(("][keyword]) }),
        (1..400usize).prop_map(or_chain),
    ];
    let mut runner =
        TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&text, |text| {
            match parse(&text) {
                Ok(expr) => {
                    let printed = expr.to_string();
                    let reparsed = parse(&printed);
                    prop_assert_eq!(reparsed.as_ref(), Ok(&expr), "{}", printed);
                    for instance in &cluster.instances {
                        expr.matches(instance);
                    }
                }
                Err(error) => {
                    prop_assert!(error.position >= 1);
                    prop_assert!(error.position <= text.chars().count() + 1, "{}", error);
                }
            }
            Ok(())
        })
        .unwrap();
}
