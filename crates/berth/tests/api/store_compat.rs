//! Store compatibility: a data directory written by an earlier layout of the records is loaded
//! and served unchanged by the code of now.
//!
//! `tests/fixtures/<name>/` is a data directory a `berth server` of that layout wrote, and
//! `tests/fixtures/<name>.expected.json` what that server answered about it. The test starts a
//! server of now on a copy (no agent connects), asks the same questions and compares the
//! answers, before and after the service scheduler has gone over the old records; then it
//! writes through the old records (StopTask, UpdateService, RegisterTaskDefinition, ...).
//!
//! `BERTH_WRITE_STORE_FIXTURE=1 cargo nextest run -p berth --test api store_compat` first
//! writes the newest fixture again (see [`generate`]), then checks every fixture. A fixture is
//! the layout it was written with: it is never regenerated to follow a change of layout (that
//! would test nothing); a new layout gets a fixture of its own beside the old ones.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::common::{Raw, Server, SimAgent, eventually};

/// The fixtures, oldest layout first. The generator writes the last one.
const FIXTURES: &[&str] = &["store-v1"];

/// Set (to anything) to have the newest fixture written again before the check.
const WRITE_ENV: &str = "BERTH_WRITE_STORE_FIXTURE";

/// How both servers run: service tasks count as healthy after a second (so the generator's
/// services settle quickly), and STOPPED tasks are kept for ten years (with the default hour,
/// the reaper would remove the fixture's stopped tasks as soon as a server starts on it).
const SERVER_ARGS: &[&str] = &["--task-settle-time", "1", "--stopped-task-retention", "315360000"];

/// The files a data directory holds. Only the store is kept in a fixture: the agent secret is
/// created anew on start (agent tokens are derived from it; no record is), and the test auth
/// file is written for every test server.
const STORE_FILE: &str = "berth.db";
const REGENERATED_FILES: [&str; 2] = ["auth.toml", "agent-secret"];

/// The cluster the fixture's instances, tasks and services are in.
const CLUSTER: &str = "fixture";
/// Every cluster of the fixture: with settings and tags, empty, and deleted (INACTIVE).
const CLUSTERS: [&str; 3] = ["fixture", "spare", "retired"];
/// Every service of the fixture: rolled back after a failed deployment, with a task replaced
/// for failing health checks, and deleted (INACTIVE).
const SERVICES: [&str; 3] = ["web", "sick", "gone"];
const ALICE: &str = "arn:aws:iam::000000000000:user/alice";

