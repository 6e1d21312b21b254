//! The VPC tasks in the `awsvpc` network mode live in: one VPC, its subnets (one per
//! availability zone, from `[vpc]` or made when an agent first reports a zone), its security
//! groups, and the addresses tasks hold ([`Ipam`]).
//!
//! Ids are EC2's forms. The VPC's, the subnets' and the default security group's are derived
//! from what defines them (the VPC's network, a subnet's zone and network), so they stay the
//! same across restarts and on every control plane that shares the configuration; a security
//! group a user creates gets a random one.

mod asked;
mod ipam;
mod rules;

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use store::{Compare, Op, Txn};

use crate::Ctx;
use crate::error::Error;
use crate::records::{self, encode, keys};

pub(crate) use asked::{AskedNetwork, attachment, check, interface};
pub(crate) use ipam::{Holder, Host, Ipam};
pub(crate) use rules::{Protocol, Rule, Source};

/// The groups the rules of `network`'s groups name as peers: whose members an agent must be
/// told of.
pub(crate) fn referenced_groups<'a>(
    network: &crate::records::TaskNetwork,
    groups: &'a [SecurityGroupRecord],
) -> impl Iterator<Item = &'a str> {
    let own = network.security_groups.clone();
    groups.iter().filter(move |g| own.contains(&g.id)).flat_map(|g| &g.rules).filter_map(|r| {
        match &r.source {
            Source::Group(id) => Some(id.as_str()),
            Source::Cidr(_) => None,
        }
    })
}

/// What an agent is told of a task's interface: its address and what its security groups
/// allow, rules naming a group resolved to the addresses of the group's members.
pub(crate) fn agent_spec(
    network: &crate::records::TaskNetwork,
    groups: &[SecurityGroupRecord],
    members: &std::collections::HashMap<String, Vec<Ipv4Addr>>,
) -> api::agent::TaskNetworkSpec {
    let mut ingress = Vec::new();
    let mut egress = Vec::new();
    let rules =
        groups.iter().filter(|g| network.security_groups.contains(&g.id)).flat_map(|g| &g.rules);
    for rule in rules {
        let peers: Vec<String> = match &rule.source {
            Source::Cidr(net) => vec![net.to_string()],
            Source::Group(id) => members
                .get(id)
                .into_iter()
                .flatten()
                .map(|address| format!("{address}/32"))
                .collect(),
        };
        let ports = match rule.protocol {
            Protocol::Tcp | Protocol::Udp => Some((
                u16::try_from(rule.from_port).unwrap_or(0),
                u16::try_from(rule.to_port).unwrap_or(u16::MAX),
            )),
            _ => None,
        };
        let protocol = match rule.protocol {
            Protocol::All => "all",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
        };
        for peer in peers {
            let allowed = api::agent::FirewallRule { protocol: protocol.to_owned(), ports, peer };
            let list = if rule.egress { &mut egress } else { &mut ingress };
            if !list.contains(&allowed) {
                list.push(allowed);
            }
        }
    }
    api::agent::TaskNetworkSpec {
        address: network.address,
        prefix_length: network.subnet.prefix_len(),
        gateway: Ipv4Addr::from_bits(network.subnet.network().to_bits() + 1),
        mac_address: network.mac_address.clone(),
        interface_id: network.interface_id.clone(),
        ingress,
        egress,
    }
}

/// What the control plane keeps of the VPC: the allocator, and which zones already have their
/// subnet (so that registering an instance checks the store once per zone and process).
pub(crate) struct Vpc {
    pub(crate) ipam: std::sync::Arc<Ipam>,
    /// Whether the defaults were made sure of.
    defaults: std::sync::atomic::AtomicBool,
    /// The zones whose subnet was made sure of.
    zones: parking_lot::Mutex<std::collections::HashSet<String>>,
}

impl Vpc {
    pub(crate) fn new(config: &crate::config::Vpc) -> Vpc {
        Vpc {
            ipam: Ipam::new(config.block_prefix),
            defaults: Default::default(),
            zones: Default::default(),
        }
    }

    /// The allocator, as an observer of the index.
    pub(crate) fn observer(&self) -> std::sync::Arc<dyn crate::state::Observer> {
        self.ipam.clone()
    }
}

