//! A Fargate task's own cgroup: the task's size as limits on a parent cgroup that all its
//! containers are created under (Docker's `CgroupParent`), so that the task's containers
//! together, not each of them, stay within it. Only with Docker's `cgroupfs` driver (cgroup v1
//! or v2), where a parent is a path Docker creates if it is missing; with another driver the
//! containers keep only their own limits.

use std::path::{Path, PathBuf};

use crate::runtime::TaskLimits;

/// Where the cgroup file systems are mounted.
const ROOT: &str = "/sys/fs/cgroup";
/// The parent of every task's cgroup.
const PARENT: &str = "berth-tasks";
/// The CPU period the quota is a share of, in microseconds.
const PERIOD_US: i64 = 100_000;

/// How this host's cgroups are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    V1,
    V2,
}

/// The `CgroupParent` of a task's containers.
pub(crate) fn parent_of(task: &str) -> String {
    format!("/{PARENT}/{task}")
}

fn write(path: &Path, value: &str) -> std::io::Result<()> {
    std::fs::write(path, value)
}

/// Makes the task's cgroup with its limits (again, if it exists: the limits are the same).
pub(crate) fn prepare(layout: Layout, limits: &TaskLimits) -> std::io::Result<()> {
    let quota = limits.nano_cpus.map(|n| (n * PERIOD_US / 1_000_000_000).max(1000));
    match layout {
        Layout::V1 => {
            let dir = |controller: &str| -> PathBuf {
                Path::new(ROOT).join(controller).join(PARENT).join(&limits.task)
            };
            if let Some(quota) = quota {
                let cpu = dir("cpu");
                std::fs::create_dir_all(&cpu)?;
                write(&cpu.join("cpu.cfs_period_us"), &PERIOD_US.to_string())?;
                write(&cpu.join("cpu.cfs_quota_us"), &quota.to_string())?;
            }
            if let Some(bytes) = limits.memory_bytes {
                let memory = dir("memory");
                std::fs::create_dir_all(&memory)?;
                write(&memory.join("memory.limit_in_bytes"), &bytes.to_string())?;
                // Memory and swap together at the same figure: no swap (where accounted).
                let memsw = memory.join("memory.memsw.limit_in_bytes");
                if memsw.exists() {
                    write(&memsw, &bytes.to_string())?;
                }
            }
            let pids = dir("pids");
            std::fs::create_dir_all(&pids)?;
            write(&pids.join("pids.max"), &limits.pids.to_string())?;
        }
        Layout::V2 => {
            let parent = Path::new(ROOT).join(PARENT);
            std::fs::create_dir_all(&parent)?;
            // The controllers must be handed down to the parent's children.
            for level in [Path::new(ROOT), parent.as_path()] {
                write(&level.join("cgroup.subtree_control"), "+cpu +memory +pids")?;
            }
            let dir = parent.join(&limits.task);
            std::fs::create_dir_all(&dir)?;
            if let Some(quota) = quota {
                write(&dir.join("cpu.max"), &format!("{quota} {PERIOD_US}"))?;
            }
            if let Some(bytes) = limits.memory_bytes {
                write(&dir.join("memory.max"), &bytes.to_string())?;
                let _ = write(&dir.join("memory.swap.max"), "0");
            }
            write(&dir.join("pids.max"), &limits.pids.to_string())?;
        }
    }
    Ok(())
}

/// Removes the task's cgroup once its containers are gone (Docker removes theirs); an error
/// (still busy, already gone) leaves it, and a later removal or the next boot clears it.
pub(crate) fn remove(layout: Layout, task: &str) {
    let dirs: Vec<PathBuf> = match layout {
        Layout::V1 => std::fs::read_dir(ROOT)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path().join(PARENT).join(task))
                    .filter(|p| p.exists())
                    .collect()
            })
            .unwrap_or_default(),
        Layout::V2 => vec![Path::new(ROOT).join(PARENT).join(task)],
    };
    for dir in dirs {
        let _ = std::fs::remove_dir(dir);
    }
}
