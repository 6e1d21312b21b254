//! API throttling as ECS does it: token buckets per rate-limit category, refused calls answered
//! with `ThrottlingException` "Rate exceeded".
//!
//! ECS keeps one bucket per category *per account and region*; actions of a category share it.
//! Berth keeps one per category **per access key** by default (one caller cannot starve the
//! others), or per account with `per = "account"` in the config. Buckets are created on a key's
//! first call, so call [`Throttle::check`] after [`crate::verify`]: only configured keys ever get
//! buckets, which bounds the memory.
//!
//! Time is passed in (`now`, seconds on any monotonic scale); nothing here reads a clock.

use std::collections::HashMap;

use crate::AuthError;

/// ECS's API rate-limit categories, plus where Berth files the operations ECS's table leaves out
/// (see [`category`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    ClusterModify,
    ClusterRead,
    TaskDefinitionModify,
    TaskDefinitionRead,
    TaskDefinitionDelete,
    CapacityProviderModify,
    CapacityProviderRead,
    TagModify,
    TagRead,
    SettingModify,
    SettingRead,
    ClusterResourceModify,
    ClusterResourceRead,
    AgentModify,
    ServiceModify,
    ServiceRead,
    ServiceDeployment,
    TaskProtection,
    ClusterServiceResourceRead,
}

/// A bucket's size and refill rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// Bucket size: calls allowed at once after a quiet period.
    pub burst: f64,
    /// Refill rate: calls per second allowed in the long run.
    pub sustained: f64,
}

impl Category {
    pub const ALL: [Category; 19] = [
        Category::ClusterModify,
        Category::ClusterRead,
        Category::TaskDefinitionModify,
        Category::TaskDefinitionRead,
        Category::TaskDefinitionDelete,
        Category::CapacityProviderModify,
        Category::CapacityProviderRead,
        Category::TagModify,
        Category::TagRead,
        Category::SettingModify,
        Category::SettingRead,
        Category::ClusterResourceModify,
        Category::ClusterResourceRead,
        Category::AgentModify,
        Category::ServiceModify,
        Category::ServiceRead,
        Category::ServiceDeployment,
        Category::TaskProtection,
        Category::ClusterServiceResourceRead,
    ];

