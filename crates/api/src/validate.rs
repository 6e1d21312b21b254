//! Validates a raw JSON request against the ECS model before it is deserialized.
//!
//! Serde alone would reject a bad request with a message about line and column; callers of an
//! AWS API expect to be told which member is wrong. Walking the request against the model's
//! shapes gives a message that names the member path (`containerDefinitions[0].memory`), checks
//! every constraint the model states (required members, enums, numeric ranges, lengths), and
//! guarantees that the typed deserialization that follows cannot fail.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use crate::{ApiError, ErrorCode, Operation};

#[derive(Debug, Deserialize)]
struct Schema {
    shapes: BTreeMap<String, Shape>,
}

#[derive(Debug, Deserialize)]
struct Shape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: BTreeMap<String, String>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default, rename = "enum")]
    enum_values: Vec<String>,
    min: Option<f64>,
    max: Option<f64>,
    member: Option<String>,
    key: Option<String>,
    value: Option<String>,
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    serde_json::from_str(include_str!("schema.json"))
        .expect("the embedded ECS schema is valid JSON")
});

/// Checks `body` against the input shape of `op`. The error is an `InvalidParameterException`
/// (or a `SerializationException` when the body is not a JSON object) naming the member.
pub fn validate_input(op: Operation, body: &Value) -> Result<(), ApiError> {
    if !body.is_object() {
        return Err(ApiError::new(
            ErrorCode::SerializationException,
            "The request body must be a JSON object.",
        ));
    }
    let mut ctx = Ctx { path: Vec::new() };
    ctx.check(op.input_shape(), body)
}

/// Checks `value` against the named model shape (for nested documents such as a task
/// definition read from a file).
pub fn validate_shape(shape: &str, value: &Value) -> Result<(), ApiError> {
    let mut ctx = Ctx { path: Vec::new() };
    ctx.check(shape, value)
}

enum Segment<'a> {
    Member(&'a str),
    Index(usize),
    Key(&'a str),
}

struct Ctx<'a> {
    path: Vec<Segment<'a>>,
}

