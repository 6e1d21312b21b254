//! Task definitions by family and revision, kept in memory once read: their content never
//! changes once registered, and the agent channel hands them out with every task.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;

use crate::Ctx;
use crate::records;

/// The definitions read so far, decoded and as JSON.
#[derive(Default)]
pub(crate) struct Cache {
    revisions: parking_lot::Mutex<HashMap<(String, i32), Arc<api::TaskDefinition>>>,
    /// The same, serialized once: every poll answer carries the definitions of the instance's
    /// tasks.
    json: parking_lot::Mutex<HashMap<(String, i32), Bytes>>,
}

impl Ctx {
    /// A registered task definition revision, whatever its status.
    pub(crate) async fn definition(
        &self,
        family: &str,
        revision: i32,
    ) -> Result<Option<Arc<api::TaskDefinition>>, api::ApiError> {
        let key = (family.to_owned(), revision);
        if let Some(found) = self.inner.definitions.revisions.lock().get(&key) {
            return Ok(Some(found.clone()));
        }
        let stored = records::get::<records::TaskDefinitionRecord>(
            self.store(),
            &records::keys::task_definition(family, revision),
        )
        .await?;
        Ok(stored.map(|record| {
            let definition = Arc::new(record.value.definition);
            self.inner.definitions.revisions.lock().insert(key, definition.clone());
            definition
        }))
    }

    /// A registered task definition revision as JSON, whatever its status.
    pub(crate) async fn definition_json(
        &self,
        family: &str,
        revision: i32,
    ) -> Result<Option<Bytes>, api::ApiError> {
        let key = (family.to_owned(), revision);
        if let Some(found) = self.inner.definitions.json.lock().get(&key) {
            return Ok(Some(found.clone()));
        }
        let Some(definition) = self.definition(family, revision).await? else {
            return Ok(None);
        };
        let json = Bytes::from(serde_json::to_vec(&*definition).map_err(|e| {
            tracing::error!(error = %e, "Serializing a task definition failed");
            api::ApiError::server()
        })?);
        self.inner.definitions.json.lock().insert(key, json.clone());
        Ok(Some(json))
    }
}