/// `server::service_scheduler::HEALTH_REASON`: how the scheduler tells a task it replaced for
/// failing health checks.
const HEALTH_REASON: &str = "Task failed container health checks";
/// The `startedBy` of the standalone task left RUNNING.
const RUNNER: &str = "fixture-runner";

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn epoch_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_written_by_earlier_layouts_is_served_unchanged() {
    if std::env::var_os(WRITE_ENV).is_some() {
        generate(FIXTURES.last().expect("a fixture")).await;
    }
    for name in FIXTURES {
        check(name).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Questions and answers, the same for the generator and the check.

async fn call(raw: &Raw, op: &str, body: Value) -> Value {
    let response = raw.op(op, body.clone()).await;
    assert_eq!(response.status, 200, "{op} {body}: {}", response.body);
    response.body
}

/// Every item of a listing, following `nextToken`.
async fn all(raw: &Raw, op: &str, body: Value, field: &str) -> Value {
    let mut items = Vec::new();
    let mut request = body;
    loop {
        let page = call(raw, op, request.clone()).await;
        items.extend(page[field].as_array().cloned().unwrap_or_default());
        match page["nextToken"].as_str() {
            Some(token) => request["nextToken"] = json!(token),
            None => return Value::Array(items),
        }
    }
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// What the server answers about everything the fixture holds, by question. The describe
/// calls ask about what the listings return, so a record the server no longer lists is
/// missing from both.
async fn answers(raw: &Raw) -> Value {
    let mut out = Map::new();
    out.insert("ListClusters".into(), all(raw, "ListClusters", json!({}), "clusterArns").await);
    let include = json!(["SETTINGS", "TAGS", "STATISTICS"]);
    let clusters = json!({"clusters": CLUSTERS, "include": include});
    out.insert("DescribeClusters".into(), call(raw, "DescribeClusters", clusters).await);

    for (label, body) in [
        ("own", json!({})),
        ("alice", json!({"principalArn": ALICE})),
        ("effective", json!({"effectiveSettings": true})),
    ] {
        let settings = all(raw, "ListAccountSettings", body, "settings").await;
        out.insert(format!("ListAccountSettings.{label}"), settings);
    }

    let families = json!({"status": "ALL"});
    let families = all(raw, "ListTaskDefinitionFamilies", families, "families").await;
    out.insert("ListTaskDefinitionFamilies".into(), families);
    let mut definitions = Vec::new();
    for status in ["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"] {
        let body = json!({"status": status});
        let arns = all(raw, "ListTaskDefinitions", body, "taskDefinitionArns").await;
        definitions.extend(strings(&arns));
        out.insert(format!("ListTaskDefinitions.{status}"), arns);
    }
    let mut described = Map::new();
    for arn in definitions {
        let body = json!({"taskDefinition": arn, "include": ["TAGS"]});
        described.insert(arn, call(raw, "DescribeTaskDefinition", body).await);
    }
    out.insert("DescribeTaskDefinition".into(), Value::Object(described));

    let body = json!({"cluster": CLUSTER});
    let instances = all(raw, "ListContainerInstances", body, "containerInstanceArns").await;
    let body = json!({"cluster": CLUSTER, "containerInstances": instances, "include": ["TAGS"]});
    out.insert(
        "DescribeContainerInstances".into(),
        call(raw, "DescribeContainerInstances", body).await,
    );
    out.insert("ListContainerInstances".into(), instances);
    let body = json!({"cluster": CLUSTER, "targetType": "container-instance"});
    out.insert("ListAttributes".into(), all(raw, "ListAttributes", body, "attributes").await);

    let mut tasks = Vec::new();
    for desired in ["RUNNING", "STOPPED"] {
        let body = json!({"cluster": CLUSTER, "desiredStatus": desired});
        let arns = all(raw, "ListTasks", body, "taskArns").await;
        tasks.extend(strings(&arns));
        out.insert(format!("ListTasks.{desired}"), arns);
    }
    let body = json!({"cluster": CLUSTER, "tasks": tasks, "include": ["TAGS"]});
    let described = call(raw, "DescribeTasks", body).await;
    let mut logs = Map::new();
    for task in described["tasks"].as_array().into_iter().flatten() {
        let arn = task["taskArn"].as_str().unwrap_or_default();
        let id = arn.rsplit('/').next().unwrap_or_default();
        for container in task["containers"].as_array().into_iter().flatten() {
            let name = container["name"].as_str().unwrap_or_default();
            let body = json!({
                "cluster": CLUSTER, "task": arn, "containerName": name, "startFromHead": true,
            });
            let response = raw.berth("GetContainerLogs", body).await;
            logs.insert(
                format!("{id}/{name}"),
                json!({"status": response.status, "body": response.body}),
            );
        }
    }
    out.insert("DescribeTasks".into(), described);
    out.insert("GetContainerLogs".into(), Value::Object(logs));

    let body = json!({"cluster": CLUSTER});
    out.insert("ListServices".into(), all(raw, "ListServices", body, "serviceArns").await);
    let body = json!({"cluster": CLUSTER, "services": SERVICES, "include": ["TAGS"]});
    out.insert("DescribeServices".into(), call(raw, "DescribeServices", body).await);
    let mut deployments = Vec::new();
    for service in SERVICES {
        let body = json!({"cluster": CLUSTER, "service": service});
        let listed = all(raw, "ListServiceDeployments", body, "serviceDeployments").await;
        deployments.extend(
            listed
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d["serviceDeploymentArn"].as_str().map(str::to_owned)),
        );
        out.insert(format!("ListServiceDeployments.{service}"), listed);
    }
    let body = json!({"serviceDeploymentArns": deployments});
    out.insert(
        "DescribeServiceDeployments".into(),
        call(raw, "DescribeServiceDeployments", body).await,
    );
    Value::Object(out)
}

/// Takes out of the answers what legitimately differs between the server that wrote a fixture
/// and a server started on it later, and only that:
///
/// - `agentConnected` of each container instance and `connectivity` of each task: whether an
///   instance's agent is connected is known in memory only, from its polls. The writing server
///   had its agents until just before; no agent connects to the server started on the fixture.
/// - Service events created after the fixture was written: the service scheduler records a
///   message again when six hours have passed since the same one (ECS does the same), so on a
///   fixture older than that its first pass adds "has reached a steady state." to each
///   service. The events of the fixture must all be there, in order.
///
/// Everything else is computed from the records alone (counts, remaining resources, statuses,
/// rollout states, failed task counts) and must come back as it was.
fn normalize(answers: &mut Value, written_at: f64) {
    let each = |answers: &mut Value, op: &str, list: &str, f: &dyn Fn(&mut Map<String, Value>)| {
        for item in answers[op][list].as_array_mut().into_iter().flatten() {
            if let Some(object) = item.as_object_mut() {
                f(object);
            }
        }
    };
    each(answers, "DescribeContainerInstances", "containerInstances", &|instance| {
        instance.remove("agentConnected");
    });
    each(answers, "DescribeTasks", "tasks", &|task| {
        task.remove("connectivity");
    });
    each(answers, "DescribeServices", "services", &|service| {
        if let Some(events) = service.get_mut("events").and_then(Value::as_array_mut) {
            events.retain(|e| e["createdAt"].as_f64().is_some_and(|at| at <= written_at));
        }
    });
}

/// The first place where `actual` differs from `expected`: its JSON path and both values.
fn first_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let at = format!("{path}.{key}");
                match a.get(key) {
                    None => return Some(format!("{at} is missing; expected {value}")),
                    Some(got) => {
                        if let Some(difference) = first_difference(value, got, &at) {
                            return Some(difference);
                        }
                    }
                }
            }
            a.iter()
                .find(|(key, _)| !e.contains_key(*key))
                .map(|(key, value)| format!("{path}.{key} is new: {value}"))
        }
        (Value::Array(e), Value::Array(a)) => {
            for (n, (x, y)) in e.iter().zip(a).enumerate() {
                if let Some(difference) = first_difference(x, y, &format!("{path}[{n}]")) {
                    return Some(difference);
                }
            }
            (e.len() != a.len())
                .then(|| format!("{path} has {} items; expected {}: {actual}", a.len(), e.len()))
        }
        _ => (expected != actual).then(|| format!("{path} is {actual}; expected {expected}")),
    }
}

