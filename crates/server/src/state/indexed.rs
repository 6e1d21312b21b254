//! A task as the index keeps it: the fields decisions read, decoded, beside the stored JSON.

use axum::body::Bytes;
use serde::Deserialize;

use store::Revision;

use crate::records::{ClusterName, InstanceId, TaskId};
use crate::records::{
    DesiredStatus, Reservation, StopCause, TaskNetwork, TaskRecord, TaskState, TaskStatus,
};

/// The reason the service scheduler gives tasks it replaces for failing health checks: in
/// records written before tasks carried a stop cause, the only sign of one.
const LEGACY_HEALTH_REASON: &str = crate::records::HEALTH_REASON;

/// A task's JSON for DescribeTasks and the agent connectivity it was rendered with.
#[derive(Default)]
pub(crate) struct RenderCache(pub(crate) std::sync::OnceLock<(Option<api::Connectivity>, Bytes)>);

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderCache")
    }
}

/// A task as the index keeps it: what the control plane decides on, decoded, and the stored
/// record's JSON (the very buffer the store keeps) for everything else, decoded on demand
/// ([`IndexedTask::record`]). A hundred thousand tasks cost a fraction of their decoded size.
pub(crate) struct IndexedTask {
    pub(crate) cluster: ClusterName,
    pub(crate) id: TaskId,
    pub(crate) instance_id: Option<InstanceId>,
    /// The cluster of the instance when not the task's own (the Fargate pool's).
    pub(crate) host_cluster: Option<ClusterName>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) reservation: Reservation,
    last_status: TaskStatus,
    desired_status: DesiredStatus,
    pub(crate) group: Option<String>,
    pub(crate) started_by: Option<String>,
    pub(crate) launch_type: Option<api::LaunchType>,
    /// On Fargate: `FARGATE` or `FARGATE_SPOT`.
    pub(crate) capacity_provider_name: Option<String>,
    pub(crate) health_status: Option<api::HealthStatus>,
    pub(crate) created_at: f64,
    pub(crate) started_at: Option<f64>,
    pub(crate) stopped_at: Option<f64>,
    pub(crate) stop_code: Option<api::TaskStopCode>,
    /// Why it was asked to stop.
    pub(crate) stop_cause: Option<StopCause>,
    /// Until when (epoch seconds) scale-in protection is on.
    pub(crate) protected_until: Option<f64>,
    pub(crate) overrides: Option<Box<api::TaskOverride>>,
    /// The network interface of an `awsvpc` task.
    pub(crate) network: Option<std::sync::Arc<TaskNetwork>>,
    /// Since when (epoch seconds) its load-balancer targets drain before it stops.
    pub(crate) deactivating_since: Option<f64>,
    /// The store revision at which what the instance's agent is told of the task (its place
    /// in the instance's desired set, its desired status) last changed, or a later one: a
    /// poll from an agent that applied that generation or a later one already has it.
    pub(crate) desired_since: Revision,
    json: Bytes,
    /// The task as DescribeTasks shows it (without tags), serialized once per version of the
    /// record.
    pub(crate) rendered: RenderCache,
}

impl std::fmt::Debug for IndexedTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexedTask")
            .field("cluster", &self.cluster)
            .field("id", &self.id)
            .field("last_status", &self.last_status)
            .finish_non_exhaustive()
    }
}

/// The part of a stored task the index decodes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IndexedForm<'a> {
    cluster: ClusterName,
    id: TaskId,
    instance_id: Option<InstanceId>,
    #[serde(default)]
    host_cluster: Option<ClusterName>,
    family: String,
    revision: i32,
    reservation: Reservation,
    #[serde(default)]
    network: Option<TaskNetwork>,
    #[serde(default)]
    deactivating: Option<DeactivationForm>,
    #[serde(borrow)]
    task: IndexedTaskForm<'a>,
}

#[derive(Deserialize)]
struct DeactivationForm {
    since: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IndexedTaskForm<'a> {
    #[serde(default)]
    last_status: TaskStatus,
    #[serde(default)]
    desired_status: DesiredStatus,
    group: Option<String>,
    started_by: Option<String>,
    launch_type: Option<api::LaunchType>,
    capacity_provider_name: Option<String>,
    health_status: Option<api::HealthStatus>,
    created_at: Option<f64>,
    started_at: Option<f64>,
    stopped_at: Option<f64>,
    stop_code: Option<api::TaskStopCode>,
    #[serde(borrow)]
    stopped_reason: Option<std::borrow::Cow<'a, str>>,
    overrides: Option<Box<api::TaskOverride>>,
    stop_cause: Option<StopCause>,
    protected_until: Option<f64>,
}

