//! Container instances.

use serde::{Deserialize, Serialize};

/// A container instance as stored: the ECS shape (its computed members left out) and the
/// names it is filed under.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InstanceRecord {
    pub(crate) cluster: String,
    pub(crate) id: String,
    pub(crate) instance: api::ContainerInstance,
}
