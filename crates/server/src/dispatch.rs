//! One `match` from an operation to its handler: deserialize the validated request, call the
//! handler, serialize the response.

use serde_json::Value;

use api::{ApiError, ErrorCode, Operation};

use crate::caller::{Call, FromCall};
use crate::{
    account_settings, clusters, container_instances, services, tags, task_definitions, tasks,
};

macro_rules! route {
    ($call:expr, $op:expr, $body:expr; $($name:ident => $handler:path),* $(,)?) => {
        match $op {
            $(
                Operation::$name => {
                    let request = serde_json::from_value($body).map_err(|e| {
                        ApiError::invalid_parameter(format!("Invalid request: {e}."))
                    })?;
                    let response = $handler(FromCall::from_call($call), request).await?;
                    serde_json::to_value(response).map(Answer::Value).map_err(|e| {
                        tracing::error!(error = %e, "Serializing a response failed");
                        ApiError::server()
                    })
                }
            )*
            other => Err(ApiError::new(
                ErrorCode::UnsupportedFeatureException,
                format!("Berth does not support the {} operation yet.", other.name()),
            )),
        }
    };
}

/// A handler's answer: a value to serialize, or JSON already written.
pub(crate) enum Answer {
    Value(Value),
    Json(Vec<u8>),
}

pub(crate) async fn dispatch(
    call: &Call<'_>,
    op: Operation,
    body: Value,
) -> Result<Answer, ApiError> {
    if op == Operation::DescribeTasks {
        let request = serde_json::from_value(body)
            .map_err(|e| ApiError::invalid_parameter(format!("Invalid request: {e}.")))?;
        return tasks::describe_tasks(call.ctx, request).await.map(Answer::Json);
    }
    route!(call, op, body;
        CreateCluster => clusters::create_cluster,
        DeleteCluster => clusters::delete_cluster,
        DescribeClusters => clusters::describe_clusters,
        ListClusters => clusters::list_clusters,
        UpdateCluster => clusters::update_cluster,
        UpdateClusterSettings => clusters::update_cluster_settings,
        RegisterTaskDefinition => task_definitions::register_task_definition,
        DescribeTaskDefinition => task_definitions::describe_task_definition,
        ListTaskDefinitions => task_definitions::list_task_definitions,
        ListTaskDefinitionFamilies => task_definitions::list_task_definition_families,
        DeregisterTaskDefinition => task_definitions::deregister_task_definition,
        DeleteTaskDefinitions => task_definitions::delete_task_definitions,
        TagResource => tags::tag_resource,
        UntagResource => tags::untag_resource,
        ListTagsForResource => tags::list_tags_for_resource,
        RegisterContainerInstance => container_instances::register_container_instance,
        DeregisterContainerInstance => container_instances::deregister_container_instance,
        DescribeContainerInstances => container_instances::describe_container_instances,
        ListContainerInstances => container_instances::list_container_instances,
        UpdateContainerInstancesState => container_instances::update_container_instances_state,
        PutAttributes => container_instances::put_attributes,
        DeleteAttributes => container_instances::delete_attributes,
        ListAttributes => container_instances::list_attributes,
        DiscoverPollEndpoint => container_instances::discover_poll_endpoint,
        CreateService => services::create_service,
        UpdateService => services::update_service,
        DeleteService => services::delete_service,
        DescribeServices => services::describe_services,
        ListServices => services::list_services,
        DescribeServiceDeployments => services::describe_service_deployments,
        ListServiceDeployments => services::list_service_deployments,
        DescribeServiceRevisions => services::describe_service_revisions,
        StopServiceDeployment => services::stop_service_deployment,
        RunTask => tasks::run_task,
        StartTask => tasks::start_task,
        StopTask => tasks::stop_task,
        ListTasks => tasks::list_tasks,
        GetTaskProtection => tasks::get_task_protection,
        UpdateTaskProtection => tasks::update_task_protection,
        SubmitTaskStateChange => tasks::submit_task_state_change,
        SubmitContainerStateChange => tasks::submit_container_state_change,
        ListAccountSettings => account_settings::list_account_settings,
        PutAccountSetting => account_settings::put_account_setting,
        PutAccountSettingDefault => account_settings::put_account_setting_default,
        DeleteAccountSetting => account_settings::delete_account_setting,
    )
}

/// Berth's own operations (`BerthV1.*`). Their requests are typed by serde alone: a member of
/// the wrong type is an `InvalidParameterException` naming it.
pub(crate) async fn dispatch_berth(
    call: &Call<'_>,
    op: api::berth::BerthOperation,
    body: Value,
) -> Result<Value, ApiError> {
    use api::berth::BerthOperation;
    fn decode<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, ApiError> {
        serde_json::from_value(body)
            .map_err(|e| ApiError::invalid_parameter(format!("Invalid request: {e}.")))
    }
    let response = match op {
        BerthOperation::GetContainerLogs => {
            serde_json::to_value(crate::logs::get_container_logs(call.ctx, decode(body)?).await?)
        }
        BerthOperation::DescribeTaskUsage => {
            serde_json::to_value(crate::tasks::describe_task_usage(call.ctx, decode(body)?).await?)
        }
    };
    response.map_err(|_| ApiError::server())
}
