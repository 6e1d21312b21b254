//! The records Berth keeps in the store, their keys, and typed access to them.
//!
//! Records are JSON. Where an ECS shape already describes a resource completely (a cluster, a
//! task definition) the record is that shape, so every member the caller set round-trips.
//!
//! Every key is in [`keys`]; the record types are in this module's children, one file per
//! kind of resource. Records are domain types: they are converted to and from `api` shapes at
//! the edge.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use api::ApiError;

use crate::error::Error;
use store::{Compare, Op, RangeOptions, Revision, Store, StoreError, Txn};

mod definition;
mod ids;
mod instance;
pub(crate) mod keys;
mod lb;
mod mirror;
mod service;
mod status;
mod task;

pub(crate) use definition::{FamilyRecord, TaskDefinitionRecord};
pub(crate) use ids::{ClusterName, InstanceId, ServiceName, TaskId};
pub(crate) use instance::{InstanceRecord, StoredInstance};
pub(crate) use lb::{
    CertificateRecord, HealthCheckRecord, ListenerRecord, LoadBalancerRecord, RuleRecord,
    TargetGroupRecord, TargetRecord,
};
pub(crate) use service::{DeploymentRecord, ServiceRecord, StoredService, TaskSetRecord};
pub(crate) use status::{
    ContainerStatus, DeploymentStatus, DesiredStatus, InstanceStatus, RolloutState, ServiceStatus,
    StopCause, TaskSetStatus, TaskStatus,
};
pub(crate) use task::{
    Deactivation, HEALTH_REASON, Reservation, StoredTask, TaskNetwork, TaskRecord, TaskState,
    TokenRecord,
};

/// A decoded record and the revision it was read at.
#[derive(Debug, Clone)]
pub(crate) struct Versioned<T> {
    pub(crate) value: T,
    pub(crate) mod_revision: Revision,
}

/// A store failure as the client sees it: logged, and answered with a generic server error.
pub(crate) fn internal(error: StoreError) -> ApiError {
    Error::from(error).into()
}

/// A record as stored: its JSON, in a buffer of exactly its size (records stay in memory, in
/// the store and in watchers' history, and serializing leaves up to half a buffer unused).
pub(crate) fn encode<T: Serialize>(value: &T) -> Bytes {
    exact(serde_json::to_vec(value).expect("records serialize"))
}

/// `bytes` in a buffer of exactly their size.
pub(crate) fn exact(mut bytes: Vec<u8>) -> Bytes {
    bytes.shrink_to_fit();
    Bytes::from(bytes)
}

fn decode<T: DeserializeOwned>(key: &str, bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::Internal(format!("the stored record {key} does not decode: {e}")))
}

pub(crate) async fn get<T: DeserializeOwned>(
    store: &dyn Store,
    key: &str,
) -> Result<Option<Versioned<T>>, Error> {
    let Some(kv) = store.get(key).await? else {
        return Ok(None);
    };
    Ok(Some(Versioned { value: decode(key, &kv.value)?, mod_revision: kv.mod_revision }))
}

pub(crate) async fn list<T: DeserializeOwned>(
    store: &dyn Store,
    prefix: &str,
) -> Result<Vec<Versioned<T>>, Error> {
    let range = store.range(prefix, RangeOptions::default()).await?;
    range
        .kvs
        .iter()
        .map(|kv| {
            Ok(Versioned { value: decode(&kv.key, &kv.value)?, mod_revision: kv.mod_revision })
        })
        .collect()
}

/// How often a read-modify-write retries after losing a compare-and-swap race.
pub(crate) const CAS_ATTEMPTS: usize = 64;

/// Reads the record at `key`, lets `change` compute its new value from the current one, and
/// writes it if nothing changed the record meanwhile, retrying on a lost race. `change` may
/// refuse with an error, and then nothing is written.
pub(crate) async fn modify<T, F, E>(ctx: &crate::Ctx, key: &str, change: F) -> Result<T, E>
where
    T: Serialize + DeserializeOwned,
    F: FnMut(Option<T>) -> Result<T, E>,
    E: From<Error>,
{
    modify_at(ctx, key, change).await.map(|(value, _)| value)
}

/// [`modify`], also returning the revision of the write.
pub(crate) async fn modify_at<T, F, E>(
    ctx: &crate::Ctx,
    key: &str,
    mut change: F,
) -> Result<(T, Revision), E>
where
    T: Serialize + DeserializeOwned,
    F: FnMut(Option<T>) -> Result<T, E>,
    E: From<Error>,
{
    let _serialized = ctx.key_locks().lock(key).await;
    let store = ctx.store();
    for _ in 0..CAS_ATTEMPTS {
        let current = get::<T>(store, key).await?;
        let revision = current.as_ref().map_or(0, |v| v.mod_revision);
        let next = change(current.map(|v| v.value))?;
        let txn =
            Txn::new().when(Compare::mod_revision(key, revision)).then(Op::put(key, encode(&next)));
        let response = store.txn(txn).await.map_err(Error::from)?;
        if response.succeeded {
            return Ok((next, response.revision));
        }
    }
    Err(Error::Contention { key: key.to_owned() }.into())
}

/// The error when a write keeps losing races: retryable, so a throttling error.
pub(crate) fn contention(key: &str) -> ApiError {
    Error::Contention { key: key.to_owned() }.into()
}

pub(crate) use store::ErrorChain;
