//! The modules of `crates/server` form layers, and a module only uses modules of layers below
//! its own. This test reads every source file, finds what each one names through `crate::`,
//! and fails on a reference that goes sideways or up, on a module missing from the list, and
//! on a name of the crate root other than the few the root exists to provide.
//!
//! To add a module, put it in the lowest layer above everything it uses. ARCHITECTURE.md shows
//! the same layers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. Modules in one layer do not use each other.
const LAYERS: &[&[&str]] = &[
    // Foundations: no other module of the crate.
    &["clock", "paging", "liveness", "container_policy", "wire", "error", "failures"],
    &["config", "workers"],
    &["arn"],
    // Records and every store key; access control.
    &["records", "access"],
    // The in-memory index of the records, which tells observers of its changes; who calls.
    &["state", "caller"],
    // The VPC of `awsvpc` tasks: subnets, security groups, the address allocator (an observer).
    &["vpc"],
    // Placement (the planners observe the index); the simplest resources.
    // The load balancer's records, target health and node configuration.
    &["placement", "account_settings", "tags", "balancing"],
    &["clusters", "task_definitions"],
    &["container_instances", "capacity_providers"],
    &["tasks"],
    &["services", "logs", "fargate"],
    // Background workers.
    &["service_scheduler", "reaper"],
    // The edge: operations by name, the agent channel, other services' protocols, HTTP.
    &["dispatch", "agent_channel", "other_services", "ec2", "elbv2", "acm", "lb_channel"],
    &["http"],
    &["connections"],
];

/// What the crate root (`lib.rs`, the composition root that builds `Ctx` from every module's
/// parts) offers the modules, besides types (`Ctx`, `ServeOptions`, ...).
const ROOT_ITEMS: &[&str] = &["testing", "router", "serve"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`None` for the crate root).
fn module_of(path: &Path) -> Option<String> {
    let relative = path.strip_prefix(src()).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_str().unwrap();
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_owned())
}

fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// Every first segment named after `crate::`, with `crate::{a, b::c}` groups expanded; comment
/// lines are skipped.
fn references(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let code: Vec<(usize, &str)> = source
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(n, line)| (n + 1, line))
        .collect();
    // Groups can span lines: join the code, remembering where each line starts.
    let mut joined = String::new();
    let mut starts = Vec::new();
    for (number, line) in &code {
        starts.push((joined.len(), *number));
        joined.push_str(line);
        joined.push('\n');
    }
    let line_at = |offset: usize| {
        let index = starts.partition_point(|(start, _)| *start <= offset);
        starts[index - 1].1
    };
    let mut rest = 0;
    while let Some(at) = joined[rest..].find("crate::") {
        let offset = rest + at;
        let before = joined[..offset].chars().next_back();
        rest = offset + "crate::".len();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue; // `$crate::` in a macro or a longer name
        }
        let after = &joined[rest..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' | ',' if depth == 1 => {
                        let item = ident(group[item_start..i].trim_start());
                        if !item.is_empty() {
                            found.push((line_at(offset), item.to_owned()));
                        }
                        item_start = i + 1;
                        if c == '}' {
                            break;
                        }
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
        } else {
            found.push((line_at(offset), ident(after).to_owned()));
        }
    }
    found
}

#[test]
fn modules_only_use_modules_of_lower_layers() {
    let layer: BTreeMap<&str, usize> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(n, modules)| modules.iter().map(move |m| (*m, n)))
        .collect();
    let mut all = Vec::new();
    files(&src(), &mut all);
    all.sort();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for path in &all {
        let Some(module) = module_of(path) else { continue };
        seen.insert(module.clone());
        let Some(&own) = layer.get(module.as_str()) else {
            problems.push(format!("module `{module}` is in no layer of LAYERS"));
            continue;
        };
        let source = std::fs::read_to_string(path).unwrap();
        let shown = path.strip_prefix(src()).unwrap().display();
        for (line, name) in references(&source) {
            if name == module || name.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue;
            }
            match layer.get(name.as_str()) {
                Some(&other) if other < own => {}
                Some(&other) => problems.push(format!(
                    "{shown}:{line}: `{module}` (layer {own}) uses `{name}` (layer {other})"
                )),
                None if ROOT_ITEMS.contains(&name.as_str()) => {}
                None => problems.push(format!("{shown}:{line}: `crate::{name}` is not a module")),
            }
        }
    }
    for module in layer.keys() {
        if !seen.contains(*module) {
            problems.push(format!("LAYERS names `{module}`, which has no source file"));
        }
    }
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
}

#[test]
fn the_reference_scanner_sees_paths_and_groups() {
    let source = "use crate::records::{self, keys};\nuse crate::{\n    Ctx, paging,\n    placement::{self, with},\n};\n// crate::hidden\nlet x = crate::tasks::run(y);\nmacro! { $crate::not_this }\n";
    let names: Vec<(usize, String)> = references(source);
    let plain: Vec<(usize, &str)> = names.iter().map(|(l, n)| (*l, n.as_str())).collect();
    assert_eq!(plain, [(1, "records"), (2, "Ctx"), (2, "paging"), (2, "placement"), (7, "tasks")]);
}
