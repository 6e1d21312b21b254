//! Access control for the API: who calls (AWS Signature V4 against the configured access keys),
//! how fast (token buckets per ECS rate-limit category), and whether their policies allow the
//! action on the resources it touches. The rules live in the pure `auth` crate; this module
//! feeds it requests and decides which ARNs each operation acts on.

use std::borrow::Cow;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use serde_json::Value;

use api::{ApiError, ErrorCode};
use auth::throttle::Throttle;
use auth::{AuthConfig, AuthError, AuthzRequest, Identity, SignedRequest};

use crate::Ctx;
use crate::arn::Kind;

/// The users, keys and policies in force, and the throttling state.
pub struct Access {
    config: RwLock<Arc<AuthConfig>>,
    throttle: Mutex<Throttle>,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field("users", &self.config.read().users.len())
            .finish_non_exhaustive()
    }
}

impl Access {
    pub fn new(config: AuthConfig) -> Access {
        let throttle = Throttle::new(config.throttle.clone());
        Access { config: RwLock::new(Arc::new(config)), throttle: Mutex::new(throttle) }
    }

    /// Puts a new configuration in force (a reload). Buckets of keys that still exist are kept.
    pub fn replace(&self, config: AuthConfig) {
        self.throttle.lock().reconfigure(config.throttle.clone(), |key| config.has_key(key));
        *self.config.write() = Arc::new(config);
    }

    fn current(&self) -> Arc<AuthConfig> {
        self.config.read().clone()
    }
}

fn api_error(error: AuthError) -> ApiError {
    let code = match error.code {
        "MissingAuthenticationTokenException" => ErrorCode::MissingAuthenticationTokenException,
        "IncompleteSignatureException" => ErrorCode::IncompleteSignatureException,
        "UnrecognizedClientException" => ErrorCode::UnrecognizedClientException,
        "InvalidSignatureException" => ErrorCode::InvalidSignatureException,
        "AccessDeniedException" => ErrorCode::AccessDeniedException,
        "ThrottlingException" => ErrorCode::ThrottlingException,
        _ => ErrorCode::AccessDeniedException,
    };
    ApiError::new(code, error.message)
}

/// The signed parts of a request.
pub(crate) struct Request<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    /// Lowercased names, values as received.
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: &'a [u8],
}

/// Checks the signature and the caller's rate. `Ok(None)` when access control is off.
pub(crate) fn authenticate(
    ctx: &Ctx,
    request: &Request<'_>,
    operation: &str,
) -> Result<Option<Identity>, ApiError> {
    authenticate_for(ctx, request, auth::sigv4::SERVICE, operation)
}

/// [`authenticate`] for a request signed for another service (`ec2`, ...).
pub(crate) fn authenticate_for(
    ctx: &Ctx,
    request: &Request<'_>,
    service: &str,
    operation: &str,
) -> Result<Option<Identity>, ApiError> {
    let Some(access) = ctx.access() else {
        return Ok(None);
    };
    let config = access.current();
    let signed = SignedRequest {
        method: request.method,
        path: request.path,
        query: request.query,
        headers: request.headers,
        body: request.body,
    };
    let now = ctx.clock().now_millis().div_euclid(1000);
    let identity = auth::verify_for(&signed, &*config, &ctx.config().region, service, now)
        .map_err(api_error)?;
    access
        .throttle
        .lock()
        .check(&identity.access_key_id, operation, ctx.clock().now())
        .map_err(api_error)?;
    Ok(Some(identity))
}

/// Checks that the caller's policies allow `operation` with this request body.
pub(crate) fn authorize(
    ctx: &Ctx,
    identity: &Identity,
    operation: &str,
    body: &Value,
) -> Result<(), ApiError> {
    let Some(access) = ctx.access() else {
        return Ok(());
    };
    let (resources, cluster_arn) = resources(ctx, operation, body);
    let request = AuthzRequest {
        principal: identity.principal_arn.clone(),
        action: format!("ecs:{operation}"),
        resources,
        cluster_arn,
    };
    access.current().authorize(&identity.user, &request).map_err(api_error)
}

/// Checks that the caller's policies allow `action` (`service:Operation`, e.g.
/// `ec2:DescribeSubnets`) on `resources` (none: `*`), for the other services Berth serves.
/// The error's code is the ECS one; the caller answers it in its own protocol.
pub(crate) fn authorize_action(
    ctx: &Ctx,
    identity: &Identity,
    action: &str,
    resources: Vec<Cow<'_, str>>,
) -> Result<(), ApiError> {
    let Some(access) = ctx.access() else {
        return Ok(());
    };
    let request = AuthzRequest {
        principal: identity.principal_arn.clone(),
        action: action.to_owned(),
        resources,
        cluster_arn: None,
    };
    access.current().authorize(&identity.user, &request).map_err(api_error)
}