fn assert_same(expected: &Value, actual: &Value, context: &str) {
    if let Some(difference) = first_difference(expected, actual, "") {
        panic!("{context}: {difference}");
    }
}

// ---------------------------------------------------------------------------------------------
// The check.

async fn check(name: &str) {
    let dir = fixtures_dir();
    let path = dir.join(format!("{name}.expected.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let expected: Value = serde_json::from_str(&text).expect("the expected answers");
    let written_at = expected["writtenAt"].as_f64().expect("writtenAt");
    let expected = &expected["answers"];

    let temp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir.join(name)).expect("the fixture's data directory") {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), temp.path().join(entry.file_name())).unwrap();
    }
    let server = Server::start_in_with_args(temp.path(), SERVER_ARGS);
    let raw = server.raw();
    let read = || async {
        let mut served = answers(&raw).await;
        normalize(&mut served, written_at);
        served
    };
    assert_same(expected, &read().await, &format!("{name}, as first served"));

    // The service scheduler goes over every service at least once a second, recomputing what
    // it derives from the task records (failed task counts, rollouts, what to start or stop):
    // over the old records, it must find nothing to change.
    let status = format!("http://127.0.0.1:{}/status", server.port());
    eventually(30, "three passes of the service scheduler", || async {
        let body: Value = reqwest::get(&status).await.ok()?.json().await.ok()?;
        let workers = body["workers"].as_array()?;
        let scheduler = workers.iter().find(|w| w["name"] == "service-scheduler")?;
        (scheduler["runs"].as_u64()? >= 3).then_some(())
    })
    .await;
    let served = read().await;
    assert_same(expected, &served, &format!("{name}, after the service scheduler's passes"));

    health_stop_is_still_one(&served);
    writes_work_on_old_records(&raw, &served).await;
}

