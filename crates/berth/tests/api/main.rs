//! Integration tests of the ECS API: a real `berth server` process driven by the official
//! `aws-sdk-ecs` client (and, for protocol details, by hand-made requests).

#[path = "../common/mod.rs"]
mod common;

mod access;
mod account_settings;
mod acm;
mod clusters;
mod connections;
mod container_instances;
mod crash;
mod data_dir;
mod fargate;
mod limits;
mod model_errors;
mod protocol;
mod services;
mod sim;
mod store_compat;
mod tags;
mod task_definitions;
mod tasks;
