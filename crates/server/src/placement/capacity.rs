//! Launch types and capacity provider strategies: which capacity a call's tasks go to, and how
//! a strategy's `base` and `weight` divide them, as ECS divides them.
//!
//! Berth has two built-in capacity providers, `FARGATE` and `FARGATE_SPOT`: the hosts of the
//! Fargate pool (agents started with `--fargate`, `--fargate-spot` for Spot), which serve every
//! cluster and belong to none. A task on them is filed in its own cluster but placed on the
//! pool, whose instances live in the hidden cluster [`FARGATE_POOL`].

use api::{
    ApiError, CapacityProvider, CapacityProviderStatus, CapacityProviderStrategyItem, LaunchType,
};

use crate::Ctx;

/// The hidden cluster the Fargate pool's hosts register in. Its name is not a valid cluster
/// name (`~`), so no user cluster can take it, and no operation of the API reaches it.
pub const FARGATE_POOL: &str = "~fargate";
pub(crate) const FARGATE: &str = "FARGATE";
pub(crate) const FARGATE_SPOT: &str = "FARGATE_SPOT";
/// The attribute a pool host carries: the capacity provider it serves.
pub const PROVIDER_ATTRIBUTE: &str = "berth.capacity-provider";
/// The Fargate platform version Berth runs (`LATEST`).
pub(crate) const PLATFORM_VERSION: &str = "1.4.0";
/// The platform versions a call may name.
const PLATFORM_VERSIONS: [&str; 3] = ["LATEST", "1.4.0", "1.3.0"];
/// The most capacity providers a strategy may name.
const MAX_STRATEGY_ITEMS: usize = 20;

/// Where a call's tasks go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Capacity {
    /// The cluster's own container instances, with this launch type (EC2 or EXTERNAL).
    Instances(LaunchType),
    /// The Fargate pool, through `launchType: FARGATE` (the `FARGATE` provider).
    Fargate,
    /// A capacity provider strategy: the providers, each with its base and weight.
    Strategy(Vec<Item>),
}

/// One capacity provider of a strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) provider: String,
    pub(crate) base: u32,
    pub(crate) weight: u32,
}

impl Capacity {
    /// Whether the tasks run on Fargate.
    pub(crate) fn is_fargate(&self) -> bool {
        match self {
            Capacity::Instances(_) => false,
            Capacity::Fargate => true,
            Capacity::Strategy(items) => {
                items.iter().any(|i| i.provider == FARGATE || i.provider == FARGATE_SPOT)
            }
        }
    }

    /// The launch type its tasks show.
    pub(crate) fn launch_type(&self) -> Option<LaunchType> {
        Some(match self {
            Capacity::Instances(launch_type) => *launch_type,
            other if other.is_fargate() => LaunchType::Fargate,
            _ => LaunchType::Ec2,
        })
    }

    /// The strategy's items, or the one provider a launch type means.
    pub(crate) fn items(&self) -> Vec<Item> {
        match self {
            Capacity::Instances(_) => Vec::new(),
            Capacity::Fargate => vec![Item { provider: FARGATE.to_owned(), base: 0, weight: 1 }],
            Capacity::Strategy(items) => items.clone(),
        }
    }
}

/// What a call asked, and the cluster's providers and default strategy, made into where its
/// tasks go, with ECS's rules: a launch type and a strategy exclude each other; neither means
/// the cluster's default strategy, or EC2 without one.
pub(crate) fn resolve(
    launch_type: Option<LaunchType>,
    strategy: Option<&[CapacityProviderStrategyItem]>,
    cluster_providers: &[String],
    cluster_default: &[CapacityProviderStrategyItem],
) -> Result<Capacity, ApiError> {
    let strategy = strategy.filter(|s| !s.is_empty());
    match (launch_type, strategy) {
        (Some(_), Some(_)) => Err(ApiError::invalid_parameter(
            "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
        )),
        (Some(LaunchType::Fargate), None) => Ok(Capacity::Fargate),
        (Some(LaunchType::ManagedInstances), None) => Err(ApiError::invalid_parameter(
            "Berth has no managed instances: use the EC2, EXTERNAL or FARGATE launch type.",
        )),
        (Some(other), None) => Ok(Capacity::Instances(other)),
        (None, Some(items)) => strategy_of(items, cluster_providers, false),
        (None, None) if !cluster_default.is_empty() => {
            strategy_of(cluster_default, cluster_providers, true)
        }
        (None, None) => Ok(Capacity::Instances(LaunchType::Ec2)),
    }
}