fn service<'a>(answers: &'a Value, name: &str) -> &'a Value {
    answers["DescribeServices"]["services"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["serviceName"] == name))
        .unwrap_or_else(|| panic!("service {name} is missing"))
}

fn tasks(answers: &Value) -> impl Iterator<Item = &Value> {
    answers["DescribeTasks"]["tasks"].as_array().into_iter().flatten()
}

fn id_of(arn: &Value) -> &str {
    arn.as_str().and_then(|a| a.rsplit('/').next()).expect("an ARN")
}

/// The task the service scheduler replaced for failing health checks is still known as such:
/// DescribeTasks tells it, the service's event names it, and the deployment still counts it
/// as failed. The scheduler recounts `failedTasks` on every pass from the task records, and in
/// a deployment with a healthy task it counts only tasks stopped for failing health checks or
/// that exited: read as anything else (a failed start, a scaling stop) the task would be
/// recounted as 0, and the service record rewritten.
fn health_stop_is_still_one(answers: &Value) {
    let stopped: Vec<&Value> = tasks(answers)
        .filter(|t| t["group"] == "service:sick" && t["stoppedReason"] == HEALTH_REASON)
        .collect();
    assert_eq!(stopped.len(), 1, "one task of sick was stopped for failing health checks");
    let task = stopped[0];
    assert_eq!(task["lastStatus"], "STOPPED");
    assert_eq!(task["stopCode"], "ServiceSchedulerInitiated");
    assert!(task["startedAt"].is_number(), "it ran before it failed its health checks");
    let sick = service(answers, "sick");
    let deployment = &sick["deployments"][0];
    assert_eq!(task["startedBy"], deployment["id"]);
    assert_eq!(deployment["failedTasks"], 1, "{sick}");
    assert_eq!(deployment["rolloutState"], "COMPLETED");
    assert_eq!(sick["runningCount"], 1);
    let event = format!(
        "(service sick) (task {}) failed container health checks.",
        id_of(&task["taskArn"])
    );
    assert!(sick["events"].as_array().unwrap().iter().any(|e| e["message"] == event), "{sick}");
    let replacement = tasks(answers)
        .find(|t| t["group"] == "service:sick" && t["lastStatus"] == "RUNNING")
        .expect("the replacement");
    assert_eq!(replacement["healthStatus"], "HEALTHY");
}

