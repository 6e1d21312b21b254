//! One task's life on this host: a task actor pulls images, creates and starts containers in
//! `dependsOn` order, watches them (exits, health, ports), stops them when asked or when an
//! essential container exits, reports the task's state, and finally removes what it created.
//!
//! The actor is level-triggered: each turn it inspects its containers, decides from what it
//! sees and what is desired, acts, and reports the whole task state if it changed. Runtime
//! events and desired-state changes only wake it up early. After an agent restart a new actor
//! adopts the task's existing containers (found by label) instead of creating new ones.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use api::agent::{ContainerReport, DesiredTask, TaskReport};
use api::{ContainerCondition, ContainerDefinition, NetworkBinding};

use crate::images::ImagePuller;
use crate::outbox::LogShipment;
use crate::runtime::{self, ContainerState, Health, Runtime, labels};
use crate::spec::{self, TaskContext};

/// What every task actor of an agent shares.
pub struct TaskEnv {
    pub runtime: Arc<dyn Runtime>,
    pub puller: Arc<ImagePuller>,
    /// Where reports and container log lines wait to be delivered to the control plane.
    pub outbox: Arc<crate::outbox::Outbox>,
    pub cluster: String,
    pub instance_arn: String,
    /// Used for containers whose definition has no `stopTimeout`.
    pub default_stop_timeout: Duration,
    /// On a Fargate pool host: how tasks are bounded.
    pub isolation: Option<crate::spec::Isolation>,
    /// How long to wait for a container's dependencies when it sets no `startTimeout`.
    pub default_start_timeout: Duration,
    /// How long a stopped task's containers are kept after the control plane forgets it.
    pub cleanup_wait: Duration,
    /// How often a settled task is checked without an event.
    pub settled_check_interval: Duration,
    /// The newest log timestamp already shipped, per container runtime id.
    pub log_cursors: Arc<parking_lot::Mutex<HashMap<String, i64>>>,
    /// The tasks whose containers may exist on this host.
    pub existing: Existing,
    /// Whether the cluster allows host mounts, as the last poll answer said: tasks may then
    /// mount shared Docker volumes that Berth did not create for the cluster.
    pub allow_host_mounts: std::sync::atomic::AtomicBool,
}

/// The tasks (by ARN) that may have containers on this host: those the agent found when it
/// started, and those whose actor created a container, until the actor removed them. A new
/// actor looks for containers to adopt only for these, which spares a runtime listing per
/// task start. `None` when the agent could not list its containers: every actor looks.
#[derive(Debug)]
pub struct Existing(parking_lot::Mutex<Option<HashSet<String>>>);

impl Existing {
    /// Starts from the tasks that have containers now (`None`: unknown).
    pub fn new(tasks: Option<HashSet<String>>) -> Existing {
        Existing(parking_lot::Mutex::new(tasks))
    }

    fn may_have_containers(&self, task_arn: &str) -> bool {
        self.0.lock().as_ref().is_none_or(|tasks| tasks.contains(task_arn))
    }

    fn insert(&self, task_arn: &str) {
        if let Some(tasks) = self.0.lock().as_mut() {
            tasks.insert(task_arn.to_owned());
        }
    }

    fn remove(&self, task_arn: &str) {
        if let Some(tasks) = self.0.lock().as_mut() {
            tasks.remove(task_arn);
        }
    }
}

/// What the agent tells a task actor.
#[derive(Debug)]
pub enum Command {
    /// The desired state changed (or was confirmed).
    Desired(Box<DesiredTask>),
    /// The task is no longer in the desired set: stop it if needed, clean up, exit.
    Forget,
    /// Something happened to one of the task's containers.
    Wake,
    /// The task's network as its security groups say now (`awsvpc` tasks).
    Network(Box<api::agent::TaskNetworkSpec>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pending,
    Running,
    Stopped,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "PENDING",
            Status::Running => "RUNNING",
            Status::Stopped => "STOPPED",
        }
    }
}

/// Why the task is stopping.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stop {
    /// The control plane asked (StopTask, a service): it already set the code and reason.
    Desired,
    EssentialExited,
    FailedToStart(String),
}