    /// The category's name in the config file, e.g. `cluster-read`.
    pub fn name(self) -> &'static str {
        match self {
            Category::ClusterModify => "cluster-modify",
            Category::ClusterRead => "cluster-read",
            Category::TaskDefinitionModify => "task-definition-modify",
            Category::TaskDefinitionRead => "task-definition-read",
            Category::TaskDefinitionDelete => "task-definition-delete",
            Category::CapacityProviderModify => "capacity-provider-modify",
            Category::CapacityProviderRead => "capacity-provider-read",
            Category::TagModify => "tag-modify",
            Category::TagRead => "tag-read",
            Category::SettingModify => "setting-modify",
            Category::SettingRead => "setting-read",
            Category::ClusterResourceModify => "cluster-resource-modify",
            Category::ClusterResourceRead => "cluster-resource-read",
            Category::AgentModify => "agent-modify",
            Category::ServiceModify => "service-modify",
            Category::ServiceRead => "service-read",
            Category::ServiceDeployment => "service-deployment",
            Category::TaskProtection => "task-protection",
            Category::ClusterServiceResourceRead => "cluster-service-resource-read",
        }
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|category| category.name() == name)
    }

    /// ECS's documented burst and sustained rate for the category.
    pub fn ecs_limit(self) -> Limit {
        let (burst, sustained) = match self {
            Category::ClusterModify => (20, 1),
            Category::ClusterRead => (50, 20),
            Category::TaskDefinitionModify => (20, 1),
            Category::TaskDefinitionRead => (50, 20),
            Category::TaskDefinitionDelete => (5, 1),
            Category::CapacityProviderModify => (10, 1),
            Category::CapacityProviderRead => (50, 20),
            Category::TagModify => (20, 10),
            Category::TagRead => (50, 20),
            Category::SettingModify => (10, 1),
            Category::SettingRead => (50, 20),
            Category::ClusterResourceModify => (100, 40),
            Category::ClusterResourceRead => (100, 20),
            Category::AgentModify => (200, 120),
            Category::ServiceModify => (50, 5),
            Category::ServiceRead => (100, 20),
            Category::ServiceDeployment => (50, 20),
            Category::TaskProtection => (200, 80),
            Category::ClusterServiceResourceRead => (10, 1),
        };
        Limit { burst: f64::from(burst), sustained: f64::from(sustained) }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The category of an ECS operation as ECS's throttling table lists it, or where Berth files the
/// operations the table omits: task sets, daemons, express gateway services and deployment
/// stop/continue go with services, daemon task definitions with task definitions, and
/// `DiscoverPollEndpoint` with the agent's calls. `None` for a name that is not an ECS operation.
pub fn ecs_category(operation: &str) -> Option<Category> {
    use Category::*;
    let category = match operation {
        "CreateCluster"
        | "DeleteCluster"
        | "PutClusterCapacityProviders"
        | "UpdateCluster"
        | "UpdateClusterSettings" => ClusterModify,
        "DescribeClusters" | "ListClusters" => ClusterRead,
        "RegisterTaskDefinition" | "DeregisterTaskDefinition" | "RegisterDaemonTaskDefinition" => {
            TaskDefinitionModify
        }
        "DescribeTaskDefinition"
        | "ListTaskDefinitions"
        | "ListTaskDefinitionFamilies"
        | "DescribeDaemonTaskDefinition"
        | "ListDaemonTaskDefinitions" => TaskDefinitionRead,
        "DeleteTaskDefinitions" | "DeleteDaemonTaskDefinition" => TaskDefinitionDelete,
        "CreateCapacityProvider" | "DeleteCapacityProvider" | "UpdateCapacityProvider" => {
            CapacityProviderModify
        }
        "DescribeCapacityProviders" => CapacityProviderRead,
        "TagResource" | "UntagResource" => TagModify,
        "ListTagsForResource" => TagRead,
        "DeleteAccountSetting" | "PutAccountSetting" | "PutAccountSettingDefault" => SettingModify,
        "ListAccountSettings" => SettingRead,
        "DeleteAttributes"
        | "DeregisterContainerInstance"
        | "ExecuteCommand"
        | "PutAttributes"
        | "RunTask"
        | "StartTask"
        | "StopTask"
        | "UpdateContainerAgent"
        | "UpdateContainerInstancesState" => ClusterResourceModify,
        "DescribeContainerInstances"
        | "DescribeTasks"
        | "ListAttributes"
        | "ListContainerInstances"
        | "ListTasks" => ClusterResourceRead,
        "RegisterContainerInstance"
        | "SubmitAttachmentStateChanges"
        | "SubmitContainerStateChange"
        | "SubmitTaskStateChange"
        | "DiscoverPollEndpoint" => AgentModify,
        "CreateService"
        | "DeleteService"
        | "UpdateService"
        | "CreateTaskSet"
        | "UpdateTaskSet"
        | "DeleteTaskSet"
        | "UpdateServicePrimaryTaskSet"
        | "StopServiceDeployment"
        | "ContinueServiceDeployment"
        | "CreateDaemon"
        | "UpdateDaemon"
        | "DeleteDaemon"
        | "CreateExpressGatewayService"
        | "UpdateExpressGatewayService"
        | "DeleteExpressGatewayService" => ServiceModify,
        "DescribeServices"
        | "ListServices"
        | "DescribeTaskSets"
        | "DescribeDaemon"
        | "ListDaemons"
        | "DescribeExpressGatewayService" => ServiceRead,
        "DescribeServiceDeployments"
        | "ListServiceDeployments"
        | "DescribeServiceRevisions"
        | "DescribeDaemonDeployments"
        | "ListDaemonDeployments"
        | "DescribeDaemonRevisions" => ServiceDeployment,
        "GetTaskProtection" | "UpdateTaskProtection" => TaskProtection,
        "ListServicesByNamespace" => ClusterServiceResourceRead,
        _ => return None,
    };
    Some(category)
}

/// The category of any operation: [`ecs_category`] for ECS's, and for others (Berth's own
/// `BerthV1.*` operations, or names no one knows) `cluster-resource-read` when the name starts
/// with `Describe`, `List` or `Get`, else `cluster-resource-modify`. A target prefix
/// (`AmazonEC2ContainerServiceV20141113.`) is ignored.
pub fn category(operation: &str) -> Category {
    let name = operation.rsplit_once('.').map_or(operation, |(_, name)| name);
    ecs_category(name).unwrap_or_else(|| {
        if ["Describe", "List", "Get"].iter().any(|prefix| name.starts_with(prefix)) {
            Category::ClusterResourceRead
        } else {
            Category::ClusterResourceModify
        }
    })
}

/// One token bucket: holds up to `burst` tokens, refilled continuously at `sustained` per
/// second; each call takes one.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenBucket {
    limit: Limit,
    tokens: f64,
    updated: f64,
}

impl TokenBucket {
    /// A full bucket at time `now`.
    pub fn new(limit: Limit, now: f64) -> TokenBucket {
        TokenBucket { limit, tokens: limit.burst, updated: now }
    }

