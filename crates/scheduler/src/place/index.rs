//! The per-request placement index: candidates grouped into spread cells, each cell ordered by the
//! per-instance strategy keys, and the cells ordered by their best member.
//!
//! It exists so that choosing and updating an instance costs `O(log n)` instead of a scan of every
//! instance per task. `docs/dev/scheduler.md` explains the layout.

use std::collections::{BTreeMap, BTreeSet};

use rand::Rng;
use rand::rngs::SmallRng;

use super::{Prepared, Slot, hash_str, tie_label, tie_priority};
use crate::model::{Instance, InstanceStatus};
use crate::strategy::BinpackField;

/// Strategy slots (≤ 5) plus the three tie-breaks (group tasks on the instance, seeded priority,
/// candidate number), compared lexicographically; smaller is preferred.
pub(crate) type Key = [i64; 8];

/// Spread levels beyond this many are folded into the last one's cell key; ECS allows 5 strategies.
pub(crate) const MAX_LEVELS: usize = super::MAX_STRATEGIES;

pub(crate) type CellValues = [u32; MAX_LEVELS];

struct Candidate {
    instance: u32,
    cell: u32,
    /// Tasks of this request placed on the instance so far.
    placed: u32,
    /// Tasks of the group already on the instance in the snapshot.
    group_tasks: u32,
    priority: i64,
    /// The candidate's current key in its cell (cell-level slots are 0).
    key: Key,
    /// Position inside its tie set.
    position: u32,
}

/// Instances with an equal key. Without a `random` strategy keys are unique, so `One` is the rule.
enum TieSet {
    One(u32),
    Many(Vec<u32>),
}

struct Cell {
    /// The value id at each spread level.
    values: CellValues,
    members: BTreeMap<Key, TieSet>,
    /// The cell's entry in [`Index::cells_by_key`], when it has members.
    full_key: Option<Key>,
}

pub(super) struct Index<'a> {
    instances: &'a [&'a Instance],
    prepared: &'a Prepared<'a>,
    candidates: Vec<Candidate>,
    cells: Vec<Cell>,
    /// Non-empty cells by the full key of their best member (cell-level slots filled in).
    cells_by_key: BTreeSet<(Key, u32)>,
    /// Tasks of the group per spread level and value id, over ACTIVE instances.
    spread_counts: Vec<Vec<i64>>,
    /// Cells per spread level and value id; used only with two or more spread levels, where one
    /// placement changes the counts seen by cells that share just one of its values.
    cells_by_value: Vec<Vec<Vec<u32>>>,
    /// Scratch for the tied cells of a `random` pick.
    tied: Vec<(u32, u32)>,
}

