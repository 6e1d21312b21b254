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
