//! Task definition registration rules: ECS's validation and the defaults ECS fills in.

use api::{ApiError, RegisterTaskDefinitionRequest, TaskDefinition};

use crate::config::Quotas;

/// Checks a registration against ECS's rules and returns the task definition to store:
/// every request member except `tags`, ECS's defaults filled in, and `compatibilities` and
/// `requiresAttributes` computed. The caller sets `taskDefinitionArn`, `revision`, `status`,
/// `registeredAt` and `registeredBy`.
pub(crate) fn check_registration(
    req: &RegisterTaskDefinitionRequest,
    quotas: &Quotas,
) -> Result<TaskDefinition, ApiError> {
    let _ = (req, quotas);
    Err(ApiError::client(
        "task definition validation is not written yet",
    ))
}
