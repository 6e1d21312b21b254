//! One request shape's index, kept between requests: which instances can take one task of the
//! shape, grouped into spread cells and ordered within each cell by the strategy key, plus the
//! group's spread counts per attribute value.
//!
//! The tie-break label, not the seeded priority, is stored in the keys; a request applies its
//! offset when it asks a cell for its best member (the first label at or after the offset in the
//! best key class, wrapping around), which is the member the stateless index would rank first.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, DEAD, View};
use crate::model::Instance;
use crate::model::{Placement, Plan, Unplaced};
use crate::place::index::{CellValues, Key};
use crate::place::{Prepared, Slot, ordered, tie_label, tie_priority, unplaced_from};
use crate::strategy::BinpackField;

/// A cell id for instances that are not candidates of the shape.
const NO_CELL: u32 = u32::MAX;

/// What the index last derived from one instance slot.
#[derive(Debug, Clone, Copy, Default)]
struct Record {
    /// The slot holds an instance whose static stages were evaluated.
    present: bool,
    /// It passes the static stages: ACTIVE, agent connected, required attributes, `memberOf`.
    eligible: bool,
    /// It is in its cell's members, under [`key_of`].
    in_tree: bool,
    cell: u32,
    /// Value id at each spread level.
    values: CellValues,
    label: u64,
    /// Tasks of the group on the instance.
    group_tasks: u32,
    /// The part of `group_tasks` counted in the spread counts (all of it on an ACTIVE instance).
    counted: u32,
    /// Tasks of the running request placed on it (left in place after the run until the next
    /// catch-up, which re-derives the record).
    placed: u32,
    /// Remaining CPU and memory after `placed` tasks, as keyed.
    cpu_left: i64,
    memory_left: i64,
}

struct Cell {
    values: CellValues,
    /// `(in-cell key, slot)`: strategy slots (0 for spread-attribute slots), group tasks, the
    /// label as ordered `i64`, 0.
    members: BTreeSet<(Key, u32)>,
}

pub(super) struct ShapeIndex {
    /// The first change of the planner's log this index has not seen.
    pub(super) log_pos: u64,
    /// The planner's request counter when this index was last used.
    pub(super) last_used: u64,
    /// The key of the planner's [`super::Signature`] this index reads, and its spread attributes.
    pub(super) signature: String,
    pub(super) attributes: Vec<String>,
    levels: usize,
    records: Vec<Record>,
    /// Tasks of the group per spread level and value id, over ACTIVE instances.
    spread_counts: Vec<Vec<i64>>,
    cells: Vec<Cell>,
    cell_ids: BTreeMap<CellValues, u32>,
    /// Cells per spread level and value id, with two or more levels.
    cells_by_value: Vec<Vec<Vec<u32>>>,
    /// Slots the last run placed on, to re-derive at the next catch-up.
    dirty: Vec<u32>,
}

/// The per-request state of a run.
struct Run {
    offset: u64,
    /// Each cell's preferred member under this request's offset, with its full key.
    best: Vec<Option<(Key, u32)>>,
    /// Non-empty cells by the full key of their preferred member.
    by_key: BTreeSet<(Key, u32)>,
    touched: Vec<u32>,
}

impl ShapeIndex {
    /// Indexes every instance for the shape of `prepared`; `O(n log n)`.
    pub(super) fn build(
        prepared: &Prepared<'_>,
        view: &View<'_>,
        signature: String,
        log_pos: u64,
    ) -> ShapeIndex {
        let entries = view.entries;
        let levels = prepared.spread_attributes.len();
        let mut index = ShapeIndex {
            log_pos,
            last_used: 0,
            signature,
            attributes: prepared.spread_attributes.iter().map(|name| (*name).to_owned()).collect(),
            levels,
            records: vec![Record::default(); entries.len()],
            spread_counts: vec![Vec::new(); levels],
            cells: Vec::new(),
            cell_ids: BTreeMap::new(),
            cells_by_value: vec![Vec::new(); if levels > 1 { levels } else { 0 }],
            dirty: Vec::new(),
        };
        let mut per_cell: Vec<Vec<(Key, u32)>> = Vec::new();
        let mut group_tasks = view.group_tasks.iter().peekable();
        for slot in 0..entries.len() as u32 {
            let tasks = group_tasks.next_if(|(with, _)| **with == slot).map_or(0, |(_, n)| *n);
            if let Some((cell, key)) = index.derive(prepared, view, slot, true, tasks) {
                if per_cell.len() <= cell as usize {
                    per_cell.resize_with(cell as usize + 1, Vec::new);
                }
                per_cell[cell as usize].push((key, slot));
            }
        }
        for (cell, mut members) in per_cell.into_iter().enumerate() {
            members.sort_unstable();
            index.cells[cell].members = members.into_iter().collect();
        }
        index
    }

