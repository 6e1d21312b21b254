//! The other AWS APIs Berth serves, driven by their botocore models (`models/*.json`, reduced by
//! `tools/gen-models.py`): Elastic Load Balancing v2 in the AWS Query protocol and ACM in JSON
//! 1.1.
//!
//! A request becomes a JSON value shaped as the model's input (member names as the model spells
//! them), is checked against the model's constraints (required members, enums, lengths and
//! ranges), and the handler's JSON answer is written back in the protocol's own form: XML with
//! the operation's result wrapper for the query protocol, JSON as it is for JSON 1.1. Timestamps
//! travel inside Berth as epoch seconds and are written as ISO 8601 in XML.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::{Map, Value};

/// A reduced botocore model.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    pub botocore: String,
    pub protocol: String,
    pub api_version: String,
    pub xml_namespace: Option<String>,
    pub target_prefix: Option<String>,
    pub signing_name: String,
    shapes: BTreeMap<String, Shape>,
    operations: BTreeMap<String, OperationSpec>,
    errors: BTreeMap<String, ErrorSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: BTreeMap<String, MemberSpec>,
    member: Option<String>,
    member_name: Option<String>,
    value: Option<String>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(rename = "enum")]
    values: Option<Vec<String>>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default)]
    flattened: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MemberSpec {
    shape: String,
    location_name: Option<String>,
}

/// What the model says of one operation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationSpec {
    pub input: Option<String>,
    pub output: Option<String>,
    pub result_wrapper: Option<String>,
    /// The exception shapes the model lists for the operation.
    pub errors: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ErrorSpec {
    code: String,
    status: u16,
}

static ELBV2: LazyLock<Model> = LazyLock::new(|| load(include_str!("models/elbv2.json")));
static ACM: LazyLock<Model> = LazyLock::new(|| load(include_str!("models/acm.json")));

fn load(text: &str) -> Model {
    // The files are generated and committed with the crate; a test reads each.
    serde_json::from_str(text).expect("a committed model decodes")
}

/// Elastic Load Balancing v2 (query protocol, version 2015-12-01).
pub fn elbv2() -> &'static Model {
    &ELBV2
}

/// AWS Certificate Manager (JSON 1.1, target prefix `CertificateManager`).
pub fn acm() -> &'static Model {
    &ACM
}