    /// Refills for the time since the last call, then takes a token if there is one. Time that
    /// runs backwards refills nothing.
    pub fn try_take(&mut self, now: f64) -> bool {
        let elapsed = now - self.updated;
        if elapsed > 0.0 {
            self.tokens = (self.tokens + elapsed * self.limit.sustained).min(self.limit.burst);
            self.updated = now;
        }
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// The tokens left as of the last call.
    pub fn tokens(&self) -> f64 {
        self.tokens
    }

    /// Changes the limit, keeping the tokens (at most the new burst).
    fn set_limit(&mut self, limit: Limit) {
        self.limit = limit;
        self.tokens = self.tokens.min(limit.burst);
    }
}

/// Whose calls share a set of buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleScope {
    /// One set per access key (Berth's default).
    AccessKey,
    /// One set for everyone (what ECS does per account and region).
    Account,
}

/// Validated throttling settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ThrottleConfig {
    pub enabled: bool,
    pub scope: ThrottleScope,
    /// Indexed by [`Category`] in [`Category::ALL`] order.
    limits: [Limit; Category::ALL.len()],
}

impl ThrottleConfig {
    /// Enabled, per access key, with ECS's limits.
    pub fn ecs_defaults() -> ThrottleConfig {
        ThrottleConfig {
            enabled: true,
            scope: ThrottleScope::AccessKey,
            limits: Category::ALL.map(Category::ecs_limit),
        }
    }

    pub fn limit(&self, category: Category) -> Limit {
        self.limits[category.index()]
    }

    pub fn set_limit(&mut self, category: Category, limit: Limit) {
        self.limits[category.index()] = limit;
    }
}

/// The buckets of every caller. Not synchronized: the server wraps it in a mutex.
#[derive(Debug, Clone)]
pub struct Throttle {
    config: ThrottleConfig,
    buckets: HashMap<String, [Option<TokenBucket>; Category::ALL.len()]>,
}

impl Throttle {
    pub fn new(config: ThrottleConfig) -> Throttle {
        Throttle { config, buckets: HashMap::new() }
    }

    pub fn config(&self) -> &ThrottleConfig {
        &self.config
    }

    /// Takes a token for `operation` (a name such as `RunTask`) called with `access_key_id`, or
    /// refuses with `ThrottlingException` "Rate exceeded" (HTTP 400).
    pub fn check(
        &mut self,
        access_key_id: &str,
        operation: &str,
        now: f64,
    ) -> Result<(), AuthError> {
        if self.try_take(access_key_id, category(operation), now) {
            Ok(())
        } else {
            Err(AuthError::throttling())
        }
    }

    /// Takes a token from `category`'s bucket of `access_key_id`; `true` if there was one.
    pub fn try_take(&mut self, access_key_id: &str, category: Category, now: f64) -> bool {
        if !self.config.enabled {
            return true;
        }
        let key = match self.config.scope {
            ThrottleScope::AccessKey => access_key_id,
            ThrottleScope::Account => "",
        };
        let slots = match self.buckets.get_mut(key) {
            Some(slots) => slots,
            None => self
                .buckets
                .entry(key.to_owned())
                .or_insert_with(|| [const { None }; Category::ALL.len()]),
        };
        let limit = self.config.limit(category);
        slots[category.index()].get_or_insert_with(|| TokenBucket::new(limit, now)).try_take(now)
    }