impl IndexedTask {
    /// Reads a stored task record (its `desired_since` is 0 until set).
    pub(crate) fn decode(json: Bytes) -> Result<IndexedTask, serde_json::Error> {
        let form: IndexedForm<'_> = serde_json::from_slice(&json)?;
        let task = form.task;
        let indexed = IndexedTask {
            cluster: form.cluster,
            id: form.id,
            instance_id: form.instance_id,
            host_cluster: form.host_cluster,
            deactivating_since: form.deactivating.map(|d| d.since),
            family: form.family,
            revision: form.revision,
            reservation: form.reservation,
            last_status: task.last_status,
            desired_status: task.desired_status,
            group: task.group,
            started_by: task.started_by,
            launch_type: task.launch_type,
            capacity_provider_name: task.capacity_provider_name,
            health_status: task.health_status,
            created_at: task.created_at.unwrap_or(0.0),
            started_at: task.started_at,
            stopped_at: task.stopped_at,
            stop_code: task.stop_code,
            stop_cause: task.stop_cause.or_else(|| {
                // Records of an older Berth have no cause: the service scheduler's reason for a
                // health replacement tells it.
                (task.stopped_reason.as_deref() == Some(LEGACY_HEALTH_REASON))
                    .then_some(StopCause::ServiceUnhealthy)
            }),
            overrides: task.overrides,
            protected_until: task.protected_until,
            network: form.network.map(std::sync::Arc::new),
            desired_since: 0,
            json: Bytes::new(),
            rendered: RenderCache::default(),
        };
        Ok(IndexedTask { json, ..indexed })
    }

    /// The whole record, decoded from its stored JSON.
    pub(crate) fn record(&self) -> Result<TaskRecord, api::ApiError> {
        serde_json::from_slice(&self.json).map_err(|error| {
            tracing::error!(task = %self.id, %error, "An indexed task does not decode");
            api::ApiError::server()
        })
    }
}

impl TaskState for IndexedTask {
    fn id(&self) -> &str {
        &self.id
    }
    fn instance_id(&self) -> Option<&str> {
        self.instance_id.as_deref()
    }
    fn host_cluster(&self) -> &str {
        self.host_cluster.as_deref().unwrap_or(&self.cluster)
    }
    fn reservation(&self) -> &Reservation {
        &self.reservation
    }
    fn group(&self) -> Option<&str> {
        self.group.as_deref()
    }
    fn started_by(&self) -> Option<&str> {
        self.started_by.as_deref()
    }
    fn last_status(&self) -> TaskStatus {
        self.last_status
    }
    fn desired_status(&self) -> DesiredStatus {
        self.desired_status
    }
}

/// What the instance's agent is told about a task: `None` once it is STOPPED.
pub(super) fn desired_view(task: &IndexedTask) -> Option<(&str, DesiredStatus)> {
    if task.is_stopped() {
        return None;
    }
    Some((task.instance_id.as_deref()?, task.desired_status()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_indexed_task_decodes_what_decisions_read_and_keeps_the_rest() {
        let record = crate::testing::stored_task(api::Task {
            last_status: Some("STOPPED".to_owned()),
            desired_status: Some("STOPPED".to_owned()),
            group: Some("service:web".to_owned()),
            started_by: Some("ecs-svc/1".to_owned()),
            health_status: Some(api::HealthStatus::Unhealthy),
            started_at: Some(10.5),
            stopped_at: Some(20.25),
            stop_code: Some(api::TaskStopCode::ServiceSchedulerInitiated),
            stopped_reason: Some(crate::records::HEALTH_REASON.to_owned()),
            cpu: Some("256".to_owned()),
            ..api::Task::default()
        });
        let json = crate::records::encode(&record);
        let indexed = IndexedTask::decode(json.clone()).unwrap();
        assert_eq!(
            (indexed.last_status(), indexed.desired_status()),
            (TaskStatus::Stopped, DesiredStatus::Stopped)
        );
        assert!(indexed.is_stopped());
        assert_eq!(indexed.group(), Some("service:web"));
        assert_eq!(indexed.started_by(), Some("ecs-svc/1"));
        assert_eq!(indexed.health_status, Some(api::HealthStatus::Unhealthy));
        assert_eq!((indexed.started_at, indexed.stopped_at), (Some(10.5), Some(20.25)));
        // A record without a stop cause, stopped with the health reason: a health replacement.
        assert_eq!(indexed.stop_cause, Some(StopCause::ServiceUnhealthy));
        assert_eq!(indexed.reservation, record.reservation);
        // The stored JSON is kept as it is (the same buffer), and decodes to the whole record.
        assert_eq!(indexed.json.as_ptr(), json.as_ptr());
        let whole = indexed.record().unwrap();
        assert_eq!(whole.task, record.task);
        assert_eq!(crate::records::encode(&whole), json);
    }

    #[test]
    fn statuses_default_as_ecs_shows_them_and_unknown_names_read_as_pending() {
        let indexed = IndexedTask::decode(crate::records::encode(&crate::testing::stored_task(
            api::Task::default(),
        )))
        .unwrap();
        assert_eq!(
            (indexed.last_status(), indexed.desired_status()),
            (TaskStatus::Pending, DesiredStatus::Running)
        );
        let odd = crate::testing::stored_task(api::Task {
            last_status: Some("PAUSED".to_owned()),
            ..api::Task::default()
        });
        let indexed = IndexedTask::decode(crate::records::encode(&odd)).unwrap();
        assert_eq!(indexed.last_status(), TaskStatus::Pending);
        assert_eq!(indexed.stop_cause, None);
    }
}
