//! Who is calling: the identity a request acts as, and agent credentials.
//!
//! Agents hold two kinds of token, both derived from the control plane's agent secret (the
//! control plane stores no tokens):
//! - the **cluster token** `<cluster>.<hex HMAC-SHA256>`, given to an agent by its operator, is
//!   good for one thing: registering a new container instance into that cluster;
//! - the **instance token** `<cluster>/<instance id>.<hex HMAC-SHA256>`, returned by that
//!   registration in the `x-berth-instance-token` header, is good for acting as that instance
//!   only: re-registering it, polling its desired tasks, reporting on the tasks placed on it and
//!   shipping their logs.
//!
//! A token for one cluster or instance is worthless for another, and neither is worth anything
//! outside the agent operations. An instance token acts only while its instance is registered:
//! once the instance is deregistered every operation refuses it with `ClientException`, and
//! the agent registers a new instance with its cluster's token.
//!
//! RegisterContainerInstance is also an ordinary ECS action: a principal whose policies allow
//! `ecs:RegisterContainerInstance` on the cluster (or anyone, as the root user, when access
//! control is off) registers instances that no agent holds yet. Such an instance gets no token;
//! its agent adopts it later with the cluster's token, naming it in `containerInstanceArn`, and
//! only then receives the instance's token ([`Registrant`]).

use hmac::{KeyInit, Mac};
use sha2::Sha256;

use api::{ApiError, ErrorCode};

use crate::Ctx;
use crate::records::InstanceStatus;

/// The identity of a request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller {
    /// The cluster whose agent token the request carried, if it carried a valid one (a cluster
    /// token or an instance token).
    pub(crate) agent_cluster: Option<String>,
    /// The container instance (id) whose instance token the request carried.
    pub(crate) agent_instance: Option<String>,
    /// Who signed the request, when access control is on.
    pub(crate) identity: Option<auth::Identity>,
    /// The request carried an agent token that is not valid (forged, or minted with another
    /// secret): it acts as no agent, and an agent operation refuses it rather than serve it as
    /// a user's.
    pub(crate) invalid_agent_token: bool,
}

impl Caller {
    /// The identity a request carries.
    pub(crate) fn from_headers(ctx: &Ctx, headers: &axum::http::HeaderMap) -> Caller {
        let presented = headers.get(api::agent::TOKEN_HEADER);
        let agent = presented.and_then(|v| v.to_str().ok()).and_then(|token| {
            crate::caller::verify_agent_token(&ctx.options().agent_secret, token)
        });
        let invalid_agent_token = presented.is_some() && agent.is_none();
        let (agent_cluster, agent_instance) = agent.map_or((None, None), |(c, i)| (Some(c), i));
        Caller { agent_cluster, agent_instance, identity: None, invalid_agent_token }
    }
}

/// One request being served: the context plus the caller. A handler that does not care who
/// calls takes `&Ctx` (see [`FromCall`]); one that does takes `&Call`, and only `Call` knows the
/// principal a request acts as.
pub(crate) struct Call<'a> {
    pub(crate) ctx: &'a Ctx,
    pub(crate) caller: Caller,
    /// Headers the operation adds to its response.
    pub(crate) response_headers: parking_lot::Mutex<Vec<(&'static str, String)>>,
}

impl<'a> Call<'a> {
    /// The principal the request acts as: the signer, or the account's root user when access
    /// control is off.
    pub(crate) fn principal_arn(&self) -> String {
        match &self.caller.identity {
            Some(identity) => identity.principal_arn.clone(),
            None => self.ctx.account_root_arn(),
        }
    }

