//! Placement strategies and constraints, and their conversion from ECS wire strings.
//!
//! The server builds these from `placementStrategy[]`/`placementConstraints[]`; the `Err(String)`
//! of `from_ecs` is the message of the `InvalidParameterException` it returns.

use std::fmt;

use crate::query::{self, Expr};

/// ECS's limit on a memberOf expression's length.
pub const MAX_EXPRESSION_CHARS: usize = 2000;

/// One placement strategy. Strategies apply in list order; see [`crate::plan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// Prefer the instance with the least remaining amount of the field that still fits the task.
    Binpack(BinpackField),
    /// Prefer the field value with the fewest tasks of the group.
    Spread(SpreadField),
    /// Pick uniformly at random among the instances the earlier strategies left tied.
    Random,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinpackField {
    Cpu,
    Memory,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpreadField {
    /// `instanceId`, or its alias `host`.
    InstanceId,
    /// `attribute:NAME`, holding NAME.
    Attribute(String),
}

impl Strategy {
    /// Parses an ECS `PlacementStrategy{type, field}`. Types are case-sensitive, as in ECS.
    pub fn from_ecs(type_: &str, field: Option<&str>) -> Result<Strategy, String> {
        match type_ {
            "binpack" => match field {
                Some("cpu") => Ok(Strategy::Binpack(BinpackField::Cpu)),
                Some("memory") => Ok(Strategy::Binpack(BinpackField::Memory)),
                Some(other) => Err(format!(
                    "Invalid field \"{other}\" for the binpack placement strategy; valid fields are cpu and memory."
                )),
                None => Err(
                    "The binpack placement strategy requires a field: cpu or memory.".to_owned(),
                ),
            },
            "spread" => match field {
                Some("instanceId") | Some("host") => Ok(Strategy::Spread(SpreadField::InstanceId)),
                Some(other) => match other.strip_prefix("attribute:") {
                    Some(name) if is_attribute_name(name) => {
                        Ok(Strategy::Spread(SpreadField::Attribute(name.to_owned())))
                    }
                    _ => Err(format!(
                        "Invalid field \"{other}\" for the spread placement strategy; valid fields are instanceId, host and attribute:<name>."
                    )),
                },
                None => Err(
                    "The spread placement strategy requires a field: instanceId, host or attribute:<name>."
                        .to_owned(),
                ),
            },
            "random" => match field {
                None => Ok(Strategy::Random),
                Some(_) => Err("The random placement strategy does not take a field.".to_owned()),
            },
            other => Err(format!(
                "Invalid placement strategy type \"{other}\"; valid types are binpack, spread and random."
            )),
        }
    }

    /// The ECS `(type, field)` pair.
    pub fn to_ecs(&self) -> (&'static str, Option<String>) {
        match self {
            Strategy::Binpack(BinpackField::Cpu) => ("binpack", Some("cpu".to_owned())),
            Strategy::Binpack(BinpackField::Memory) => ("binpack", Some("memory".to_owned())),
            Strategy::Spread(SpreadField::InstanceId) => ("spread", Some("instanceId".to_owned())),
            Strategy::Spread(SpreadField::Attribute(name)) => {
                ("spread", Some(format!("attribute:{name}")))
            }
            Strategy::Random => ("random", None),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_ecs() {
            (type_, Some(field)) => write!(f, "{type_}({field})"),
            (type_, None) => f.write_str(type_),
        }
    }
}

/// One placement constraint. Constraints are binding: an instance that fails one is not a candidate.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// Each task of the group on a different instance, counting the group's existing tasks.
    DistinctInstance,
    /// The instance must satisfy a cluster query language expression.
    MemberOf(Expr),
}

impl Constraint {
    /// Parses an ECS `PlacementConstraint{type, expression}`. Types are case-sensitive, as in ECS.
    pub fn from_ecs(type_: &str, expression: Option<&str>) -> Result<Constraint, String> {
        match type_ {
            "distinctInstance" => match expression {
                None => Ok(Constraint::DistinctInstance),
                Some(_) => {
                    Err("The distinctInstance placement constraint does not take an expression."
                        .to_owned())
                }
            },
            "memberOf" => {
                let expression = match expression {
                    Some(expression) if !expression.trim().is_empty() => expression,
                    _ => {
                        return Err(
                            "The memberOf placement constraint requires an expression.".to_owned()
                        );
                    }
                };
                let chars = expression.chars().count();
                if chars > MAX_EXPRESSION_CHARS {
                    return Err(format!(
                        "The memberOf expression is {chars} characters long; the maximum is {MAX_EXPRESSION_CHARS}."
                    ));
                }
                query::parse(expression)
                    .map(Constraint::MemberOf)
                    .map_err(|err| format!("Invalid memberOf expression: {err}."))
            }
            other => Err(format!(
                "Invalid placement constraint type \"{other}\"; valid types are distinctInstance and memberOf."
            )),
        }
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::DistinctInstance => f.write_str("distinctInstance"),
            Constraint::MemberOf(expr) => write!(f, "memberOf({expr})"),
        }
    }
}