/// Writes through the old records: each operation reads an old record, changes it and writes
/// it back in the layout of now.
async fn writes_work_on_old_records(raw: &Raw, answers: &Value) {
    // StopTask on the standalone task left running: its agent is away, so it stays RUNNING
    // until one reports.
    let runner = tasks(answers)
        .find(|t| t["startedBy"] == RUNNER && t["lastStatus"] == "RUNNING")
        .expect("the running standalone task");
    let reason = "Stopped after the upgrade";
    let body = json!({"cluster": CLUSTER, "task": runner["taskArn"], "reason": reason});
    let stopped = call(raw, "StopTask", body).await;
    let task = &stopped["task"];
    assert_eq!(task["desiredStatus"], "STOPPED");
    assert_eq!(task["lastStatus"], "RUNNING");
    assert_eq!(task["stopCode"], "UserInitiated");
    assert_eq!(task["stoppedReason"], reason);
    assert_eq!(task["version"].as_i64(), runner["version"].as_i64().map(|v| v + 1));
    assert_eq!(task["containers"], runner["containers"]);
    assert_eq!(task["tags"], runner["tags"]);
    let body = json!({"cluster": CLUSTER, "tasks": [runner["taskArn"]]});
    assert_eq!(call(raw, "DescribeTasks", body).await["tasks"][0]["desiredStatus"], "STOPPED");

    // Scaling web in: the same deployment, and the scheduler stops one of its old tasks.
    let web = service(answers, "web");
    let deployment = web["deployments"][0]["id"].clone();
    let body = json!({"cluster": CLUSTER, "service": "web", "desiredCount": 1});
    let updated = call(raw, "UpdateService", body).await;
    let service_now = &updated["service"];
    assert_eq!(service_now["desiredCount"], 1);
    assert_eq!(service_now["deployments"].as_array().map(Vec::len), Some(1));
    assert_eq!(service_now["deployments"][0]["id"], deployment);
    assert_eq!(service_now["deployments"][0]["desiredCount"], 1);
    assert_eq!(service_now["tags"], web["tags"]);
    let running: Vec<&Value> = tasks(answers)
        .filter(|t| t["group"] == "service:web" && t["desiredStatus"] == "RUNNING")
        .collect();
    assert_eq!(running.len(), 2);
    let reason =
        format!("Scaling activity initiated by (deployment {})", deployment.as_str().unwrap());
    let stopped = eventually(30, "the scheduler to stop a task of web", || async {
        let arns: Vec<&Value> = running.iter().map(|t| &t["taskArn"]).collect();
        let body = json!({"cluster": CLUSTER, "tasks": arns});
        let described = call(raw, "DescribeTasks", body).await;
        described["tasks"].as_array()?.iter().find(|t| t["desiredStatus"] == "STOPPED").cloned()
    })
    .await;
    assert_eq!(stopped["stoppedReason"], reason.as_str());
    assert_eq!(stopped["stopCode"], "ServiceSchedulerInitiated");
    assert_eq!(stopped["startedBy"], deployment);
    let body = json!({"cluster": CLUSTER, "serviceName": "web"});
    let running = call(raw, "ListTasks", body).await;
    assert_eq!(running["taskArns"].as_array().map(Vec::len), Some(1));

    // Revisions continue after the last one registered, deregistered or deleted.
    for (family, next) in [("web", 4), ("webapp", 3)] {
        let body =
            json!({"family": family, "containerDefinitions": [container("app", &["httpd"])]});
        let registered = call(raw, "RegisterTaskDefinition", body).await;
        assert_eq!(registered["taskDefinition"]["revision"], next, "{family}");
        let latest = call(raw, "DescribeTaskDefinition", json!({"taskDefinition": family})).await;
        assert_eq!(latest["taskDefinition"]["revision"], next, "{family}");
    }

    // The DRAINING instance comes back.
    let draining = answers["DescribeContainerInstances"]["containerInstances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "DRAINING")
        .expect("the draining instance");
    let arn = &draining["containerInstanceArn"];
    let body = json!({"cluster": CLUSTER, "containerInstances": [arn], "status": "ACTIVE"});
    let active = call(raw, "UpdateContainerInstancesState", body).await;
    let instance = &active["containerInstances"][0];
    assert_eq!(instance["status"], "ACTIVE");
    assert_eq!(instance["attributes"], draining["attributes"]);
    assert_eq!(instance["registeredResources"], draining["registeredResources"]);

    // A new cluster counts against the quota with the old ones.
    call(raw, "CreateCluster", json!({"clusterName": "after-upgrade"})).await;
    let listed = all(raw, "ListClusters", json!({}), "clusterArns").await;
    let before = answers["ListClusters"].as_array().map_or(0, Vec::len);
    assert_eq!(listed.as_array().map(Vec::len), Some(before + 1));

    // Tagging an old cluster keeps its tags and settings.
    let fixture = &answers["DescribeClusters"]["clusters"][0];
    assert_eq!(fixture["clusterName"], CLUSTER);
    let tag = json!({"key": "upgraded", "value": "yes"});
    let body = json!({"resourceArn": fixture["clusterArn"], "tags": [tag]});
    call(raw, "TagResource", body).await;
    let body = json!({"clusters": [CLUSTER], "include": ["SETTINGS", "TAGS"]});
    let cluster = call(raw, "DescribeClusters", body).await["clusters"][0].clone();
    assert_eq!(cluster["settings"], fixture["settings"]);
    let mut tags = fixture["tags"].as_array().unwrap().clone();
    tags.push(tag);
    assert_eq!(cluster["tags"], Value::Array(tags));
}

// ---------------------------------------------------------------------------------------------
// The generator.

/// A container of the simulated runtime (`agent::sim`): `httpd` runs until stopped, `exit N`
/// exits at once.
fn container(name: &str, command: &[&str]) -> Value {
    json!({
        "name": name, "image": "berth-test/busybox:1", "memory": 64, "cpu": 64, "command": command,
    })
}

async fn register(raw: &Raw, body: Value) -> Value {
    call(raw, "RegisterTaskDefinition", body).await["taskDefinition"].clone()
}

async fn describe_task(raw: &Raw, arn: &str) -> Value {
    let body = json!({"cluster": CLUSTER, "tasks": [arn], "include": ["TAGS"]});
    call(raw, "DescribeTasks", body).await["tasks"][0].clone()
}

async fn wait_task(raw: &Raw, arn: &str, status: &str) -> Value {
    eventually(30, &format!("task {arn} to be {status}"), || async {
        let task = describe_task(raw, arn).await;
        (task["lastStatus"] == status).then_some(task)
    })
    .await
}

async fn run_task(raw: &Raw, body: Value) -> String {
    let out = call(raw, "RunTask", body.clone()).await;
    assert_eq!(out["failures"], json!([]), "{body}");
    out["tasks"][0]["taskArn"].as_str().expect("a task").to_owned()
}

async fn describe_service(raw: &Raw, name: &str) -> Value {
    let body = json!({"cluster": CLUSTER, "services": [name]});
    call(raw, "DescribeServices", body).await["services"][0].clone()
}

/// One deployment, COMPLETED, running its desired count.
fn steady(service: &Value) -> bool {
    let deployments = service["deployments"].as_array().map_or(0, Vec::len);
    deployments == 1
        && service["runningCount"] == service["desiredCount"]
        && service["deployments"][0]["rolloutState"] == "COMPLETED"
}

fn has_event(service: &Value, part: &str) -> bool {
    service["events"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["message"].as_str().is_some_and(|m| m.contains(part)))
}

async fn wait_service(raw: &Raw, name: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    eventually(90, &format!("service {name}: {what}"), || async {
        let service = describe_service(raw, name).await;
        done(&service).then_some(service)
    })
    .await
}

/// Writes `tests/fixtures/<name>/` and `<name>.expected.json` with the code of now: a server
/// with simulated agents (`agent::sim`) is given one of every kind of record, its agents are
/// stopped, its answers recorded once they no longer change, and it is stopped with SIGTERM
/// (which checkpoints the store into its one file).
async fn generate(name: &str) {
    let mut server = Server::start_with_args(SERVER_ARGS);
    let raw = server.raw();

    // Account settings: the account default, the caller's own, another principal's.
    let body = json!({"name": "containerInsights", "value": "enabled"});
    call(&raw, "PutAccountSettingDefault", body).await;
    call(&raw, "PutAccountSetting", json!({"name": "tagResourceAuthorization", "value": "off"}))
        .await;
    let body = json!({"name": "containerInsights", "value": "disabled", "principalArn": ALICE});
    call(&raw, "PutAccountSetting", body).await;

    // Clusters: with settings and tags, plain, deleted.
    let body = json!({
        "clusterName": CLUSTER,
        "settings": [{"name": "containerInsights", "value": "enhanced"}],
        "tags": [{"key": "team", "value": "platform"}, {"key": "stage", "value": "prod"}],
    });
    call(&raw, "CreateCluster", body).await;
    call(&raw, "CreateCluster", json!({"clusterName": "spare"})).await;
    call(&raw, "CreateCluster", json!({"clusterName": "retired"})).await;
    call(&raw, "DeleteCluster", json!({"cluster": "retired"})).await;

    // Task definitions: web 1 (tagged), 2 (its container exits: the failed deployment) and 3
    // (deregistered); sick (a health check); batch (host ports, environment); crash; webapp
    // (the realistic definition of `webapp-taskdef.json`) 1 deleted and 2.
    let tags = json!([{"key": "app", "value": "web"}]);
    let web = container("web", &["httpd"]);
    register(&raw, json!({"family": "web", "containerDefinitions": [web], "tags": tags})).await;
    let failing = container("web", &["sh", "-c", "exit 1"]);
    register(&raw, json!({"family": "web", "containerDefinitions": [failing]})).await;
    register(
        &raw,
        json!({"family": "web", "containerDefinitions": [container("web", &["httpd", "-v3"])]}),
    )
    .await;
    call(&raw, "DeregisterTaskDefinition", json!({"taskDefinition": "web:3"})).await;
    let mut checked = container("web", &["httpd"]);
    checked["healthCheck"] = json!({
        "command": ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1/"],
        "interval": 5, "timeout": 2, "retries": 2,
    });
    register(&raw, json!({"family": "sick", "containerDefinitions": [checked]})).await;
    let mut job = container("job", &["httpd", "-f"]);
    job["portMappings"] = json!([
        {"containerPort": 8080, "hostPort": 0},
        {"containerPort": 9000, "hostPort": 9000},
        {"containerPort": 5353, "hostPort": 5353, "protocol": "udp"},
    ]);
    job["environment"] = json!([{"name": "MODE", "value": "incremental"}]);
    register(&raw, json!({"family": "batch", "containerDefinitions": [job]})).await;
    let exits = container("c", &["sh", "-c", "exit 3"]);
    register(&raw, json!({"family": "crash", "containerDefinitions": [exits]})).await;
    let webapp: Value =
        serde_json::from_str(include_str!("../fixtures/webapp-taskdef.json")).unwrap();
    register(&raw, webapp.clone()).await;
    register(&raw, webapp).await;
    call(&raw, "DeregisterTaskDefinition", json!({"taskDefinition": "webapp:1"})).await;
    call(&raw, "DeleteTaskDefinitions", json!({"taskDefinitions": ["webapp:1"]})).await;

    // Three instances: zone-a's with custom attributes, zone-c's DRAINING.
    let agents: Vec<SimAgent> = ["zone-a", "zone-b", "zone-c"]
        .iter()
        .map(|z| SimAgent::start(&server, CLUSTER, z))
        .collect();
    let instances = eventually(10, "the instances", || async {
        let body = json!({"cluster": CLUSTER});
        let arns = all(&raw, "ListContainerInstances", body, "containerInstanceArns").await;
        let body = json!({"cluster": CLUSTER, "containerInstances": arns});
        let described = call(&raw, "DescribeContainerInstances", body).await;
        let instances = described["containerInstances"].as_array()?.clone();
        (instances.len() == 3).then_some(instances)
    })
    .await;
    let in_zone = |zone: &str| {
        instances
            .iter()
            .find(|i| {
                i["attributes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|a| a["name"] == "ecs.availability-zone" && a["value"] == zone)
            })
            .map(|i| i["containerInstanceArn"].clone())
            .expect("an instance per zone")
    };
    let (zone_a, zone_c) = (in_zone("zone-a"), in_zone("zone-c"));
    let body = json!({"cluster": CLUSTER, "attributes": [
        {"name": "stack", "value": "blue", "targetType": "container-instance", "targetId": zone_a},
        {"name": "ssd", "targetType": "container-instance", "targetId": zone_a},
    ]});
    call(&raw, "PutAttributes", body).await;
    let body = json!({"cluster": CLUSTER, "containerInstances": [zone_c], "status": "DRAINING"});
    call(&raw, "UpdateContainerInstancesState", body).await;

    // Standalone tasks: one left RUNNING (tags, overrides), one stopped by StopTask, one whose
    // container exited.
    let body = json!({
        "cluster": CLUSTER, "taskDefinition": "batch", "startedBy": RUNNER,
        "tags": [{"key": "job", "value": "nightly"}],
        "overrides": {"containerOverrides": [
            {"name": "job", "environment": [{"name": "MODE", "value": "full"}]},
        ]},
    });
    let runner = run_task(&raw, body).await;
    wait_task(&raw, &runner, "RUNNING").await;
    let body =
        json!({"cluster": CLUSTER, "taskDefinition": "batch", "startedBy": "fixture-stopped"});
    let stopped = run_task(&raw, body).await;
    wait_task(&raw, &stopped, "RUNNING").await;
    let body =
        json!({"cluster": CLUSTER, "task": stopped, "reason": "Stopped by hand for the fixture"});
    call(&raw, "StopTask", body).await;
    wait_task(&raw, &stopped, "STOPPED").await;
    let crashed = run_task(&raw, json!({"cluster": CLUSTER, "taskDefinition": "crash"})).await;
    let crashed = wait_task(&raw, &crashed, "STOPPED").await;
    assert_eq!(crashed["stopCode"], "EssentialContainerExited");

    // web: a completed deployment, then one whose tasks fail, rolled back by the circuit
    // breaker.
    let body = json!({
        "cluster": CLUSTER, "serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2,
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": true, "rollback": true},
            "minimumHealthyPercent": 50, "maximumPercent": 200,
        },
        "tags": [{"key": "app", "value": "web"}], "propagateTags": "SERVICE",
    });
    call(&raw, "CreateService", body).await;
    wait_service(&raw, "web", "stable", steady).await;
    let body = json!({"cluster": CLUSTER, "service": "web", "taskDefinition": "web:2"});
    call(&raw, "UpdateService", body).await;
    wait_service(&raw, "web", "rolled back", |s| {
        steady(s) && has_event(s, "rolling back to deployment")
    })
    .await;

    // sick: its task fails its health checks once running, and is replaced.
    let body = json!({
        "cluster": CLUSTER, "serviceName": "sick", "taskDefinition": "sick", "desiredCount": 1,
    });
    call(&raw, "CreateService", body).await;
    wait_service(&raw, "sick", "stable", steady).await;
    let body = json!({"cluster": CLUSTER, "serviceName": "sick"});
    let first = call(&raw, "ListTasks", body).await["taskArns"][0].as_str().unwrap().to_owned();
    let containers: Vec<(&SimAgent, String)> = agents
        .iter()
        .flat_map(|a| {
            a.runtime.running_with_label("berth.task-arn", &first).into_iter().map(move |c| (a, c))
        })
        .collect();
    assert_eq!(containers.len(), 1, "the container of {first}");
    for (agent, id) in &containers {
        agent.runtime.set_health(id, agent::runtime::Health::Unhealthy);
    }
    let replaced = wait_task(&raw, &first, "STOPPED").await;
    assert_eq!(replaced["stoppedReason"], HEALTH_REASON);
    wait_service(&raw, "sick", "replaced its unhealthy task", |s| {
        steady(s) && s["deployments"][0]["failedTasks"] == 1
    })
    .await;

    // gone: deleted once its deployment completed.
    let body = json!({
        "cluster": CLUSTER, "serviceName": "gone", "taskDefinition": "web:1", "desiredCount": 0,
    });
    call(&raw, "CreateService", body).await;
    wait_service(&raw, "gone", "stable", steady).await;
    call(&raw, "DeleteService", json!({"cluster": CLUSTER, "service": "gone", "force": true}))
        .await;
    wait_service(&raw, "gone", "INACTIVE", |s| s["status"] == "INACTIVE").await;

    // Every task where it is going, and the running task's log stored.
    eventually(30, "every task to be RUNNING or STOPPED as desired", || async {
        let answers = answers(&raw).await;
        let settled = tasks(&answers).all(|t| {
            t["lastStatus"] == t["desiredStatus"]
                && (t["lastStatus"] == "RUNNING" || t["lastStatus"] == "STOPPED")
        });
        let runner_id = runner.rsplit('/').next().unwrap();
        let logged = answers["GetContainerLogs"][format!("{runner_id}/job")]["body"]["events"]
            .as_array()
            .is_some_and(|e| !e.is_empty());
        (settled && logged).then_some(())
    })
    .await;
    for agent in agents {
        agent.stop().await;
    }

    // The answers, once two readings a second and a half apart agree.
    let mut previous = answers(&raw).await;
    normalize(&mut previous, f64::INFINITY);
    let mut readings = 1;
    let recorded = loop {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let mut now = answers(&raw).await;
        normalize(&mut now, f64::INFINITY);
        if now == previous {
            break now;
        }
        readings += 1;
        assert!(
            readings < 20,
            "the answers keep changing: {:?}",
            first_difference(&previous, &now, "")
        );
        previous = now;
    };
    let written_at = epoch_now();
    server.terminate();

    let data_dir = server.data_dir.clone();
    let mut files: Vec<String> = std::fs::read_dir(&data_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for file in &files {
        assert!(
            file == STORE_FILE || REGENERATED_FILES.contains(&file.as_str()),
            "the data directory holds {file}, which the fixture does not keep: {files:?}"
        );
    }
    let dir = fixtures_dir().join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(data_dir.join(STORE_FILE), dir.join(STORE_FILE)).unwrap();
    let expected = json!({"writtenAt": written_at, "answers": recorded});
    let text = serde_json::to_string_pretty(&expected).unwrap() + "\n";
    std::fs::write(fixtures_dir().join(format!("{name}.expected.json")), text).unwrap();
}