    pub(crate) fn new(ctx: &'a Ctx, caller: Caller) -> Call<'a> {
        Call { ctx, caller, response_headers: parking_lot::Mutex::new(Vec::new()) }
    }

    /// Who registers a container instance of `cluster` with this request. A request with an
    /// agent token acts as that agent, for the token's own cluster only; one without acts as
    /// the principal it was authorized for (authorization ran before the handler).
    pub(crate) fn registrant(&self, cluster: &str) -> Result<Registrant, ApiError> {
        if self.caller.invalid_agent_token {
            return Err(ApiError::new(
                ErrorCode::AccessDeniedException,
                "The agent token is not valid.",
            ));
        }
        match (&self.caller.agent_cluster, &self.caller.agent_instance) {
            (None, _) => Ok(Registrant::Principal),
            (Some(c), None) if c == cluster => Ok(Registrant::ClusterAgent),
            (Some(c), Some(instance)) if c == cluster => {
                Ok(Registrant::InstanceAgent(instance.clone()))
            }
            (Some(_), None) => Err(not_cluster_agent(cluster)),
            (Some(_), Some(_)) => Err(not_instance_agent(cluster)),
        }
    }

    /// The container instance of `cluster` the caller is the agent of: refuses unless the
    /// request carried that instance's token.
    pub(crate) fn require_instance_agent(&self, cluster: &str) -> Result<&str, ApiError> {
        match (&self.caller.agent_cluster, &self.caller.agent_instance) {
            (Some(c), Some(instance)) if c == cluster => Ok(instance),
            _ => Err(not_instance_agent(cluster)),
        }
    }
}

/// Who registers a container instance, and so what the registration may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Registrant {
    /// The holder of the cluster's agent token: registers a new instance for itself, or adopts
    /// an instance a principal registered that no agent holds yet. Either way it receives the
    /// instance's token.
    ClusterAgent,
    /// The agent of an existing instance (its id), with that instance's token: re-registers it.
    InstanceAgent(String),
    /// A principal whose policies allow `ecs:RegisterContainerInstance` on the cluster (the
    /// root user when access control is off): registers instances that await an agent, or
    /// re-registers existing ones. It never receives an instance's token.
    Principal,
}

/// The refusal of a cluster token for another cluster, or of an instance token where only a
/// cluster token registers.
pub(crate) fn not_cluster_agent(cluster: &str) -> ApiError {
    ApiError::new(
        ErrorCode::AccessDeniedException,
        format!(
            "Only an agent holding the agent token of cluster {cluster} may register a container instance."
        ),
    )
}

/// The refusal of a token that is not the instance token of an instance of `cluster`.
pub(crate) fn not_instance_agent(cluster: &str) -> ApiError {
    ApiError::new(
        ErrorCode::AccessDeniedException,
        format!(
            "Only the agent of a container instance of cluster {cluster}, holding that instance's token, may call this operation."
        ),
    )
}

/// Whether container instance `id` is registered in `cluster` (known and not `INACTIVE`). An
/// instance token acts only while this holds: deregistering an instance revokes its token.
pub(crate) fn instance_registered(ctx: &Ctx, cluster: &str, id: &str) -> bool {
    registered_revision(ctx, cluster, id).is_some()
}

/// The revision of the record of container instance `id` as the index holds it, if the
/// instance is registered: a write made on an agent's behalf is conditional on it, so that a
/// deregistration committed meanwhile makes the write fail instead of landing.
pub(crate) fn registered_revision(ctx: &Ctx, cluster: &str, id: &str) -> Option<store::Revision> {
    ctx.state()
        .read()
        .cluster(cluster)
        .and_then(|c| c.instances.get(id))
        .filter(|e| e.record.instance.status != InstanceStatus::Inactive)
        .map(|e| e.mod_revision)
}

/// The refusal of a request made with the token of an instance that is not registered (the
/// agent then registers anew with its cluster's token).
pub(crate) fn not_registered(ctx: &Ctx, cluster: &str, id: &str) -> ApiError {
    ApiError::client(format!(
        "Container instance {} is not registered in cluster {cluster}.",
        ctx.arns().container_instance(cluster, id)
    ))
}

impl Call<'_> {
    /// Refuses a request carrying the token of a container instance that is no longer
    /// registered. Every operation an agent token opens checks this before anything else.
    pub(crate) fn require_registered_instance(&self) -> Result<(), ApiError> {
        match (&self.caller.agent_cluster, &self.caller.agent_instance) {
            (Some(cluster), Some(id)) if !instance_registered(self.ctx, cluster, id) => {
                Err(not_registered(self.ctx, cluster, id))
            }
            _ => Ok(()),
        }
    }
}

fn mac(secret: &[u8], domain: &[u8], parts: &[&str]) -> hmac::Hmac<Sha256> {
    let mut mac =
        <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(domain);
    for part in parts {
        mac.update(part.as_bytes());
        mac.update(b"\n");
    }
    mac
}

const CLUSTER_DOMAIN: &[u8] = b"berth agent token\n";
const INSTANCE_DOMAIN: &[u8] = b"berth instance token\n";
const LB_DOMAIN: &[u8] = b"berth load balancer token\n";