    /// Applies new settings (after a config reload): buckets keep their tokens, capped at the new
    /// burst; buckets of keys not in `keep` are dropped.
    pub fn reconfigure(&mut self, config: ThrottleConfig, keep: impl Fn(&str) -> bool) {
        if config.scope != self.config.scope {
            self.buckets.clear();
        }
        self.buckets.retain(|key, _| key.is_empty() || keep(key));
        for slots in self.buckets.values_mut() {
            for (category, slot) in Category::ALL.iter().zip(slots.iter_mut()) {
                if let Some(bucket) = slot {
                    bucket.set_limit(config.limit(*category));
                }
            }
        }
        self.config = config;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refills_at_the_sustained_rate_up_to_burst() {
        let mut bucket = TokenBucket::new(Limit { burst: 3.0, sustained: 2.0 }, 100.0);
        assert!(bucket.try_take(100.0));
        assert!(bucket.try_take(100.0));
        assert!(bucket.try_take(100.0));
        assert!(!bucket.try_take(100.0));
        // Half a second refills one token at 2 per second.
        assert!(!bucket.try_take(100.25));
        assert!(bucket.try_take(100.5));
        assert!(!bucket.try_take(100.5));
        // A long pause refills only up to the burst.
        assert!(bucket.try_take(1_000.0));
        assert_eq!(bucket.tokens(), 2.0);
        assert!(bucket.try_take(1_000.0));
        assert!(bucket.try_take(1_000.0));
        assert!(!bucket.try_take(1_000.0));
        // Time running backwards refills nothing and does not move the bucket's clock back.
        assert!(!bucket.try_take(10.0));
        assert!(bucket.try_take(1_000.5));
    }

    #[test]
    fn sustained_rate_over_a_long_run() {
        let mut bucket = TokenBucket::new(Limit { burst: 20.0, sustained: 1.0 }, 0.0);
        // Calls every 10 ms for 100 s: the burst, then one per second.
        let taken = (0..10_000).filter(|i| bucket.try_take(f64::from(*i) / 100.0)).count();
        assert!((119..=120).contains(&taken), "{taken}");
    }

    #[test]
    fn buckets_are_per_key_and_category() {
        let mut config = ThrottleConfig::ecs_defaults();
        config.set_limit(Category::ClusterModify, Limit { burst: 2.0, sustained: 1.0 });
        let mut throttle = Throttle::new(config.clone());
        assert!(throttle.check("A", "CreateCluster", 0.0).is_ok());
        assert!(
            throttle.check("A", "AmazonEC2ContainerServiceV20141113.DeleteCluster", 0.0).is_ok()
        );
        let refused = throttle.check("A", "UpdateCluster", 0.0).unwrap_err();
        assert_eq!(
            (refused.code, refused.status, refused.message.as_str()),
            ("ThrottlingException", 400, "Rate exceeded")
        );
        // Another category and another key have their own buckets.
        assert!(throttle.check("A", "ListClusters", 0.0).is_ok());
        assert!(throttle.check("B", "CreateCluster", 0.0).is_ok());
        assert!(throttle.check("A", "CreateCluster", 1.0).is_ok());

        config.scope = ThrottleScope::Account;
        let mut shared = Throttle::new(config.clone());
        assert!(shared.check("A", "CreateCluster", 0.0).is_ok());
        assert!(shared.check("B", "CreateCluster", 0.0).is_ok());
        assert!(shared.check("C", "CreateCluster", 0.0).is_err());

        config.enabled = false;
        let mut off = Throttle::new(config);
        assert!((0..1_000).all(|_| off.check("A", "CreateCluster", 0.0).is_ok()));
    }

    #[test]
    fn reconfigure_keeps_tokens_within_the_new_burst() {
        let mut config = ThrottleConfig::ecs_defaults();
        let mut throttle = Throttle::new(config.clone());
        assert!(throttle.check("A", "CreateCluster", 0.0).is_ok());
        assert!(throttle.check("gone", "CreateCluster", 0.0).is_ok());
        config.set_limit(Category::ClusterModify, Limit { burst: 1.0, sustained: 0.5 });
        throttle.reconfigure(config, |key| key != "gone");
        assert_eq!(throttle.buckets.len(), 1);
        assert!(throttle.check("A", "CreateCluster", 0.0).is_ok());
        assert!(throttle.check("A", "CreateCluster", 0.0).is_err());
        assert!(throttle.check("A", "CreateCluster", 2.0).is_ok());
    }

    /// Every operation in the ECS model has a category of its own in the table (none falls
    /// through to the default for unknown names).
    #[test]
    fn every_ecs_operation_has_a_category() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../api/src/schema.json")).unwrap();
        let operations = schema["operations"].as_object().unwrap();
        assert_eq!(operations.len(), 77);
        for operation in operations.keys() {
            assert!(ecs_category(operation).is_some(), "{operation} has no category");
            assert_eq!(Some(category(operation)), ecs_category(operation));
        }
        // Spot checks against ECS's table.
        assert_eq!(category("RunTask"), Category::ClusterResourceModify);
        assert_eq!(category("ListServicesByNamespace"), Category::ClusterServiceResourceRead);
        assert_eq!(category("SubmitTaskStateChange"), Category::AgentModify);
        assert_eq!(category("DeleteTaskDefinitions"), Category::TaskDefinitionDelete);
        // Operations outside ECS's model.
        assert_eq!(category("BerthV1.GetContainerLogs"), Category::ClusterResourceRead);
        assert_eq!(category("DescribeTaskUsage"), Category::ClusterResourceRead);
        assert_eq!(category("Frobnicate"), Category::ClusterResourceModify);
        assert_eq!(category(""), Category::ClusterResourceModify);
    }

    #[test]
    fn category_names_round_trip() {
        for category in Category::ALL {
            assert_eq!(Category::from_name(category.name()), Some(category));
            assert_eq!(Category::ALL[category.index()], category);
        }
        assert_eq!(Category::from_name("nope"), None);
    }
}