impl<'a> Ctx<'a> {
    fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                Segment::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                Segment::Key(k) => out.push_str(&format!("[{k:?}]")),
            }
        }
        out
    }

    fn type_error(&self, expected: &str, value: &Value) -> ApiError {
        ApiError::invalid_parameter(format!(
            "Invalid type for parameter {}: expected {expected}, got {}.",
            self.path(),
            describe(value)
        ))
    }

    fn check(&mut self, shape_name: &str, value: &'a Value) -> Result<(), ApiError> {
        match SCHEMA.shapes.get(shape_name) {
            Some(shape) => self.check_shape(shape, value),
            // Exceptions are not in the schema and never appear in input; anything else is a
            // generator bug, and accepting the value is the safe choice.
            None => Ok(()),
        }
    }

    fn check_shape(&mut self, shape: &Shape, value: &'a Value) -> Result<(), ApiError> {
        match shape.kind.as_str() {
            "structure" => {
                let Value::Object(map) = value else {
                    return Err(self.type_error("an object", value));
                };
                for name in &shape.required {
                    if map.get(name).is_none_or(Value::is_null) {
                        let mut path = self.path();
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(name);
                        return Err(ApiError::invalid_parameter(format!(
                            "Missing required parameter: {path}."
                        )));
                    }
                }
                for (name, member_value) in map {
                    if member_value.is_null() {
                        continue;
                    }
                    if let Some(member_shape) = shape.members.get(name) {
                        self.path.push(Segment::Member(name));
                        self.check(member_shape, member_value)?;
                        self.path.pop();
                    }
                }
                Ok(())
            }
            "list" => {
                let Value::Array(items) = value else {
                    return Err(self.type_error("a list", value));
                };
                self.check_length(shape, items.len(), "items")?;
                // Looked up once for all the items (DescribeTasks sends 100 ARNs).
                let member = SCHEMA.shapes.get(shape.member.as_deref().unwrap_or_default());
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Segment::Index(i));
                    if item.is_null() {
                        return Err(self.type_error("a value", item));
                    }
                    if let Some(member) = member {
                        self.check_shape(member, item)?;
                    }
                    self.path.pop();
                }
                Ok(())
            }
            "map" => {
                let Value::Object(map) = value else {
                    return Err(self.type_error("a map", value));
                };
                self.check_length(shape, map.len(), "entries")?;
                let key_shape = SCHEMA.shapes.get(shape.key.as_deref().unwrap_or_default());
                let value_shape = SCHEMA.shapes.get(shape.value.as_deref().unwrap_or_default());
                for (k, v) in map {
                    self.path.push(Segment::Key(k));
                    if let Some(key) = key_shape {
                        self.check_string(key, k)?;
                    }
                    if v.is_null() {
                        return Err(self.type_error("a value", v));
                    }
                    if let Some(value_shape) = value_shape {
                        self.check_shape(value_shape, v)?;
                    }
                    self.path.pop();
                }
                Ok(())
            }
            "string" => {
                let Value::String(s) = value else {
                    return Err(self.type_error("a string", value));
                };
                self.check_string(shape, s)
            }
            "integer" | "long" => {
                let Some(n) = value.as_i64() else {
                    return Err(self.type_error("an integer", value));
                };
                if shape.kind == "integer" && i32::try_from(n).is_err() {
                    return Err(ApiError::invalid_parameter(format!(
                        "Invalid value {n} for parameter {}: it must fit in a 32-bit integer.",
                        self.path()
                    )));
                }
                self.check_range(shape, n as f64)
            }
            "double" => {
                let Some(n) = value.as_f64() else {
                    return Err(self.type_error("a number", value));
                };
                self.check_range(shape, n)
            }
            "timestamp" => {
                if value.as_f64().is_none() {
                    return Err(self.type_error("a timestamp in epoch seconds", value));
                }
                Ok(())
            }
            "boolean" => {
                if !value.is_boolean() {
                    return Err(self.type_error("a boolean", value));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn check_string(&self, shape: &Shape, s: &str) -> Result<(), ApiError> {
        if !shape.enum_values.is_empty() && !shape.enum_values.iter().any(|v| v == s) {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid value {s:?} for parameter {}: valid values are {}.",
                self.path(),
                shape.enum_values.join(", ")
            )));
        }
        self.check_length(shape, s.chars().count(), "characters")
    }

    fn check_length(&self, shape: &Shape, len: usize, unit: &str) -> Result<(), ApiError> {
        let len = len as f64;
        let too_short = shape.min.is_some_and(|min| len < min);
        let too_long = shape.max.is_some_and(|max| len > max);
        if too_short || too_long {
            let bounds = match (shape.min, shape.max) {
                (Some(min), Some(max)) => format!("between {min} and {max} {unit}"),
                (Some(min), None) => format!("at least {min} {unit}"),
                (None, Some(max)) => format!("at most {max} {unit}"),
                (None, None) => unreachable!("a bound failed, so one exists"),
            };
            return Err(ApiError::invalid_parameter(format!(
                "Invalid length for parameter {}: it must have {bounds}.",
                self.path()
            )));
        }
        Ok(())
    }

    fn check_range(&self, shape: &Shape, n: f64) -> Result<(), ApiError> {
        let below = shape.min.is_some_and(|min| n < min);
        let above = shape.max.is_some_and(|max| n > max);
        if below || above {
            let bounds = match (shape.min, shape.max) {
                (Some(min), Some(max)) => format!("between {min} and {max}"),
                (Some(min), None) => format!("at least {min}"),
                (None, Some(max)) => format!("at most {max}"),
                (None, None) => unreachable!("a bound failed, so one exists"),
            };
            return Err(ApiError::invalid_parameter(format!(
                "Invalid value {n} for parameter {}: it must be {bounds}.",
                self.path()
            )));
        }
        Ok(())
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(op: Operation, body: Value) -> Result<(), String> {
        validate_input(op, &body).map_err(|e| e.message)
    }

    #[test]
    fn every_operation_input_shape_is_in_the_schema() {
        for op in Operation::ALL {
            assert!(SCHEMA.shapes.contains_key(op.input_shape()), "{op:?}");
        }
    }

    #[test]
    fn missing_required_member_is_named() {
        let err = check(Operation::RegisterTaskDefinition, json!({"containerDefinitions": []}));
        assert_eq!(err.unwrap_err(), "Missing required parameter: family.");
    }

    #[test]
    fn nested_type_error_names_the_path() {
        let err = check(
            Operation::RegisterTaskDefinition,
            json!({"family": "f", "containerDefinitions": [{"name": "a"}, {"name": "b", "memory": "512"}]}),
        );
        assert_eq!(
            err.unwrap_err(),
            "Invalid type for parameter containerDefinitions[1].memory: expected an integer, got a string."
        );
    }

    #[test]
    fn enum_values_are_checked() {
        let err = check(
            Operation::RegisterTaskDefinition,
            json!({"family": "f", "containerDefinitions": [], "networkMode": "bridged"}),
        );
        assert_eq!(
            err.unwrap_err(),
            "Invalid value \"bridged\" for parameter networkMode: valid values are bridge, host, awsvpc, none."
        );
    }

    #[test]
    fn numeric_ranges_are_checked() {
        let err = check(
            Operation::CreateCluster,
            json!({"defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1001}]}),
        );
        assert_eq!(
            err.unwrap_err(),
            "Invalid value 1001 for parameter defaultCapacityProviderStrategy[0].weight: it must be between 0 and 1000."
        );
        let err = check(Operation::ListClusters, json!({"maxResults": 4294967296i64}));
        assert!(err.unwrap_err().contains("32-bit"));
    }

    #[test]
    fn list_lengths_are_checked() {
        let tags: Vec<Value> =
            (0..51).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
        let err = check(Operation::CreateCluster, json!({"tags": tags}));
        assert_eq!(
            err.unwrap_err(),
            "Invalid length for parameter tags: it must have between 0 and 50 items."
        );
    }

    #[test]
    fn nulls_are_absent_and_unknown_members_ignored() {
        check(Operation::ListClusters, json!({"nextToken": null, "somethingElse": 1})).unwrap();
        let err = check(Operation::RegisterTaskDefinition, json!({"family": null}));
        assert_eq!(err.unwrap_err(), "Missing required parameter: family.");
    }

    #[test]
    fn map_values_are_checked() {
        let err = check(
            Operation::RegisterTaskDefinition,
            json!({"family": "f", "containerDefinitions": [{"dockerLabels": {"a": 1}}]}),
        );
        assert_eq!(
            err.unwrap_err(),
            "Invalid type for parameter containerDefinitions[0].dockerLabels[\"a\"]: expected a string, got an integer."
        );
    }

    #[test]
    fn a_valid_request_deserializes() {
        let body = json!({
            "family": "web",
            "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 128,
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}]}],
            "networkMode": "bridge"
        });
        validate_input(Operation::RegisterTaskDefinition, &body).unwrap();
        let req: crate::RegisterTaskDefinitionRequest = serde_json::from_value(body).unwrap();
        assert_eq!(req.family, "web");
        assert_eq!(req.network_mode, Some(crate::NetworkMode::Bridge));
    }

    #[test]
    fn a_body_that_is_not_an_object_is_a_serialization_error() {
        let err = validate_input(Operation::ListClusters, &json!([1])).unwrap_err();
        assert_eq!(err.code, ErrorCode::SerializationException);
    }
}
