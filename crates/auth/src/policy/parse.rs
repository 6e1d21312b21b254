//! Validating a policy document (JSON values) into statements, once, with an error that names
//! the statement and the element at fault.

use serde_json::{Map, Value};

use super::{Condition, Effect, Glob, Operator, Patterns, Statement};

/// What is wrong with a policy document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The document as a whole (not JSON, no `Statement`, an unknown element).
    #[error("{reason}")]
    Document { reason: String },
    /// One statement; `statement` reads like `statement #2 (Sid "DenyProd")`.
    #[error("{statement}: {reason}")]
    Statement { statement: String, reason: String },
}

impl PolicyError {
    pub(crate) fn document(reason: impl Into<String>) -> PolicyError {
        PolicyError::Document { reason: reason.into() }
    }
}

/// The deepest a policy document may nest, counting each object and list. A policy needs six
/// levels: the document, its statements, a statement, `Condition`, an operator and a list of
/// values.
pub const MAX_DOCUMENT_DEPTH: usize = 16;

/// The most characters a policy document may hold, whitespace aside: IAM's limit for a managed
/// policy.
pub const MAX_DOCUMENT_CHARS: usize = 6144;

/// Refuses a document nesting deeper than [`MAX_DOCUMENT_DEPTH`] or longer than
/// [`MAX_DOCUMENT_CHARS`]. The depth is measured without recursion, before anything (such as
/// printing a value in an error message) recurses over the document.
pub(super) fn check_size(document: &Value) -> Result<(), PolicyError> {
    let mut pending: Vec<(&Value, usize)> = vec![(document, 1)];
    while let Some((value, depth)) = pending.pop() {
        if !(value.is_array() || value.is_object()) {
            continue;
        }
        if depth > MAX_DOCUMENT_DEPTH {
            return Err(PolicyError::document(format!(
                "the policy nests deeper than {MAX_DOCUMENT_DEPTH} levels"
            )));
        }
        match value {
            Value::Array(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            Value::Object(fields) => {
                pending.extend(fields.values().map(|field| (field, depth + 1)))
            }
            _ => {}
        }
    }
    let text = document.to_string();
    let length = text.chars().filter(|c| !c.is_whitespace()).count();
    if length > MAX_DOCUMENT_CHARS {
        return Err(PolicyError::document(format!(
            "the policy is {length} characters long (whitespace aside); the maximum is {MAX_DOCUMENT_CHARS}"
        )));
    }
    Ok(())
}

pub(super) fn statements(document: &Value) -> Result<Vec<Statement>, PolicyError> {
    let Value::Object(document) = document else {
        return Err(PolicyError::document("a policy must be a JSON object"));
    };
    for (key, value) in document {
        match key.as_str() {
            "Version" => match value.as_str() {
                Some("2012-10-17" | "2008-10-17") => {}
                _ => {
                    return Err(PolicyError::document(format!(
                        "Version must be \"2012-10-17\" or \"2008-10-17\", got {value}"
                    )));
                }
            },
            "Id" | "Statement" => {}
            other => {
                return Err(PolicyError::document(format!(
                    "unknown policy element `{other}` (expected Version, Id, Statement)"
                )));
            }
        }
    }
    let statements = match document.get("Statement") {
        Some(Value::Array(statements)) => statements.iter().collect::<Vec<_>>(),
        Some(statement @ Value::Object(_)) => vec![statement],
        Some(other) => {
            return Err(PolicyError::document(format!(
                "Statement must be an object or a list of objects, got {other}"
            )));
        }
        None => return Err(PolicyError::document("the policy has no Statement")),
    };
    statements
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let label = || {
                let sid = value.get("Sid").and_then(Value::as_str);
                match sid {
                    Some(sid) => format!("statement #{} (Sid {sid:?})", index + 1),
                    None => format!("statement #{}", index + 1),
                }
            };
            statement(value).map_err(|reason| PolicyError::Statement { statement: label(), reason })
        })
        .collect()
}

fn statement(value: &Value) -> Result<Statement, String> {
    let Value::Object(fields) = value else {
        return Err(format!("a statement must be an object, got {value}"));
    };
    for key in fields.keys() {
        match key.as_str() {
            "Sid" | "Effect" | "Action" | "NotAction" | "Resource" | "NotResource"
            | "Condition" => {}
            "Principal" | "NotPrincipal" => {
                return Err(format!(
                    "{key} is not allowed in an identity-based policy (the policy applies to the \
                     users it is attached to)"
                ));
            }
            other => return Err(format!("unknown statement element `{other}`")),
        }
    }
    if let Some(sid) = fields.get("Sid")
        && !sid.is_string()
    {
        return Err(format!("Sid must be a string, got {sid}"));
    }
    let effect = match fields.get("Effect") {
        Some(Value::String(effect)) if effect == "Allow" => Effect::Allow,
        Some(Value::String(effect)) if effect == "Deny" => Effect::Deny,
        Some(other) => return Err(format!("Effect must be \"Allow\" or \"Deny\", got {other}")),
        None => return Err("Effect is missing".to_owned()),
    };
    let actions = patterns(fields, "Action", "NotAction", check_action, true)?;
    let resources = patterns(fields, "Resource", "NotResource", check_resource, false)?;
    let conditions = match fields.get("Condition") {
        Some(block) => conditions(block)?,
        None => Vec::new(),
    };
    Ok(Statement { effect, actions, resources, conditions })
}

