//! Which addresses of which subnet tasks hold, and which host holds each block of addresses.
//!
//! The holders are the tasks of the index that have a network interface and are not STOPPED:
//! an address is free again only once its task is STOPPED (its agent has torn the interface
//! down by then). The allocator follows the index as an observer, so what it knows moves in
//! step with the index; an address it hands out is held at once, before the placement that
//! asked for it is committed, and given back if that placement is not.
//!
//! Subnets are cut into blocks of `[vpc] block-prefix`. A host's tasks take their addresses
//! from the blocks the host already uses, and a block is the host's while any of its tasks
//! holds an address in it: each host routes its own blocks, and every other host needs one
//! route per block rather than one per task.
//!
//! One control plane allocates; several processes placing tasks at once (a replicated
//! control plane) would need the addresses guarded in the store too.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;
use std::sync::Arc;

use ipnet::Ipv4Net;
use parking_lot::Mutex;

use crate::records::{InstanceId, TaskNetwork, TaskState};
use crate::state::{Change, ClusterIndex, Index, IndexedTask, Observer};

/// A task that holds an address: its cluster and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Holder {
    pub(crate) cluster: String,
    pub(crate) task: String,
}

/// A host, as blocks are owned: a container instance's cluster and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Host {
    pub(crate) cluster: String,
    pub(crate) instance: String,
}

/// The address a task holds and the security groups of its interface.
#[derive(Debug, Clone)]
pub(crate) struct TaskAddress {
    pub(crate) address: Ipv4Addr,
    pub(crate) groups: Vec<String>,
    host: Host,
}

#[derive(Debug, Default)]
struct Block {
    host: Option<Host>,
    used: u32,
}

#[derive(Debug, Default)]
struct SubnetUse {
    /// Held addresses.
    held: HashMap<u32, Holder>,
    /// Blocks in use, by their first address.
    blocks: BTreeMap<u32, Block>,
}

#[derive(Debug)]
struct Inner {
    /// Whether what is here must be rebuilt from the index before use (at start, and after
    /// the index was loaded again).
    stale: bool,
    subnets: HashMap<String, SubnetUse>,
    /// Every task holding an address, with the address.
    tasks: HashMap<Holder, (String, TaskAddress)>,
    /// Moves on every change; what is derived from the holders (routes, group members) is
    /// current while it has not moved.
    version: u64,
    /// Moves when a block is taken by a host or freed: the routes between hosts change.
    routes_version: u64,
    /// The addresses of the tasks in each security group.
    members: HashMap<String, std::collections::BTreeSet<Ipv4Addr>>,
}

/// The address allocator of the VPC's subnets.
pub(crate) struct Ipam {
    inner: Mutex<Inner>,
    block_prefix: u8,
    /// Moves whenever what agents are told of their tasks' network may have changed: an
    /// address held or given back, a block taken or freed, a security group changed.
    changes: tokio::sync::watch::Sender<u64>,
    /// What agents following the network read, made once per version of the holders.
    views: Mutex<Option<(u64, Arc<NetworkView>)>>,
}

/// The blocks in use, at one version of them.
#[derive(Debug, Default)]
pub(crate) struct NetworkView {
    /// The blocks in use, each with its host and the route to it (through the host's address;
    /// blocks of hosts with no known address are left out).
    pub(crate) routes: Vec<(Host, api::agent::Route)>,
    /// The version of `routes`: the same routes for the same version.
    pub(crate) routes_version: u64,
}

impl Ipam {
    pub(crate) fn new(block_prefix: u8) -> Arc<Ipam> {
        Arc::new(Ipam {
            inner: Mutex::new(Inner {
                stale: true,
                subnets: HashMap::new(),
                tasks: HashMap::new(),
                version: 0,
                routes_version: 0,
                members: HashMap::new(),
            }),
            block_prefix,
            changes: tokio::sync::watch::channel(0).0,
            views: Mutex::new(None),
        })
    }

    /// A receiver that changes whenever the network agents follow may have.
    pub(crate) fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Says that a host's address may have changed (a registration): routes are made again.
    pub(crate) fn hosts_changed(&self) {
        self.inner.lock().routes_version += 1;
        self.bump();
    }

