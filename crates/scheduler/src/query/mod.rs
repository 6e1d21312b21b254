//! The ECS cluster query language, used by `memberOf` constraints and `ListContainerInstances --filter`.
//!
//! [`parse`] turns an expression into an [`Expr`], checking each subject's operators and typing its
//! literals (versions, dates, counts, regexes) once, so that evaluation never fails and never
//! compiles anything. [`Expr::eval`] works on anything that implements [`QueryTarget`]: the planner's
//! [`Instance`], its working view of an instance during a plan, or the server's own records.
//!
//! Limits: an expression is at most [`MAX_LENGTH`] characters long and nests parentheses at most
//! [`MAX_DEPTH`] deep; [`parse`] refuses anything beyond either before reading it, and keeps the
//! nesting on its own stack, so no expression can exhaust a thread's stack.
//!
//! Semantics worth knowing (ECS leaves them unsaid; these are Berth's choices):
//! - `and` binds tighter than `or`; `not(...)`/`!(...)` needs parentheses.
//! - `!=`, `!in` and `!~` are the negations of `==`, `in` and `=~`, except on `task:group`, where every
//!   operator means "some task on the instance has a group that satisfies it" (an instance without
//!   tasks satisfies none of them); write `not(task:group == x)` for "no task of group x".
//! - An attribute that is absent satisfies `!exists`, `!=`, `!in` and `!~` and nothing else. An
//!   attribute without a value (a capability) has the empty string as its value for the other operators.
//! - `=~`/`!~` match the whole string, like Java's `String.matches`, with Rust `regex` syntax (no
//!   look-around or back-references).
//! - Ordering operators on `attribute:` compare numerically when the literal is a number (a value
//!   that is not a number then satisfies none of them), else as text.
//!   `agentVersion` compares dotted versions (`1.14` == `1.14.0`); `registeredAt` compares to the
//!   second; `runningTasksCount` counts every task the snapshot lists on the instance, pending included.

mod parse;
#[cfg(test)]
mod tests;
mod value;

use std::cmp::Ordering;
use std::fmt;

use regex::Regex;

use crate::model::Instance;

pub use self::parse::{MAX_DEPTH, MAX_LENGTH, ParseError, ParseErrorKind, parse};
use self::value::Version;
pub use self::value::parse_time;

/// A parsed cluster query language expression.
#[derive(Debug, Clone, PartialEq)]
///
/// A chain of `and`s (or of `or`s) is one node with every operand, never a chain of nested
/// nodes, so that the tree is only as deep as the parentheses nest (at most [`MAX_DEPTH`]) and
/// a long chain costs no recursion. Parsing flattens `(a and b) and c` into one `And` too, so the
/// canonical text reads back to an equal tree.
pub enum Expr {
    /// Every operand holds (two or more operands, none of them an `And`).
    And(Vec<Expr>),
    /// Some operand holds (two or more operands, none of them an `Or`).
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Term(Term),
}

/// `subject operator [argument]`, with its argument already typed for evaluation.
#[derive(Debug, Clone)]
pub struct Term {
    pub subject: Subject,
    pub operator: Operator,
    pub argument: Argument,
    check: Check,
}

impl PartialEq for Term {
    fn eq(&self, other: &Term) -> bool {
        self.subject == other.subject
            && self.operator == other.operator
            && self.argument == other.argument
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    AgentConnected,
    AgentVersion,
    Ec2InstanceId,
    RegisteredAt,
    RunningTasksCount,
    TaskGroup,
    Attribute(String),
}

impl Subject {
    /// The operators ECS documents for the subject.
    pub fn allows(&self, operator: Operator) -> bool {
        use Operator::*;
        match self {
            Subject::AgentConnected | Subject::Ec2InstanceId | Subject::TaskGroup => {
                matches!(operator, Eq | Ne | In | NotIn | Matches | NotMatches)
            }
            Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount => {
                matches!(operator, Eq | Ne | Gt | Ge | Lt | Le)
            }
            Subject::Attribute(_) => true,
        }
    }

    pub(crate) fn allowed_list(&self) -> &'static str {
        match self {
            Subject::AgentConnected | Subject::Ec2InstanceId | Subject::TaskGroup => {
                "==, !=, in, !in, =~ and !~"
            }
            Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount => {
                "==, !=, >, >=, < and <="
            }
            Subject::Attribute(_) => "every operator",
        }
    }