/// What a call's capacity depends on in its cluster's record: the ACTIVE cluster's name, its
/// providers and its default strategy (read alone, not the whole record).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClusterCapacity {
    pub(crate) cluster_name: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) capacity_providers: Option<Vec<String>>,
    pub(crate) default_capacity_provider_strategy: Option<Vec<CapacityProviderStrategyItem>>,
}

impl ClusterCapacity {
    /// [`resolve`] against this cluster's providers and default strategy.
    pub(crate) fn resolve(
        &self,
        launch_type: Option<LaunchType>,
        strategy: Option<&[CapacityProviderStrategyItem]>,
    ) -> Result<Capacity, ApiError> {
        resolve(
            launch_type,
            strategy,
            self.capacity_providers.as_deref().unwrap_or_default(),
            self.default_capacity_provider_strategy.as_deref().unwrap_or_default(),
        )
    }
}

/// Checks a strategy as ECS does and reads it.
pub(crate) fn strategy_of(
    items: &[CapacityProviderStrategyItem],
    cluster_providers: &[String],
    default: bool,
) -> Result<Capacity, ApiError> {
    check_strategy(items)?;
    for item in items {
        if !cluster_providers.contains(&item.capacity_provider) {
            let which = if default { "default " } else { "" };
            return Err(ApiError::invalid_parameter(format!(
                "The specified {which}capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again. ({} is not associated.)",
                item.capacity_provider
            )));
        }
    }
    Ok(Capacity::Strategy(items_of(items)))
}

/// A strategy's items as given (a missing or negative `base` or `weight` is 0).
pub(crate) fn items_of(items: &[CapacityProviderStrategyItem]) -> Vec<Item> {
    items
        .iter()
        .map(|i| Item {
            provider: i.capacity_provider.clone(),
            base: i.base.unwrap_or(0).max(0) as u32,
            weight: i.weight.unwrap_or(0).max(0) as u32,
        })
        .collect()
}