struct Slot {
    /// The task's definition, shared with the other slots and tasks of it; this slot's
    /// container is `container_definitions[index]` (see [`Slot::definition`]).
    task_definition: Arc<api::TaskDefinition>,
    index: usize,
    name: String,
    essential: bool,
    has_health_check: bool,
    runtime_id: Option<String>,
    status: Status,
    started: bool,
    exit_code: Option<i64>,
    health: Option<Health>,
    bindings: Vec<runtime::Binding>,
    reason: Option<String>,
    image_digest: Option<String>,
}

impl Slot {
    fn definition(&self) -> &ContainerDefinition {
        // Slots are made one per container definition, in order; a definition never changes.
        &self.task_definition.container_definitions.as_deref().unwrap_or_default()[self.index]
    }
}

struct Actor {
    env: Arc<TaskEnv>,
    desired: DesiredTask,
    task_id: String,
    slots: Vec<Slot>,
    pull_started_at: Option<f64>,
    pull_stopped_at: Option<f64>,
    started_at: Option<f64>,
    starting_since: Instant,
    stopping: Option<Stop>,
    stopped: bool,
    execution_stopped_at: Option<f64>,
    volumes_created: bool,
    last_report: Option<TaskReport>,
    forgotten: bool,
    /// The agent is shutting down (its commands ended): leave the containers as they are.
    shutting_down: bool,
    /// Containers whose logs are being followed.
    followed: HashSet<String>,
    commands: mpsc::UnboundedReceiver<Command>,
    /// The container holding an `awsvpc` task's network namespace, while it exists.
    sandbox: Option<String>,
    /// The rules the task's interface should have, as the control plane last said.
    rules: Option<api::agent::TaskNetworkSpec>,
    /// The rules the interface has.
    applied_rules: Option<api::agent::TaskNetworkSpec>,
}

/// How an attempt to start a container ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Started,
    /// The task must not start containers any more (its desired status turned STOPPED, it was
    /// forgotten, or the agent is shutting down): the attempt was given up.
    GivenUp,
}

/// Epoch seconds now.
pub fn epoch_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64 / 1000.0)
}

/// The id of a task: the last segment of its ARN.
pub fn task_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Runs a task until it is stopped, reported and forgotten.
pub async fn run(
    env: Arc<TaskEnv>,
    desired: DesiredTask,
    commands: mpsc::UnboundedReceiver<Command>,
) {
    let task_id = task_id(&desired.task_arn).to_owned();
    let slots = desired
        .definition
        .container_definitions
        .iter()
        .flatten()
        .enumerate()
        .map(|(index, definition)| Slot {
            name: definition.name.clone().unwrap_or_default(),
            essential: definition.essential.unwrap_or(true),
            has_health_check: definition.health_check.is_some(),
            task_definition: desired.definition.clone(),
            index,
            runtime_id: None,
            status: Status::Pending,
            started: false,
            exit_code: None,
            health: None,
            bindings: Vec::new(),
            reason: None,
            image_digest: None,
        })
        .collect();
    let mut actor = Actor {
        env,
        desired,
        task_id,
        slots,
        pull_started_at: None,
        pull_stopped_at: None,
        started_at: None,
        starting_since: Instant::now(),
        stopping: None,
        stopped: false,
        execution_stopped_at: None,
        volumes_created: false,
        last_report: None,
        forgotten: false,
        shutting_down: false,
        followed: HashSet::new(),
        commands,
        sandbox: None,
        rules: None,
        applied_rules: None,
    };
    // The long steps (adopting, starting, stopping, cleaning up) are boxed: their states live
    // only while they run, and the future a task's actor sleeps in between stays small (about
    // half the size), which counts with tens of thousands of tasks on a host.
    Box::pin(actor.adopt()).await;
    loop {
        actor.refresh().await;
        actor.follow_logs();
        actor.decide();
        // Say what the task is now (PENDING as soon as this agent has it), before starting
        // containers takes its time.
        actor.report();
        // A task desired STOPPED (even before this agent first saw it) never starts a
        // container; `start_ready` gives up as soon as that changes while it works.
        if actor.stopping.is_none() && !actor.stop_wanted() && actor.needs_network() {
            // PROVISIONING while the interface is set up.
            actor.report();
            Box::pin(actor.network_up()).await;
            actor.report();
        }
        Box::pin(actor.update_rules()).await;
        if actor.stopping.is_none() && !actor.stop_wanted() {
            Box::pin(actor.start_ready()).await;
            actor.refresh().await;
            // Follow what just started now, so its first lines go with the report below.
            actor.follow_logs();
            actor.decide();
        }
        if actor.stopping.is_some() && !actor.stopped {
            // Say STOPPING first: stopping can take as long as the stop timeouts.
            actor.report();
            Box::pin(actor.stop_all()).await;
            actor.refresh().await;
            actor.finish_if_stopped();
        }
        if actor.stopped && actor.sandbox.is_some() {
            // DEPROVISIONING while the interface is torn down; STOPPED only once it is gone,
            // so that the control plane never gives its address to another task before.
            actor.report();
            Box::pin(actor.network_down()).await;
        }
        actor.report();
        if actor.stopped && actor.forgotten {
            tokio::select! {
                _ = tokio::time::sleep(actor.env.cleanup_wait) => {}
                // A task the control plane forgot is never wanted again; only shutdown matters.
                None = actor.commands.recv() => {}
            }
            Box::pin(actor.clean_up()).await;
            return;
        }
        let tick = if actor.stopping.is_none() && !actor.all_settled() {
            Duration::from_millis(250)
        } else {
            actor.env.settled_check_interval
        };
        if actor.shutting_down {
            return;
        }
        let command = tokio::select! {
            command = actor.commands.recv() => command,
            _ = tokio::time::sleep(tick) => Some(Command::Wake),
        };
        match command {
            Some(command) => actor.apply(command),
            // The agent is shutting down: leave the containers running.
            None => return,
        }
        // Drain what else queued up; the next turn looks at everything anyway.
        actor.take_commands();
        if actor.forgotten && actor.stopping.is_none() {
            actor.stopping = Some(Stop::Desired);
        }
    }
}