    /// Re-derives the slots of `changes` (each live slot appears once) and those of the last
    /// run that no change covers; `O(c log n)`. `logged_since(slot, position)` tells whether the
    /// log has an entry for the slot at or after `position`.
    pub(super) fn catch_up(
        &mut self,
        prepared: &Prepared<'_>,
        view: &View<'_>,
        changes: &[Change],
        log_end: u64,
        logged_since: impl Fn(u32, u64) -> bool,
    ) {
        let mut dirty = std::mem::take(&mut self.dirty);
        for slot in dirty.drain(..) {
            if !logged_since(slot, self.log_pos) {
                self.resync(prepared, view, slot, false);
            }
        }
        self.dirty = dirty;
        for change in changes {
            if change.slot != DEAD {
                self.resync(prepared, view, change.slot, change.statics);
            }
        }
        self.log_pos = log_end;
    }

    fn resync(&mut self, prepared: &Prepared<'_>, view: &View<'_>, slot: u32, statics: bool) {
        self.unindex(prepared, slot);
        let tasks = view.group_tasks.get(&slot).copied().unwrap_or(0);
        if let Some((cell, key)) = self.derive(prepared, view, slot, statics, tasks) {
            self.cells[cell as usize].members.insert((key, slot));
        }
    }

    /// Places `prepared.request.count` tasks. `explain` computes the failure of the first task
    /// that fits nowhere, given the tasks placed per slot so far.
    pub(super) fn run(
        &mut self,
        prepared: &Prepared<'_>,
        entries: &[Option<Instance>],
        offset: u64,
        explain: impl FnOnce(&dyn Fn(u32) -> u32) -> Unplaced,
    ) -> Plan {
        let count = prepared.request.count;
        let mut run = Run {
            offset,
            best: vec![None; self.cells.len()],
            by_key: BTreeSet::new(),
            touched: Vec::new(),
        };
        for cell in 0..self.cells.len() as u32 {
            self.refresh_cell(prepared, entries, &mut run, cell);
        }
        let mut plan = Plan::default();
        plan.placements.reserve(count as usize);
        for task_index in 0..count {
            match self.pick(entries, &run) {
                Some((cell, slot)) => {
                    plan.placements.push(Placement {
                        task_index,
                        instance_id: instance_id(entries, slot).to_owned(),
                    });
                    self.place(prepared, entries, &mut run, cell, slot);
                }
                None => {
                    let records = &self.records;
                    let placed = |slot: u32| records.get(slot as usize).map_or(0, |r| r.placed);
                    plan.unplaced = unplaced_from(task_index, count, || explain(&placed));
                    break;
                }
            }
        }
        // Undo the run's spread counts; its keys are re-derived at the next catch-up.
        for &slot in &run.touched {
            let record = self.records[slot as usize];
            for level in 0..self.levels {
                self.spread_counts[level][record.values[level] as usize] -=
                    i64::from(record.placed);
            }
            self.dirty.push(slot);
        }
        plan
    }

    /// The preferred (cell, slot): the first cell by full key; on equal full keys (equal labels)
    /// the lower instance id, which is snapshot order.
    fn pick(&self, entries: &[Option<Instance>], run: &Run) -> Option<(u32, u32)> {
        let mut cells = run.by_key.iter();
        let &(key, cell) = cells.next()?;
        let mut best = (cell, run.best[cell as usize].expect("filed cell").1);
        for &(other_key, other_cell) in cells {
            if other_key != key {
                break;
            }
            let slot = run.best[other_cell as usize].expect("filed cell").1;
            if instance_id(entries, slot) < instance_id(entries, best.1) {
                best = (other_cell, slot);
            }
        }
        Some(best)
    }