/// The ARNs an operation acts on, and the cluster it acts in, from its request body (ARNs the
/// body names whole are borrowed from it).
fn resources<'b>(
    ctx: &Ctx,
    operation: &str,
    body: &'b Value,
) -> (Vec<Cow<'b, str>>, Option<String>) {
    let arns = ctx.arns();
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let list = |key: &str| -> Vec<&'b str> {
        body.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    };
    // The cluster a request names, by name, defaulting to `default`.
    let cluster_name = match text("cluster") {
        Some(reference) => match arns.resolve(Kind::Cluster, reference) {
            Ok(Some(name)) => name.to_owned(),
            _ => reference.to_owned(),
        },
        None => "default".to_owned(),
    };
    let cluster_arn = arns.cluster(&cluster_name);
    let in_cluster = |kind: Kind, reference: &'b str| -> Cow<'b, str> {
        if reference.starts_with("arn:") {
            return Cow::Borrowed(reference);
        }
        Cow::Owned(match kind {
            Kind::Task => arns.task(&cluster_name, reference),
            Kind::Service => arns.service(&cluster_name, reference),
            Kind::ContainerInstance => arns.container_instance(&cluster_name, reference),
            Kind::Cluster => arns.cluster(reference),
            Kind::TaskDefinition => reference.to_owned(),
        })
    };
    let scoped = |resources: Vec<Cow<'b, str>>| (resources, Some(cluster_arn.clone()));
    match operation {
        "ListClusters"
        | "RegisterTaskDefinition"
        | "DescribeTaskDefinition"
        | "ListTaskDefinitions"
        | "ListTaskDefinitionFamilies"
        | "DeregisterTaskDefinition"
        | "DeleteTaskDefinitions"
        | "ListAccountSettings"
        | "PutAccountSetting"
        | "PutAccountSettingDefault"
        | "DeleteAccountSetting" => (Vec::new(), None),
        "CreateCluster" => {
            let arn = arns.cluster(text("clusterName").unwrap_or("default"));
            (vec![arn.clone().into()], Some(arn))
        }
        "DescribeClusters" => {
            let clusters = list("clusters");
            let clusters = if clusters.is_empty() { vec!["default"] } else { clusters };
            let resources: Vec<Cow<'b, str>> =
                clusters.iter().map(|c| in_cluster(Kind::Cluster, c)).collect();
            let single = (resources.len() == 1).then(|| resources[0].clone().into_owned());
            (resources, single)
        }
        "DeleteCluster"
        | "UpdateCluster"
        | "UpdateClusterSettings"
        | "PutClusterCapacityProviders" => scoped(vec![cluster_arn.clone().into()]),
        // As in ECS, the cluster the instance joins, also when the request re-registers an
        // instance. A call carrying an agent token is not authorized here: the token is its
        // credential (`caller`).
        "RegisterContainerInstance" => scoped(vec![cluster_arn.clone().into()]),
        // As in ECS, the task definition, in the cluster the task would run in (a policy on
        // that cluster covers it). A family without a revision stands for every revision, so
        // only a policy covering them all allows it.
        "RunTask" | "StartTask" => {
            let definition = text("taskDefinition").unwrap_or_default();
            let arn = if definition.starts_with("arn:") {
                definition.to_owned()
            } else {
                let revision = definition
                    .rsplit_once(':')
                    .and_then(|(family, revision)| Some((family, revision.parse::<i32>().ok()?)));
                match revision {
                    Some((family, revision)) => arns.task_definition(family, revision),
                    None => arns.every_task_definition_revision(definition),
                }
            };
            scoped(vec![arn.into()])
        }
        "StopTask" => scoped(text("task").map(|t| in_cluster(Kind::Task, t)).into_iter().collect()),
        "DescribeTasks" => {
            scoped(list("tasks").iter().map(|t| in_cluster(Kind::Task, t)).collect())
        }
        "CreateService" => {
            scoped(text("serviceName").map(|s| in_cluster(Kind::Service, s)).into_iter().collect())
        }
        "UpdateService" | "DeleteService" => {
            scoped(text("service").map(|s| in_cluster(Kind::Service, s)).into_iter().collect())
        }
        "DescribeServices" => {
            scoped(list("services").iter().map(|s| in_cluster(Kind::Service, s)).collect())
        }
        "DescribeContainerInstances" | "UpdateContainerInstancesState" => scoped(
            list("containerInstances")
                .iter()
                .map(|i| in_cluster(Kind::ContainerInstance, i))
                .collect(),
        ),
        "DeregisterContainerInstance" => scoped(
            text("containerInstance")
                .map(|i| in_cluster(Kind::ContainerInstance, i))
                .into_iter()
                .collect(),
        ),
        "PutAttributes" | "DeleteAttributes" => scoped(
            body.get("attributes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|a| a.get("targetId").and_then(Value::as_str))
                .map(|i| in_cluster(Kind::ContainerInstance, i))
                .collect(),
        ),
        "TagResource" | "UntagResource" | "ListTagsForResource" => {
            let arn = text("resourceArn").unwrap_or("*");
            // A resource inside a cluster names it after its kind: `<kind>/<cluster>/...`.
            let cluster = arns.resource(arn).ok().flatten().and_then(|r| {
                let (kind, rest) = r.split_once('/')?;
                match kind {
                    "cluster" => Some(arns.cluster(rest)),
                    "task" | "service" | "container-instance" => {
                        rest.split_once('/').map(|(c, _)| arns.cluster(c))
                    }
                    _ => None,
                }
            });
            (vec![arn.into()], cluster)
        }
        "GetContainerLogs" => {
            scoped(text("task").map(|t| in_cluster(Kind::Task, t)).into_iter().collect())
        }
        "DescribeServiceDeployments" => {
            (list("serviceDeploymentArns").into_iter().map(Cow::Borrowed).collect(), None)
        }
        // Listing inside a cluster, and the rest: the cluster.
        _ => scoped(Vec::new()),
    }
}
