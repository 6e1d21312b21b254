//! Berth's placement engine: where ECS tasks go, and which ones stop on scale-in.
//!
//! The crate is **pure**: no IO, no async, no clock, no global RNG, no threads. The same input gives
//! byte-identical output; randomness comes from `SmallRng::seed_from_u64(ctx.seed)` and every
//! iteration is over a `Vec` or a `BTreeMap`. It depends on none of Berth's other crates: the server
//! converts its records into these input types.
//!
//! # API
//!
//! ```text
//! plan(&Snapshot, &PlacementRequest, &PlanCtx) -> Plan
//!     Snapshot { instances: Vec<Instance> }                     sorted by id
//!     PlacementRequest { count, group, cpu, memory, host_ports, required_attributes,
//!                        constraints: Vec<Constraint>, strategy: Vec<Strategy> }
//!     Plan { placements: Vec<Placement { task_index, instance_id }>,
//!            unplaced: Vec<Unplaced { task_index, reason: FailureReason, instance_arn, detail }> }
//! select_for_scale_in(&Snapshot, &[TaskRef], count, &[Strategy], &PlanCtx) -> Vec<String>
//! Strategy::from_ecs(type, field) / Constraint::from_ecs(type, expression) -> Result<_, String>
//! query::parse(&str) -> Result<query::Expr, query::ParseError>; Expr::matches(&Instance), Expr::eval(&impl QueryTarget)
//! FailureReason::as_ecs() -> "RESOURCE:CPU" | "RESOURCE:MEMORY" | "RESOURCE:PORTS" | "ATTRIBUTE" | "AGENT" | "INACTIVE" | ...
//! testkit::synthetic_cluster(instances, zones, seed) -> Snapshot;  testkit::fixture::{parse, render}
//! Planner::new(Snapshot); Planner::apply(&mut, Delta) -> Result<(), DeltaError>;
//! Planner::plan(&mut, &PlacementRequest, &PlanCtx) -> Plan   (= plan(&planner.snapshot(), ..))
//! ```
//!
//! # Placement semantics
//!
//! See [`plan`] for the pipeline, the strategies, tie-breaks and how the closest candidate of a failure
//! is chosen, [`Planner`] for the incremental planner that keeps its filters and indexes between
//! requests, and `docs/dev/scheduler.md` for the data structures that keep each placement
//! `O(log n)`.

pub mod deploy;
mod model;
mod place;
mod planner;
pub mod query;
mod scale_in;
mod strategy;
pub mod testkit;

pub use self::model::{
    FailureReason, Instance, InstanceStatus, Placement, PlacementRequest, Plan, PlanCtx, Protocol,
    Resources, Snapshot, TaskOnInstance, TaskRef, Unplaced,
};
pub use self::place::plan;
pub use self::planner::{DEFAULT_MAX_SHAPES, Delta, DeltaError, Planner};
pub use self::scale_in::select_for_scale_in;
pub use self::strategy::{BinpackField, Constraint, MAX_EXPRESSION_CHARS, SpreadField, Strategy};