impl<'a> Index<'a> {
    /// Filters the instances and indexes the candidates; `offset` is the request's tie-break offset.
    pub(super) fn build(
        instances: &'a [&'a Instance],
        prepared: &'a Prepared<'a>,
        offset: u64,
    ) -> Index<'a> {
        let levels = prepared.spread_attributes.len();
        let mut value_ids: Vec<BTreeMap<Option<&str>, u32>> = vec![BTreeMap::new(); levels];
        let mut spread_counts: Vec<Vec<i64>> = vec![Vec::new(); levels];
        let mut intern =
            |level: usize, value: Option<&'a str>, counts: &mut Vec<Vec<i64>>| -> u32 {
                let next = value_ids[level].len() as u32;
                let id = *value_ids[level].entry(value).or_insert(next);
                if id == next {
                    counts[level].push(0);
                }
                id
            };
        let attribute_value =
            |instance: &'a Instance, level: usize| prepared.spread_value(instance, level);

        let mut candidates = Vec::new();
        let mut cell_ids: BTreeMap<CellValues, u32> = BTreeMap::new();
        let mut cells: Vec<Cell> = Vec::new();
        for (number, &instance) in instances.iter().enumerate() {
            let group_tasks =
                if prepared.counts_group { prepared.group_count(instance) } else { 0 };
            if group_tasks > 0 && instance.status == InstanceStatus::Active {
                for level in 0..levels {
                    let id = intern(level, attribute_value(instance, level), &mut spread_counts);
                    spread_counts[level][id as usize] += i64::from(group_tasks);
                }
            }
            let eligible = prepared.passes_static(instance)
                && !(prepared.distinct && group_tasks > 0)
                && prepared.fits(instance, 0)
                && prepared.member_of_holds(instance, 0);
            if !eligible {
                continue;
            }
            let mut values: CellValues = [0; MAX_LEVELS];
            for (level, value) in values.iter_mut().enumerate().take(levels) {
                *value = intern(level, attribute_value(instance, level), &mut spread_counts);
            }
            let next = cells.len() as u32;
            let cell = *cell_ids.entry(values).or_insert(next);
            if cell == next {
                cells.push(Cell { values, members: BTreeMap::new(), full_key: None });
            }
            let priority = if prepared.random {
                0
            } else {
                tie_priority(tie_label(hash_str(&instance.id), prepared.group_hash), offset)
            };
            candidates.push(Candidate {
                instance: number as u32,
                cell,
                placed: 0,
                group_tasks,
                priority,
                key: [0; 8],
                position: 0,
            });
        }

        let mut index = Index {
            instances,
            prepared,
            candidates,
            cells,
            cells_by_key: BTreeSet::new(),
            spread_counts,
            cells_by_value: Vec::new(),
            tied: Vec::new(),
        };
        if levels > 1 {
            index.cells_by_value = (0..levels)
                .map(|level| vec![Vec::new(); index.spread_counts[level].len()])
                .collect();
            for (cell_number, cell) in index.cells.iter().enumerate() {
                for level in 0..levels {
                    index.cells_by_value[level][cell.values[level] as usize]
                        .push(cell_number as u32);
                }
            }
        }

        // Bulk-load each cell from sorted keys: cheaper than one insertion per candidate.
        let mut per_cell: Vec<Vec<(Key, u32)>> =
            (0..index.cells.len()).map(|_| Vec::new()).collect();
        for number in 0..index.candidates.len() {
            let key = index.instance_key(number as u32);
            index.candidates[number].key = key;
            per_cell[index.candidates[number].cell as usize].push((key, number as u32));
        }
        for (cell_number, mut entries) in per_cell.into_iter().enumerate() {
            entries.sort_unstable();
            let mut members = BTreeMap::new();
            let mut run = entries.into_iter().peekable();
            while let Some((key, first)) = run.next() {
                let mut set = TieSet::One(first);
                index.candidates[first as usize].position = 0;
                while let Some((_, next)) = run.next_if(|(next_key, _)| *next_key == key) {
                    set = match set {
                        TieSet::One(only) => TieSet::Many(vec![only, next]),
                        TieSet::Many(mut all) => {
                            all.push(next);
                            TieSet::Many(all)
                        }
                    };
                    if let TieSet::Many(all) = &set {
                        index.candidates[next as usize].position = all.len() as u32 - 1;
                    }
                }
                members.insert(key, set);
            }
            index.cells[cell_number].members = members;
            index.refresh_cell(cell_number as u32);
        }
        index
    }

    pub(super) fn instance_of(&self, candidate: u32) -> usize {
        self.candidates[candidate as usize].instance as usize
    }

    /// Tasks placed per snapshot instance so far.
    pub(super) fn placed_per_instance(&self) -> Vec<u32> {
        let mut placed = vec![0; self.instances.len()];
        for candidate in &self.candidates {
            placed[candidate.instance as usize] = candidate.placed;
        }
        placed
    }

    /// The preferred candidate for the next task, or `None` when no instance can take it.
    pub(super) fn pick(&mut self, rng: &mut SmallRng) -> Option<u32> {
        let &(best_key, best_cell) = self.cells_by_key.first()?;
        if !self.prepared.random {
            return match self.cells[best_cell as usize].members.first_key_value() {
                Some((_, TieSet::One(candidate))) => Some(*candidate),
                Some((_, TieSet::Many(all))) => Some(all[0]),
                None => None,
            };
        }
        // `random`: uniform over every candidate whose full key equals the best one, which may
        // span several cells (e.g. two zones with equal counts).
        self.tied.clear();
        let mut total = 0u32;
        for &(key, cell) in self.cells_by_key.range((best_key, 0)..) {
            if key != best_key {
                break;
            }
            let size = match self.cells[cell as usize].members.first_key_value() {
                Some((_, TieSet::One(_))) => 1,
                Some((_, TieSet::Many(all))) => all.len() as u32,
                None => 0,
            };
            total += size;
            self.tied.push((cell, size));
        }
        let mut draw = if total > 1 { rng.random_range(0..total) } else { 0 };
        for &(cell, size) in &self.tied {
            if draw < size {
                return match self.cells[cell as usize].members.first_key_value() {
                    Some((_, TieSet::One(candidate))) => Some(*candidate),
                    Some((_, TieSet::Many(all))) => Some(all[draw as usize]),
                    None => None,
                };
            }
            draw -= size;
        }
        None
    }

    /// Records one task on `candidate` and updates every key that depends on it.
    pub(super) fn place(&mut self, candidate: u32) {
        let cell = self.candidates[candidate as usize].cell;
        let old_key = self.candidates[candidate as usize].key;
        self.remove_member(cell, old_key, candidate);
        self.candidates[candidate as usize].placed += 1;
        if self.still_fits(candidate) {
            let key = self.instance_key(candidate);
            self.candidates[candidate as usize].key = key;
            self.insert_member(cell, key, candidate);
        }

        let levels = self.prepared.spread_attributes.len();
        let values = self.cells[cell as usize].values;
        for (level, value) in values.iter().enumerate().take(levels) {
            self.spread_counts[level][*value as usize] += 1;
        }
        if levels <= 1 {
            self.refresh_cell(cell);
        } else {
            let mut affected: Vec<u32> = Vec::new();
            for (level, value) in values.iter().enumerate().take(levels) {
                affected.extend_from_slice(&self.cells_by_value[level][*value as usize]);
            }
            affected.sort_unstable();
            affected.dedup();
            for other in affected {
                self.refresh_cell(other);
            }
        }
    }

    /// Whether the candidate can take one more task of the request.
    fn still_fits(&self, candidate: u32) -> bool {
        let candidate = &self.candidates[candidate as usize];
        let instance = self.instances[candidate.instance as usize];
        !self.prepared.distinct
            && self.prepared.fits(instance, candidate.placed)
            && (!self.prepared.dynamic_member_of
                || self.prepared.member_of_holds(instance, candidate.placed))
    }

    /// The candidate's key within its cell: per-instance slots, then the tie-breaks.
    fn instance_key(&self, number: u32) -> Key {
        let candidate = &self.candidates[number as usize];
        let instance = self.instances[candidate.instance as usize];
        let request = self.prepared.request;
        let placed = i64::from(candidate.placed);
        let group_tasks = i64::from(candidate.group_tasks) + placed;
        let mut key = [0; 8];
        for (slot, value) in self.prepared.slots.iter().zip(key.iter_mut()) {
            *value = match slot {
                Slot::Binpack(BinpackField::Cpu) => instance.remaining.cpu - placed * request.cpu,
                Slot::Binpack(BinpackField::Memory) => {
                    instance.remaining.memory - placed * request.memory
                }
                Slot::SpreadInstance => group_tasks,
                Slot::SpreadAttribute(_) => 0,
            };
        }
        if !self.prepared.random {
            let tail = self.prepared.slots.len();
            key[tail] = group_tasks;
            key[tail + 1] = candidate.priority;
            key[tail + 2] = i64::from(number);
        }
        key
    }

    /// Re-files a cell under the full key of its best member.
    fn refresh_cell(&mut self, cell: u32) {
        let entry = &self.cells[cell as usize];
        let old = entry.full_key;
        let new = entry.members.first_key_value().map(|(key, _)| {
            let mut full = *key;
            for (slot, value) in self.prepared.slots.iter().zip(full.iter_mut()) {
                if let Slot::SpreadAttribute(level) = slot {
                    *value = self.spread_counts[*level][entry.values[*level] as usize];
                }
            }
            full
        });
        if old == new {
            return;
        }
        if let Some(old) = old {
            self.cells_by_key.remove(&(old, cell));
        }
        if let Some(new) = new {
            self.cells_by_key.insert((new, cell));
        }
        self.cells[cell as usize].full_key = new;
    }

    fn insert_member(&mut self, cell: u32, key: Key, candidate: u32) {
        let members = &mut self.cells[cell as usize].members;
        let position = match members.get_mut(&key) {
            None => {
                members.insert(key, TieSet::One(candidate));
                0
            }
            Some(set) => match set {
                TieSet::One(only) => {
                    *set = TieSet::Many(vec![*only, candidate]);
                    1
                }
                TieSet::Many(all) => {
                    all.push(candidate);
                    all.len() as u32 - 1
                }
            },
        };
        self.candidates[candidate as usize].position = position;
    }

    fn remove_member(&mut self, cell: u32, key: Key, candidate: u32) {
        let members = &mut self.cells[cell as usize].members;
        let Some(set) = members.get_mut(&key) else {
            return;
        };
        match set {
            TieSet::One(_) => {
                members.remove(&key);
            }
            TieSet::Many(all) => {
                let position = self.candidates[candidate as usize].position as usize;
                all.swap_remove(position);
                if let Some(&moved) = all.get(position) {
                    self.candidates[moved as usize].position = position as u32;
                }
                if all.len() == 1 {
                    let only = all[0];
                    self.candidates[only as usize].position = 0;
                    *set = TieSet::One(only);
                }
            }
        }
    }
}