/// The token load-balancer nodes present (one for every node).
pub fn lb_token(secret: &[u8]) -> String {
    let mac = mac(secret, LB_DOMAIN, &["lb"]);
    format!("lb.{}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `token` is the load-balancer nodes' token. The comparison is constant-time.
pub(crate) fn verify_lb_token(secret: &[u8], token: &str) -> bool {
    let Some(signature) = token.strip_prefix("lb.").and_then(|s| hex::decode(s).ok()) else {
        return false;
    };
    mac(secret, LB_DOMAIN, &["lb"]).verify_slice(&signature).is_ok()
}

/// The agent token of `cluster`: it registers new container instances there.
pub fn agent_token(secret: &[u8], cluster: &str) -> String {
    let mac = mac(secret, CLUSTER_DOMAIN, &[cluster]);
    format!("{cluster}.{}", hex::encode(mac.finalize().into_bytes()))
}

/// The token of container instance `instance` (its id) in `cluster`.
pub fn instance_token(secret: &[u8], cluster: &str, instance: &str) -> String {
    let mac = mac(secret, INSTANCE_DOMAIN, &[cluster, instance]);
    format!("{cluster}/{instance}.{}", hex::encode(mac.finalize().into_bytes()))
}

/// What a valid token stands for: its cluster, and its instance for an instance token. The
/// comparison is constant-time.
pub(crate) fn verify_agent_token(secret: &[u8], token: &str) -> Option<(String, Option<String>)> {
    let (subject, signature) = token.rsplit_once('.')?;
    let signature = hex::decode(signature).ok()?;
    match subject.split_once('/') {
        None => {
            mac(secret, CLUSTER_DOMAIN, &[subject]).verify_slice(&signature).ok()?;
            Some((subject.to_owned(), None))
        }
        Some((cluster, instance)) => {
            mac(secret, INSTANCE_DOMAIN, &[cluster, instance]).verify_slice(&signature).ok()?;
            Some((cluster.to_owned(), Some(instance.to_owned())))
        }
    }
}

/// What a handler takes of the request it serves: `&Ctx` when it does not care who calls,
/// `&Call` when it does. `dispatch` hands each handler the one its signature asks for.
pub(crate) trait FromCall<'c, 'a: 'c> {
    fn from_call(call: &'c Call<'a>) -> Self;
}

impl<'c, 'a: 'c> FromCall<'c, 'a> for &'c Ctx {
    fn from_call(call: &'c Call<'a>) -> &'c Ctx {
        call.ctx
    }
}

impl<'c, 'a: 'c> FromCall<'c, 'a> for &'c Call<'a> {
    fn from_call(call: &'c Call<'a>) -> &'c Call<'a> {
        call
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_tokens_are_per_instance_and_never_cluster_tokens() {
        let token = instance_token(b"secret", "prod", "abc");
        assert_eq!(
            verify_agent_token(b"secret", &token),
            Some(("prod".into(), Some("abc".into())))
        );
        assert_eq!(verify_agent_token(b"other", &token), None);
        let (_, signature) = token.rsplit_once('.').unwrap();
        for forged in [
            format!("prod/abd.{signature}"),
            format!("dev/abc.{signature}"),
            format!("prod.{signature}"),
        ] {
            assert_eq!(verify_agent_token(b"secret", &forged), None, "{forged}");
        }
        // A cluster token's signature does not make an instance token, nor the reverse.
        let cluster = agent_token(b"secret", "prod");
        let (_, cluster_signature) = cluster.rsplit_once('.').unwrap();
        assert_eq!(verify_agent_token(b"secret", &format!("prod/abc.{cluster_signature}")), None);
    }

    #[test]
    fn tokens_are_per_cluster_and_per_secret() {
        let token = agent_token(b"secret", "prod");
        assert_eq!(verify_agent_token(b"secret", &token), Some(("prod".into(), None)));
        assert_eq!(verify_agent_token(b"other", &token), None);
        let forged = token.replacen("prod", "dev", 1);
        assert_eq!(verify_agent_token(b"secret", &forged), None);
        assert_eq!(verify_agent_token(b"secret", "prod.zz"), None);
        assert_eq!(verify_agent_token(b"secret", "nodot"), None);
    }
}
