//! ECS exception codes and the error value every operation returns.
//!
//! Each code knows its HTTP status. Clients read the code from the `X-Amzn-Errortype` header
//! (smithy SDKs) or the body's `__type` (botocore), so the server sends both.

use std::fmt;

/// The exception names Berth returns: the ECS model's exceptions plus the common AWS ones
/// (authentication, throttling, protocol errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    AccessDeniedException,
    AttributeLimitExceededException,
    ClientException,
    ClusterContainsContainerInstancesException,
    ClusterContainsServicesException,
    ClusterContainsTasksException,
    ClusterNotFoundException,
    ConflictException,
    InvalidParameterException,
    LimitExceededException,
    PlatformTaskDefinitionIncompatibilityException,
    PlatformUnknownException,
    ResourceInUseException,
    ResourceNotFoundException,
    ServerException,
    ServiceDeploymentNotFoundException,
    ServiceNotActiveException,
    ServiceNotFoundException,
    TargetNotFoundException,
    TaskSetNotFoundException,
    UnsupportedFeatureException,
    UpdateInProgressException,
    // Common AWS errors, outside the ECS model.
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
    SerializationException,
    ThrottlingException,
    UnknownOperationException,
    /// A body over the size the server accepts (413).
    RequestEntityTooLargeException,
    /// A body that did not arrive in time (408).
    RequestTimeoutException,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessDeniedException => "AccessDeniedException",
            Self::AttributeLimitExceededException => "AttributeLimitExceededException",
            Self::ClientException => "ClientException",
            Self::ClusterContainsContainerInstancesException => {
                "ClusterContainsContainerInstancesException"
            }
            Self::ClusterContainsServicesException => "ClusterContainsServicesException",
            Self::ClusterContainsTasksException => "ClusterContainsTasksException",
            Self::ClusterNotFoundException => "ClusterNotFoundException",
            Self::ConflictException => "ConflictException",
            Self::InvalidParameterException => "InvalidParameterException",
            Self::LimitExceededException => "LimitExceededException",
            Self::PlatformTaskDefinitionIncompatibilityException => {
                "PlatformTaskDefinitionIncompatibilityException"
            }
            Self::PlatformUnknownException => "PlatformUnknownException",
            Self::ResourceInUseException => "ResourceInUseException",
            Self::ResourceNotFoundException => "ResourceNotFoundException",
            Self::ServerException => "ServerException",
            Self::ServiceDeploymentNotFoundException => "ServiceDeploymentNotFoundException",
            Self::ServiceNotActiveException => "ServiceNotActiveException",
            Self::ServiceNotFoundException => "ServiceNotFoundException",
            Self::TargetNotFoundException => "TargetNotFoundException",
            Self::TaskSetNotFoundException => "TaskSetNotFoundException",
            Self::UnsupportedFeatureException => "UnsupportedFeatureException",
            Self::UpdateInProgressException => "UpdateInProgressException",
            Self::IncompleteSignatureException => "IncompleteSignatureException",
            Self::InvalidSignatureException => "InvalidSignatureException",
            Self::MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
            Self::UnrecognizedClientException => "UnrecognizedClientException",
            Self::SerializationException => "SerializationException",
            Self::ThrottlingException => "ThrottlingException",
            Self::UnknownOperationException => "UnknownOperationException",
            Self::RequestEntityTooLargeException => "RequestEntityTooLargeException",
            Self::RequestTimeoutException => "RequestTimeoutException",
        }
    }

    /// The HTTP status AWS uses for this error: the model's client errors are 400, its one
    /// fault (`ServerException`) is 500, missing or unknown credentials are 403, a body too
    /// large 413 and one too slow 408.
    pub fn status(self) -> u16 {
        match self {
            Self::ServerException => 500,
            Self::MissingAuthenticationTokenException
            | Self::UnrecognizedClientException
            | Self::InvalidSignatureException => 403,
            Self::RequestEntityTooLargeException => 413,
            Self::RequestTimeoutException => 408,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error as the API returns it: a code, a message for the caller and, for
/// `ConflictException`, the ids of the resources in conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub resource_ids: Option<Vec<String>>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), resource_ids: None }
    }

    pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidParameterException, message)
    }

    pub fn client(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::ClientException, message)
    }

    pub fn cluster_not_found() -> ApiError {
        ApiError::new(ErrorCode::ClusterNotFoundException, "Cluster not found.")
    }

    pub fn limit_exceeded(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::LimitExceededException, message)
    }

    /// An internal failure. The message stays generic: details go to the server log.
    pub fn server() -> ApiError {
        ApiError::new(ErrorCode::ServerException, "The server encountered an internal error.")
    }

    /// The JSON body of the error response.
    pub fn body(&self) -> serde_json::Value {
        let mut body = serde_json::json!({
            "__type": self.code.as_str(),
            "message": self.message,
        });
        if let Some(ids) = &self.resource_ids {
            body["resourceIds"] = serde_json::json!(ids);
        }
        body
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
