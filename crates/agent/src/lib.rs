//! The Berth node agent: registers a container instance with the control plane, receives the
//! instance's whole desired task set, and converges the local container runtime to it.

pub mod agent;
pub mod client;
pub mod docker;
pub mod images;
pub mod outbox;
pub mod runtime;
pub mod sim;
pub mod spec;
pub mod task;
