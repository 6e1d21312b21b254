//! Task definitions and their families.

use serde::{Deserialize, Serialize};

/// A task definition family: the highest revision ever registered, so revisions are never
/// reused even after deletion.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FamilyRecord {
    pub(crate) last_revision: i32,
}

/// A registered task definition revision and its tags.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskDefinitionRecord {
    pub(crate) definition: api::TaskDefinition,
    #[serde(default)]
    pub(crate) tags: Vec<api::Tag>,
}
