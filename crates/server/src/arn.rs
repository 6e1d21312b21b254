//! Amazon Resource Names: building them for Berth's resources and resolving the references
//! callers pass, which may be a short name or a full ARN wherever ECS accepts either.

use api::ApiError;

use crate::config::Config;

/// The resource kinds that have ARNs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cluster,
    TaskDefinition,
    Service,
    Task,
    ContainerInstance,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Cluster => "cluster/",
            Kind::TaskDefinition => "task-definition/",
            Kind::Service => "service/",
            Kind::Task => "task/",
            Kind::ContainerInstance => "container-instance/",
        }
    }
}

/// Builds ARNs for one account and region.
#[derive(Debug, Clone)]
pub struct Arns {
    base: String,
}

impl Arns {
    pub fn new(config: &Config) -> Arns {
        Arns { base: format!("arn:aws:ecs:{}:{}:", config.region, config.account_id) }
    }

    pub fn cluster(&self, name: &str) -> String {
        format!("{}cluster/{name}", self.base)
    }

    pub fn task_definition(&self, family: &str, revision: i32) -> String {
        format!("{}task-definition/{family}:{revision}", self.base)
    }

    /// `task-definition/<family>:*`: every revision of a family, as an IAM resource.
    pub fn every_task_definition_revision(&self, family: &str) -> String {
        format!("{}task-definition/{family}:*", self.base)
    }

    pub fn service(&self, cluster: &str, name: &str) -> String {
        format!("{}service/{cluster}/{name}", self.base)
    }

    pub fn task(&self, cluster: &str, id: &str) -> String {
        format!("{}task/{cluster}/{id}", self.base)
    }

    pub fn container_instance(&self, cluster: &str, id: &str) -> String {
        format!("{}container-instance/{cluster}/{id}", self.base)
    }

    pub fn container(&self, cluster: &str, task_id: &str, container_id: &str) -> String {
        format!("{}container/{cluster}/{task_id}/{container_id}", self.base)
    }

    /// The resource part (`cluster/name`, `task-definition/web:3`, ...) of an ARN of this
    /// account and region. `Ok(None)` means a well-formed ARN of another account, region or
    /// service: the resource cannot exist here.
    pub fn resource<'a>(&self, arn: &'a str) -> Result<Option<&'a str>, ApiError> {
        // Most ARNs are this account's: one comparison instead of splitting (DescribeTasks
        // resolves 100 of them twice per call, once to authorize and once to look them up).
        if let Some(resource) = arn.strip_prefix(self.base.as_str())
            && !resource.is_empty()
        {
            return Ok(Some(resource));
        }
        self.resource_by_parts(arn)
    }

    /// [`Arns::resource`] by splitting the ARN into its parts.
    fn resource_by_parts<'a>(&self, arn: &'a str) -> Result<Option<&'a str>, ApiError> {
        // `arn:partition:service:region:account:resource`; the resource may hold colons.
        let mut parts = arn.splitn(6, ':');
        let mut next = || parts.next().unwrap_or_default();
        let (scheme, partition) = (next(), next());
        let (_, _, _, resource) = (next(), next(), next(), next());
        if scheme != "arn" || partition.is_empty() || resource.is_empty() {
            return Err(ApiError::invalid_parameter(format!("Invalid ARN: {arn}")));
        }
        let prefix = &arn[..arn.len() - resource.len()];
        if partition != "aws" || !prefix.ends_with(&self.base["arn:aws:".len()..]) {
            return Ok(None);
        }
        Ok(Some(resource))
    }

    /// Resolves a reference of the given kind: a bare name/id, or an ARN whose resource part
    /// is `<kind>/<rest>`. Returns the part after the kind prefix, or `None` if the ARN
    /// belongs elsewhere.
    pub fn resolve<'a>(&self, kind: Kind, reference: &'a str) -> Result<Option<&'a str>, ApiError> {
        if !reference.starts_with("arn:") {
            return Ok(Some(reference));
        }
        let Some(resource) = self.resource(reference)? else {
            return Ok(None);
        };
        match resource.strip_prefix(kind.prefix()) {
            Some(rest) if !rest.is_empty() => Ok(Some(rest)),
            _ => Err(ApiError::invalid_parameter(format!(
                "Invalid ARN: {reference} is not a {} ARN",
                kind.prefix().trim_end_matches('/')
            ))),
        }
    }
}