    /// Records one task on `slot` and updates every key that depends on it.
    fn place(
        &mut self,
        prepared: &Prepared<'_>,
        entries: &[Option<Instance>],
        run: &mut Run,
        cell: u32,
        slot: u32,
    ) {
        let instance = entries[slot as usize].as_ref().expect("candidate slot");
        let request = prepared.request;
        let mut record = self.records[slot as usize];
        if record.in_tree {
            self.cells[cell as usize].members.remove(&(key_of(prepared, &record), slot));
        }
        record.placed += 1;
        record.cpu_left -= request.cpu;
        record.memory_left -= request.memory;
        record.in_tree = !prepared.distinct && prepared.fits(instance, record.placed);
        if record.in_tree {
            self.cells[cell as usize].members.insert((key_of(prepared, &record), slot));
        }
        self.records[slot as usize] = record;
        if record.placed == 1 {
            run.touched.push(slot);
        }

        let values = self.cells[cell as usize].values;
        for (level, value) in values.iter().enumerate().take(self.levels) {
            self.spread_counts[level][*value as usize] += 1;
        }
        if self.levels <= 1 {
            self.refresh_cell(prepared, entries, run, cell);
        } else {
            let mut affected: Vec<u32> = Vec::new();
            for (level, value) in values.iter().enumerate().take(self.levels) {
                affected.extend_from_slice(&self.cells_by_value[level][*value as usize]);
            }
            affected.sort_unstable();
            affected.dedup();
            for other in affected {
                self.refresh_cell(prepared, entries, run, other);
            }
        }
    }

    /// Re-files a cell under the full key of its preferred member for this request.
    fn refresh_cell(
        &self,
        prepared: &Prepared<'_>,
        entries: &[Option<Instance>],
        run: &mut Run,
        cell: u32,
    ) {
        let entry = &self.cells[cell as usize];
        let new = entry.members.first().map(|&(first, first_slot)| {
            // The best key class is the first member's slots and group tasks; within it the label
            // that comes first at or after the offset, else the smallest label (wrapping around).
            let tail = prepared.slots.len();
            let mut from = first;
            from[tail + 1] = ordered(run.offset);
            let mut to = first;
            to[tail + 1] = i64::MAX;
            let mut after = entry.members.range((from, 0)..=(to, u32::MAX));
            let slot = match after.next() {
                Some(&found) => lowest_id(entries, found, after),
                None => {
                    let mut all = entry.members.iter();
                    all.next();
                    lowest_id(entries, (first, first_slot), all)
                }
            };
            let record = &self.records[slot as usize];
            let mut full = key_of(prepared, record);
            for (position, kind) in prepared.slots.iter().enumerate() {
                if let Slot::SpreadAttribute(level) = kind {
                    full[position] = self.spread_counts[*level][entry.values[*level] as usize];
                }
            }
            full[tail + 1] = tie_priority(record.label, run.offset);
            (full, slot)
        });
        let old_key = run.best[cell as usize].map(|(key, _)| key);
        let new_key = new.map(|(key, _)| key);
        if old_key != new_key {
            if let Some(key) = old_key {
                run.by_key.remove(&(key, cell));
            }
            if let Some(key) = new_key {
                run.by_key.insert((key, cell));
            }
        }
        run.best[cell as usize] = new;
    }

    /// Takes a slot out of its cell and the spread counts.
    fn unindex(&mut self, prepared: &Prepared<'_>, slot: u32) {
        if self.records.len() <= slot as usize {
            self.records.resize(slot as usize + 1, Record::default());
            return;
        }
        let record = self.records[slot as usize];
        if record.in_tree {
            let key = key_of(prepared, &record);
            self.cells[record.cell as usize].members.remove(&(key, slot));
        }
        if record.counted > 0 {
            for level in 0..self.levels {
                self.spread_counts[level][record.values[level] as usize] -=
                    i64::from(record.counted);
            }
        }
        let record = &mut self.records[slot as usize];
        record.in_tree = false;
        record.counted = 0;
    }