/// The rules of a strategy's shape: at most 20 providers, none twice, `base` 0-100,000 on at
/// most one of them, `weight` 0-1,000 and not all zero, Fargate's providers not mixed with
/// others.
pub(crate) fn check_strategy(items: &[CapacityProviderStrategyItem]) -> Result<(), ApiError> {
    if items.len() > MAX_STRATEGY_ITEMS {
        return Err(ApiError::invalid_parameter(format!(
            "A capacity provider strategy can contain at most {MAX_STRATEGY_ITEMS} capacity providers; got {}.",
            items.len()
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for item in items {
        if !seen.insert(item.capacity_provider.as_str()) {
            return Err(ApiError::invalid_parameter(format!(
                "The capacity provider strategy contains {} more than once.",
                item.capacity_provider
            )));
        }
        if item.base.is_some_and(|b| !(0..=100_000).contains(&b)) {
            return Err(ApiError::invalid_parameter(
                "The base value of a capacity provider must be between 0 and 100000.",
            ));
        }
        if item.weight.is_some_and(|w| !(0..=1000).contains(&w)) {
            return Err(ApiError::invalid_parameter(
                "The weight value of a capacity provider must be between 0 and 1000.",
            ));
        }
    }
    if items.iter().filter(|i| i.base.is_some_and(|b| b > 0)).count() > 1 {
        return Err(ApiError::invalid_parameter(
            "Only one capacity provider in a capacity provider strategy can have a base defined.",
        ));
    }
    if !items.is_empty() && items.iter().all(|i| i.weight.unwrap_or(0) == 0) {
        return Err(ApiError::invalid_parameter(
            "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.",
        ));
    }
    let fargate = |i: &&CapacityProviderStrategyItem| {
        matches!(i.capacity_provider.as_str(), FARGATE | FARGATE_SPOT)
    };
    if items.iter().any(|i| fargate(&i)) && !items.iter().all(|i| fargate(&i)) {
        return Err(ApiError::invalid_parameter(
            "A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.",
        ));
    }
    Ok(())
}

/// Fargate places its tasks itself: a Fargate launch names no placement constraints (of its
/// definition or its call) and no placement strategies.
pub(crate) fn check_fargate_placement(
    constraints: usize,
    strategies: usize,
) -> Result<(), ApiError> {
    if constraints > 0 {
        return Err(ApiError::invalid_parameter(
            "Task placement constraints are not supported on Fargate: the task definition and the call must name none.",
        ));
    }
    if strategies > 0 {
        return Err(ApiError::invalid_parameter(
            "Task placement strategies are not supported on Fargate.",
        ));
    }
    Ok(())
}

/// A platform version a Fargate call names, resolved (`LATEST` and none are Berth's).
pub(crate) fn platform_version(asked: Option<&str>) -> Result<String, ApiError> {
    match asked {
        None => Ok(PLATFORM_VERSION.to_owned()),
        Some(v) if PLATFORM_VERSIONS.contains(&v) => {
            Ok(if v == "LATEST" { PLATFORM_VERSION } else { v }.to_owned())
        }
        Some(v) => Err(ApiError::new(
            api::ErrorCode::PlatformUnknownException,
            format!("The specified platform version {v} does not exist."),
        )),
    }
}

/// How `count` new tasks divide among a strategy's providers, given how many each already has
/// (a service's tasks; nothing for RunTask), as ECS divides them: first the provider with a
/// `base` gets tasks up to it, then each task goes to the provider furthest below its share by
/// weight of the tasks beyond the bases. The result has the items' order and leaves out
/// providers that get none.
pub(crate) fn divide(items: &[Item], existing: &[u32], count: u32) -> Vec<(String, u32)> {
    let mut have: Vec<u64> = items
        .iter()
        .enumerate()
        .map(|(i, _)| u64::from(existing.get(i).copied().unwrap_or(0)))
        .collect();
    let mut added = vec![0u32; items.len()];
    for _ in 0..count {
        let below_base = items.iter().enumerate().find(|(i, it)| have[*i] < u64::from(it.base));
        let pick = match below_base {
            Some((i, _)) => Some(i),
            None => items
                .iter()
                .enumerate()
                .filter(|(_, it)| it.weight > 0)
                // The one whose tasks beyond its base, plus this one, are the smallest share of
                // its weight: compare (n + 1) / w across providers without division.
                .min_by(|(a, x), (b, y)| {
                    let beyond = |i: usize, it: &Item| have[i].saturating_sub(u64::from(it.base));
                    let left = (beyond(*a, x) + 1) * u64::from(y.weight);
                    let right = (beyond(*b, y) + 1) * u64::from(x.weight);
                    left.cmp(&right).then(a.cmp(b))
                })
                .map(|(i, _)| i),
        };
        let Some(i) = pick else { break };
        have[i] += 1;
        added[i] += 1;
    }
    items
        .iter()
        .zip(added)
        .filter(|(_, n)| *n > 0)
        .map(|(item, n)| (item.provider.clone(), n))
        .collect()
}

/// A provider's ARN.
pub(crate) fn arn(ctx: &Ctx, name: &str) -> String {
    let config = ctx.config();
    format!("arn:aws:ecs:{}:{}:capacity-provider/{name}", config.region, config.account_id)
}

/// The name a reference (a name or an ARN of this account and region) gives.
pub(crate) fn name_of<'a>(ctx: &Ctx, reference: &'a str) -> Option<&'a str> {
    match reference.strip_prefix("arn:") {
        None => Some(reference),
        Some(_) => {
            let (_, name) = reference.rsplit_once(":capacity-provider/")?;
            (reference == arn(ctx, name)).then_some(name)
        }
    }
}

pub(crate) fn built_in(ctx: &Ctx, name: &str) -> CapacityProvider {
    CapacityProvider {
        capacity_provider_arn: Some(arn(ctx, name)),
        name: Some(name.to_owned()),
        status: Some(CapacityProviderStatus::Active),
        tags: Some(Vec::new()),
        ..Default::default()
    }
}

/// An ACTIVE provider by name: a built-in one, or a custom one the store holds.
pub(crate) async fn find(ctx: &Ctx, name: &str) -> Result<Option<CapacityProvider>, ApiError> {
    if name == FARGATE || name == FARGATE_SPOT {
        return Ok(Some(built_in(ctx, name)));
    }
    Ok(crate::records::get::<CapacityProvider>(
        ctx.store(),
        &crate::records::keys::capacity_provider(name),
    )
    .await?
    .map(|v| v.value)
    .filter(|p| p.status == Some(CapacityProviderStatus::Active)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(provider: &str, base: u32, weight: u32) -> Item {
        Item { provider: provider.to_owned(), base, weight }
    }

    fn wire(
        provider: &str,
        base: Option<i32>,
        weight: Option<i32>,
    ) -> CapacityProviderStrategyItem {
        CapacityProviderStrategyItem { capacity_provider: provider.to_owned(), base, weight }
    }

    #[test]
    fn base_first_then_by_weight() {
        let items = [item(FARGATE, 1, 1), item(FARGATE_SPOT, 0, 3)];
        // The documented example: base 1 on FARGATE, then one FARGATE for three FARGATE_SPOT.
        assert_eq!(divide(&items, &[], 9), [(FARGATE.to_owned(), 3), (FARGATE_SPOT.to_owned(), 6)]);
        assert_eq!(divide(&items, &[], 1), [(FARGATE.to_owned(), 1)]);
        // A service that already has its base and three Spot tasks gets one FARGATE next.
        assert_eq!(divide(&items, &[1, 3], 1), [(FARGATE.to_owned(), 1)]);
        // Equal weights split evenly; a zero weight gets only its base.
        let even = [item("a", 0, 1), item("b", 0, 1)];
        assert_eq!(divide(&even, &[], 4), [("a".to_owned(), 2), ("b".to_owned(), 2)]);
        let zero = [item("a", 2, 0), item("b", 0, 1)];
        assert_eq!(divide(&zero, &[], 5), [("a".to_owned(), 2), ("b".to_owned(), 3)]);
    }

    #[test]
    fn launch_type_and_strategy_resolve_as_in_ecs() {
        let fargate = [FARGATE.to_owned(), FARGATE_SPOT.to_owned()];
        let spot = [wire(FARGATE_SPOT, None, Some(1))];
        assert!(resolve(Some(LaunchType::Fargate), Some(&spot), &fargate, &[]).is_err());
        assert_eq!(resolve(Some(LaunchType::Fargate), None, &[], &[]).unwrap(), Capacity::Fargate);
        assert_eq!(resolve(None, None, &[], &[]).unwrap(), Capacity::Instances(LaunchType::Ec2));
        assert_eq!(
            resolve(None, None, &fargate, &spot).unwrap(),
            Capacity::Strategy(vec![item(FARGATE_SPOT, 0, 1)])
        );
        // Not associated with the cluster.
        assert!(resolve(None, Some(&spot), &[], &[]).is_err());
        // Two bases, all-zero weights, a provider twice, mixed kinds.
        for bad in [
            vec![wire(FARGATE, Some(1), Some(1)), wire(FARGATE_SPOT, Some(1), Some(1))],
            vec![wire(FARGATE, None, Some(0))],
            vec![wire(FARGATE, None, Some(1)), wire(FARGATE, None, Some(2))],
            vec![wire(FARGATE, None, Some(1)), wire("mine", None, Some(1))],
            vec![wire(FARGATE, Some(100_001), Some(1))],
            vec![wire(FARGATE, None, Some(1001))],
        ] {
            assert!(check_strategy(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn platform_versions() {
        assert_eq!(platform_version(None).unwrap(), PLATFORM_VERSION);
        assert_eq!(platform_version(Some("LATEST")).unwrap(), PLATFORM_VERSION);
        assert_eq!(platform_version(Some("1.3.0")).unwrap(), "1.3.0");
        assert!(platform_version(Some("9.9.9")).is_err());
    }
}