/// The name of every VPC's default security group, as in EC2.
pub(crate) const DEFAULT_GROUP: &str = "default";

/// A subnet as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SubnetRecord {
    pub(crate) id: String,
    pub(crate) zone: String,
    pub(crate) cidr: Ipv4Net,
}

impl SubnetRecord {
    /// The addresses tasks may hold: all but the first four and the last, which AWS reserves
    /// (network, router, DNS, future use; broadcast).
    pub(crate) fn usable(&self) -> std::ops::Range<u32> {
        let first = self.cidr.network().to_bits();
        let last = self.cidr.broadcast().to_bits();
        first + 4..last
    }
}

/// A security group as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SecurityGroupRecord {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) vpc_id: String,
    #[serde(default)]
    pub(crate) rules: Vec<Rule>,
    #[serde(default)]
    pub(crate) tags: Vec<(String, String)>,
}

/// `<prefix>-` and 17 hex digits of a digest of `seed`: an id that is the same wherever it is
/// derived from the same thing.
fn derived_id(prefix: &str, seed: &str) -> String {
    let digest = sha2::Sha256::digest(seed.as_bytes());
    format!("{prefix}-{}", &hex::encode(digest)[..17])
}

/// `<prefix>-` and 17 random hex digits.
pub(crate) fn random_id(prefix: &str) -> String {
    format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..17])
}

/// The VPC's id.
pub(crate) fn vpc_id(ctx: &Ctx) -> String {
    derived_id("vpc", &format!("vpc {}", ctx.config().vpc.cidr))
}

/// The id of the VPC's default security group.
pub(crate) fn default_group_id(ctx: &Ctx) -> String {
    derived_id("sg", &format!("default {}", vpc_id(ctx)))
}

fn subnet_id(zone: &str, cidr: &Ipv4Net) -> String {
    derived_id("subnet", &format!("subnet {zone} {cidr}"))
}