    /// Whether the subject's value changes when tasks are placed on the instance.
    pub fn is_dynamic(&self) -> bool {
        matches!(self, Subject::RunningTasksCount | Subject::TaskGroup)
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::AgentConnected => f.write_str("agentConnected"),
            Subject::AgentVersion => f.write_str("agentVersion"),
            Subject::Ec2InstanceId => f.write_str("ec2InstanceId"),
            Subject::RegisteredAt => f.write_str("registeredAt"),
            Subject::RunningTasksCount => f.write_str("runningTasksCount"),
            Subject::TaskGroup => f.write_str("task:group"),
            Subject::Attribute(name) => write!(f, "attribute:{name}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Exists,
    NotExists,
    In,
    NotIn,
    Matches,
    NotMatches,
}

impl Operator {
    /// The symbol form (`exists`, `!exists`, `in` and `!in` are their own symbols).
    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Eq => "==",
            Operator::Ne => "!=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Exists => "exists",
            Operator::NotExists => "!exists",
            Operator::In => "in",
            Operator::NotIn => "!in",
            Operator::Matches => "=~",
            Operator::NotMatches => "!~",
        }
    }

    pub(crate) fn from_token(token: &str) -> Option<Operator> {
        Some(match token {
            "==" | "equals" => Operator::Eq,
            "!=" | "not_equals" => Operator::Ne,
            ">" | "greater_than" => Operator::Gt,
            ">=" | "greater_than_equal" => Operator::Ge,
            "<" | "less_than" => Operator::Lt,
            "<=" | "less_than_equal" => Operator::Le,
            "exists" => Operator::Exists,
            "!exists" | "not_exists" => Operator::NotExists,
            "in" => Operator::In,
            "!in" | "not_in" => Operator::NotIn,
            "=~" | "matches" => Operator::Matches,
            "!~" | "not_matches" => Operator::NotMatches,
            _ => return None,
        })
    }

    fn takes_argument(self) -> bool {
        !matches!(self, Operator::Exists | Operator::NotExists)
    }
}

/// The argument as written (unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Argument {
    None,
    Value(String),
    List(Vec<String>),
}

/// The compiled form of a term's operator and argument.
#[derive(Debug, Clone)]
enum Check {
    /// `exists`, or `!exists` when `negate`.
    Exists { negate: bool },
    /// `==`/`in` (and their negations, as `negate`) against text values.
    OneOf { values: Vec<String>, negate: bool },
    /// `=~`/`!~`: the regex is anchored at both ends.
    Regex { regex: Regex, negate: bool },
    /// `==`, `!=`, `>`, ... against a typed value.
    Compare { operator: Operator, value: Typed },
}

#[derive(Debug, Clone)]
enum Typed {
    Version(Version),
    /// Whole epoch seconds.
    Time(i64),
    Count(u64),
    /// An attribute value: a number when it parses as one.
    Text {
        text: String,
        number: Option<f64>,
    },
}

/// What an expression can ask about a container instance.
///
/// The server implements it for its container-instance records to filter `ListContainerInstances`
/// without building a [`Instance`].
pub trait QueryTarget {
    /// `None` when the attribute is absent, `Some(None)` when it is present without a value.
    fn attribute(&self, name: &str) -> Option<Option<&str>>;
    fn agent_connected(&self) -> bool;
    fn agent_version(&self) -> &str;
    fn ec2_instance_id(&self) -> &str;
    /// Epoch seconds.
    fn registered_at(&self) -> f64;
    fn running_tasks_count(&self) -> u64;
    /// Whether some task on the instance has a group for which `predicate` holds.
    fn any_task_group(&self, predicate: &mut dyn FnMut(&str) -> bool) -> bool;
}

impl QueryTarget for Instance {
    fn attribute(&self, name: &str) -> Option<Option<&str>> {
        self.attributes.get(name).map(|value| value.as_deref())
    }
    fn agent_connected(&self) -> bool {
        self.agent_connected
    }
    fn agent_version(&self) -> &str {
        &self.agent_version
    }
    fn ec2_instance_id(&self) -> &str {
        &self.ec2_instance_id
    }
    fn registered_at(&self) -> f64 {
        self.registered_at
    }
    fn running_tasks_count(&self) -> u64 {
        self.tasks.len() as u64
    }
    fn any_task_group(&self, predicate: &mut dyn FnMut(&str) -> bool) -> bool {
        self.tasks.iter().any(|task| predicate(&task.group))
    }
}

impl Expr {
    /// Whether `instance` satisfies the expression.
    pub fn matches(&self, instance: &Instance) -> bool {
        self.eval(instance)
    }

    /// Evaluates the expression against any [`QueryTarget`].
    pub fn eval<T: QueryTarget + ?Sized>(&self, target: &T) -> bool {
        match self {
            Expr::And(operands) => operands.iter().all(|operand| operand.eval(target)),
            Expr::Or(operands) => operands.iter().any(|operand| operand.eval(target)),
            Expr::Not(inner) => !inner.eval(target),
            Expr::Term(term) => term.eval(target),
        }
    }