/// Attribute names: 1–128 characters from `[A-Za-z0-9-_/.]`, as ECS allows for custom attributes.
pub(crate) fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_from_ecs() {
        assert_eq!(
            Strategy::from_ecs("binpack", Some("memory")),
            Ok(Strategy::Binpack(BinpackField::Memory))
        );
        assert_eq!(
            Strategy::from_ecs("binpack", Some("cpu")),
            Ok(Strategy::Binpack(BinpackField::Cpu))
        );
        assert_eq!(
            Strategy::from_ecs("spread", Some("host")),
            Ok(Strategy::Spread(SpreadField::InstanceId))
        );
        assert_eq!(
            Strategy::from_ecs("spread", Some("instanceId")),
            Ok(Strategy::Spread(SpreadField::InstanceId))
        );
        assert_eq!(
            Strategy::from_ecs("spread", Some("attribute:ecs.availability-zone")),
            Ok(Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned())))
        );
        assert_eq!(Strategy::from_ecs("random", None), Ok(Strategy::Random));
    }

    #[test]
    fn strategy_errors() {
        let cases = [
            (
                "Binpack",
                Some("memory"),
                "Invalid placement strategy type \"Binpack\"; valid types are binpack, spread and random.",
            ),
            (
                "binpack",
                Some("MEMORY"),
                "Invalid field \"MEMORY\" for the binpack placement strategy; valid fields are cpu and memory.",
            ),
            ("binpack", None, "The binpack placement strategy requires a field: cpu or memory."),
            (
                "spread",
                None,
                "The spread placement strategy requires a field: instanceId, host or attribute:<name>.",
            ),
            (
                "spread",
                Some("attribute:"),
                "Invalid field \"attribute:\" for the spread placement strategy; valid fields are instanceId, host and attribute:<name>.",
            ),
            (
                "spread",
                Some("zone"),
                "Invalid field \"zone\" for the spread placement strategy; valid fields are instanceId, host and attribute:<name>.",
            ),
            ("random", Some("cpu"), "The random placement strategy does not take a field."),
        ];
        for (type_, field, message) in cases {
            assert_eq!(
                Strategy::from_ecs(type_, field),
                Err(message.to_owned()),
                "{type_} {field:?}"
            );
        }
    }

    #[test]
    fn constraints_from_ecs() {
        assert_eq!(
            Constraint::from_ecs("distinctInstance", None),
            Ok(Constraint::DistinctInstance)
        );
        let member =
            Constraint::from_ecs("memberOf", Some("attribute:ecs.instance-type == t2.small"))
                .unwrap();
        assert_eq!(member.to_string(), "memberOf(attribute:ecs.instance-type == t2.small)");

        let cases = [
            ("distinctInstance", Some("x"), "The distinctInstance placement constraint does not take an expression.".to_owned()),
            ("memberOf", None, "The memberOf placement constraint requires an expression.".to_owned()),
            ("memberOf", Some("  "), "The memberOf placement constraint requires an expression.".to_owned()),
            ("MemberOf", Some("agentConnected == true"), "Invalid placement constraint type \"MemberOf\"; valid types are distinctInstance and memberOf.".to_owned()),
            ("memberOf", Some("attribute:ecs.instance-type"), "Invalid memberOf expression: expected an operator after \"attribute:ecs.instance-type\" at position 28.".to_owned()),
        ];
        for (type_, expression, message) in cases {
            assert_eq!(Constraint::from_ecs(type_, expression), Err(message), "{type_}");
        }
        let long = format!("attribute:a == {}", "x".repeat(1990));
        assert_eq!(
            Constraint::from_ecs("memberOf", Some(&long)),
            Err("The memberOf expression is 2005 characters long; the maximum is 2000.".to_owned())
        );
    }
}
