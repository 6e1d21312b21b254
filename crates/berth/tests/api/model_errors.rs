//! The errors the ECS model lists for each operation, as the official `aws-sdk-ecs` client sees
//! them from a real `berth server`: every case drives one served operation into one refusal,
//! and checks that the SDK surfaces the exact code, that the code is one the model lists for
//! the operation (or a common one), and that the refusal wrote nothing the list calls show.
//! The operations no case reaches are listed, with the reason, so the gap stays visible.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::pin::Pin;

use api::{ErrorCode, Operation};
use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ecs::types::{
    Attribute, ClusterSetting, ClusterSettingName, ContainerDefinition, ContainerInstanceStatus,
    DeploymentController, DeploymentControllerType, LaunchType, Scale, ScaleUnit, SettingName,
    StopServiceDeploymentStopType, Tag, TargetType, TaskDefinitionStatus,
};

use crate::common::{Server, SimAgent, code, ecs_client_as, eventually};

/// Served operations no case here reaches through the SDK, and why.
const NOT_COVERED: &[(Operation, &str)] = &[];

/// `check!(refusals, op, case, want, call)`: awaits `refusals.check` on the call, boxed (the
/// test's future would otherwise hold every call's state and overflow the stack).
macro_rules! check {
    ($r:expr, $op:expr, $case:expr, $want:expr, $call:expr $(,)?) => {
        $r.check($op, $case, $want, Box::pin($call)).await
    };
}

/// The refusals seen so far, and what was wrong with them.
#[derive(Default)]
struct Refusals {
    covered: BTreeSet<Operation>,
    cases: usize,
    wrong: Vec<String>,
}

impl Refusals {
    /// Records one case: `result` must be a refusal with code `want`, a code the model lists
    /// for `op` or a common one.
    async fn check<T: Debug, E: ProvideErrorMetadata + Debug, R: Debug>(
        &mut self,
        op: Operation,
        case: &str,
        want: ErrorCode,
        call: Pin<Box<impl Future<Output = Result<T, SdkError<E, R>>>>>,
    ) {
        let result = call.await;
        self.cases += 1;
        self.covered.insert(op);
        let name = op.name();
        if !(op.errors().contains(&want) || ErrorCode::COMMON.contains(&want)) {
            self.wrong.push(format!("{name} ({case}): the case expects {want}, not in the model"));
        }
        let err = match result {
            Ok(out) => {
                self.wrong.push(format!("{name} ({case}): accepted: {out:?}"));
                return;
            }
            Err(err) => err,
        };
        let got = code(&err);
        if got != want.as_str() {
            self.wrong.push(format!("{name} ({case}): {got} instead of {want}: {err:?}"));
        }
        match ErrorCode::from_name(&got) {
            Some(c) if op.errors().contains(&c) || ErrorCode::COMMON.contains(&c) => {}
            _ => self.wrong.push(format!(
                "{name} ({case}): {got} is neither in the model list {:?} nor common",
                op.errors()
            )),
        }
    }

    fn assert_right(&self) {
        assert!(self.wrong.is_empty(), "wrong refusals:\n{}", self.wrong.join("\n"));
    }
}

const ARN: &str = "arn:aws:ecs:us-east-1:000000000000";

const IDENTITY_DOCUMENT: &str = r#"{"accountId": "000000000000", "architecture": "x86_64",
    "availabilityZone": "us-east-1b", "imageId": "ami-0123456789abcdef0",
    "instanceId": "i-0a1b2c3d4e5f60719", "instanceType": "m6i.large",
    "pendingTime": "2024-05-01T12:00:00Z", "privateIp": "10.1.2.4", "region": "us-east-1",
    "version": "2017-09-30"}"#;

fn container(name: &str) -> ContainerDefinition {
    ContainerDefinition::builder()
        .name(name)
        .image("berth-test/busybox:1")
        .memory(64)
        .set_command(Some(vec!["httpd".to_owned()]))
        .build()
}

fn resource(name: &str, value: i32) -> aws_sdk_ecs::types::Resource {
    aws_sdk_ecs::types::Resource::builder()
        .name(name)
        .r#type("INTEGER")
        .integer_value(value)
        .build()
}

fn tag(key: &str) -> Tag {
    Tag::builder().key(key).value("v").build()
}

fn scale(percent: f64) -> Scale {
    Scale::builder().value(percent).unit(ScaleUnit::Percent).build()
}

fn external() -> DeploymentController {
    DeploymentController::builder().r#type(DeploymentControllerType::External).build().unwrap()
}

