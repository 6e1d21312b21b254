//! IAM identity-based policies and their evaluation: may this principal perform this action on
//! these resources?
//!
//! # The language (a subset of IAM's)
//!
//! A policy is `{"Version": "2012-10-17", "Statement": [ ... ]}` (`Statement` may also be a single
//! object). A statement has `Effect` (`Allow` or `Deny`), `Action` or `NotAction` (a string or a
//! list), `Resource` or `NotResource` (a string or a list), and optionally `Sid` and `Condition`.
//! - Actions are `service:name` patterns compared without regard to case: `ecs:RunTask`,
//!   `ecs:Describe*`, `ecs:List????s`, `ecs:*`, or `*`.
//! - Resources are ARN patterns compared with regard to case: `*`,
//!   `arn:aws:ecs:us-east-1:000000000000:cluster/prod*`. `*` and `?` match across `:` and `/`.
//! - Conditions support one key, `ecs:cluster` (the ARN of the cluster the request acts in), with
//!   the operators `StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase`,
//!   `StringNotEqualsIgnoreCase`, `StringLike`, `StringNotLike`, `ArnEquals`, `ArnLike`,
//!   `ArnNotEquals`, `ArnNotLike` (each also with the `IfExists` suffix) and `Null`. As in IAM,
//!   several values of one key are alternatives (any may match); several keys or operators must
//!   all hold; a positive operator on an absent key is false and a negated one true.
//!
//! A document may nest at most [`MAX_DOCUMENT_DEPTH`] levels (a policy needs six) and hold at
//! most [`MAX_DOCUMENT_CHARS`] characters other than whitespace (IAM's limit for a managed
//! policy).
//!
//! Anything else (a `Principal`, another condition key, policy variables such as
//! `${aws:username}`) is refused when the policy is parsed rather than silently ignored.
//!
//! # Evaluation
//!
//! For each resource of the [`AuthzRequest`] (`*` when it names none):
//! 1. a statement *applies* when its action patterns match the action, its resource patterns
//!    cover the resource (below) and all its conditions hold;
//! 2. any applying `Deny` statement denies the resource (explicit deny), otherwise any applying
//!    `Allow` statement allows it, otherwise it is denied by default (implicit deny).
//!
//! The request is allowed when every resource is. Otherwise the decision names the first
//! explicitly denied resource if there is one, else the first implicitly denied one.
//!
//! **Resources inside a cluster.** A `Resource` list covers a resource when one of its patterns
//! matches the resource's ARN *or the ARN of the cluster the request acts in*
//! ([`AuthzRequest::cluster_arn`]); a `NotResource` list covers it when none of its patterns
//! matches either. So `"Resource": "arn:aws:ecs:*:*:cluster/dev-*"` grants the actions it names on
//! dev clusters and on every task, service and container instance in them, and a `Deny` on
//! `cluster/prod` denies them on everything in `prod`. In IAM the same scoping takes the
//! condition key `ecs:cluster`, which works here too.

mod glob;
mod parse;

use std::borrow::Cow;

use crate::AuthError;

use glob::Glob;

pub use parse::{MAX_DOCUMENT_CHARS, MAX_DOCUMENT_DEPTH, PolicyError};

/// A parsed, validated policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The ARN of a named (managed) policy, printed in explicit-deny messages as AWS does.
    /// Inline policies have none.
    pub arn: Option<String>,
    statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    effect: Effect,
    actions: Patterns,
    resources: Patterns,
    conditions: Vec<Condition>,
}

/// An `Action`/`Resource` list, or its `Not` form that matches everything the list does not.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Patterns {
    negated: bool,
    globs: Vec<Glob>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    StringEquals,
    StringEqualsIgnoreCase,
    /// `StringLike` and the `Arn*` operators: wildcards allowed, case kept.
    Like,
    /// `Null`: the value `true` means "the key is absent".
    Null,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Condition {
    operator: Operator,
    negated: bool,
    if_exists: bool,
    /// For `Null`, the one value `true` or `false`.
    values: Vec<Glob>,
}

/// One authorization question: may `principal` perform `action` on `resources`?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthzRequest<'a> {
    /// The caller's ARN, for the denial message.
    pub principal: String,
    /// `service:Operation`, e.g. `ecs:RunTask`.
    pub action: String,
    /// The ARNs the call acts on. Empty means `*`: calls that act on no particular resource
    /// (`ListClusters`, `RegisterTaskDefinition`) are checked against `*`, which only a `*`
    /// (or `NotResource`) statement covers, as in IAM. Borrowed where the request body names
    /// them whole, so that checking a call on many resources copies none of them.
    pub resources: Vec<Cow<'a, str>>,
    /// The cluster the call acts in, if any: the value of the `ecs:cluster` condition key and an
    /// alternative ARN every `Resource` pattern is tried against.
    pub cluster_arn: Option<String>,
}

/// The outcome of [`authorize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// No statement allows the action on `resource`.
    ImplicitDeny {
        resource: String,
    },
    /// A `Deny` statement applies to `resource`; `policy_arn` names its policy if it has an ARN.
    ExplicitDeny {
        resource: String,
        policy_arn: Option<String>,
    },
}

