//! End-to-end tests on a real Docker Engine: a `berth server` process and `berth agent`
//! processes, driven with `aws-sdk-ecs`, running real containers. Each test uses its own
//! cluster and removes every container and volume labelled with it, even when it fails.

#[path = "../common/mod.rs"]
mod common;

mod adoption;
mod awsvpc;
mod dev;
mod fargate;
mod load_balancing;
mod policy;
mod services;
mod support;
mod tasks;