    /// Says that the network agents follow changed for another reason (a security group).
    pub(crate) fn bump(&self) {
        self.changes.send_modify(|v| *v += 1);
    }

    /// Tells the followers if `inner` changed since it read `before`.
    fn announce(&self, before: u64, inner: &Inner) {
        if inner.version != before {
            self.bump();
        }
    }

    /// The blocks in use now, made once per change of them however many agents ask.
    pub(crate) fn view(&self, index: &Index) -> Arc<NetworkView> {
        let mut inner = self.inner.lock();
        let before = inner.version;
        inner.rebuild_if_stale(index, self.block_prefix);
        self.announce(before, &inner);
        let mut views = self.views.lock();
        if let Some((version, view)) = views.as_ref()
            && *version == inner.routes_version
        {
            return view.clone();
        }
        let routes = inner
            .routes(self.block_prefix)
            .into_iter()
            .filter_map(|(block, host)| {
                let instance =
                    index.cluster(&host.cluster)?.instances.get(host.instance.as_str())?;
                let via = instance
                    .record
                    .instance
                    .attributes
                    .iter()
                    .flatten()
                    .find(|a| a.name == api::agent::HOST_ADDRESS_ATTRIBUTE)?
                    .value
                    .clone()?;
                Some((host, api::agent::Route { destination: block.to_string(), via }))
            })
            .collect();
        let view = Arc::new(NetworkView { routes, routes_version: inner.routes_version });
        *views = Some((inner.routes_version, view.clone()));
        view
    }

    /// The addresses of the tasks in each of `groups` (only those with members).
    pub(crate) fn members_of<'a>(
        &self,
        index: &Index,
        groups: impl IntoIterator<Item = &'a str>,
    ) -> HashMap<String, Vec<Ipv4Addr>> {
        let mut inner = self.inner.lock();
        let before = inner.version;
        inner.rebuild_if_stale(index, self.block_prefix);
        self.announce(before, &inner);
        groups
            .into_iter()
            .filter_map(|g| Some((g.to_owned(), inner.members.get(g)?.iter().copied().collect())))
            .collect()
    }

    /// Hands `holder`, a task placed on `host`, a free address of `subnet` (first address
    /// `usable.start`, up to `usable.end`), from the host's blocks if it has room, else from a
    /// free block. `index` is the index the placement reads (its read guard held).
    pub(crate) fn allocate(
        &self,
        index: &Index,
        subnet_id: &str,
        subnet: Ipv4Net,
        host: Host,
        holder: Holder,
        groups: Vec<String>,
    ) -> Option<(Ipv4Addr, Ipv4Net)> {
        let mut inner = self.inner.lock();
        inner.rebuild_if_stale(index, self.block_prefix);
        let block_size = inner.block_size(self.block_prefix);
        let first = subnet.network().to_bits();
        let usable = first + 4..subnet.broadcast().to_bits();
        let used = inner.subnets.entry(subnet_id.to_owned()).or_default();
        let free_in = |used: &SubnetUse, base: u32| {
            (base.max(usable.start)..(base + block_size).min(usable.end))
                .find(|address| !used.held.contains_key(address))
        };
        let mine = used
            .blocks
            .iter()
            .filter(|(_, block)| block.host.as_ref() == Some(&host))
            .find_map(|(&base, _)| free_in(used, base));
        let address = match mine {
            Some(address) => address,
            None => {
                let mut base = first;
                loop {
                    if base >= usable.end {
                        return None;
                    }
                    let taken = used.blocks.get(&base).is_some_and(|b| b.used > 0);
                    if !taken && let Some(address) = free_in(used, base) {
                        break address;
                    }
                    base += block_size;
                }
            }
        };
        let block_base = first + (address - first) / block_size * block_size;
        let block = Ipv4Net::new(Ipv4Addr::from_bits(block_base), 32 - block_size.ilog2() as u8)
            .expect("a block prefix is at most 32");
        let taken = TaskAddress { address: Ipv4Addr::from_bits(address), groups, host };
        inner.hold(subnet_id, holder, taken, block_size);
        self.bump();
        Some((Ipv4Addr::from_bits(address), block))
    }

    /// Gives back an address [`Ipam::allocate`] handed out for a placement that was not
    /// committed.
    pub(crate) fn release(&self, holder: &Holder) {
        let mut inner = self.inner.lock();
        let block_size = inner.block_size(self.block_prefix);
        let before = inner.version;
        inner.unhold(holder, block_size);
        self.announce(before, &inner);
    }

    /// Whether a task not STOPPED has an interface in `group`.
    pub(crate) fn group_in_use(&self, index: &Index, group: &str) -> bool {
        let mut inner = self.inner.lock();
        inner.rebuild_if_stale(index, self.block_prefix);
        inner.members.contains_key(group)
    }

    /// How many addresses of `subnet_id` are held.
    pub(crate) fn held(&self, index: &Index, subnet_id: &str) -> usize {
        let mut inner = self.inner.lock();
        inner.rebuild_if_stale(index, self.block_prefix);
        inner.subnets.get(subnet_id).map_or(0, |used| used.held.len())
    }
}

