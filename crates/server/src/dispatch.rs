//! One `match` from an operation to its handler: deserialize the validated request, call the
//! handler, serialize the response. The same list gives [`SERVED`], the operations Berth
//! serves, and the answer for every other operation of the model.
//!
//! A handler's error must be one the model lists for its operation, or a common one
//! (`Operation::allows`): debug builds panic on any other, naming the operation and the code,
//! so every test that drives a handler into it fails; release builds log it and answer the
//! closest allowed code instead (`Operation::closest_allowed`).

use serde_json::Value;

use api::{ApiError, ErrorCode, Operation};

use crate::caller::{Call, FromCall};
use crate::{
    account_settings, capacity_providers, clusters, container_instances, services, tags,
    task_definitions, tasks,
};

/// Declares [`SERVED`] and `route` from one list, so what is routed and what is said to be
/// served cannot differ. `json` handlers answer JSON they wrote themselves.
macro_rules! routes {
    (
        json { $($json_name:ident => $json_handler:path),* $(,)? }
        value { $($name:ident => $handler:path),* $(,)? }
    ) => {
        /// Every operation of the ECS model that Berth serves; the others answer
        /// `UnsupportedFeatureException`.
        pub const SERVED: &[Operation] = &[$(Operation::$json_name,)* $(Operation::$name,)*];

        async fn route(call: &Call<'_>, op: Operation, body: Value) -> Result<Answer, ApiError> {
            match op {
                $(
                    Operation::$json_name => {
                        let request = decode(body)?;
                        $json_handler(FromCall::from_call(call), request).await.map(Answer::Json)
                    }
                )*
                $(
                    Operation::$name => {
                        let request = decode(body)?;
                        let response = $handler(FromCall::from_call(call), request).await?;
                        serde_json::to_value(response).map(Answer::Value).map_err(|e| {
                            tracing::error!(error = %e, "Serializing a response failed");
                            ApiError::server()
                        })
                    }
                )*
                other => Err(not_served(other)),
            }
        }
    };
}

routes! {
    json {
        DescribeTasks => tasks::describe_tasks,
    }
    value {
        CreateCluster => clusters::create_cluster,
        DeleteCluster => clusters::delete_cluster,
        DescribeClusters => clusters::describe_clusters,
        ListClusters => clusters::list_clusters,
        UpdateCluster => clusters::update_cluster,
        UpdateClusterSettings => clusters::update_cluster_settings,
        PutClusterCapacityProviders => clusters::put_cluster_capacity_providers,
        DescribeCapacityProviders => capacity_providers::describe_capacity_providers,
        CreateCapacityProvider => capacity_providers::create_capacity_provider,
        UpdateCapacityProvider => capacity_providers::update_capacity_provider,
        DeleteCapacityProvider => capacity_providers::delete_capacity_provider,
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
        UpdateContainerAgent => container_instances::update_container_agent,
        CreateService => services::create_service,
        UpdateService => services::update_service,
        DeleteService => services::delete_service,
        DescribeServices => services::describe_services,
        ListServices => services::list_services,
        DescribeServiceDeployments => services::describe_service_deployments,
        ListServiceDeployments => services::list_service_deployments,
        DescribeServiceRevisions => services::describe_service_revisions,
        CreateTaskSet => services::create_task_set,
        UpdateTaskSet => services::update_task_set,
        DeleteTaskSet => services::delete_task_set,
        DescribeTaskSets => services::describe_task_sets,
        UpdateServicePrimaryTaskSet => services::update_service_primary_task_set,
        StopServiceDeployment => services::stop_service_deployment,
        RunTask => tasks::run_task,
        StartTask => tasks::start_task,
        StopTask => tasks::stop_task,
        ListTasks => tasks::list_tasks,
        GetTaskProtection => tasks::get_task_protection,
        UpdateTaskProtection => tasks::update_task_protection,
        SubmitTaskStateChange => tasks::submit_task_state_change,
        SubmitAttachmentStateChanges => tasks::submit_attachment_state_changes,
        SubmitContainerStateChange => tasks::submit_container_state_change,
        ListAccountSettings => account_settings::list_account_settings,
        PutAccountSetting => account_settings::put_account_setting,
        PutAccountSettingDefault => account_settings::put_account_setting_default,
        DeleteAccountSetting => account_settings::delete_account_setting,
    }
}

/// Whether Berth serves `op` (it is in [`SERVED`]).
pub fn served(op: Operation) -> bool {
    SERVED.contains(&op)
}

/// The answer to an operation of the model that Berth does not serve.
fn not_served(op: Operation) -> ApiError {
    ApiError::new(
        ErrorCode::UnsupportedFeatureException,
        format!("Berth does not support the {} operation yet.", op.name()),
    )
}

fn decode<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body)
        .map_err(|e| ApiError::invalid_parameter(format!("Invalid request: {e}.")))
}

/// A handler's answer: a value to serialize, or JSON already written.
pub(crate) enum Answer {
    Value(Value),
    Json(Vec<u8>),
}

