//! Who is calling: the identity a request acts as, and agent tokens.
//!
//! An agent proves it may act for a cluster with a token derived from the control plane's
//! agent secret and the cluster's name: `<cluster>.<hex HMAC-SHA256(secret, cluster)>`. A token
//! for one cluster is worthless for another, and the control plane stores no tokens.

use hmac::{KeyInit, Mac};
use sha2::Sha256;

use api::{ApiError, ErrorCode};

use crate::Ctx;

/// The identity of a request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller {
    /// The cluster whose agent token the request carried, if it carried a valid one.
    pub(crate) agent_cluster: Option<String>,
}

/// One request being served: the context plus the caller. Dereferences to [`Ctx`], so a
/// handler that does not care who calls takes `&Ctx`.
pub(crate) struct Call<'a> {
    pub(crate) ctx: &'a Ctx,
    pub(crate) caller: Caller,
}

impl std::ops::Deref for Call<'_> {
    type Target = Ctx;

    fn deref(&self) -> &Ctx {
        self.ctx
    }
}

impl Call<'_> {
    /// Refuses unless the caller is an agent of `cluster`.
    pub(crate) fn require_agent(&self, cluster: &str) -> Result<(), ApiError> {
        if self.caller.agent_cluster.as_deref() == Some(cluster) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::AccessDeniedException,
                format!(
                    "Only an agent of cluster {cluster} holding its agent token may call this operation."
                ),
            ))
        }
    }
}

fn mac(secret: &[u8], cluster: &str) -> hmac::Hmac<Sha256> {
    let mut mac =
        <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"berth agent token\n");
    mac.update(cluster.as_bytes());
    mac
}

/// The agent token of `cluster`.
pub fn agent_token(secret: &[u8], cluster: &str) -> String {
    format!("{cluster}.{}", hex::encode(mac(secret, cluster).finalize().into_bytes()))
}

/// The cluster a token is valid for, if it is valid. The comparison is constant-time.
pub(crate) fn verify_agent_token(secret: &[u8], token: &str) -> Option<String> {
    let (cluster, signature) = token.rsplit_once('.')?;
    let signature = hex::decode(signature).ok()?;
    mac(secret, cluster).verify_slice(&signature).ok()?;
    Some(cluster.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_per_cluster_and_per_secret() {
        let token = agent_token(b"secret", "prod");
        assert_eq!(verify_agent_token(b"secret", &token).as_deref(), Some("prod"));
        assert_eq!(verify_agent_token(b"other", &token), None);
        let forged = token.replacen("prod", "dev", 1);
        assert_eq!(verify_agent_token(b"secret", &forged), None);
        assert_eq!(verify_agent_token(b"secret", "prod.zz"), None);
        assert_eq!(verify_agent_token(b"secret", "nodot"), None);
    }
}