/// A string or a non-empty list of strings, as IAM accepts for most elements.
fn strings<'a>(name: &str, value: &'a Value) -> Result<Vec<&'a str>, String> {
    match value {
        Value::String(single) => Ok(vec![single.as_str()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| {
                item.as_str().ok_or_else(|| format!("{name} must hold strings, got {item}"))
            })
            .collect(),
        other => {
            Err(format!("{name} must be a string or a non-empty list of strings, got {other}"))
        }
    }
}

fn patterns(
    fields: &Map<String, Value>,
    positive: &str,
    negative: &str,
    check: fn(&str, &str) -> Result<(), String>,
    fold_case: bool,
) -> Result<Patterns, String> {
    let (name, value, negated) = match (fields.get(positive), fields.get(negative)) {
        (Some(value), None) => (positive, value, false),
        (None, Some(value)) => (negative, value, true),
        (Some(_), Some(_)) => {
            return Err(format!("a statement has either {positive} or {negative}, not both"));
        }
        (None, None) => return Err(format!("{positive} (or {negative}) is missing")),
    };
    let mut globs = Vec::new();
    for pattern in strings(name, value)? {
        check(name, pattern)?;
        globs.push(Glob::new(pattern, fold_case));
    }
    Ok(Patterns { negated, globs })
}

fn check_action(name: &str, action: &str) -> Result<(), String> {
    if action == "*" {
        return Ok(());
    }
    match action.split_once(':') {
        Some((service, operation))
            if !service.is_empty()
                && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !operation.is_empty() =>
        {
            Ok(())
        }
        _ => Err(format!(
            "{name} {action:?} must be \"*\" or \"service:action\", e.g. \"ecs:RunTask\" or \"ecs:Describe*\""
        )),
    }
}

fn check_resource(name: &str, resource: &str) -> Result<(), String> {
    if resource.contains("${") {
        return Err(format!(
            "{name} {resource:?} uses a policy variable; policy variables are not supported"
        ));
    }
    if resource != "*" && !resource.starts_with("arn:") {
        return Err(format!("{name} {resource:?} must be \"*\" or an ARN (\"arn:...\")"));
    }
    Ok(())
}

fn conditions(block: &Value) -> Result<Vec<Condition>, String> {
    let Value::Object(operators) = block else {
        return Err(format!("Condition must be an object of operators, got {block}"));
    };
    let mut conditions = Vec::new();
    for (operator_name, keys) in operators {
        let (base, if_exists) = match operator_name.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (operator_name.as_str(), false),
        };
        let (operator, negated) = match base {
            "StringEquals" => (Operator::StringEquals, false),
            "StringNotEquals" => (Operator::StringEquals, true),
            "StringEqualsIgnoreCase" => (Operator::StringEqualsIgnoreCase, false),
            "StringNotEqualsIgnoreCase" => (Operator::StringEqualsIgnoreCase, true),
            "StringLike" | "ArnEquals" | "ArnLike" => (Operator::Like, false),
            "StringNotLike" | "ArnNotEquals" | "ArnNotLike" => (Operator::Like, true),
            "Null" if !if_exists => (Operator::Null, false),
            _ => {
                return Err(format!(
                    "unsupported condition operator `{operator_name}` (supported: StringEquals, \
                     StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, \
                     StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, \
                     each optionally ...IfExists, and Null)"
                ));
            }
        };
        let Value::Object(keys) = keys else {
            return Err(format!("Condition operator {operator_name} must map keys to values"));
        };
        for (key, values) in keys {
            if !key.eq_ignore_ascii_case("ecs:cluster") {
                return Err(format!(
                    "unsupported condition key `{key}` (Berth supports `ecs:cluster`)"
                ));
            }
            let values = match (operator, values) {
                (Operator::Null, Value::Bool(value)) => vec![value.to_string()],
                (Operator::Null, Value::String(value)) if value == "true" || value == "false" => {
                    vec![value.clone()]
                }
                (Operator::Null, other) => {
                    return Err(format!("Null takes true or false, got {other}"));
                }
                (_, values) => strings(&format!("the value of {key}"), values)?
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            };
            if values.iter().any(|value| value.contains("${")) {
                return Err(format!(
                    "the value of {key} uses a policy variable; policy variables are not supported"
                ));
            }
            let values = values.iter().map(|value| Glob::new(value, false)).collect();
            conditions.push(Condition { operator, negated, if_exists, values });
        }
    }
    Ok(conditions)
}