/// Serves `op`: its handler's answer, or `UnsupportedFeatureException` for an operation Berth
/// does not serve. A handler's error is checked against the operation's allowed codes.
pub(crate) async fn dispatch(
    call: &Call<'_>,
    op: Operation,
    body: Value,
) -> Result<Answer, ApiError> {
    if !served(op) {
        return Err(not_served(op));
    }
    route(call, op, body).await.map_err(|error| allowed(op, error))
}

/// `error` if `op` allows its code. Otherwise a bug: debug builds panic with the operation and
/// the code; release builds log it and answer the closest code the operation allows, with the
/// same message.
fn allowed(op: Operation, error: ApiError) -> ApiError {
    check(op, error, cfg!(debug_assertions))
}

fn check(op: Operation, error: ApiError, strict: bool) -> ApiError {
    if op.allows(error.code) {
        return error;
    }
    let closest = op.closest_allowed(error.code);
    assert!(
        !strict,
        "{} answered {}, which the ECS model does not list for it (allowed: {:?} and the \
         common codes {:?}); the closest allowed code is {closest}. Message: {}",
        op.name(),
        error.code,
        op.errors(),
        ErrorCode::COMMON,
        error.message,
    );
    tracing::error!(
        operation = op.name(),
        code = %error.code,
        answered = %closest,
        message = %error.message,
        "A handler answered an error code its operation does not allow"
    );
    ApiError { code: closest, ..error }
}

/// Berth's own operations (`BerthV1.*`). Their requests are typed by serde alone: a member of
/// the wrong type is an `InvalidParameterException` naming it.
pub(crate) async fn dispatch_berth(
    call: &Call<'_>,
    op: api::berth::BerthOperation,
    body: Value,
) -> Result<Value, ApiError> {
    use api::berth::BerthOperation;
    let response = match op {
        BerthOperation::GetContainerLogs => {
            serde_json::to_value(crate::logs::get_container_logs(call.ctx, decode(body)?).await?)
        }
        BerthOperation::DescribeTaskUsage => {
            serde_json::to_value(crate::tasks::describe_task_usage(call.ctx, decode(body)?).await?)
        }
        BerthOperation::GetFargateUsage => {
            serde_json::to_value(crate::fargate::get_fargate_usage(call.ctx, decode(body)?).await?)
        }
        BerthOperation::GetCapacityProviderReservation => serde_json::to_value(
            crate::capacity_providers::get_capacity_provider_reservation(call.ctx, decode(body)?)
                .await?,
        ),
        BerthOperation::ReclaimSpotCapacity => serde_json::to_value(
            crate::fargate::reclaim_spot_capacity(call.ctx, decode(body)?).await?,
        ),
    };
    response.map_err(|_| ApiError::server())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowed_code_passes_unchanged() {
        for (op, code) in [
            (Operation::ListTagsForResource, ErrorCode::ClusterNotFoundException),
            (Operation::TagResource, ErrorCode::ResourceNotFoundException),
            (Operation::DeleteService, ErrorCode::ServiceNotFoundException),
            // A common code, which no operation's model list has.
            (Operation::CreateCluster, ErrorCode::ThrottlingException),
        ] {
            let error = ApiError::new(code, "why");
            assert_eq!(check(op, error.clone(), true), error);
            assert_eq!(check(op, error.clone(), false), error);
        }
    }

    #[test]
    #[should_panic(
        expected = "ListTagsForResource answered ResourceNotFoundException, which the ECS model \
                    does not list for it"
    )]
    fn a_disallowed_code_panics_in_debug_builds() {
        check(
            Operation::ListTagsForResource,
            ApiError::new(ErrorCode::ResourceNotFoundException, "gone"),
            true,
        );
    }

    #[test]
    fn the_runtime_check_is_strict_in_test_builds() {
        let answer = std::panic::catch_unwind(|| {
            allowed(Operation::DescribeClusters, ApiError::cluster_not_found())
        });
        assert!(answer.is_err(), "DescribeClusters does not list ClusterNotFoundException");
    }

    #[test]
    fn a_disallowed_code_becomes_the_closest_allowed_one_in_release_builds() {
        let mut error = ApiError::new(ErrorCode::ConflictException, "again");
        error.resource_ids = Some(vec!["t".into()]);
        let answered = check(Operation::StartTask, error, false);
        assert_eq!(answered.code, ErrorCode::ClientException);
        assert_eq!(answered.message, "again");
        assert_eq!(answered.resource_ids, Some(vec!["t".into()]));
        // Protocol codes are not a handler's to answer.
        let answered = check(
            Operation::CreateCluster,
            ApiError::new(ErrorCode::SerializationException, "x"),
            false,
        );
        assert_eq!(answered.code, ErrorCode::ClientException);
    }

    #[test]
    fn the_served_operations_are_the_routed_ones() {
        let mut once: Vec<_> = SERVED.to_vec();
        once.sort();
        once.dedup();
        assert_eq!(once.len(), SERVED.len(), "an operation is routed twice");
        for op in Operation::ALL {
            assert_eq!(served(*op), SERVED.contains(op));
        }
        assert!(served(Operation::DescribeTasks) && served(Operation::RunTask));
        assert!(!served(Operation::CreateDaemon));
        let error = not_served(Operation::ExecuteCommand);
        assert_eq!(error.code, ErrorCode::UnsupportedFeatureException);
        assert!(error.message.contains("ExecuteCommand"));
    }
}