    /// Derives the record of a slot that is out of its cell and the spread counts (re-evaluating
    /// the static stages when `statics`), adds it to the spread counts, and returns its cell and
    /// key when it can take one task.
    fn derive(
        &mut self,
        prepared: &Prepared<'_>,
        view: &View<'_>,
        slot: u32,
        statics: bool,
        group_tasks: u32,
    ) -> Option<(u32, Key)> {
        let Some(instance) = view.entries.get(slot as usize).and_then(Option::as_ref) else {
            self.records[slot as usize] = Record::default();
            return None;
        };
        let hot = view.hot[slot as usize];
        let mut record = self.records[slot as usize];
        if statics || !record.present {
            record.present = true;
            record.eligible = view.eligible[slot as usize];
            for level in 0..self.levels {
                record.values[level] = self.value_id(level, view.columns[level].ids[slot as usize]);
            }
            record.cell = if record.eligible { self.cell_id(record.values) } else { NO_CELL };
            record.label = tie_label(hot.id_hash, prepared.group_hash);
        }
        record.group_tasks = group_tasks;
        record.placed = 0;
        record.counted = if hot.active { group_tasks } else { 0 };
        if record.counted > 0 {
            for level in 0..self.levels {
                self.spread_counts[level][record.values[level] as usize] +=
                    i64::from(record.counted);
            }
        }
        record.cpu_left = hot.cpu;
        record.memory_left = hot.memory;
        // `Prepared::fits(instance, 0)`, reading the instance only for host ports.
        let request = prepared.request;
        record.in_tree = record.eligible
            && !(prepared.distinct && group_tasks > 0)
            && hot.cpu >= request.cpu
            && hot.memory >= request.memory
            && (request.host_ports.is_empty() || prepared.fits(instance, 0));
        self.records[slot as usize] = record;
        record.in_tree.then(|| (record.cell, key_of(prepared, &record)))
    }

    /// Makes room for a value id of the level's column in the counts.
    fn value_id(&mut self, level: usize, id: u32) -> u32 {
        let needed = id as usize + 1;
        if self.spread_counts[level].len() < needed {
            self.spread_counts[level].resize(needed, 0);
            if self.levels > 1 {
                self.cells_by_value[level].resize_with(needed, Vec::new);
            }
        }
        id
    }

    fn cell_id(&mut self, values: CellValues) -> u32 {
        if let Some(&id) = self.cell_ids.get(&values) {
            return id;
        }
        let id = self.cells.len() as u32;
        self.cells.push(Cell { values, members: BTreeSet::new() });
        self.cell_ids.insert(values, id);
        if self.levels > 1 {
            for (level, value) in values.iter().enumerate().take(self.levels) {
                self.cells_by_value[level][*value as usize].push(id);
            }
        }
        id
    }
}

/// The in-cell key of a record.
fn key_of(prepared: &Prepared<'_>, record: &Record) -> Key {
    let tasks = i64::from(record.group_tasks + record.placed);
    let mut key = [0; 8];
    for (slot, value) in prepared.slots.iter().zip(key.iter_mut()) {
        *value = match slot {
            Slot::Binpack(BinpackField::Cpu) => record.cpu_left,
            Slot::Binpack(BinpackField::Memory) => record.memory_left,
            Slot::SpreadInstance => tasks,
            Slot::SpreadAttribute(_) => 0,
        };
    }
    let tail = prepared.slots.len();
    key[tail] = tasks;
    key[tail + 1] = ordered(record.label);
    key
}

fn instance_id(entries: &[Option<Instance>], slot: u32) -> &str {
    &entries[slot as usize].as_ref().expect("candidate slot").id
}

/// Among `first` and the members right after it with the same key (equal labels, a 64-bit
/// collision), the slot of the lowest instance id.
fn lowest_id<'a>(
    entries: &[Option<Instance>],
    first: (Key, u32),
    rest: impl Iterator<Item = &'a (Key, u32)>,
) -> u32 {
    let mut best = first.1;
    for &(key, slot) in rest {
        if key != first.0 {
            break;
        }
        if instance_id(entries, slot) < instance_id(entries, best) {
            best = slot;
        }
    }
    best
}
