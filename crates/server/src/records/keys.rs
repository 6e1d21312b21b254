//! Every key the control plane stores, and nothing else: no other module spells a key.
//!
//! Names never contain `/` or `!`, so prefixes never collide. `!` sorts before every character
//! of a family name, so a range over [`TASK_DEFINITIONS`] lists families in name order and each
//! family's revisions in numeric order.
//!
//! ```text
//! /clusters/<name>                          api::Cluster (counts left out: they are computed)
//! /counts/clusters                          the number of ACTIVE clusters
//! /families/<family>                        FamilyRecord: the last revision ever registered
//! /taskdefs/<family>!<revision, 10 digits>  TaskDefinitionRecord
//! /settings/<principal arn>/<name>          api::Setting set by PutAccountSetting
//! /settings-default/<name>                  api::Setting set by PutAccountSettingDefault
//! /instances/<cluster>/<id>                 InstanceRecord
//! /tasks/<cluster>/<id>                     TaskRecord
//! /services/<cluster>/<name>                ServiceRecord
//! /placement/<cluster>                      the time of the cluster's last placement round
//! /run-tokens/<cluster>/<client token>      TokenRecord: what a RunTask client token started
//! /logs/<cluster>/<task>/<container>/<seq>  a chunk of a container's log
//! /capacity-providers/<name>               api::CapacityProvider: a custom capacity provider
//! /usage/<cluster>/<task id>                fargate::Metered: a removed Fargate task's usage
//! /vpc/subnets/<subnet id>                  vpc::SubnetRecord
//! /vpc/security-groups/<group id>           vpc::SecurityGroupRecord
//! /lb/load-balancers/<name>                 LoadBalancerRecord, with its listeners and rules
//! /lb/target-groups/<name>                  TargetGroupRecord, with its targets
//! /lb/certificates/<id>                     CertificateRecord (ACM's ImportCertificate)
//! ```

pub(crate) const CLUSTERS: &str = "/clusters/";
pub(crate) const FAMILIES: &str = "/families/";
pub(crate) const TASK_DEFINITIONS: &str = "/taskdefs/";
pub(crate) const ACCOUNT_SETTING_DEFAULTS: &str = "/settings-default/";
/// The number of ACTIVE clusters, kept beside them so the quota holds under concurrency.
pub(crate) const CLUSTER_COUNT: &str = "/counts/clusters";
pub(crate) const INSTANCES: &str = "/instances/";
pub(crate) const TASKS: &str = "/tasks/";
pub(crate) const SERVICES: &str = "/services/";
pub(crate) const RUN_TOKENS: &str = "/run-tokens/";
pub(crate) const SUBNETS: &str = "/vpc/subnets/";
pub(crate) const USAGE: &str = "/usage/";
pub(crate) const CAPACITY_PROVIDERS: &str = "/capacity-providers/";

pub(crate) fn capacity_provider(name: &str) -> String {
    format!("{CAPACITY_PROVIDERS}{name}")
}

pub(crate) fn usage(cluster: &str, task: &str) -> String {
    format!("{USAGE}{cluster}/{task}")
}
/// Everything of the load balancer: one watch follows it.
pub(crate) const LB: &str = "/lb/";
pub(crate) const LOAD_BALANCERS: &str = "/lb/load-balancers/";
pub(crate) const TARGET_GROUPS: &str = "/lb/target-groups/";
pub(crate) const CERTIFICATES: &str = "/lb/certificates/";

pub(crate) fn load_balancer(name: &str) -> String {
    format!("{LOAD_BALANCERS}{name}")
}

pub(crate) fn target_group(name: &str) -> String {
    format!("{TARGET_GROUPS}{name}")
}

pub(crate) fn certificate(id: &str) -> String {
    format!("{CERTIFICATES}{id}")
}

pub(crate) const SECURITY_GROUPS: &str = "/vpc/security-groups/";

pub(crate) fn subnet(id: &str) -> String {
    format!("{SUBNETS}{id}")
}

pub(crate) fn security_group(id: &str) -> String {
    format!("{SECURITY_GROUPS}{id}")
}

pub(crate) fn cluster(name: &str) -> String {
    format!("{CLUSTERS}{name}")
}

pub(crate) fn family(family: &str) -> String {
    format!("{FAMILIES}{family}")
}

pub(crate) fn task_definitions_of(family: &str) -> String {
    format!("{TASK_DEFINITIONS}{family}!")
}

pub(crate) fn task_definition(family: &str, revision: i32) -> String {
    format!("{TASK_DEFINITIONS}{family}!{revision:010}")
}

pub(crate) fn account_settings_of(principal: &str) -> String {
    format!("/settings/{principal}/")
}

pub(crate) fn account_setting(principal: &str, name: &str) -> String {
    format!("/settings/{principal}/{name}")
}

pub(crate) fn account_setting_default(name: &str) -> String {
    format!("{ACCOUNT_SETTING_DEFAULTS}{name}")
}

pub(crate) fn instance(cluster: &str, id: &str) -> String {
    format!("{INSTANCES}{cluster}/{id}")
}

pub(crate) fn task(cluster: &str, id: &str) -> String {
    format!("{TASKS}{cluster}/{id}")
}

pub(crate) fn service(cluster: &str, name: &str) -> String {
    format!("{SERVICES}{cluster}/{name}")
}

pub(crate) fn placement(cluster: &str) -> String {
    format!("/placement/{cluster}")
}

pub(crate) fn run_token(cluster: &str, token: &str) -> String {
    format!("{RUN_TOKENS}{cluster}/{token}")
}

/// The log chunks of every container of a task.
pub(crate) fn task_logs(cluster: &str, task_id: &str) -> String {
    format!("/logs/{cluster}/{task_id}/")
}

/// The log chunks of one container.
pub(crate) fn container_logs(cluster: &str, task_id: &str, container: &str) -> String {
    format!("/logs/{cluster}/{task_id}/{container}/")
}

/// One chunk of a container's log, under [`container_logs`].
pub(crate) fn log_chunk(container_prefix: &str, seq: u64) -> String {
    format!("{container_prefix}{seq:016}")
}

/// Splits `<prefix><cluster>/<name>` (a key under [`TASKS`], [`SERVICES`] or [`INSTANCES`])
/// into its cluster and name.
pub(crate) fn names<'a>(key: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    key.strip_prefix(prefix)?.split_once('/')
}