impl Arns {
    /// Resolves a reference to a resource inside `cluster` (a task, service or container
    /// instance): a bare id or name, or an ARN in the long format `<kind>/<cluster>/<id>` (or
    /// the short one, `<kind>/<id>`). `None`: an ARN of another cluster, account or region.
    pub fn resolve_in_cluster(
        &self,
        kind: Kind,
        cluster: &str,
        reference: &str,
    ) -> Result<Option<String>, ApiError> {
        Ok(self.resolve_in_cluster_ref(kind, cluster, reference)?.map(str::to_owned))
    }

    /// [`Arns::resolve_in_cluster`], borrowing the id from the reference.
    pub fn resolve_in_cluster_ref<'a>(
        &self,
        kind: Kind,
        cluster: &str,
        reference: &'a str,
    ) -> Result<Option<&'a str>, ApiError> {
        let Some(rest) = self.resolve(kind, reference)? else {
            return Ok(None);
        };
        if !reference.starts_with("arn:") {
            return Ok(Some(rest));
        }
        match rest.split_once('/') {
            Some((arn_cluster, id)) if arn_cluster == cluster => Ok(Some(id)),
            Some(_) => Ok(None),
            None => Ok(Some(rest)),
        }
    }
}

/// Whether `name` is a valid ECS name: 1 to 255 letters, digits, hyphens and underscores.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arns() -> Arns {
        Arns::new(&Config::try_from(crate::config::RawConfig::default()).unwrap())
    }

    #[test]
    fn this_accounts_arns_resolve_as_by_their_parts() {
        let a = arns();
        for arn in [
            "arn:aws:ecs:us-east-1:000000000000:task/prod/0123abcd",
            "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3",
            "arn:aws:ecs:us-east-1:000000000000:x:y:z",
            "arn:aws:ecs:us-east-1:000000000000:",
            "arn:aws:ecs:us-east-1:000000000001:task/prod/0123abcd",
            "arn:aws:ecs:eu-west-1:000000000000:task/prod/0123abcd",
            "arn:aws-cn:ecs:us-east-1:000000000000:task/prod/0123abcd",
            "arn:aws:ecs:us-east-1:000000000000",
            "arn::ecs:us-east-1:000000000000:task/x",
            "nonsense",
        ] {
            let quick = a.resource(arn).map_err(|e| e.message);
            let parts = a.resource_by_parts(arn).map_err(|e| e.message);
            assert_eq!(quick, parts, "{arn}");
        }
        assert_eq!(
            a.resource("arn:aws:ecs:us-east-1:000000000000:task/prod/t1").unwrap(),
            Some("task/prod/t1")
        );
        assert_eq!(a.resource("arn:aws:ecs:us-east-1:000000000001:task/prod/t1").unwrap(), None);
        assert!(a.resource("arn:aws:ecs:us-east-1:000000000000:").is_err());
    }

    #[test]
    fn builds_long_format_arns() {
        let a = arns();
        assert_eq!(a.cluster("prod"), "arn:aws:ecs:us-east-1:000000000000:cluster/prod");
        assert_eq!(
            a.task_definition("web", 3),
            "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"
        );
        assert_eq!(a.task("prod", "abc"), "arn:aws:ecs:us-east-1:000000000000:task/prod/abc");
    }

    #[test]
    fn resolves_names_and_arns() {
        let a = arns();
        assert_eq!(a.resolve(Kind::Cluster, "prod").unwrap(), Some("prod"));
        assert_eq!(a.resolve(Kind::Cluster, &a.cluster("prod")).unwrap(), Some("prod"));
        assert_eq!(
            a.resolve(Kind::Cluster, "arn:aws:ecs:eu-west-1:000000000000:cluster/prod").unwrap(),
            None
        );
        assert!(
            a.resolve(Kind::Cluster, "arn:aws:ecs:us-east-1:000000000000:service/x/y").is_err()
        );
        assert!(a.resolve(Kind::Cluster, "arn:nonsense").is_err());
        assert_eq!(
            a.resolve(Kind::TaskDefinition, &a.task_definition("web", 2)).unwrap(),
            Some("web:2")
        );
    }

    #[test]
    fn names_follow_ecs_rules() {
        assert!(valid_name("a-b_C9"));
        assert!(!valid_name(""));
        assert!(!valid_name("a b"));
        assert!(!valid_name(&"x".repeat(256)));
    }
}
