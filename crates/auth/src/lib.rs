//! Who may call the ECS API, and how often: the authentication and authorization core of Berth.
//!
//! The crate answers four questions about a request, each with a pure function:
//!
//! 1. **Is it signed by a known key?** [`verify`] checks an AWS Signature Version 4
//!    `Authorization` header the way AWS does (canonical request over exactly the headers named
//!    in `SignedHeaders`, credential scope, 15-minute clock skew, session tokens) and returns the
//!    caller's [`Identity`].
//! 2. **Do the caller's policies allow the action?** [`authorize`] evaluates IAM JSON policies
//!    (a subset: `Allow`/`Deny`, `Action`/`NotAction`, `Resource`/`NotResource`, wildcards, and
//!    the `ecs:cluster` condition key) and returns a [`Decision`].
//! 3. **Who are the users?** [`config::parse`] reads users, access keys, policies and throttling
//!    limits from TOML text into a validated [`AuthConfig`].
//! 4. **Is the caller going too fast?** [`throttle::Throttle`] keeps one token bucket per access
//!    key and ECS rate-limit category.
//!
//! # Architecture invariant
//!
//! No IO, no clock, no global state. The caller hands in the request (headers, body), the config
//! text and the current time; the crate hands back values. That keeps every rule testable at the
//! unit level and lets the server reload the config by parsing a new text and swapping values.
//!
//! # Using it from the server
//!
//! ```text
//! startup / reload:  config = auth::config::parse(&file_text, &account_id)?      (keep in an Arc, swap on reload)
//!                    throttle = Throttle::new(config.throttle.clone())            (behind a mutex;
//!                    on reload: throttle.reconfigure(new.throttle.clone(), |key| new.has_key(key)))
//! every request:     identity = auth::verify(&SignedRequest { method, path, query, headers, body },
//!                                            &*config, region, now_epoch_seconds)?
//!                    throttle.check(&identity.access_key_id, operation_name, now_seconds_f64)?
//!                    config.authorize(&identity.user, &AuthzRequest { principal: identity.principal_arn,
//!                                     action: format!("ecs:{operation_name}"), resources, cluster_arn })?
//! ```
//!
//! - `headers`: every header as received, names lowercased, values as received (one entry per
//!   value of a repeated header); `host` must be there (on HTTP/2, put `:authority` as `host`).
//!   A proxy in front of the server must keep `Host` and the signed headers unchanged.
//! - `body`: the whole body, read before verifying.
//! - `region`: the region the server plays (its config's `region`); the credential scope must
//!   name it.
//! - `now`: the server's clock in epoch seconds.
//!
//! Each step's error is an [`AuthError`]: write `{"__type": code, "message": message}` with
//! `status`, like any other ECS error.
//!
//! **What to authorize against** (a suggestion that follows the resource types AWS documents for
//! ECS actions; the server decides): the ARNs the call acts on as `resources`, and the cluster it
//! acts in as `cluster_arn`.
//! - `DescribeClusters`, `DeleteCluster`, `UpdateCluster`...: the cluster ARNs; `cluster_arn` too
//!   when there is one cluster.
//! - `RunTask`, `StartTask`: the task definition ARN, `cluster_arn` the cluster (as in AWS,
//!   where the denial then names the task definition; pass the cluster ARN as the resource
//!   instead for denials that name the cluster).
//! - `StopTask`, `DescribeTasks`, services, container instances: their ARNs and the cluster.
//! - `ListTasks`, `ListServices`, `ListContainerInstances`, `ListAttributes`: no resources (so `*`)
//!   and the cluster.
//! - `ListClusters`, `RegisterTaskDefinition`, `DescribeTaskDefinition`, account settings: no
//!   resources and no cluster.
//!
//! # Errors
//!
//! Every refusal is an [`AuthError`] carrying the AWS error code, its HTTP status and AWS's
//! message, ready to be written as `{"__type": code, "message": message}`.

mod error;
mod secret;

pub mod config;
pub mod policy;
pub mod sigv4;
pub mod throttle;

pub use config::{AuthConfig, ConfigError, User};
pub use error::AuthError;
pub use policy::{AuthzRequest, Decision, Policy, authorize};
pub use secret::Secret;
pub use sigv4::{Identity, KeyEntry, KeyLookup, SignedRequest, verify, verify_for};