    /// Whether the expression mentions a subject that placing a task changes
    /// (`runningTasksCount`, `task:group`).
    pub fn is_dynamic(&self) -> bool {
        match self {
            Expr::And(operands) | Expr::Or(operands) => operands.iter().any(Expr::is_dynamic),
            Expr::Not(inner) => inner.is_dynamic(),
            Expr::Term(term) => term.subject.is_dynamic(),
        }
    }
}

impl Term {
    fn eval<T: QueryTarget + ?Sized>(&self, target: &T) -> bool {
        match &self.subject {
            Subject::TaskGroup => target.any_task_group(&mut |group| self.check.holds(Some(group))),
            Subject::Attribute(name) => match target.attribute(name) {
                Some(value) => self.check.holds(Some(value.unwrap_or(""))),
                None => self.check.holds_for_absent(),
            },
            Subject::AgentConnected => {
                self.check.holds(Some(if target.agent_connected() { "true" } else { "false" }))
            }
            Subject::Ec2InstanceId => self.check.holds(Some(target.ec2_instance_id())),
            Subject::AgentVersion => self.check.compare(|value| match value {
                Typed::Version(version) => {
                    Some(Version::parse_lenient(target.agent_version()).cmp(version))
                }
                _ => None,
            }),
            Subject::RegisteredAt => self.check.compare(|value| match value {
                Typed::Time(seconds) => Some((target.registered_at().floor() as i64).cmp(seconds)),
                _ => None,
            }),
            Subject::RunningTasksCount => self.check.compare(|value| match value {
                Typed::Count(count) => Some(target.running_tasks_count().cmp(count)),
                _ => None,
            }),
        }
    }
}

impl Check {
    /// Evaluates a text-valued subject that is present.
    fn holds(&self, value: Option<&str>) -> bool {
        let Some(value) = value else {
            return self.holds_for_absent();
        };
        match self {
            Check::Exists { negate } => !*negate,
            Check::OneOf { values, negate } => values.iter().any(|v| v == value) != *negate,
            Check::Regex { regex, negate } => regex.is_match(value) != *negate,
            Check::Compare { operator, value: typed } => match typed {
                Typed::Text { text, number } => {
                    let ordering = match number {
                        Some(literal) => value
                            .trim()
                            .parse::<f64>()
                            .ok()
                            .and_then(|actual| actual.partial_cmp(literal)),
                        None => Some(value.cmp(text.as_str())),
                    };
                    ordering.is_some_and(|ordering| ordering_satisfies(*operator, ordering))
                }
                _ => false,
            },
        }
    }

    /// An absent attribute satisfies only the negative operators.
    fn holds_for_absent(&self) -> bool {
        match self {
            Check::Compare { .. } => false,
            Check::Exists { negate }
            | Check::OneOf { negate, .. }
            | Check::Regex { negate, .. } => *negate,
        }
    }

    fn compare(&self, ordering_of: impl FnOnce(&Typed) -> Option<Ordering>) -> bool {
        match self {
            Check::Compare { operator, value } => {
                ordering_of(value).is_some_and(|ordering| ordering_satisfies(*operator, ordering))
            }
            _ => false,
        }
    }
}

fn ordering_satisfies(operator: Operator, ordering: Ordering) -> bool {
    match operator {
        Operator::Eq => ordering == Ordering::Equal,
        Operator::Ne => ordering != Ordering::Equal,
        Operator::Gt => ordering == Ordering::Greater,
        Operator::Ge => ordering != Ordering::Less,
        Operator::Lt => ordering == Ordering::Less,
        Operator::Le => ordering != Ordering::Greater,
        _ => false,
    }
}

impl fmt::Display for Expr {
    /// A canonical rendering that [`parse`] reads back to an equal expression.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Term(term) => write!(f, "{term}"),
            Expr::Not(inner) => write!(f, "not({inner})"),
            Expr::And(operands) => {
                for (index, operand) in operands.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" and ")?;
                    }
                    match operand {
                        Expr::Or(..) => write!(f, "({operand})")?,
                        _ => write!(f, "{operand}")?,
                    }
                }
                Ok(())
            }
            Expr::Or(operands) => {
                for (index, operand) in operands.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "{operand}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.subject, self.operator.symbol())?;
        match &self.argument {
            Argument::None => Ok(()),
            Argument::Value(value) => write!(f, " {}", quote(value)),
            Argument::List(values) => {
                f.write_str(" [")?;
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&quote(value))?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Quotes a literal when it would not read back unquoted.
fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.starts_with(['\'', '"', '['])
        && !value.contains(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ']'));
    if plain {
        value.to_owned()
    } else {
        let escaped = value.replace('\\', "\\\\").replace('\'', "\\'");
        format!("'{escaped}'")
    }
}
