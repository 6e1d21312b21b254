//! The ECS wire protocol as data: request and response shapes, exception codes, and the
//! validation of raw JSON requests against the ECS model.
//!
//! This crate is the only place that carries ECS wire serde attributes. It knows nothing of
//! HTTP, storage or scheduling; the server converts these shapes into its own records.

pub mod agent;
pub mod berth;
mod error;
mod generated;
pub mod lb;
pub mod query;
pub mod validate;

pub use error::{ApiError, ErrorCode};
pub use generated::*;

/// The `X-Amz-Target` prefix every ECS operation carries.
pub const TARGET_PREFIX: &str = "AmazonEC2ContainerServiceV20141113.";

/// The content type of every ECS request and response body.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