/// A request that does not satisfy the model: AWS's `ValidationError` (query) or
/// `ValidationException` (JSON) with this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl Model {
    pub fn operation(&self, name: &str) -> Option<&OperationSpec> {
        self.operations.get(name)
    }

    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    /// The wire code and HTTP status of an exception shape (`LoadBalancerNotFoundException`
    /// is `LoadBalancerNotFound`, 400, in ELB).
    pub fn error(&self, exception: &str) -> Option<(&str, u16)> {
        self.errors.get(exception).map(|e| (e.code.as_str(), e.status))
    }

    /// Whether the model lists `exception` for `operation`.
    pub fn allows(&self, operation: &str, exception: &str) -> bool {
        self.operations.get(operation).is_some_and(|o| o.errors.iter().any(|e| e == exception))
    }

    fn shape(&self, name: &str) -> &Shape {
        // Every shape a committed model names is in it; a test walks them all.
        &self.shapes[name]
    }

    /// A query-protocol form (every pair but `Action` and `Version`) as the JSON value of the
    /// operation's input. Parameters the input does not have are left out.
    pub fn parse_query<'a>(
        &self,
        operation: &str,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Value, Invalid> {
        let Some(input) = self.operations.get(operation).and_then(|o| o.input.as_deref()) else {
            return Ok(Value::Object(Map::new()));
        };
        let mut tree = Node::default();
        for (name, value) in pairs {
            if name == "Action" || name == "Version" {
                continue;
            }
            let mut node = &mut tree;
            for part in name.split('.') {
                node = node.children.entry(part.to_owned()).or_default();
            }
            node.value = Some(value.to_owned());
        }
        self.read_tree(input, &tree, "")
    }

    fn read_tree(&self, shape_name: &str, node: &Node, path: &str) -> Result<Value, Invalid> {
        let shape = self.shape(shape_name);
        match shape.kind.as_str() {
            "structure" => {
                let mut out = Map::new();
                for (member, spec) in &shape.members {
                    let wire = spec.location_name.as_deref().unwrap_or(member);
                    if let Some(child) = node.children.get(wire) {
                        let path = join(path, member);
                        out.insert(member.clone(), self.read_tree(&spec.shape, child, &path)?);
                    }
                }
                Ok(Value::Object(out))
            }
            "list" => {
                let member = shape.member.as_deref().unwrap_or("String");
                let items = if shape.flattened {
                    Some(node)
                } else {
                    node.children.get(shape.member_name.as_deref().unwrap_or("member"))
                };
                let mut indexed: Vec<(u64, &Node)> = items
                    .map(|n| {
                        n.children.iter().filter_map(|(k, v)| Some((k.parse().ok()?, v))).collect()
                    })
                    .unwrap_or_default();
                indexed.sort_by_key(|(i, _)| *i);
                let mut out = Vec::with_capacity(indexed.len());
                for (i, child) in indexed {
                    out.push(self.read_tree(member, child, &format!("{path}.{i}"))?);
                }
                Ok(Value::Array(out))
            }
            "map" => {
                let mut out = Map::new();
                let entries = if shape.flattened { Some(node) } else { node.children.get("entry") };
                for entry in entries.map(|e| e.children.values()).into_iter().flatten() {
                    let key = entry.children.get("key").and_then(|k| k.value.clone());
                    let value = entry.children.get("value");
                    if let (Some(key), Some(value)) = (key, value) {
                        let parsed = self.read_tree(
                            shape.value.as_deref().unwrap_or("String"),
                            value,
                            path,
                        )?;
                        out.insert(key, parsed);
                    }
                }
                Ok(Value::Object(out))
            }
            kind => {
                let text = node.value.as_deref().unwrap_or_default();
                scalar(kind, text).ok_or_else(|| {
                    Invalid(format!(
                        "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member must be of type {kind}",
                        shorten(text),
                        lower_first(path)
                    ))
                })
            }
        }
    }

    /// Checks a request's input against the model: required members, enums, lengths, ranges
    /// and list sizes. The message names the first problem as AWS does.
    pub fn validate(&self, operation: &str, input: &Value) -> Result<(), Invalid> {
        let Some(shape) = self.operations.get(operation).and_then(|o| o.input.as_deref()) else {
            return Ok(());
        };
        let mut problems = Vec::new();
        self.check(shape, input, "", &mut problems);
        match problems.len() {
            0 => Ok(()),
            n => Err(Invalid(format!(
                "{n} validation error{} detected: {}",
                if n == 1 { "" } else { "s" },
                problems.join("; ")
            ))),
        }
    }

    fn check(&self, shape_name: &str, value: &Value, path: &str, problems: &mut Vec<String>) {
        if problems.len() >= 10 {
            return;
        }
        let shape = self.shape(shape_name);
        let at = lower_first(path);
        let fail = |problems: &mut Vec<String>, shown: &str, what: String| {
            problems.push(format!(
                "Value {shown} at '{at}' failed to satisfy constraint: Member {what}"
            ))
        };
        match (shape.kind.as_str(), value) {
            ("structure", Value::Object(members)) => {
                for required in &shape.required {
                    if members.get(required).is_none_or(Value::is_null) {
                        problems.push(format!(
                            "Value null at '{}' failed to satisfy constraint: Member must not be null",
                            lower_first(&join(path, required))
                        ));
                    }
                }
                for (name, spec) in &shape.members {
                    if let Some(v) = members.get(name).filter(|v| !v.is_null()) {
                        self.check(&spec.shape, v, &join(path, name), problems);
                    }
                }
            }
            ("list", Value::Array(items)) => {
                if let Some(min) = shape.min
                    && (items.len() as f64) < min
                {
                    fail(
                        problems,
                        "[]",
                        format!("must have length greater than or equal to {min}"),
                    );
                }
                if let Some(max) = shape.max
                    && (items.len() as f64) > max
                {
                    fail(
                        problems,
                        &format!("[{} items]", items.len()),
                        format!("must have length less than or equal to {max}"),
                    );
                }
                let member = shape.member.as_deref().unwrap_or("String");
                for (i, item) in items.iter().enumerate() {
                    self.check(member, item, &format!("{path}.{}", i + 1), problems);
                }
            }
            ("map", Value::Object(entries)) => {
                let value = shape.value.as_deref().unwrap_or("String");
                for (k, v) in entries {
                    self.check(value, v, &format!("{path}.{k}"), problems);
                }
            }
            ("string", Value::String(s)) => {
                let shown = format!("'{}'", shorten(s));
                if let Some(values) = &shape.values
                    && !values.iter().any(|v| v == s)
                {
                    fail(
                        problems,
                        &shown,
                        format!("must satisfy enum value set: [{}]", values.join(", ")),
                    );
                    return;
                }
                let len = s.chars().count() as f64;
                if let Some(min) = shape.min
                    && len < min
                {
                    fail(
                        problems,
                        &shown,
                        format!("must have length greater than or equal to {min}"),
                    );
                }
                if let Some(max) = shape.max
                    && len > max
                {
                    fail(problems, &shown, format!("must have length less than or equal to {max}"));
                }
            }
            ("integer" | "long" | "double", Value::Number(n)) => {
                let n = n.as_f64().unwrap_or_default();
                if let Some(min) = shape.min
                    && n < min
                {
                    fail(
                        problems,
                        &format!("'{n}'"),
                        format!("must be greater than or equal to {min}"),
                    );
                }
                if let Some(max) = shape.max
                    && n > max
                {
                    fail(
                        problems,
                        &format!("'{n}'"),
                        format!("must be less than or equal to {max}"),
                    );
                }
            }
            ("boolean", Value::Bool(_)) | ("timestamp", Value::Number(_)) | ("blob", _) => {}
            (kind, other) => {
                let shown = shorten(&other.to_string());
                fail(problems, &format!("'{shown}'"), format!("must be of type {kind}"));
            }
        }
    }

    /// The query protocol's answer to `operation`: `<OpResponse xmlns=…><OpResult>…</OpResult>
    /// <ResponseMetadata><RequestId>…`. Members of `output` the model does not have are left
    /// out (debug builds fail on them: a handler misspelled a member).
    pub fn write_xml(&self, operation: &str, output: &Value, request_id: &str) -> String {
        let mut out = String::with_capacity(512);
        out.push_str(&format!(
            "<{operation}Response xmlns=\"{}\">",
            self.xml_namespace.as_deref().unwrap_or_default()
        ));
        if let Some(spec) = self.operations.get(operation)
            && let Some(shape) = spec.output.as_deref()
        {
            let wrapper = spec.result_wrapper.clone().unwrap_or(format!("{operation}Result"));
            out.push_str(&format!("<{wrapper}>"));
            self.members_xml(shape, output, &mut out);
            out.push_str(&format!("</{wrapper}>"));
        }
        let _ = write!(
            out,
            "<ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata></{operation}Response>",
            escape(request_id)
        );
        out
    }

    fn members_xml(&self, shape_name: &str, value: &Value, out: &mut String) {
        let shape = self.shape(shape_name);
        let Value::Object(members) = value else { return };
        debug_assert!(
            members.keys().all(|k| shape.members.contains_key(k)),
            "{shape_name} has no member among {:?}",
            members.keys().collect::<Vec<_>>()
        );
        for (name, spec) in &shape.members {
            let Some(v) = members.get(name).filter(|v| !v.is_null()) else { continue };
            let tag = spec.location_name.as_deref().unwrap_or(name);
            let inner = self.shape(&spec.shape);
            if inner.kind == "list" && inner.flattened {
                for item in v.as_array().into_iter().flatten() {
                    self.value_xml(inner.member.as_deref().unwrap_or("String"), tag, item, out);
                }
            } else {
                self.value_xml(&spec.shape, tag, v, out);
            }
        }
    }

    fn value_xml(&self, shape_name: &str, tag: &str, value: &Value, out: &mut String) {
        let shape = self.shape(shape_name);
        let _ = write!(out, "<{tag}>");
        match shape.kind.as_str() {
            "structure" => self.members_xml(shape_name, value, out),
            "list" => {
                let member = shape.member.as_deref().unwrap_or("String");
                let name = shape.member_name.as_deref().unwrap_or("member");
                for item in value.as_array().into_iter().flatten() {
                    self.value_xml(member, name, item, out);
                }
            }
            "map" => {
                for (k, v) in value.as_object().into_iter().flatten() {
                    out.push_str("<entry>");
                    let _ = write!(out, "<key>{}</key>", escape(k));
                    self.value_xml(shape.value.as_deref().unwrap_or("String"), "value", v, out);
                    out.push_str("</entry>");
                }
            }
            "timestamp" => out.push_str(&iso8601(value.as_f64().unwrap_or_default())),
            _ => match value {
                Value::String(s) => out.push_str(&escape(s)),
                other => out.push_str(&other.to_string()),
            },
        }
        let _ = write!(out, "</{tag}>");
    }
}