/// Every subnet, by id.
pub(crate) async fn subnets(ctx: &Ctx) -> Result<Vec<SubnetRecord>, Error> {
    Ok(records::list::<SubnetRecord>(ctx.store(), keys::SUBNETS)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

/// Every security group, by id.
pub(crate) async fn security_groups(ctx: &Ctx) -> Result<Vec<SecurityGroupRecord>, Error> {
    Ok(records::list::<SecurityGroupRecord>(ctx.store(), keys::SECURITY_GROUPS)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

/// Writes `value` at `key` unless something is there already.
async fn create<T: Serialize>(ctx: &Ctx, key: &str, value: &T) -> Result<bool, Error> {
    let txn = Txn::new().when(Compare::absent(key)).then(Op::put(key, encode(value)));
    Ok(ctx.store().txn(txn).await?.succeeded)
}

/// The default security group and the configured subnets, written if missing, and a subnet for
/// each zone the container instances report: what every use of the VPC first makes sure of.
/// Checks the store once per process.
pub(crate) async fn ensure(ctx: &Ctx) -> Result<(), Error> {
    use std::sync::atomic::Ordering;
    if ctx.inner.vpc.defaults.load(Ordering::Acquire) {
        return Ok(());
    }
    let zones: std::collections::BTreeSet<String> = {
        let index = ctx.state().read();
        index
            .clusters
            .values()
            .flat_map(|c| c.instances.values())
            .filter_map(|e| zone_of(&e.record))
            .collect()
    };
    ensure_defaults(ctx, &zones.into_iter().collect::<Vec<_>>()).await?;
    ctx.inner.vpc.defaults.store(true, Ordering::Release);
    Ok(())
}

/// The `ecs.availability-zone` attribute of a container instance.
pub(crate) fn zone_of(instance: &crate::records::InstanceRecord) -> Option<String> {
    instance
        .instance
        .attributes
        .iter()
        .flatten()
        .find(|a| a.name == "ecs.availability-zone")
        .and_then(|a| a.value.clone())
}

/// Makes sure a registered instance's zone has a subnet.
pub(crate) async fn zone_seen(ctx: &Ctx, zone: &str) -> Result<(), Error> {
    if ctx.inner.vpc.zones.lock().contains(zone) {
        return Ok(());
    }
    ensure(ctx).await?;
    ensure_zone(ctx, zone).await?;
    ctx.inner.vpc.zones.lock().insert(zone.to_owned());
    Ok(())
}

async fn ensure_defaults(ctx: &Ctx, zones: &[String]) -> Result<(), Error> {
    let group = SecurityGroupRecord {
        id: default_group_id(ctx),
        name: DEFAULT_GROUP.to_owned(),
        description: "default VPC security group".to_owned(),
        vpc_id: vpc_id(ctx),
        // EC2's default group: every protocol from members of the group, everything out.
        rules: vec![
            Rule::all_from(Source::Group(default_group_id(ctx)), false),
            Rule::all_from(Source::Cidr("0.0.0.0/0".parse().expect("a network")), true),
        ],
        tags: Vec::new(),
    };
    create(ctx, &keys::security_group(&group.id), &group).await?;
    for (zone, _) in &ctx.config().vpc.subnets {
        ensure_zone(ctx, zone).await?;
    }
    for zone in zones {
        ensure_zone(ctx, zone).await?;
    }
    Ok(())
}

/// The subnet of `zone`, made if it has none: the configured one, else the first free
/// network of `[vpc] subnet-prefix` in the VPC. `None` when the VPC has no room left.
pub(crate) async fn ensure_zone(ctx: &Ctx, zone: &str) -> Result<Option<SubnetRecord>, Error> {
    let _serialized = ctx.key_locks().lock(keys::SUBNETS).await;
    for _ in 0..records::CAS_ATTEMPTS {
        let existing = subnets(ctx).await?;
        if let Some(subnet) = existing.iter().find(|s| s.zone == zone) {
            return Ok(Some(subnet.clone()));
        }
        let config = &ctx.config().vpc;
        let configured = config.subnets.iter().find(|(z, _)| z == zone).map(|(_, net)| *net);
        let taken = |net: &Ipv4Net| {
            existing.iter().any(|s| s.cidr.contains(net) || net.contains(&s.cidr))
                || config
                    .subnets
                    .iter()
                    .any(|(z, other)| z != zone && (other.contains(net) || net.contains(other)))
        };
        let cidr = match configured {
            Some(net) => net,
            None => {
                let Ok(mut candidates) = config.cidr.subnets(config.subnet_prefix) else {
                    return Ok(None);
                };
                match candidates.find(|net| !taken(net)) {
                    Some(net) => net,
                    None => {
                        tracing::warn!(zone, vpc = %config.cidr, "The VPC has no room for another zone's subnet");
                        return Ok(None);
                    }
                }
            }
        };
        let subnet = SubnetRecord { id: subnet_id(zone, &cidr), zone: zone.to_owned(), cidr };
        if create(ctx, &keys::subnet(&subnet.id), &subnet).await? {
            tracing::info!(zone, subnet = %subnet.id, cidr = %cidr, "Subnet made for a new zone");
            return Ok(Some(subnet));
        }
    }
    Err(Error::Contention { key: keys::SUBNETS.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_addresses_leave_out_what_aws_reserves() {
        let subnet = SubnetRecord {
            id: "subnet-1".into(),
            zone: "a".into(),
            cidr: "10.0.1.0/24".parse().unwrap(),
        };
        let usable = subnet.usable();
        assert_eq!(Ipv4Addr::from_bits(usable.start), Ipv4Addr::new(10, 0, 1, 4));
        assert_eq!(Ipv4Addr::from_bits(usable.end - 1), Ipv4Addr::new(10, 0, 1, 254));
    }

    #[test]
    fn derived_ids_have_ec2_forms_and_are_stable() {
        let cidr: Ipv4Net = "172.31.0.0/20".parse().unwrap();
        let id = subnet_id("us-east-1a", &cidr);
        assert_eq!(id, subnet_id("us-east-1a", &cidr));
        assert_ne!(id, subnet_id("us-east-1b", &cidr));
        assert!(id.starts_with("subnet-") && id.len() == "subnet-".len() + 17, "{id}");
        let random = random_id("sg");
        assert!(random.starts_with("sg-") && random.len() == 20, "{random}");
    }
}