/// What the list and describe calls show of cluster `c`, its services, task sets, tasks,
/// instances, definitions, tags and account settings: a refusal must leave it unchanged.
async fn snapshot(ecs: &aws_sdk_ecs::Client) -> String {
    let mut out = Vec::new();
    let clusters = ecs.list_clusters().send().await.unwrap();
    out.push(format!("clusters {:?}", clusters.cluster_arns()));
    let c = ecs
        .describe_clusters()
        .clusters("c")
        .include(aws_sdk_ecs::types::ClusterField::Settings)
        .include(aws_sdk_ecs::types::ClusterField::Tags)
        .send()
        .await
        .unwrap();
    let cluster = &c.clusters()[0];
    out.push(format!(
        "cluster {:?} {:?} {:?}",
        cluster.status(),
        cluster.settings(),
        cluster.tags()
    ));
    let services = ecs.list_services().cluster("c").send().await.unwrap();
    let mut arns = services.service_arns().to_vec();
    arns.sort();
    out.push(format!("services {arns:?}"));
    for name in ["web", "ext", "busy", "gone"] {
        let s = ecs.describe_services().cluster("c").services(name).send().await.unwrap();
        for s in s.services() {
            out.push(format!(
                "service {name} {:?} {:?} {} {:?} {:?}",
                s.status(),
                s.task_definition(),
                s.desired_count(),
                s.deployments().iter().map(|d| d.id()).collect::<Vec<_>>(),
                s.tags()
            ));
        }
    }
    let sets = ecs.describe_task_sets().cluster("c").service("ext").send().await;
    for s in sets.iter().flat_map(|sets| sets.task_sets()) {
        out.push(format!("task set {:?} {:?} {:?} {:?}", s.id(), s.status(), s.scale(), s.tags()));
    }
    let deployments =
        ecs.list_service_deployments().cluster("c").service("web").send().await.unwrap();
    out.push(format!("deployments {:?}", deployments.service_deployments().len()));
    for status in [TaskDefinitionStatus::Active, TaskDefinitionStatus::Inactive] {
        let defs = ecs.list_task_definitions().status(status.clone()).send().await.unwrap();
        out.push(format!("definitions {status:?} {:?}", defs.task_definition_arns()));
    }
    let families = ecs.list_task_definition_families().send().await.unwrap();
    out.push(format!("families {:?}", families.families()));
    let instances = ecs.list_container_instances().cluster("c").send().await.unwrap();
    let arns = instances.container_instance_arns().to_vec();
    let described = match arns.is_empty() {
        true => Vec::new(),
        false => ecs
            .describe_container_instances()
            .cluster("c")
            .set_container_instances(Some(arns))
            .send()
            .await
            .unwrap()
            .container_instances()
            .to_vec(),
    };
    let mut instances: Vec<String> = described
        .iter()
        .map(|i| {
            let mut attributes: Vec<String> =
                i.attributes().iter().map(|a| format!("{}={:?}", a.name(), a.value())).collect();
            attributes.sort();
            format!("{:?} {:?} {attributes:?}", i.container_instance_arn(), i.status())
        })
        .collect();
    instances.sort();
    out.push(format!("instances {instances:?}"));
    for status in
        [aws_sdk_ecs::types::DesiredStatus::Running, aws_sdk_ecs::types::DesiredStatus::Stopped]
    {
        let tasks =
            ecs.list_tasks().cluster("c").desired_status(status.clone()).send().await.unwrap();
        let mut arns = tasks.task_arns().to_vec();
        arns.sort();
        out.push(format!("tasks {status:?} {arns:?}"));
    }
    let tags =
        ecs.list_tags_for_resource().resource_arn(format!("{ARN}:cluster/c")).send().await.unwrap();
    out.push(format!("cluster tags {:?}", tags.tags()));
    let settings = ecs.list_account_settings().send().await.unwrap();
    out.push(format!("settings {:?}", settings.settings()));
    let defaults = ecs.list_account_settings().effective_settings(true).send().await.unwrap();
    out.push(format!("effective settings {:?}", defaults.settings()));
    out.join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_operation_answers_the_errors_its_model_lists() {
    // Boxed: in debug builds the whole test's future is too large for the stack.
    Box::pin(each_operation()).await;
}

async fn each_operation() {
    use ErrorCode::*;
    use Operation::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.toml");
    let reader = crate::common::TestUser {
        name: "reader",
        policy: &crate::common::allow(r#"["ecs:Describe*", "ecs:List*"]"#),
        key: "AKIDREADER",
        secret: "reader-secret",
    };
    std::fs::write(&path, crate::common::auth_file_with(&[reader])).unwrap();
    let server = Server::start_with_args(&[
        "--task-settle-time",
        "1",
        "--auth-config",
        path.to_str().unwrap(),
    ]);
    let ecs = server.ecs();

    // Cluster `c` with a simulated agent and an instance registered by hand (no agent, so no
    // agent version); definitions `web:1` (active) and `old:1` (inactive); services `web`
    // (desired 0), `busy` (desired 1), `ext` (EXTERNAL, one task set at 100 %) and `gone`
    // (deleted, EXTERNAL); a task run with a client token.
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let _agent = SimAgent::start(&server, "c", "zone-a");
    let agent_instance = eventually(10, "the agent's instance", || async {
        let out = ecs.list_container_instances().cluster("c").send().await.unwrap();
        out.container_instance_arns().first().cloned()
    })
    .await;
    let bare_instance = ecs
        .register_container_instance()
        .cluster("c")
        .instance_identity_document(IDENTITY_DOCUMENT)
        .instance_identity_document_signature("not checked")
        .total_resources(resource("CPU", 1024))
        .total_resources(resource("MEMORY", 1024))
        .send()
        .await
        .unwrap()
        .container_instance()
        .unwrap()
        .container_instance_arn()
        .unwrap()
        .to_owned();
    ecs.update_container_instances_state()
        .cluster("c")
        .container_instances(&bare_instance)
        .status(ContainerInstanceStatus::Draining)
        .send()
        .await
        .unwrap();
    for family in ["web", "old"] {
        ecs.register_task_definition()
            .family(family)
            .container_definitions(container(family))
            .send()
            .await
            .unwrap();
    }
    ecs.deregister_task_definition().task_definition("old:1").send().await.unwrap();
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web:1")
        .desired_count(0)
        .send()
        .await
        .unwrap();
    ecs.create_service()
        .cluster("c")
        .service_name("busy")
        .task_definition("web:1")
        .desired_count(1)
        .send()
        .await
        .unwrap();
    for name in ["ext", "gone"] {
        ecs.create_service()
            .cluster("c")
            .service_name(name)
            .desired_count(0)
            .deployment_controller(external())
            .send()
            .await
            .unwrap();
    }
    let task_set = ecs
        .create_task_set()
        .cluster("c")
        .service("ext")
        .task_definition("web:1")
        .scale(scale(100.0))
        .send()
        .await
        .unwrap()
        .task_set()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    ecs.delete_service().cluster("c").service("gone").send().await.unwrap();
    ecs.run_task().cluster("c").task_definition("web:1").client_token("once").send().await.unwrap();
    eventually(30, "the tasks to run", || async {
        let tasks = ecs.list_tasks().cluster("c").send().await.unwrap();
        let busy = ecs.describe_services().cluster("c").services("busy").send().await.unwrap();
        let web = ecs.describe_services().cluster("c").services("web").send().await.unwrap();
        let completed = web.services()[0].deployments()[0].rollout_state().map(|r| r.as_str())
            == Some("COMPLETED");
        (tasks.task_arns().len() == 2 && busy.services()[0].running_count() == 1 && completed)
            .then_some(())
    })
    .await;
    // The deleted service goes from DRAINING to INACTIVE on its own: once there, it stays.
    eventually(30, "service gone to be INACTIVE", || async {
        let gone = ecs.describe_services().cluster("c").services("gone").send().await.unwrap();
        (gone.services()[0].status() == Some("INACTIVE")).then_some(())
    })
    .await;
    let deployment = ecs
        .list_service_deployments()
        .cluster("c")
        .service("web")
        .send()
        .await
        .unwrap()
        .service_deployments()[0]
        .service_deployment_arn()
        .unwrap()
        .to_owned();

    let before = snapshot(&ecs).await;
    let mut r = Refusals::default();

    // Clusters.
    let insights = |value: &str| {
        ClusterSetting::builder().name(ClusterSettingName::ContainerInsights).value(value).build()
    };
    check!(
        r,
        CreateCluster,
        "a name with spaces",
        InvalidParameterException,
        ecs.create_cluster().cluster_name("not a name").send(),
    );
    check!(
        r,
        CreateCluster,
        "an unknown setting value",
        InvalidParameterException,
        ecs.create_cluster().cluster_name("d").settings(insights("maybe")).send(),
    );
    check!(
        r,
        DeleteCluster,
        "no such cluster",
        ClusterNotFoundException,
        ecs.delete_cluster().cluster("nope").send(),
    );
    check!(
        r,
        DeleteCluster,
        "a cluster with instances",
        ClusterContainsContainerInstancesException,
        ecs.delete_cluster().cluster("c").send(),
    );
    check!(
        r,
        DescribeClusters,
        "101 clusters",
        InvalidParameterException,
        ecs.describe_clusters().set_clusters(Some(vec!["a".to_owned(); 101])).send(),
    );
    check!(
        r,
        ListClusters,
        "a token not given out",
        InvalidParameterException,
        ecs.list_clusters().next_token("not a token").send(),
    );
    check!(
        r,
        UpdateCluster,
        "no such cluster",
        ClusterNotFoundException,
        ecs.update_cluster().cluster("nope").send(),
    );
    check!(
        r,
        UpdateClusterSettings,
        "no such cluster",
        ClusterNotFoundException,
        ecs.update_cluster_settings().cluster("nope").settings(insights("enabled")).send(),
    );
    check!(
        r,
        UpdateClusterSettings,
        "an unknown setting value",
        InvalidParameterException,
        ecs.update_cluster_settings().cluster("c").settings(insights("maybe")).send(),
    );
    check!(
        r,
        PutClusterCapacityProviders,
        "no such cluster",
        ClusterNotFoundException,
        ecs.put_cluster_capacity_providers()
            .cluster("nope")
            .set_capacity_providers(Some(vec![]))
            .set_default_capacity_provider_strategy(Some(vec![]))
            .send(),
    );
    check!(
        r,
        CreateCapacityProvider,
        "a reserved prefix",
        InvalidParameterException,
        ecs.create_capacity_provider()
            .name("fargate-mine")
            .auto_scaling_group_provider(
                aws_sdk_ecs::types::AutoScalingGroupProvider::builder()
                    .auto_scaling_group_arn(
                        "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:x"
                    )
                    .build()
                    .unwrap(),
            )
            .send(),
    );
    check!(
        r,
        UpdateCapacityProvider,
        "no such provider",
        ClientException,
        ecs.update_capacity_provider()
            .name("nope")
            .auto_scaling_group_provider(
                aws_sdk_ecs::types::AutoScalingGroupProviderUpdate::builder().build(),
            )
            .send(),
    );
    check!(
        r,
        DeleteCapacityProvider,
        "no such provider",
        ClientException,
        ecs.delete_capacity_provider().capacity_provider("nope").send(),
    );
    check!(
        r,
        DescribeCapacityProviders,
        "a page too large",
        InvalidParameterException,
        ecs.describe_capacity_providers().max_results(11).send(),
    );
    check!(
        r,
        PutClusterCapacityProviders,
        "a provider Berth does not have",
        InvalidParameterException,
        ecs.put_cluster_capacity_providers()
            .cluster("c")
            .capacity_providers("EC2_SPOT")
            .set_default_capacity_provider_strategy(Some(vec![]))
            .send(),
    );

    // Task definitions.
    check!(
        r,
        RegisterTaskDefinition,
        "a container without memory",
        ClientException,
        ecs.register_task_definition()
            .family("f")
            .container_definitions(ContainerDefinition::builder().name("a").image("i").build())
            .send(),
    );
    check!(
        r,
        RegisterTaskDefinition,
        "a family name with spaces",
        ClientException,
        ecs.register_task_definition()
            .family("not a family")
            .container_definitions(container("a"))
            .send(),
    );
    check!(
        r,
        DescribeTaskDefinition,
        "no such definition",
        ClientException,
        ecs.describe_task_definition().task_definition("nope:1").send(),
    );
    check!(
        r,
        ListTaskDefinitions,
        "a token not given out",
        InvalidParameterException,
        ecs.list_task_definitions().next_token("not a token").send(),
    );
    check!(
        r,
        ListTaskDefinitionFamilies,
        "a token not given out",
        InvalidParameterException,
        ecs.list_task_definition_families().next_token("not a token").send(),
    );
    check!(
        r,
        DeregisterTaskDefinition,
        "no such definition",
        ClientException,
        ecs.deregister_task_definition().task_definition("nope:1").send(),
    );
    check!(
        r,
        DeregisterTaskDefinition,
        "no revision",
        ClientException,
        ecs.deregister_task_definition().task_definition("web").send(),
    );
    check!(
        r,
        DeleteTaskDefinitions,
        "11 definitions",
        InvalidParameterException,
        ecs.delete_task_definitions()
            .set_task_definitions(Some(vec!["web:1".to_owned(); 11]))
            .send(),
    );

    // Tags.
    check!(
        r,
        TagResource,
        "no such cluster",
        ClusterNotFoundException,
        ecs.tag_resource().resource_arn(format!("{ARN}:cluster/nope")).tags(tag("k")).send(),
    );
    check!(
        r,
        TagResource,
        "no such definition",
        ResourceNotFoundException,
        ecs.tag_resource()
            .resource_arn(format!("{ARN}:task-definition/nope:1"))
            .tags(tag("k"))
            .send(),
    );
    check!(
        r,
        TagResource,
        "a reserved key",
        InvalidParameterException,
        ecs.tag_resource().resource_arn(format!("{ARN}:cluster/c")).tags(tag("aws:k")).send(),
    );
    check!(
        r,
        UntagResource,
        "no such definition",
        ResourceNotFoundException,
        ecs.untag_resource()
            .resource_arn(format!("{ARN}:task-definition/nope:1"))
            .tag_keys("k")
            .send(),
    );
    check!(
        r,
        ListTagsForResource,
        "no such cluster",
        ClusterNotFoundException,
        ecs.list_tags_for_resource().resource_arn(format!("{ARN}:cluster/nope")).send(),
    );
    check!(
        r,
        ListTagsForResource,
        "not an ARN",
        InvalidParameterException,
        ecs.list_tags_for_resource().resource_arn("not an arn").send(),
    );

    // Container instances.
    check!(
        r,
        RegisterContainerInstance,
        "no such cluster",
        ClusterNotFoundException,
        ecs.register_container_instance()
            .cluster("nope")
            .instance_identity_document(IDENTITY_DOCUMENT)
            .send(),
    );
    check!(
        r,
        RegisterContainerInstance,
        "a document of another region",
        InvalidParameterException,
        ecs.register_container_instance()
            .cluster("c")
            .instance_identity_document(
                r#"{"instanceId":"i-0123456789abcdef0","region":"eu-west-3"}"#,
            )
            .send(),
    );
    check!(
        r,
        DeregisterContainerInstance,
        "no such instance",
        InvalidParameterException,
        ecs.deregister_container_instance().cluster("c").container_instance("nope").send(),
    );
    check!(
        r,
        DeregisterContainerInstance,
        "no such cluster",
        ClusterNotFoundException,
        ecs.deregister_container_instance()
            .cluster("nope")
            .container_instance(&agent_instance)
            .send(),
    );
    check!(
        r,
        DeregisterContainerInstance,
        "an instance running tasks",
        InvalidParameterException,
        ecs.deregister_container_instance().cluster("c").container_instance(&agent_instance).send(),
    );
    check!(
        r,
        DescribeContainerInstances,
        "no such cluster",
        ClusterNotFoundException,
        ecs.describe_container_instances()
            .cluster("nope")
            .container_instances(&agent_instance)
            .send(),
    );
    check!(
        r,
        ListContainerInstances,
        "a filter that does not parse",
        InvalidParameterException,
        ecs.list_container_instances().cluster("c").filter("attribute:x ===").send(),
    );
    check!(
        r,
        ListContainerInstances,
        "no such cluster",
        ClusterNotFoundException,
        ecs.list_container_instances().cluster("nope").send(),
    );
    check!(
        r,
        UpdateContainerInstancesState,
        "no such cluster",
        ClusterNotFoundException,
        ecs.update_container_instances_state()
            .cluster("nope")
            .container_instances(&agent_instance)
            .status(ContainerInstanceStatus::Draining)
            .send(),
    );
    check!(
        r,
        UpdateContainerInstancesState,
        "a status users cannot set",
        InvalidParameterException,
        ecs.update_container_instances_state()
            .cluster("c")
            .container_instances(&agent_instance)
            .status(ContainerInstanceStatus::Registering)
            .send(),
    );
    let attribute = |target: &str| {
        Attribute::builder()
            .name("a")
            .value("1")
            .target_type(TargetType::ContainerInstance)
            .target_id(target)
            .build()
            .unwrap()
    };
    check!(
        r,
        PutAttributes,
        "no such target",
        TargetNotFoundException,
        ecs.put_attributes().cluster("c").attributes(attribute("nope")).send(),
    );
    check!(
        r,
        PutAttributes,
        "no such cluster",
        ClusterNotFoundException,
        ecs.put_attributes().cluster("nope").attributes(attribute(&agent_instance)).send(),
    );
    check!(
        r,
        DeleteAttributes,
        "no such target",
        TargetNotFoundException,
        ecs.delete_attributes().cluster("c").attributes(attribute("nope")).send(),
    );
    check!(
        r,
        DeleteAttributes,
        "no such cluster",
        ClusterNotFoundException,
        ecs.delete_attributes().cluster("nope").attributes(attribute(&agent_instance)).send(),
    );
    check!(
        r,
        ListAttributes,
        "no such cluster",
        ClusterNotFoundException,
        ecs.list_attributes().cluster("nope").target_type(TargetType::ContainerInstance).send(),
    );
    check!(
        r,
        UpdateContainerAgent,
        "an agent with no update",
        NoUpdateAvailableException,
        ecs.update_container_agent().cluster("c").container_instance(&agent_instance).send(),
    );
    check!(
        r,
        UpdateContainerAgent,
        "no agent version known",
        MissingVersionException,
        ecs.update_container_agent().cluster("c").container_instance(&bare_instance).send(),
    );
    check!(
        r,
        UpdateContainerAgent,
        "no such instance",
        InvalidParameterException,
        ecs.update_container_agent().cluster("c").container_instance("nope").send(),
    );
    check!(
        r,
        UpdateContainerAgent,
        "no such cluster",
        ClusterNotFoundException,
        ecs.update_container_agent().cluster("nope").container_instance(&agent_instance).send(),
    );

    // Services.
    let create = |name: &str, definition: &str| {
        ecs.create_service().cluster("c").service_name(name).task_definition(definition)
    };
    check!(
        r,
        CreateService,
        "no such definition",
        ClientException,
        create("api", "nope:1").desired_count(1).send(),
    );
    check!(
        r,
        CreateService,
        "an inactive definition",
        ClientException,
        create("api", "old:1").desired_count(1).send(),
    );
    check!(
        r,
        CreateService,
        "no such cluster",
        ClusterNotFoundException,
        ecs.create_service().cluster("nope").service_name("api").task_definition("web:1").send(),
    );
    check!(
        r,
        CreateService,
        "a definition Fargate cannot run",
        InvalidParameterException,
        create("api", "web:1").desired_count(1).launch_type(LaunchType::Fargate).send(),
    );
    check!(
        r,
        CreateService,
        "a name taken with other parameters",
        InvalidParameterException,
        create("web", "web:1").desired_count(3).send(),
    );
    check!(
        r,
        CreateService,
        "a negative desired count",
        InvalidParameterException,
        create("api", "web:1").desired_count(-1).send(),
    );
    check!(
        r,
        UpdateService,
        "no such service",
        ServiceNotFoundException,
        ecs.update_service().cluster("c").service("nope").desired_count(2).send(),
    );
    check!(
        r,
        UpdateService,
        "no such cluster",
        ClusterNotFoundException,
        ecs.update_service().cluster("nope").service("web").desired_count(2).send(),
    );
    check!(
        r,
        UpdateService,
        "no such definition",
        ClientException,
        ecs.update_service().cluster("c").service("web").task_definition("nope:1").send(),
    );
    check!(
        r,
        UpdateService,
        "a deleted service",
        ServiceNotActiveException,
        ecs.update_service().cluster("c").service("gone").desired_count(2).send(),
    );
    check!(
        r,
        UpdateService,
        "a definition for an EXTERNAL service",
        InvalidParameterException,
        ecs.update_service().cluster("c").service("ext").task_definition("web:1").send(),
    );
    check!(
        r,
        UpdateService,
        "a negative desired count",
        InvalidParameterException,
        ecs.update_service().cluster("c").service("web").desired_count(-1).send(),
    );
    check!(
        r,
        DeleteService,
        "no such service",
        ServiceNotFoundException,
        ecs.delete_service().cluster("c").service("nope").send(),
    );
    check!(
        r,
        DeleteService,
        "no such cluster",
        ClusterNotFoundException,
        ecs.delete_service().cluster("nope").service("web").send(),
    );
    check!(
        r,
        DeleteService,
        "a service still scaled up, without force",
        InvalidParameterException,
        ecs.delete_service().cluster("c").service("busy").send(),
    );
    check!(
        r,
        DescribeServices,
        "no such cluster",
        ClusterNotFoundException,
        ecs.describe_services().cluster("nope").services("web").send(),
    );
    check!(
        r,
        ListServices,
        "no such cluster",
        ClusterNotFoundException,
        ecs.list_services().cluster("nope").send(),
    );
    check!(
        r,
        DescribeServiceDeployments,
        "not an ARN",
        InvalidParameterException,
        ecs.describe_service_deployments().service_deployment_arns("not an arn").send(),
    );
    check!(
        r,
        ListServiceDeployments,
        "no such service",
        ServiceNotFoundException,
        ecs.list_service_deployments().cluster("c").service("nope").send(),
    );
    check!(
        r,
        ListServiceDeployments,
        "no such cluster",
        ClusterNotFoundException,
        ecs.list_service_deployments().cluster("nope").service("web").send(),
    );
    check!(
        r,
        DescribeServiceRevisions,
        "no ARN",
        InvalidParameterException,
        ecs.describe_service_revisions().set_service_revision_arns(Some(Vec::new())).send(),
    );
    check!(
        r,
        StopServiceDeployment,
        "no such deployment",
        ServiceDeploymentNotFoundException,
        ecs.stop_service_deployment()
            .service_deployment_arn(format!("{ARN}:service-deployment/c/nope/1"))
            .send(),
    );
    check!(
        r,
        StopServiceDeployment,
        "a completed deployment",
        ConflictException,
        ecs.stop_service_deployment().service_deployment_arn(&deployment).send(),
    );
    check!(
        r,
        StopServiceDeployment,
        "the ABORT stop type",
        UnsupportedFeatureException,
        ecs.stop_service_deployment()
            .service_deployment_arn(&deployment)
            .stop_type(StopServiceDeploymentStopType::Abort)
            .send(),
    );

    // Task sets (for the EXTERNAL service `ext`).
    check!(
        r,
        CreateTaskSet,
        "a service with the ECS controller",
        InvalidParameterException,
        ecs.create_task_set().cluster("c").service("web").task_definition("web:1").send(),
    );
    check!(
        r,
        CreateTaskSet,
        "no such service",
        ServiceNotFoundException,
        ecs.create_task_set().cluster("c").service("nope").task_definition("web:1").send(),
    );
    check!(
        r,
        CreateTaskSet,
        "no such cluster",
        ClusterNotFoundException,
        ecs.create_task_set().cluster("nope").service("ext").task_definition("web:1").send(),
    );
    check!(
        r,
        CreateTaskSet,
        "a deleted service",
        ServiceNotActiveException,
        ecs.create_task_set().cluster("c").service("gone").task_definition("web:1").send(),
    );
    check!(
        r,
        CreateTaskSet,
        "a scale over 100 %",
        InvalidParameterException,
        ecs.create_task_set()
            .cluster("c")
            .service("ext")
            .task_definition("web:1")
            .scale(scale(150.0))
            .send(),
    );
    check!(
        r,
        CreateTaskSet,
        "no such definition",
        ClientException,
        ecs.create_task_set().cluster("c").service("ext").task_definition("nope:1").send(),
    );
    check!(
        r,
        UpdateTaskSet,
        "no such task set",
        TaskSetNotFoundException,
        ecs.update_task_set()
            .cluster("c")
            .service("ext")
            .task_set("nope")
            .scale(scale(50.0))
            .send(),
    );
    check!(
        r,
        UpdateTaskSet,
        "a scale below 0 %",
        InvalidParameterException,
        ecs.update_task_set()
            .cluster("c")
            .service("ext")
            .task_set(&task_set)
            .scale(scale(-1.0))
            .send(),
    );
    check!(
        r,
        UpdateTaskSet,
        "a service with the ECS controller",
        InvalidParameterException,
        ecs.update_task_set()
            .cluster("c")
            .service("web")
            .task_set(&task_set)
            .scale(scale(50.0))
            .send(),
    );
    check!(
        r,
        DeleteTaskSet,
        "no such cluster",
        ClusterNotFoundException,
        ecs.delete_task_set().cluster("nope").service("ext").task_set(&task_set).send(),
    );
    check!(
        r,
        DeleteTaskSet,
        "no such task set",
        TaskSetNotFoundException,
        ecs.delete_task_set().cluster("c").service("ext").task_set("nope").send(),
    );
    check!(
        r,
        DeleteTaskSet,
        "a task set still scaled up, without force",
        InvalidParameterException,
        ecs.delete_task_set().cluster("c").service("ext").task_set(&task_set).send(),
    );
    check!(
        r,
        DescribeTaskSets,
        "a service with the ECS controller",
        InvalidParameterException,
        ecs.describe_task_sets().cluster("c").service("web").send(),
    );
    check!(
        r,
        DescribeTaskSets,
        "no such service",
        ServiceNotFoundException,
        ecs.describe_task_sets().cluster("c").service("nope").send(),
    );
    check!(
        r,
        UpdateServicePrimaryTaskSet,
        "no such task set",
        TaskSetNotFoundException,
        ecs.update_service_primary_task_set()
            .cluster("c")
            .service("ext")
            .primary_task_set("nope")
            .send(),
    );
    check!(
        r,
        UpdateServicePrimaryTaskSet,
        "a deleted service",
        ServiceNotActiveException,
        ecs.update_service_primary_task_set()
            .cluster("c")
            .service("gone")
            .primary_task_set(&task_set)
            .send(),
    );

    // Tasks.
    check!(
        r,
        RunTask,
        "no such cluster",
        ClusterNotFoundException,
        ecs.run_task().cluster("nope").task_definition("web:1").send(),
    );
    check!(
        r,
        RunTask,
        "no such definition",
        ClientException,
        ecs.run_task().cluster("c").task_definition("nope:1").send(),
    );
    check!(
        r,
        RunTask,
        "an inactive definition",
        ClientException,
        ecs.run_task().cluster("c").task_definition("old:1").send(),
    );
    check!(
        r,
        RunTask,
        "a definition Fargate cannot run",
        InvalidParameterException,
        ecs.run_task()
            .cluster("c")
            .task_definition("web:1")
            .launch_type(LaunchType::Fargate)
            .send(),
    );
    check!(
        r,
        RunTask,
        "a client token used with other parameters",
        ConflictException,
        ecs.run_task().cluster("c").task_definition("web:1").count(2).client_token("once").send(),
    );
    check!(
        r,
        RunTask,
        "a count over 10",
        InvalidParameterException,
        ecs.run_task().cluster("c").task_definition("web:1").count(11).send(),
    );
    check!(
        r,
        StartTask,
        "no such instance",
        InvalidParameterException,
        ecs.start_task().cluster("c").task_definition("web:1").container_instances("nope").send(),
    );
    check!(
        r,
        StartTask,
        "no such definition",
        ClientException,
        ecs.start_task()
            .cluster("c")
            .task_definition("nope:1")
            .container_instances(&agent_instance)
            .send(),
    );
    check!(
        r,
        StartTask,
        "no such cluster",
        ClusterNotFoundException,
        ecs.start_task()
            .cluster("nope")
            .task_definition("web:1")
            .container_instances(&agent_instance)
            .send(),
    );
    check!(
        r,
        StopTask,
        "no such task",
        InvalidParameterException,
        ecs.stop_task().cluster("c").task("nope").send(),
    );
    check!(
        r,
        StopTask,
        "no such cluster",
        ClusterNotFoundException,
        ecs.stop_task().cluster("nope").task("nope").send(),
    );
    check!(
        r,
        DescribeTasks,
        "no such cluster",
        ClusterNotFoundException,
        ecs.describe_tasks().cluster("nope").tasks("x").send(),
    );
    check!(
        r,
        ListTasks,
        "maxResults over 100",
        InvalidParameterException,
        ecs.list_tasks().cluster("c").max_results(101).send(),
    );
    check!(
        r,
        ListTasks,
        "no such cluster",
        ClusterNotFoundException,
        ecs.list_tasks().cluster("nope").send(),
    );
    check!(
        r,
        ListTasks,
        "no such service",
        ServiceNotFoundException,
        ecs.list_tasks().cluster("c").service_name("nope").send(),
    );
    check!(
        r,
        GetTaskProtection,
        "no such cluster",
        ClusterNotFoundException,
        ecs.get_task_protection().cluster("nope").send(),
    );
    check!(
        r,
        UpdateTaskProtection,
        "an expiry of 0 minutes",
        InvalidParameterException,
        ecs.update_task_protection()
            .cluster("c")
            .tasks("t")
            .protection_enabled(true)
            .expires_in_minutes(0)
            .send(),
    );
    check!(
        r,
        UpdateTaskProtection,
        "no such cluster",
        ClusterNotFoundException,
        ecs.update_task_protection().cluster("nope").tasks("t").protection_enabled(true).send(),
    );
    check!(
        r,
        SubmitTaskStateChange,
        "a user, not the instance's agent",
        AccessDeniedException,
        ecs.submit_task_state_change().cluster("c").task("nope").status("RUNNING").send(),
    );
    check!(
        r,
        SubmitAttachmentStateChanges,
        "a user, not the instance's agent",
        AccessDeniedException,
        ecs.submit_attachment_state_changes()
            .cluster("c")
            .attachments(
                aws_sdk_ecs::types::AttachmentStateChange::builder()
                    .attachment_arn("arn:aws:ecs:us-east-1:000000000000:attachment/x")
                    .status("ATTACHED")
                    .build()
                    .unwrap(),
            )
            .send(),
    );
    check!(
        r,
        SubmitContainerStateChange,
        "a user, not the instance's agent",
        AccessDeniedException,
        ecs.submit_container_state_change().cluster("c").task("nope").container_name("app").send(),
    );

    // Account settings.
    check!(
        r,
        ListAccountSettings,
        "a principal that is not an ARN",
        InvalidParameterException,
        ecs.list_account_settings().principal_arn("not an arn").send(),
    );
    check!(
        r,
        PutAccountSetting,
        "an unknown value",
        InvalidParameterException,
        ecs.put_account_setting().name(SettingName::ContainerInsights).value("maybe").send(),
    );
    check!(
        r,
        PutAccountSettingDefault,
        "an unknown value",
        InvalidParameterException,
        ecs.put_account_setting_default()
            .name(SettingName::ServiceLongArnFormat)
            .value("maybe")
            .send(),
    );
    check!(
        r,
        DeleteAccountSetting,
        "a principal that is not an ARN",
        InvalidParameterException,
        ecs.delete_account_setting()
            .name(SettingName::ContainerInsights)
            .principal_arn("not an arn")
            .send(),
    );

    // A user whose policy does not allow the action: `AccessDeniedException`, which every
    // operation may answer.
    let reader = ecs_client_as(&server.endpoint, "AKIDREADER", "reader-secret");
    check!(
        r,
        CreateCluster,
        "reader",
        AccessDeniedException,
        reader.create_cluster().cluster_name("d").send()
    );
    check!(
        r,
        DeleteCluster,
        "reader",
        AccessDeniedException,
        reader.delete_cluster().cluster("c").send(),
    );
    check!(
        r,
        RegisterTaskDefinition,
        "reader",
        AccessDeniedException,
        reader
            .register_task_definition()
            .family("web")
            .container_definitions(container("web"))
            .send(),
    );
    check!(
        r,
        DeregisterTaskDefinition,
        "reader",
        AccessDeniedException,
        reader.deregister_task_definition().task_definition("web:1").send(),
    );
    check!(
        r,
        UpdateService,
        "reader",
        AccessDeniedException,
        reader.update_service().cluster("c").service("web").desired_count(1).send(),
    );
    check!(
        r,
        DeleteService,
        "reader",
        AccessDeniedException,
        reader.delete_service().cluster("c").service("web").send(),
    );
    check!(
        r,
        RunTask,
        "reader",
        AccessDeniedException,
        reader.run_task().cluster("c").task_definition("web:1").send(),
    );
    check!(
        r,
        TagResource,
        "reader",
        AccessDeniedException,
        reader.tag_resource().resource_arn(format!("{ARN}:cluster/c")).tags(tag("k")).send(),
    );
    check!(
        r,
        PutAccountSetting,
        "reader",
        AccessDeniedException,
        reader.put_account_setting().name(SettingName::ContainerInsights).value("enabled").send(),
    );
    check!(
        r,
        DiscoverPollEndpoint,
        "reader",
        AccessDeniedException,
        reader.discover_poll_endpoint().cluster("c").send(),
    );
    // What the reader may do, it does.
    reader.list_clusters().send().await.unwrap();

    r.assert_right();
    assert_eq!(snapshot(&ecs).await, before, "a refusal wrote something");

    // Every served operation is covered or listed as not covered, and not both.
    let listed: BTreeSet<Operation> = NOT_COVERED.iter().map(|(op, _)| *op).collect();
    let both: Vec<_> = r.covered.intersection(&listed).collect();
    assert!(both.is_empty(), "covered and listed as not covered: {both:?}");
    let served: BTreeSet<Operation> = server::SERVED.iter().copied().collect();
    let accounted: BTreeSet<Operation> = r.covered.union(&listed).copied().collect();
    assert_eq!(accounted, served, "the served operations and those covered or listed differ");
    assert!(r.cases >= 100, "only {} cases", r.cases);
}