impl Actor {
    fn apply(&mut self, command: Command) {
        match command {
            Command::Desired(desired) => self.desired = *desired,
            Command::Forget => self.forgotten = true,
            Command::Wake => {}
            Command::Network(spec) => self.rules = Some(*spec),
        }
    }

    /// Applies the commands that are waiting, without waiting for more.
    fn take_commands(&mut self) {
        loop {
            match self.commands.try_recv() {
                Ok(command) => self.apply(command),
                Err(mpsc::error::TryRecvError::Empty) => return,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    self.shutting_down = true;
                    return;
                }
            }
        }
    }

    /// Whether the task must not start (more) containers: it is desired STOPPED, the control
    /// plane forgot it, or the agent is shutting down.
    fn stop_wanted(&self) -> bool {
        self.desired.desired_status != "RUNNING" || self.forgotten || self.shutting_down
    }

    /// Applies commands as they come until one makes [`Actor::stop_wanted`] true.
    async fn until_stop_wanted(&mut self) {
        while !self.stop_wanted() {
            match self.commands.recv().await {
                Some(command) => self.apply(command),
                None => self.shutting_down = true,
            }
        }
    }

    fn context(&self) -> TaskContext<'_> {
        // A Fargate pool host runs tasks of every cluster: each task's containers carry its
        // own cluster (named in its ARN, `task/<cluster>/<id>`).
        let cluster = match self.env.isolation {
            Some(_) => self
                .desired
                .task_arn
                .rsplit_once(":task/")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or(self.env.cluster.as_str(), |(cluster, _)| cluster),
            None => &self.env.cluster,
        };
        TaskContext {
            cluster,
            container_instance_arn: &self.env.instance_arn,
            task_arn: &self.desired.task_arn,
            task_id: &self.task_id,
            definition: &self.desired.definition,
            overrides: self.desired.overrides.as_ref(),
            default_stop_timeout: self.env.default_stop_timeout,
            sandbox: self.sandbox.as_deref(),
            isolation: self.env.isolation.as_ref(),
        }
    }

    /// Whether the task is in the `awsvpc` mode and its network is not set up yet.
    fn needs_network(&self) -> bool {
        self.desired.network.is_some() && self.sandbox.is_none() && !self.stopped
    }

    /// Sets the task's network interface up; a failure stops the task before any container.
    async fn network_up(&mut self) {
        let Some(spec) = self.desired.network.clone() else { return };
        let (name, labels) = spec::sandbox(&self.context());
        match self.env.runtime.network_up(&name, &labels, &spec).await {
            Ok(id) => {
                tracing::debug!(task = %self.task_id, address = %spec.address, "Task network set up");
                self.applied_rules = Some(spec.clone());
                self.env.existing.insert(&self.desired.task_arn);
                self.sandbox = Some(id);
            }
            Err(error) => {
                tracing::warn!(task = %self.task_id, %error, "Setting up the task's network failed");
                self.stopping = Some(Stop::FailedToStart(format!(
                    "ResourceInitializationError: the task's network interface could not be set up: {error}"
                )));
            }
        }
    }

    /// Puts the rules the control plane last gave in force on the task's interface, if they
    /// differ from those it has (a security group changed while the task runs).
    async fn update_rules(&mut self) {
        let (Some(sandbox), Some(rules)) = (self.sandbox.clone(), self.rules.clone()) else {
            return;
        };
        let have = self.applied_rules.as_ref();
        if have.is_some_and(|h| h.ingress == rules.ingress && h.egress == rules.egress) {
            return;
        }
        match self.env.runtime.network_rules(&sandbox, &rules).await {
            Ok(()) => {
                tracing::debug!(task = %self.task_id, "Task network rules updated");
                self.applied_rules = Some(rules);
            }
            Err(error) => {
                tracing::warn!(task = %self.task_id, %error, "Updating the task's network rules failed");
            }
        }
    }

    /// Tears the task's network interface down (its containers have stopped).
    async fn network_down(&mut self) {
        let Some(id) = self.sandbox.clone() else { return };
        match self.env.runtime.network_down(&id, self.desired.network.as_ref()).await {
            Ok(()) => self.sandbox = None,
            Err(error) => {
                // Tried again on the next turn; the task stays DEPROVISIONING meanwhile.
                tracing::warn!(task = %self.task_id, %error, "Tearing the task's network down failed");
            }
        }
    }

    /// Finds the task's containers that already exist (an agent restart) by their labels.
    async fn adopt(&mut self) {
        if !self.env.existing.may_have_containers(&self.desired.task_arn) {
            return;
        }
        let found = match self
            .env
            .runtime
            .list(&[
                (labels::CONTAINER_INSTANCE, &self.env.instance_arn),
                (labels::TASK_ARN, &self.desired.task_arn),
            ])
            .await
        {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(task = %self.task_id, %error, "Listing the task's containers failed");
                return;
            }
        };
        for status in found {
            let Some(name) = status.labels.get(labels::CONTAINER_NAME) else {
                continue;
            };
            if name == spec::SANDBOX {
                // The network of a task set up before the restart, if it still holds one.
                if status.state == ContainerState::Running {
                    self.sandbox = Some(status.id.clone());
                } else if let Err(error) = self.env.runtime.remove(&status.id).await {
                    tracing::warn!(task = %self.task_id, %error, "Removing a dead network container failed");
                }
                continue;
            }
            if let Some(slot) = self.slots.iter_mut().find(|s| &s.name == name) {
                slot.runtime_id = Some(status.id.clone());
                slot.started = status.started_at.is_some();
                self.volumes_created = true;
            }
        }
        if self.slots.iter().any(|s| s.runtime_id.is_some()) {
            tracing::info!(task = %self.task_id, "Adopted the task's existing containers");
        }
    }

    /// Reads the state of every created container.
    async fn refresh(&mut self) {
        for slot in &mut self.slots {
            let Some(id) = slot.runtime_id.clone() else {
                continue;
            };
            match self.env.runtime.inspect(&id).await {
                Ok(Some(status)) => {
                    let was = slot.status;
                    slot.status = match status.state {
                        ContainerState::Running
                        | ContainerState::Paused
                        | ContainerState::Restarting => Status::Running,
                        ContainerState::Exited
                        | ContainerState::Dead
                        | ContainerState::Removing => Status::Stopped,
                        ContainerState::Created => {
                            if slot.started {
                                Status::Stopped
                            } else {
                                Status::Pending
                            }
                        }
                    };
                    if slot.status != Status::Pending || status.started_at.is_some() {
                        slot.started = slot.started || status.started_at.is_some();
                    }
                    slot.health = status.health;
                    if slot.status == Status::Running {
                        slot.bindings = status.bindings;
                    }
                    if slot.status == Status::Stopped {
                        slot.exit_code = status.exit_code;
                        if status.oom_killed {
                            slot.reason = Some(
                                "OutOfMemoryError: Container killed due to memory usage".to_owned(),
                            );
                        } else if let Some(error) = status.error.filter(|e| !e.is_empty()) {
                            slot.reason.get_or_insert(error);
                        }
                    }
                    if was != slot.status {
                        tracing::debug!(task = %self.task_id, container = %slot.name, status = slot.status.as_str(), "Container state changed");
                    }
                }
                Ok(None) => {
                    // Removed behind our back: it is not running any more.
                    if slot.status != Status::Stopped {
                        slot.status = Status::Stopped;
                        slot.reason.get_or_insert_with(|| "The container was removed".to_owned());
                    }
                }
                Err(error) => {
                    tracing::warn!(task = %self.task_id, container = %slot.name, %error, "Inspecting a container failed")
                }
            }
        }
    }

    /// Follows the logs of every started container not followed yet.
    fn follow_logs(&mut self) {
        for slot in &self.slots {
            let Some(id) = &slot.runtime_id else { continue };
            if !slot.started || !self.followed.insert(id.clone()) {
                continue;
            }
            let cursor = self.env.log_cursors.lock().get(id).copied().unwrap_or(0);
            let mut lines = self.env.runtime.logs(id, (cursor > 0).then_some(cursor / 1000));
            let outbox = self.env.outbox.clone();
            let task_arn = self.desired.task_arn.clone();
            let container_name = slot.name.clone();
            let runtime_id = id.clone();
            tokio::spawn(async move {
                use futures::StreamExt as _;
                while let Some(Ok(line)) = lines.next().await {
                    // `since` has whole seconds: skip what was shipped already.
                    if line.timestamp <= cursor {
                        continue;
                    }
                    let shipment = LogShipment {
                        task_arn: task_arn.clone(),
                        container_name: container_name.clone(),
                        runtime_id: runtime_id.clone(),
                        line,
                    };
                    if !outbox.push_lines([shipment]) {
                        return;
                    }
                }
            });
        }
    }

    /// Decides whether the task must stop.
    fn decide(&mut self) {
        if self.stopping.is_some() {
            return;
        }
        if self.desired.desired_status == "STOPPED" || self.forgotten {
            self.stopping = Some(Stop::Desired);
        } else if self.slots.iter().any(|s| s.essential && s.started && s.status == Status::Stopped)
        {
            self.stopping = Some(Stop::EssentialExited);
        }
    }

    fn all_settled(&self) -> bool {
        self.slots.iter().all(|s| s.status != Status::Pending)
            && self.slots.iter().all(|s| !s.has_health_check || s.health != Some(Health::Starting))
    }

    /// Whether a container's dependencies are met: `Ok(true)` yes, `Ok(false)` not yet,
    /// `Err` never (a dependency ended the wrong way).
    fn dependencies_met(&self, slot: &Slot) -> Result<bool, String> {
        for dependency in slot.definition().depends_on.iter().flatten() {
            let Some(other) = self.slots.iter().find(|s| s.name == dependency.container_name)
            else {
                return Err(format!(
                    "container {} depends on unknown container {}",
                    slot.name, dependency.container_name
                ));
            };
            let met = match dependency.condition {
                ContainerCondition::Start => other.started,
                ContainerCondition::Complete => other.started && other.status == Status::Stopped,
                ContainerCondition::Success => {
                    if other.started && other.status == Status::Stopped {
                        if other.exit_code != Some(0) {
                            return Err(format!(
                                "dependency {} of container {} exited with code {} instead of succeeding",
                                other.name,
                                slot.name,
                                other.exit_code.map_or("unknown".to_owned(), |c| c.to_string())
                            ));
                        }
                        true
                    } else {
                        false
                    }
                }
                ContainerCondition::Healthy => {
                    if other.started && other.status == Status::Stopped {
                        return Err(format!(
                            "dependency {} of container {} stopped before it was healthy",
                            other.name, slot.name
                        ));
                    }
                    other.health == Some(Health::Healthy)
                }
            };
            if !met {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Creates and starts every container whose dependencies are met.
    async fn start_ready(&mut self) {
        if !self.volumes_created {
            for volume in spec::task_volumes(&self.context()) {
                if let Err(error) = self.env.runtime.create_volume(&volume).await {
                    self.stopping =
                        Some(Stop::FailedToStart(format!("CannotCreateVolumeError: {error}")));
                    return;
                }
            }
            for (name, autoprovision) in spec::shared_volumes(&self.context()) {
                if let Err(reason) = self.check_shared_volume(&name, autoprovision).await {
                    tracing::warn!(task = %self.task_id, volume = %name, %reason, "A shared volume was refused");
                    self.stopping = Some(Stop::FailedToStart(reason));
                    return;
                }
            }
            self.volumes_created = true;
        }
        for index in 0..self.slots.len() {
            // The desired status may have turned STOPPED while the last container started.
            self.take_commands();
            if self.stop_wanted() {
                return;
            }
            let slot = &self.slots[index];
            if slot.started || slot.status != Status::Pending {
                continue;
            }
            match self.dependencies_met(slot) {
                Ok(true) => {}
                Ok(false) => {
                    let timeout = slot
                        .definition()
                        .start_timeout
                        .map_or(self.env.default_start_timeout, |s| {
                            Duration::from_secs(u64::try_from(s).unwrap_or(0))
                        });
                    if self.starting_since.elapsed() > timeout {
                        let reason = format!(
                            "DependencyTimeoutError: the dependencies of container {} were not met within {}s",
                            slot.name,
                            timeout.as_secs()
                        );
                        self.stopping = Some(Stop::FailedToStart(reason));
                        return;
                    }
                    continue;
                }
                Err(reason) => {
                    self.stopping = Some(Stop::FailedToStart(format!("DependencyError: {reason}")));
                    return;
                }
            }
            match self.start_container(index).await {
                Ok(Start::Started) => {}
                Ok(Start::GivenUp) => {
                    tracing::debug!(task = %self.task_id, container = %self.slots[index].name, "Gave up starting a container: the task is to stop");
                    return;
                }
                Err(reason) => {
                    tracing::warn!(task = %self.task_id, container = %self.slots[index].name, %reason, "A container failed to start");
                    self.slots[index].reason = Some(reason.clone());
                    self.stopping = Some(Stop::FailedToStart(reason));
                    return;
                }
            }
        }
    }

    /// A shared volume may be mounted if it exists and Berth created it for this cluster as a
    /// shared volume (its labels say so), or if the cluster allows host mounts. Docker would
    /// otherwise mount any volume of that name: one an administrator made, another cluster's,
    /// or another task's own (task-scoped) volume.
    async fn check_shared_volume(&self, name: &str, autoprovision: bool) -> Result<(), String> {
        let cluster = &self.env.cluster;
        let volume = self
            .env
            .runtime
            .volume(name)
            .await
            .map_err(|e| format!("CannotCreateVolumeError: {e}"))?;
        let Some(volume) = volume else {
            let why = if autoprovision {
                "was not created"
            } else {
                "does not exist, and its dockerVolumeConfiguration does not autoprovision it"
            };
            return Err(format!("CannotCreateVolumeError: shared volume {name} {why}"));
        };
        let ours = volume.labels.get(labels::MANAGED).is_some_and(|v| v == "true")
            && volume.labels.get(labels::CLUSTER) == Some(cluster)
            && !volume.labels.contains_key(labels::TASK_ARN);
        if !ours && !self.env.allow_host_mounts.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(format!(
                "CannotCreateVolumeError: shared volume {name} is a Docker volume that Berth did not create for cluster {cluster} as a shared volume, which cluster {cluster} does not allow (allow-host-mounts)"
            ));
        }
        Ok(())
    }

    async fn start_container(&mut self, index: usize) -> Result<Start, String> {
        let image = self.slots[index].definition().image.clone().unwrap_or_default();
        if self.pull_started_at.is_none() {
            self.pull_started_at = Some(epoch_now());
        }
        // A pull can take minutes; a stop asked for meanwhile ends it.
        let env = self.env.clone();
        let pulled = tokio::select! {
            pulled = env.puller.ensure(env.runtime.as_ref(), &image) => pulled,
            () = self.until_stop_wanted() => {
                self.pull_stopped_at = Some(epoch_now());
                return Ok(Start::GivenUp);
            }
        };
        self.pull_stopped_at = Some(epoch_now());
        let info = pulled.map_err(|e| format!("CannotPullContainerError: {e}"))?;
        self.slots[index].image_digest = info.digest;
        let id = match self.slots[index].runtime_id.clone() {
            Some(id) => id,
            None => {
                let spec = spec::container_spec(&self.context(), self.slots[index].definition())
                    .map_err(|e| format!("CannotCreateContainerError: {e}"))?;
                // Before the container exists, so that an actor that follows this one finds it.
                self.env.existing.insert(&self.desired.task_arn);
                let id = self
                    .env
                    .runtime
                    .create(&spec)
                    .await
                    .map_err(|e| format!("CannotCreateContainerError: {e}"))?;
                self.slots[index].runtime_id = Some(id.clone());
                id
            }
        };
        // Creating took its time too: a created container is removed with the task, never
        // started, once the task is to stop.
        self.take_commands();
        if self.stop_wanted() {
            return Ok(Start::GivenUp);
        }
        self.env.runtime.start(&id).await.map_err(|e| format!("CannotStartContainerError: {e}"))?;
        self.slots[index].started = true;
        self.slots[index].status = Status::Running;
        tracing::debug!(task = %self.task_id, container = %self.slots[index].name, "Container started");
        Ok(Start::Started)
    }

    /// Stops every running container, dependents before what they depend on, each with its
    /// stop timeout (SIGTERM, then SIGKILL).
    async fn stop_all(&mut self) {
        let mut remaining: HashSet<usize> = (0..self.slots.len())
            .filter(|&i| {
                self.slots[i].runtime_id.is_some() && self.slots[i].status == Status::Running
            })
            .collect();
        while !remaining.is_empty() {
            // A container can stop once no running container depends on it.
            let wave: Vec<usize> = remaining
                .iter()
                .copied()
                .filter(|&i| {
                    let name = &self.slots[i].name;
                    !remaining.iter().any(|&j| {
                        j != i
                            && self.slots[j]
                                .definition()
                                .depends_on
                                .iter()
                                .flatten()
                                .any(|d| &d.container_name == name)
                    })
                })
                .collect();
            // A dependency cycle cannot happen (registration refuses it); stop all if it does.
            let wave = if wave.is_empty() { remaining.iter().copied().collect() } else { wave };
            let stops = wave.iter().map(|&i| {
                let slot = &self.slots[i];
                let timeout =
                    slot.definition().stop_timeout.map_or(self.env.default_stop_timeout, |s| {
                        Duration::from_secs(u64::try_from(s).unwrap_or(0))
                    });
                let id = slot.runtime_id.clone().unwrap_or_default();
                let runtime = self.env.runtime.clone();
                async move { (i, runtime.stop(&id, timeout).await) }
            });
            for (i, outcome) in futures::future::join_all(stops).await {
                if let Err(error) = outcome {
                    tracing::warn!(task = %self.task_id, container = %self.slots[i].name, %error, "Stopping a container failed");
                }
                remaining.remove(&i);
            }
        }
    }

    fn finish_if_stopped(&mut self) {
        if self.slots.iter().all(|s| s.status != Status::Running) {
            self.stopped = true;
            self.execution_stopped_at.get_or_insert_with(epoch_now);
            for slot in &mut self.slots {
                if slot.status == Status::Pending {
                    slot.status = Status::Stopped;
                }
            }
        }
    }

    /// The task's `lastStatus` as this agent sees it.
    fn task_status(&self) -> &'static str {
        if self.stopped && self.sandbox.is_some() {
            return "DEPROVISIONING";
        }
        if self.stopped {
            return "STOPPED";
        }
        if self.stopping.is_none() && self.needs_network() {
            return "PROVISIONING";
        }
        if self.stopping.is_some() {
            return "STOPPING";
        }
        let running = self
            .slots
            .iter()
            .all(|s| if s.essential { s.status == Status::Running } else { s.started });
        if running { "RUNNING" } else { "PENDING" }
    }

    fn health(&self) -> Option<&'static str> {
        let checked: Vec<_> =
            self.slots.iter().filter(|s| s.essential && s.has_health_check).collect();
        if checked.is_empty() {
            return Some("UNKNOWN");
        }
        if checked.iter().any(|s| s.health == Some(Health::Unhealthy)) {
            Some("UNHEALTHY")
        } else if checked.iter().all(|s| s.health == Some(Health::Healthy)) {
            Some("HEALTHY")
        } else {
            Some("UNKNOWN")
        }
    }

    fn report(&mut self) {
        let status = self.task_status();
        if status == "RUNNING" && self.started_at.is_none() {
            self.started_at = Some(epoch_now());
        }
        let (stop_code, reason) = match (&self.stopping, status) {
            (Some(Stop::EssentialExited), "STOPPED") => (
                Some("EssentialContainerExited".to_owned()),
                Some("Essential container in task exited".to_owned()),
            ),
            (Some(Stop::FailedToStart(reason)), "STOPPED") => {
                (Some("TaskFailedToStart".to_owned()), Some(reason.clone()))
            }
            _ => (None, None),
        };
        let containers = self
            .slots
            .iter()
            .map(|s| ContainerReport {
                name: s.name.clone(),
                status: s.status.as_str().to_owned(),
                runtime_id: s.runtime_id.clone(),
                exit_code: s.exit_code.and_then(|c| i32::try_from(c).ok()),
                reason: s.reason.clone(),
                network_bindings: s
                    .bindings
                    .iter()
                    .map(|b| NetworkBinding {
                        bind_ip: Some(b.host_ip.clone()),
                        container_port: Some(i32::from(b.container_port)),
                        host_port: Some(i32::from(b.host_port)),
                        protocol: api::TransportProtocol::parse(b.protocol.as_str()),
                        ..NetworkBinding::default()
                    })
                    .collect(),
                health_status: s.has_health_check.then(|| {
                    match s.health {
                        Some(Health::Healthy) => "HEALTHY",
                        Some(Health::Unhealthy) => "UNHEALTHY",
                        _ => "UNKNOWN",
                    }
                    .to_owned()
                }),
                image_digest: s.image_digest.clone(),
            })
            .collect();
        let report = TaskReport {
            task_arn: self.desired.task_arn.clone(),
            status: status.to_owned(),
            stop_code,
            reason,
            containers,
            health_status: self.health().map(str::to_owned),
            pull_started_at: self.pull_started_at,
            pull_stopped_at: self.pull_stopped_at,
            started_at: self.started_at,
            execution_stopped_at: self.execution_stopped_at,
        };
        if self.last_report.as_ref() != Some(&report) {
            self.env.outbox.push_report(report.clone());
            self.last_report = Some(report);
        }
    }

    async fn clean_up(&mut self) {
        let mut removed = true;
        if let Some(id) = self.sandbox.take()
            && let Err(error) =
                self.env.runtime.network_down(&id, self.desired.network.as_ref()).await
        {
            removed = false;
            tracing::warn!(task = %self.task_id, %error, "Removing the network container failed");
        }
        for slot in &self.slots {
            if let Some(id) = &slot.runtime_id
                && let Err(error) = self.env.runtime.remove(id).await
            {
                removed = false;
                tracing::warn!(task = %self.task_id, container = %slot.name, %error, "Removing a container failed");
            }
        }
        if removed {
            self.env.existing.remove(&self.desired.task_arn);
            if self.env.isolation.is_some() {
                self.env.runtime.release_task(&self.task_id).await;
            }
        }
        let shared: BTreeMap<_, _> = self
            .desired
            .definition
            .volumes
            .iter()
            .flatten()
            .filter_map(|v| v.name.clone())
            .map(|n| (spec::volume_name(&self.task_id, &n), n))
            .collect();
        for volume in spec::task_volumes(&self.context()) {
            // Only volumes named for this task are the task's own; shared ones outlive it.
            if shared.contains_key(&volume.name)
                && let Err(error) = self.env.runtime.remove_volume(&volume.name).await
            {
                tracing::warn!(task = %self.task_id, volume = %volume.name, %error, "Removing a volume failed");
            }
        }
        tracing::debug!(task = %self.task_id, "Task cleaned up");
    }
}

#[cfg(test)]
mod tests;