#[derive(Default)]
struct Node {
    value: Option<String>,
    children: BTreeMap<String, Node>,
}

fn scalar(kind: &str, text: &str) -> Option<Value> {
    Some(match kind {
        "string" | "blob" => Value::String(text.to_owned()),
        "integer" | "long" => Value::from(text.trim().parse::<i64>().ok()?),
        "double" => Value::from(text.trim().parse::<f64>().ok().filter(|f| f.is_finite())?),
        "boolean" => match text.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return None,
        },
        "timestamp" => Value::from(
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .or_else(|| parse_iso8601(text))?,
        ),
        _ => return None,
    })
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() { member.to_owned() } else { format!("{path}.{member}") }
}

/// AWS names a member in a validation message with its first letter in lower case.
fn lower_first(path: &str) -> String {
    let mut chars = path.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(100).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// `text` escaped for an XML element's content (`<`, `>` and `&`; quotes need no escape
/// there). Control characters XML cannot carry become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Epoch seconds as ISO 8601 in UTC with milliseconds (`2026-12-07T20:05:00.000Z`).
pub fn iso8601(seconds: f64) -> String {
    let millis = (seconds * 1000.0).round() as i64;
    let (days, ms) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

fn parse_iso8601(text: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches('Z');
    let (date, time) = text.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>());
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut t = time.split(':');
    let (h, min) = (t.next()?.parse::<i64>().ok()?, t.next()?.parse::<i64>().ok()?);
    let s = t.next().unwrap_or("0").parse::<f64>().ok()?;
    Some((days_from_civil(y, m, day) * 86_400 + h * 3600 + min * 60) as f64 + s)
}

/// Howard Hinnant's `civil_from_days`: a day count from 1970-01-01 as (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_the_models_name_is_in_them() {
        for model in [elbv2(), acm()] {
            for (name, shape) in &model.shapes {
                for spec in shape.members.values() {
                    assert!(model.shapes.contains_key(&spec.shape), "{name}: {}", spec.shape);
                }
                for inner in [&shape.member, &shape.value].into_iter().flatten() {
                    assert!(model.shapes.contains_key(inner), "{name}: {inner}");
                }
            }
            for (name, op) in &model.operations {
                for shape in [&op.input, &op.output].into_iter().flatten() {
                    assert!(model.shapes.contains_key(shape), "{name}: {shape}");
                }
                for error in &op.errors {
                    assert!(model.errors.contains_key(error), "{name}: {error}");
                }
            }
        }
    }

    #[test]
    fn a_query_form_becomes_the_input_shape() {
        let form = [
            ("Action", "CreateTargetGroup"),
            ("Name", "web"),
            ("Port", "80"),
            ("Protocol", "HTTP"),
            ("HealthCheckEnabled", "true"),
            ("Matcher.HttpCode", "200-299"),
            ("Tags.member.2.Key", "b"),
            ("Tags.member.1.Key", "a"),
            ("Tags.member.1.Value", "1"),
            ("Unknown", "x"),
        ];
        let value = elbv2().parse_query("CreateTargetGroup", form).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "Name": "web", "Port": 80, "Protocol": "HTTP", "HealthCheckEnabled": true,
                "Matcher": {"HttpCode": "200-299"},
                "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b"}],
            })
        );
        assert_eq!(elbv2().validate("CreateTargetGroup", &value), Ok(()));
        let bad = elbv2().parse_query("CreateTargetGroup", [("Port", "eighty")]).unwrap_err();
        assert!(bad.0.contains("at 'port'"), "{}", bad.0);
    }

    #[test]
    fn validation_names_each_problem_with_its_path() {
        let input = serde_json::json!({"Protocol": "SMTP", "Port": 70000});
        let Invalid(message) = elbv2().validate("CreateTargetGroup", &input).unwrap_err();
        assert!(message.starts_with("3 validation errors detected"), "{message}");
        assert!(message.contains(
            "Value null at 'name' failed to satisfy constraint: Member must not be null"
        ));
        assert!(message.contains(
            "at 'protocol' failed to satisfy constraint: Member must satisfy enum value set"
        ));
        assert!(message.contains(
            "at 'port' failed to satisfy constraint: Member must be less than or equal to 65535"
        ));
    }

    #[test]
    fn answers_are_written_in_the_model_order_with_members_and_timestamps() {
        let output = serde_json::json!({"TargetGroups": [{"TargetGroupName": "a<b", "Port": 80,
            "LoadBalancerArns": ["x"], "HealthCheckEnabled": true}]});
        let xml = elbv2().write_xml("DescribeTargetGroups", &output, "req-1");
        assert_eq!(
            xml,
            "<DescribeTargetGroupsResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">\
             <DescribeTargetGroupsResult><TargetGroups><member><HealthCheckEnabled>true</HealthCheckEnabled>\
             <LoadBalancerArns><member>x</member></LoadBalancerArns><Port>80</Port>\
             <TargetGroupName>a&lt;b</TargetGroupName></member></TargetGroups></DescribeTargetGroupsResult>\
             <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>"
        );
        assert_eq!(escape("a\u{1}<'b'>"), "a\u{fffd}&lt;'b'&gt;");
        assert_eq!(iso8601(1_796_673_900.5), "2026-12-07T20:05:00.500Z");
        assert_eq!(parse_iso8601("2026-12-07T20:05:00.5Z"), Some(1_796_673_900.5));
    }

    #[test]
    fn exception_shapes_have_their_wire_codes() {
        assert_eq!(
            elbv2().error("LoadBalancerNotFoundException"),
            Some(("LoadBalancerNotFound", 400))
        );
        assert!(elbv2().allows("DeleteTargetGroup", "ResourceInUseException"));
        assert!(!elbv2().allows("DescribeLoadBalancers", "ResourceInUseException"));
    }
}
