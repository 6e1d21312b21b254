//! Users, access keys, policies and throttling limits: the auth config file, parsed once into
//! validated values ([`RawAuthConfig`] mirrors the TOML, [`AuthConfig`] is what the server uses).
//!
//! The server reads the file and passes its text to [`parse`]; to reload, it parses the new text
//! and swaps the result in (a malformed file leaves the old config in place).
//!
//! ```toml
//! # Named policies users can attach. Each is a policy document, written either as a JSON string
//! # or as a TOML table with the same structure. Its ARN is arn:aws:iam::<account>:policy/<name>.
//! # "AdministratorAccess" (allow everything) exists without being defined.
//! [managed-policies]
//! ecs-read-only = '''
//! {"Version": "2012-10-17",
//!  "Statement": [{"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"], "Resource": "*"}]}
//! '''
//! no-prod = { Statement = [{ Effect = "Deny", Action = "ecs:*", Resource = "arn:aws:ecs:*:*:cluster/prod" }] }
//!
//! [[users]]
//! name = "admin"
//! managed-policies = ["AdministratorAccess"]
//! [[users.keys]]
//! access-key-id = "AKIAADMIN00000000001"
//! secret-access-key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
//!
//! [[users]]
//! name = "alice"
//! # arn = "arn:aws:iam::000000000000:user/alice"   (the default: arn:aws:iam::<account>:user/<name>)
//! managed-policies = ["ecs-read-only", "no-prod"]
//! policies = [
//!   '''{"Statement": {"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:cluster/dev-*"}}''',
//!   { Statement = [{ Effect = "Allow", Action = "ecs:RegisterTaskDefinition", Resource = "*" }] },
//! ]
//! [[users.keys]]
//! access-key-id = "AKIAALICE00000000001"
//! secret-access-key = "..."
//! # session-token = "..."   (temporary credentials: requests must then send it, signed)
//!
//! # Optional; these are the defaults.
//! [throttle]
//! enabled = true
//! per = "access-key"            # or "account": one set of buckets for every caller, as ECS does
//! [throttle.limits]             # any of the 19 categories, e.g.
//! cluster-read = { burst = 50, sustained = 20 }
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::policy::{AuthzRequest, Policy, PolicyError};
use crate::sigv4::{KeyEntry, KeyLookup};
use crate::throttle::{Category, Limit, ThrottleConfig, ThrottleScope};
use crate::{AuthError, Secret};

/// The name under which every config offers an allow-everything policy, as AWS's managed
/// `AdministratorAccess`.
pub const ADMINISTRATOR_ACCESS: &str = "AdministratorAccess";

/// The config file as written. Public so the server can embed it in a larger file (as an
/// `[auth]` table, say) and call [`AuthConfig::from_raw`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawAuthConfig {
    #[serde(default)]
    pub managed_policies: BTreeMap<String, toml::Value>,
    #[serde(default)]
    pub users: Vec<RawUser>,
    pub throttle: Option<RawThrottle>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawUser {
    pub name: String,
    pub arn: Option<String>,
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// Inline policies: JSON strings or TOML tables.
    #[serde(default)]
    pub policies: Vec<toml::Value>,
    #[serde(default)]
    pub keys: Vec<RawKey>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawKey {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawThrottle {
    pub enabled: Option<bool>,
    pub per: Option<String>,
    #[serde(default)]
    pub limits: BTreeMap<String, RawLimit>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawLimit {
    pub burst: f64,
    pub sustained: f64,
}

/// What is wrong with the config; every variant names the user, key, policy or category.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not TOML, or not the expected shape. Only the parser's message and position are kept: the
    /// offending line might hold a secret.
    #[error("the auth config is not valid: {message} (line {line}, column {column})")]
    Toml { message: String, line: usize, column: usize },
    #[error("user name {name:?} is not valid (1 to 64 letters, digits and the characters +=,.@_-)")]
    UserName { name: String },
    #[error("user `{user}` is defined twice")]
    DuplicateUser { user: String },
    #[error("user `{user}`: {arn:?} is not an ARN (arn:aws:iam::<account>:user/<name>)")]
    UserArn { user: String, arn: String },
    #[error(
        "user `{user}`: access key id {access_key_id:?} is not valid \
         (1 to 128 letters, digits and the characters _.-)"
    )]
    AccessKeyId { user: String, access_key_id: String },
    #[error("user `{user}`, access key `{access_key_id}`: the secret access key is empty")]
    EmptySecret { user: String, access_key_id: String },
    #[error("access key `{access_key_id}` is defined twice (users `{first}` and `{second}`)")]
    DuplicateAccessKey { access_key_id: String, first: String, second: String },
    #[error(
        "managed policy name {name:?} is not valid (1 to 128 letters, digits and the characters +=,.@_-)"
    )]
    ManagedPolicyName { name: String },
    #[error("managed policy `{name}` is not valid")]
    ManagedPolicy {
        name: String,
        #[source]
        source: PolicyError,
    },
    #[error("user `{user}`: unknown managed policy `{name}`")]
    UnknownManagedPolicy { user: String, name: String },
    #[error("user `{user}`, inline policy #{index} is not valid")]
    InlinePolicy {
        user: String,
        index: usize,
        #[source]
        source: PolicyError,
    },
    #[error("throttle: unknown category `{name}` (known: {known})")]
    UnknownCategory { name: String, known: String },
    #[error(
        "throttle: category `{category}`: burst must be at least 1 and sustained a positive \
         number of calls per second, got burst = {burst}, sustained = {sustained}"
    )]
    Limit { category: String, burst: f64, sustained: f64 },
    #[error("throttle: `per` must be \"access-key\" or \"account\", got {per:?}")]
    ThrottleScope { per: String },
}

