//! `berth bench host`: how fast this machine is at the moment, on a fixed piece of work.
//!
//! A virtual machine shares its host, and the host's other guests change how fast it runs
//! through the day: on the machine of BENCHMARKS.md the same binary has measured up to two and
//! a half times apart within a day. The scenarios that load the whole machine print this probe
//! (`bench=host ...`) before and after their run, so that figures taken at different times can
//! be set side by side with the machine's speed at each.
//!
//! Two figures, each the median of a few rounds on one thread:
//! - `probe_cpu_ms`: sorting four million pseudo-random 64-bit numbers (the processor and its
//!   caches);
//! - `probe_memory_ms`: a million dependent reads at random places in 64 MiB (memory latency,
//!   which other guests' traffic raises).

use std::hint::black_box;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub(crate) struct HostArgs {
    /// Rounds of each piece of work; the median is printed.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

pub(crate) fn run(args: &HostArgs) {
    print(&measure(args.rounds.max(1)), "now");
}

/// The probe's figures, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Probe {
    pub(crate) cpu_ms: f64,
    pub(crate) memory_ms: f64,
}

/// Prints `bench=host when=<when> probe_cpu_ms=.. probe_memory_ms=..`.
pub(crate) fn print(probe: &Probe, when: &str) {
    println!(
        "bench=host when={when} probe_cpu_ms={:.1} probe_memory_ms={:.1}",
        probe.cpu_ms, probe.memory_ms
    );
}

/// Measures and prints the probe (three rounds), for a scenario's `when` (`before`, `after`).
pub(crate) fn report(when: &str) {
    print(&measure(3), when);
}

/// Runs each piece of work `rounds` times and takes the medians.
pub(crate) fn measure(rounds: usize) -> Probe {
    let cycle = random_cycle(CHASE_SLOTS);
    let mut cpu = Vec::with_capacity(rounds);
    let mut memory = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let started = Instant::now();
        black_box(sort_numbers(round as u64));
        cpu.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        black_box(chase(&cycle, CHASE_STEPS));
        memory.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Probe { cpu_ms: median(&mut cpu), memory_ms: median(&mut memory) }
}

const SORTED: usize = 1 << 22;
/// 16 Mi slots of 4 bytes: 64 MiB, well beyond any cache of the machine.
const CHASE_SLOTS: usize = 1 << 24;
const CHASE_STEPS: usize = 1 << 20;

/// SplitMix64: a fixed, fast stream of pseudo-random numbers.
fn split_mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Sorts four million numbers drawn from `seed`; returns their middle one.
fn sort_numbers(seed: u64) -> u64 {
    let mut state = seed;
    let mut numbers: Vec<u64> = (0..SORTED).map(|_| split_mix(&mut state)).collect();
    numbers.sort_unstable();
    numbers[SORTED / 2]
}

/// A single cycle through `slots` slots in random order (Sattolo's shuffle): `cycle[i]` is the
/// slot read after slot `i`, so that every read waits for the one before it.
fn random_cycle(slots: usize) -> Vec<u32> {
    let mut cycle: Vec<u32> = (0..slots as u32).collect();
    let mut state = 0x0062_6572_7468_u64;
    for i in (1..slots).rev() {
        let j = (split_mix(&mut state) % i as u64) as usize;
        cycle.swap(i, j);
    }
    cycle
}

/// Follows `cycle` for `steps` reads from slot 0; returns where it ended.
fn chase(cycle: &[u32], steps: usize) -> u32 {
    let mut at = 0u32;
    for _ in 0..steps {
        at = cycle[at as usize];
    }
    at
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_visits_every_slot_once_before_coming_back() {
        let cycle = random_cycle(1000);
        let mut at = 0u32;
        let mut seen = vec![false; 1000];
        for _ in 0..1000 {
            assert!(!seen[at as usize], "slot {at} visited twice");
            seen[at as usize] = true;
            at = cycle[at as usize];
        }
        assert_eq!(at, 0);
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn the_sorted_work_is_the_same_every_round() {
        assert_eq!(sort_numbers(7), sort_numbers(7));
        assert_ne!(sort_numbers(7), sort_numbers(8));
    }
}