impl Policy {
    /// Parses a JSON policy document. `arn` names a managed policy (none for inline ones).
    pub fn from_json(text: &str, arn: Option<String>) -> Result<Policy, PolicyError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|error| PolicyError::document(format!("not valid JSON: {error}")))?;
        Policy::from_value(&value, arn)
    }

    /// Validates a policy document already parsed into JSON values (for example a TOML table
    /// converted with serde).
    ///
    /// A document nesting deeper than [`MAX_DOCUMENT_DEPTH`] or longer than
    /// [`MAX_DOCUMENT_CHARS`] is refused before it is read.
    pub fn from_value(
        value: &serde_json::Value,
        arn: Option<String>,
    ) -> Result<Policy, PolicyError> {
        parse::check_size(value)?;
        Ok(Policy { arn, statements: parse::statements(value)? })
    }

    /// A policy allowing everything (AWS's `AdministratorAccess`).
    pub fn allow_all(arn: Option<String>) -> Policy {
        Policy {
            arn,
            statements: vec![Statement {
                effect: Effect::Allow,
                actions: Patterns { negated: false, globs: vec![Glob::new("*", true)] },
                resources: Patterns { negated: false, globs: vec![Glob::new("*", false)] },
                conditions: Vec::new(),
            }],
        }
    }
}

impl Patterns {
    fn matches_any(&self, candidates: &[&str]) -> bool {
        let hit = self.globs.iter().any(|glob| candidates.iter().any(|text| glob.matches(text)));
        hit != self.negated
    }
}

impl Condition {
    fn holds(&self, cluster_arn: Option<&str>) -> bool {
        if self.operator == Operator::Null {
            let wants_absent = self.values.iter().any(|value| value.as_str() == "true");
            return cluster_arn.is_none() == wants_absent;
        }
        let Some(value) = cluster_arn else {
            return self.if_exists || self.negated;
        };
        let hit = self.values.iter().any(|expected| match self.operator {
            Operator::StringEquals => expected.as_str() == value,
            Operator::StringEqualsIgnoreCase => expected.as_str().eq_ignore_ascii_case(value),
            Operator::Like | Operator::Null => expected.matches(value),
        });
        hit != self.negated
    }
}

impl Statement {
    fn applies(&self, action: &str, resource: &str, cluster_arn: Option<&str>) -> bool {
        let candidates: &[&str] = match cluster_arn {
            Some(cluster) => &[resource, cluster],
            None => &[resource],
        };
        self.actions.matches_any(&[action])
            && self.resources.matches_any(candidates)
            && self.conditions.iter().all(|condition| condition.holds(cluster_arn))
    }
}

/// Evaluates `request` against `policies` (all the caller's policies together). See the module
/// documentation for the rules.
pub fn authorize(policies: &[Policy], request: &AuthzRequest<'_>) -> Decision {
    let wildcard = [Cow::Borrowed("*")];
    let resources: &[Cow<'_, str>] =
        if request.resources.is_empty() { &wildcard } else { &request.resources };
    let cluster_arn = request.cluster_arn.as_deref();
    let mut first_implicit = None;
    for resource in resources {
        let mut allowed = false;
        for policy in policies {
            for statement in &policy.statements {
                if !statement.applies(&request.action, resource, cluster_arn) {
                    continue;
                }
                match statement.effect {
                    Effect::Deny => {
                        return Decision::ExplicitDeny {
                            resource: resource.clone().into_owned(),
                            policy_arn: policy.arn.clone(),
                        };
                    }
                    Effect::Allow => allowed = true,
                }
            }
        }
        if !allowed && first_implicit.is_none() {
            first_implicit = Some(resource.clone().into_owned());
        }
    }
    match first_implicit {
        Some(resource) => Decision::ImplicitDeny { resource },
        None => Decision::Allow,
    }
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }

    /// The `AccessDeniedException` message in IAM's words, or `None` for [`Decision::Allow`]:
    /// `User: <arn> is not authorized to perform: <action> on resource: <arn> because no
    /// identity-based policy allows the <action> action`, or `... with an explicit deny in an
    /// identity-based policy` (followed by `: <policy arn>` for a named policy).
    pub fn access_denied_message(&self, request: &AuthzRequest<'_>) -> Option<String> {
        let AuthzRequest { principal, action, .. } = request;
        match self {
            Decision::Allow => None,
            Decision::ImplicitDeny { resource } => Some(format!(
                "User: {principal} is not authorized to perform: {action} on resource: {resource} \
                 because no identity-based policy allows the {action} action"
            )),
            Decision::ExplicitDeny { resource, policy_arn } => {
                let mut message = format!(
                    "User: {principal} is not authorized to perform: {action} on resource: \
                     {resource} with an explicit deny in an identity-based policy"
                );
                if let Some(arn) = policy_arn {
                    message.push_str(": ");
                    message.push_str(arn);
                }
                Some(message)
            }
        }
    }

    /// `Ok` when allowed, else the `AccessDeniedException` (HTTP 400) to return.
    pub fn into_result(self, request: &AuthzRequest<'_>) -> Result<(), AuthError> {
        match self.access_denied_message(request) {
            None => Ok(()),
            Some(message) => Err(AuthError::access_denied(message)),
        }
    }
}

#[cfg(test)]
mod tests;