/// What an indexed task holds, if it holds an address.
fn holding(task: &IndexedTask) -> Option<(&TaskNetwork, Holder, Host)> {
    let network = task.network.as_deref()?;
    if task.is_stopped() {
        return None;
    }
    let holder = Holder { cluster: task.cluster.to_string(), task: task.id.to_string() };
    let host = Host {
        cluster: task.host_cluster().to_owned(),
        instance: task.instance_id.as_ref().map(InstanceId::to_string).unwrap_or_default(),
    };
    Some((network, holder, host))
}

impl Inner {
    fn block_size(&self, block_prefix: u8) -> u32 {
        1u32 << (32 - u32::from(block_prefix))
    }

    fn routes(&self, block_prefix: u8) -> Vec<(Ipv4Net, Host)> {
        let block_size = self.block_size(block_prefix);
        let prefix = 32 - block_size.ilog2() as u8;
        self.subnets
            .values()
            .flat_map(|used| used.blocks.iter())
            .filter(|(_, block)| block.used > 0)
            .filter_map(|(&base, block)| {
                Some((Ipv4Net::new(Ipv4Addr::from_bits(base), prefix).ok()?, block.host.clone()?))
            })
            .collect()
    }

    fn hold(&mut self, subnet_id: &str, holder: Holder, taken: TaskAddress, block_size: u32) {
        if let Some((old_subnet, old)) = self.tasks.get(&holder) {
            if *old_subnet == subnet_id && old.address == taken.address {
                return;
            }
            let holder = holder.clone();
            self.unhold(&holder, block_size);
        }
        let used = self.subnets.entry(subnet_id.to_owned()).or_default();
        let address = taken.address.to_bits();
        if let Some(other) = used.held.get(&address)
            && *other != holder
        {
            // Two tasks with one address: cannot come from this allocator; keep the first.
            tracing::error!(address = %taken.address, task = %holder.task, other = %other.task, "Two tasks hold one address");
            return;
        }
        used.held.insert(address, holder.clone());
        // A block's base: the subnet's first address plus whole blocks.
        let base = address - address % block_size;
        let block = used.blocks.entry(base).or_default();
        block.used += 1;
        if block.host.as_ref() != Some(&taken.host) {
            block.host = Some(taken.host.clone());
            self.routes_version += 1;
        }
        for group in &taken.groups {
            self.members.entry(group.clone()).or_default().insert(taken.address);
        }
        self.tasks.insert(holder, (subnet_id.to_owned(), taken));
        self.version += 1;
    }

    fn unhold(&mut self, holder: &Holder, block_size: u32) {
        let Some((subnet_id, taken)) = self.tasks.remove(holder) else { return };
        for group in &taken.groups {
            if let Some(members) = self.members.get_mut(group) {
                members.remove(&taken.address);
                if members.is_empty() {
                    self.members.remove(group);
                }
            }
        }
        if let Some(used) = self.subnets.get_mut(&subnet_id) {
            let address = taken.address.to_bits();
            if used.held.get(&address) == Some(holder) {
                used.held.remove(&address);
                let base = address - address % block_size;
                if let Some(block) = used.blocks.get_mut(&base) {
                    block.used = block.used.saturating_sub(1);
                    if block.used == 0 {
                        used.blocks.remove(&base);
                        self.routes_version += 1;
                    }
                }
            }
        }
        self.version += 1;
    }

