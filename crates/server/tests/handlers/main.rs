//! The ECS API handlers in process: every operation the control plane routes, driven through
//! `server::router` over a `MemoryStore` and a `ManualClock`, with the refusals each one gives
//! (missing and mistyped members, invalid values, unknown resources) and a check that a
//! refused request changed nothing. See `harness.rs` for how a request is made.

mod harness;

mod account_settings;
mod berth_ops;
mod clusters;
mod container_instances;
mod elbv2;
mod error_codes;
mod fargate;
mod network;
mod protocol;
mod services;
mod tags;
mod task_definitions;
mod tasks;