/// A user: who calls (name, ARN), with which keys, under which policies.
#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub arn: String,
    pub keys: Vec<AccessKey>,
    /// Managed policies first (in the order listed), then inline ones.
    pub policies: Vec<Policy>,
}

/// An access key. Its `Debug` output shows the id but not the secret or token.
#[derive(Debug, Clone)]
pub struct AccessKey {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

/// The validated auth config.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub account_id: String,
    pub users: Vec<User>,
    pub throttle: ThrottleConfig,
    /// Access key id → (user index, key index).
    keys: HashMap<String, (usize, usize)>,
    /// User name → user index.
    user_index: HashMap<String, usize>,
}

/// Parses the auth config file's text. `account_id` is the account the server plays, used in
/// default user ARNs and managed-policy ARNs.
pub fn parse(text: &str, account_id: &str) -> Result<AuthConfig, ConfigError> {
    let raw: RawAuthConfig = toml::from_str(text).map_err(|error| {
        let (line, column) = error.span().map_or((0, 0), |span| line_and_column(text, span.start));
        ConfigError::Toml { message: error.message().trim().to_owned(), line, column }
    })?;
    AuthConfig::from_raw(raw, account_id)
}

/// 1-based line and column of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
    (line, column)
}

fn valid_name(name: &str, max: usize) -> bool {
    (1..=max).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// A policy written in the config, as a JSON string or a TOML table, validated.
fn policy_from_toml(value: &toml::Value, arn: Option<String>) -> Result<Policy, PolicyError> {
    match value {
        toml::Value::String(json) => Policy::from_json(json, arn),
        toml::Value::Table(_) => {
            let json = serde_json::to_value(value).map_err(|error| {
                PolicyError::document(format!("cannot be read as a policy document: {error}"))
            })?;
            Policy::from_value(&json, arn)
        }
        other => Err(PolicyError::document(format!(
            "a policy must be a JSON string or a table, got a {}",
            other.type_str()
        ))),
    }
}

impl AuthConfig {
    /// Validates a parsed config file.
    pub fn from_raw(raw: RawAuthConfig, account_id: &str) -> Result<AuthConfig, ConfigError> {
        let mut managed = HashMap::new();
        for (name, value) in &raw.managed_policies {
            if !valid_name(name, 128) {
                return Err(ConfigError::ManagedPolicyName { name: name.clone() });
            }
            let arn = format!("arn:aws:iam::{account_id}:policy/{name}");
            let policy = policy_from_toml(value, Some(arn))
                .map_err(|source| ConfigError::ManagedPolicy { name: name.clone(), source })?;
            managed.insert(name.as_str(), policy);
        }
        let administrator =
            Policy::allow_all(Some(format!("arn:aws:iam::aws:policy/{ADMINISTRATOR_ACCESS}")));

        let mut users = Vec::with_capacity(raw.users.len());
        let mut keys = HashMap::new();
        let mut user_index = HashMap::new();
        for raw_user in raw.users {
            let name = raw_user.name;
            if !valid_name(&name, 64) {
                return Err(ConfigError::UserName { name });
            }
            if user_index.contains_key(&name) {
                return Err(ConfigError::DuplicateUser { user: name });
            }
            let arn =
                raw_user.arn.unwrap_or_else(|| format!("arn:aws:iam::{account_id}:user/{name}"));
            if !arn.starts_with("arn:") || arn.split(':').count() < 6 {
                return Err(ConfigError::UserArn { user: name, arn });
            }

            let mut policies = Vec::new();
            for policy_name in &raw_user.managed_policies {
                let policy = match managed.get(policy_name.as_str()) {
                    Some(policy) => policy,
                    None if policy_name == ADMINISTRATOR_ACCESS => &administrator,
                    None => {
                        return Err(ConfigError::UnknownManagedPolicy {
                            user: name,
                            name: policy_name.clone(),
                        });
                    }
                };
                policies.push(policy.clone());
            }
            for (index, value) in raw_user.policies.iter().enumerate() {
                let policy = policy_from_toml(value, None).map_err(|source| {
                    ConfigError::InlinePolicy { user: name.clone(), index: index + 1, source }
                })?;
                policies.push(policy);
            }

            let mut user_keys = Vec::with_capacity(raw_user.keys.len());
            for raw_key in raw_user.keys {
                let access_key_id = raw_key.access_key_id;
                let valid_id = (1..=128).contains(&access_key_id.len())
                    && access_key_id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
                if !valid_id {
                    return Err(ConfigError::AccessKeyId { user: name, access_key_id });
                }
                if raw_key.secret_access_key.expose().is_empty() {
                    return Err(ConfigError::EmptySecret { user: name, access_key_id });
                }
                if let Some(&(first, _)) = keys.get(&access_key_id) {
                    let first: &User = &users[first];
                    return Err(ConfigError::DuplicateAccessKey {
                        access_key_id,
                        first: first.name.clone(),
                        second: name,
                    });
                }
                keys.insert(access_key_id.clone(), (users.len(), user_keys.len()));
                user_keys.push(AccessKey {
                    access_key_id,
                    secret_access_key: raw_key.secret_access_key,
                    session_token: raw_key.session_token,
                });
            }
            user_index.insert(name.clone(), users.len());
            users.push(User { name, arn, keys: user_keys, policies });
        }

        let throttle = match raw.throttle {
            Some(raw) => throttle_config(raw)?,
            None => ThrottleConfig::ecs_defaults(),
        };
        Ok(AuthConfig { account_id: account_id.to_owned(), users, throttle, keys, user_index })
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.user_index.get(name).map(|&index| &self.users[index])
    }

    /// The policies of user `name`; none (so everything is denied) for an unknown user, such as
    /// one removed by a reload while its request was in flight.
    pub fn policies_of(&self, name: &str) -> &[Policy] {
        self.user(name).map_or(&[], |user| &user.policies)
    }

    /// Authorizes `request` for user `name`: `Ok`, or the `AccessDeniedException`.
    pub fn authorize(&self, name: &str, request: &AuthzRequest<'_>) -> Result<(), AuthError> {
        crate::authorize(self.policies_of(name), request).into_result(request)
    }

    /// Whether `access_key_id` belongs to some user (for [`crate::throttle::Throttle::reconfigure`]).
    pub fn has_key(&self, access_key_id: &str) -> bool {
        self.keys.contains_key(access_key_id)
    }
}

impl KeyLookup for AuthConfig {
    fn key(&self, access_key_id: &str) -> Option<KeyEntry<'_>> {
        let &(user_index, key_index) = self.keys.get(access_key_id)?;
        let user = &self.users[user_index];
        let key = &user.keys[key_index];
        Some(KeyEntry {
            secret_access_key: &key.secret_access_key,
            session_token: key.session_token.as_ref(),
            user: &user.name,
            principal_arn: &user.arn,
        })
    }
}

fn throttle_config(raw: RawThrottle) -> Result<ThrottleConfig, ConfigError> {
    let mut config = ThrottleConfig::ecs_defaults();
    if let Some(enabled) = raw.enabled {
        config.enabled = enabled;
    }
    config.scope = match raw.per.as_deref() {
        None | Some("access-key") => ThrottleScope::AccessKey,
        Some("account") => ThrottleScope::Account,
        Some(other) => return Err(ConfigError::ThrottleScope { per: other.to_owned() }),
    };
    for (name, limit) in raw.limits {
        let Some(category) = Category::from_name(&name) else {
            let known: Vec<&str> = Category::ALL.iter().map(|category| category.name()).collect();
            return Err(ConfigError::UnknownCategory { name, known: known.join(", ") });
        };
        let RawLimit { burst, sustained } = limit;
        if !(burst >= 1.0 && burst.is_finite() && sustained > 0.0 && sustained.is_finite()) {
            return Err(ConfigError::Limit { category: name, burst, sustained });
        }
        config.set_limit(category, Limit { burst, sustained });
    }
    Ok(config)
}

#[cfg(test)]
mod tests;
