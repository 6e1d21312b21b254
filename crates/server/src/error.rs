//! The control plane's own error, and the one place it becomes an ECS wire error.
//!
//! Code inside the control plane says what went wrong ([`Error::NotFound`],
//! [`Error::InvalidState`], [`Error::Unplaceable`], ...) and decides on that; which ECS error
//! code and message a client sees is [`From<Error> for ApiError`] alone, shared by the API and
//! the agent channel. A handler's own request validation may still build an [`ApiError`]
//! directly (its message is the whole point); it travels as [`Error::Api`].

use std::sync::Arc;

use api::{ApiError, ErrorCode};
use store::{ErrorChain, StoreError};

/// A kind of resource, as an error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resource {
    Cluster,
    Service,
    Task,
    ContainerInstance,
}

/// What went wrong.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum Error {
    /// The resource does not exist (or no longer does).
    #[error("{0:?} not found")]
    NotFound(Resource),
    /// The resource exists but its state refuses the change (a container instance that is
    /// not ACTIVE or DRAINING, a task definition still ACTIVE): ECS's `ClientException`.
    #[error("{0}")]
    InvalidState(String),
    /// A placement found no container instance to consider at all.
    #[error("{0}")]
    Unplaceable(String),
    /// A write kept losing compare-and-swap races: retryable.
    #[error("gave up on {key} after repeated write conflicts")]
    Contention { key: String },
    /// The store failed.
    #[error("store operation failed: {}", ErrorChain(.0.as_ref()))]
    Store(Arc<StoreError>),
    /// A stored record does not decode, or an answer does not serialize.
    #[error("{0}")]
    Internal(String),
    /// An error already in ECS's shape, from a handler's validation of its request.
    #[error("{0}")]
    Api(ApiError),
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Error {
        Error::Store(Arc::new(error))
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Error {
        Error::Api(error)
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        match error {
            Error::NotFound(Resource::Cluster) => ApiError::cluster_not_found(),
            Error::NotFound(Resource::Service) => {
                ApiError::new(ErrorCode::ServiceNotFoundException, "Service not found.")
            }
            Error::NotFound(Resource::Task) => {
                ApiError::invalid_parameter("The referenced task was not found.")
            }
            Error::NotFound(Resource::ContainerInstance) => ApiError::invalid_parameter(
                "The referenced container instance was not found in the cluster.",
            ),
            Error::InvalidState(message) => ApiError::client(message),
            Error::Unplaceable(message) => ApiError::invalid_parameter(message),
            Error::Contention { key } => {
                tracing::warn!(key, "Gave up after repeated write conflicts");
                ApiError::new(ErrorCode::ThrottlingException, "Rate exceeded")
            }
            Error::Store(error) => {
                tracing::error!(error = %ErrorChain(error.as_ref()), "Store operation failed");
                ApiError::server()
            }
            Error::Internal(message) => {
                tracing::error!(message, "Internal error");
                ApiError::server()
            }
            Error::Api(error) => error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_ecs_code() {
        let code = |error: Error| ApiError::from(error).code;
        assert_eq!(code(Error::NotFound(Resource::Cluster)), ErrorCode::ClusterNotFoundException);
        assert_eq!(code(Error::NotFound(Resource::Service)), ErrorCode::ServiceNotFoundException);
        assert_eq!(code(Error::NotFound(Resource::Task)), ErrorCode::InvalidParameterException);
        assert_eq!(
            code(Error::NotFound(Resource::ContainerInstance)),
            ErrorCode::InvalidParameterException
        );
        assert_eq!(code(Error::InvalidState("no".into())), ErrorCode::ClientException);
        assert_eq!(code(Error::Unplaceable("none".into())), ErrorCode::InvalidParameterException);
        assert_eq!(code(Error::Contention { key: "/k".into() }), ErrorCode::ThrottlingException);
        assert_eq!(code(StoreError::Closed.into()), ErrorCode::ServerException);
        assert_eq!(code(Error::Internal("bad".into())), ErrorCode::ServerException);
        let api = ApiError::new(ErrorCode::AccessDeniedException, "no");
        assert_eq!(ApiError::from(Error::from(api.clone())), api);
    }
}