    fn rebuild_if_stale(&mut self, index: &Index, block_prefix: u8) {
        if !self.stale {
            return;
        }
        self.subnets.clear();
        self.tasks.clear();
        self.members.clear();
        let block_size = self.block_size(block_prefix);
        for cluster in index.clusters.values() {
            for entry in cluster.tasks.values() {
                self.apply(&entry.record, block_size);
            }
        }
        self.stale = false;
        self.version += 1;
        self.routes_version += 1;
    }

    fn apply(&mut self, task: &IndexedTask, block_size: u32) {
        let Some((network, holder, host)) = holding(task) else { return };
        let taken =
            TaskAddress { address: network.address, groups: network.security_groups.clone(), host };
        self.hold(&network.subnet_id, holder, taken, block_size);
    }
}

impl Observer for Ipam {
    fn changed(&self, _cluster: &str, _index: &ClusterIndex, change: Change<'_>) {
        let Change::Task { old, new } = change else { return };
        let had = old.and_then(|task| task.network.as_ref()).is_some();
        let has = new.and_then(|task| task.network.as_ref()).is_some();
        if !had && !has {
            return;
        }
        let mut inner = self.inner.lock();
        if inner.stale {
            return;
        }
        let block_size = inner.block_size(self.block_prefix);
        let before = inner.version;
        match new.and_then(holding) {
            Some(_) => inner.apply(new.expect("holding"), block_size),
            None => {
                if let Some(task) = old.or(new) {
                    let holder =
                        Holder { cluster: task.cluster.to_string(), task: task.id.to_string() };
                    inner.unhold(&holder, block_size);
                }
            }
        }
        self.announce(before, &inner);
    }

    fn reloaded(&self) {
        self.inner.lock().stale = true;
        self.bump();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(name: &str) -> Host {
        Host { cluster: "c".into(), instance: name.into() }
    }

    fn holder(name: &str) -> Holder {
        Holder { cluster: "c".into(), task: name.into() }
    }

    #[test]
    fn hosts_take_whole_blocks_and_addresses_are_never_given_twice() {
        let ipam = Ipam::new(28);
        let index = Index::default();
        let subnet: Ipv4Net = "10.0.0.0/24".parse().unwrap();
        let seen = std::cell::RefCell::new(std::collections::HashSet::new());
        let take = |host_name: &str, task: &str| {
            let (address, block) = ipam
                .allocate(&index, "s", subnet, host(host_name), holder(task), vec![])
                .expect("room");
            assert!(seen.borrow_mut().insert(address), "{address} given twice");
            assert!(block.contains(&address));
            (address, block)
        };
        // The first block loses the subnet's four reserved addresses: 12 usable.
        let (first, block_a) = take("a", "t0");
        assert_eq!(first, Ipv4Addr::new(10, 0, 0, 4));
        assert_eq!(block_a.to_string(), "10.0.0.0/28");
        let (_, block_b) = take("b", "u0");
        assert_eq!(block_b.to_string(), "10.0.0.16/28", "another host takes another block");
        for i in 1..12 {
            assert_eq!(take("a", &format!("t{i}")).1, block_a);
        }
        // Host a's first block is full: it takes the next free one.
        assert_eq!(take("a", "t12").1.to_string(), "10.0.0.32/28");
        assert_eq!(ipam.held(&index, "s"), 14);
        // Giving back every address of a block frees it for any host.
        ipam.release(&holder("u0"));
        seen.borrow_mut().remove(&Ipv4Addr::new(10, 0, 0, 16));
        let (again, block) = take("c", "v0");
        assert_eq!(block, block_b);
        assert_eq!(again, Ipv4Addr::new(10, 0, 0, 16));
    }

    #[test]
    fn a_full_subnet_gives_nothing() {
        let ipam = Ipam::new(28);
        let index = Index::default();
        let subnet: Ipv4Net = "10.0.0.0/28".parse().unwrap();
        for i in 0..11 {
            assert!(
                ipam.allocate(&index, "s", subnet, host("a"), holder(&format!("t{i}")), vec![])
                    .is_some()
            );
        }
        assert!(ipam.allocate(&index, "s", subnet, host("a"), holder("t11"), vec![]).is_none());
        assert_eq!(ipam.held(&index, "s"), 11);
    }
}
