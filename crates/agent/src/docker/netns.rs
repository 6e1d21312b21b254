//! The network namespace of an `awsvpc` task on Docker.
//!
//! A small "pause" container with no network holds the namespace (its image is made here, on
//! the host: nothing is pulled); the task's containers join it (`container:<id>`), so they
//! share one interface and reach each other on `localhost`. The agent then plumbs the
//! interface itself, from the network namespace it runs in (the host's):
//!
//! - a veth pair: `eth0` inside the task's namespace with the task's address, MAC and a
//!   default route to its subnet's router; the other end on the host, answering ARP for the
//!   task (proxy ARP), with a host route to the task's address;
//! - the security groups as an iptables filter table inside the task's namespace: INPUT
//!   allows what the ingress rules allow (and replies), OUTPUT what the egress rules allow.
//!
//! Everything lives in the task's namespace or on the veth pair, so removing the pause
//! container (the namespace's last process) takes it all away: a crash midway leaves nothing
//! that removing the task's containers does not remove. The tools are `ip`, `nsenter` and
//! `iptables-restore` from the host (iproute2, util-linux, iptables).

use std::fmt::Write as _;
use std::process::Stdio;

use api::agent::{FirewallRule, TaskNetworkSpec};
use bollard::Docker;
use bollard::query_parameters::BuildImageOptionsBuilder;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::runtime::RuntimeError;

/// The pause image, made on the host from [`pause_binary`].
pub(crate) const PAUSE_IMAGE: &str = "berth/pause:1";

fn refused(operation: &'static str, message: impl Into<String>) -> RuntimeError {
    RuntimeError::Refused { operation, message: message.into() }
}

/// A static Linux executable of a few bytes that waits forever: `pause()` in a loop on
/// x86-64, `ppoll` with no descriptors on arm64. As process 1 of its namespace it ignores
/// the signals it has no handler for, so stopping it kills it.
fn pause_binary() -> Vec<u8> {
    let (machine, code): (u16, Vec<u8>) = if cfg!(target_arch = "aarch64") {
        let words: [u32; 7] = [
            0xd280_0000, // mov x0, #0
            0xd280_0001, // mov x1, #0
            0xd280_0002, // mov x2, #0
            0xd280_0003, // mov x3, #0
            0xd280_0928, // mov x8, #73 (ppoll)
            0xd400_0001, // svc #0
            0x17ff_fffa, // b (back six instructions)
        ];
        (183, words.iter().flat_map(|w| w.to_le_bytes()).collect())
    } else {
        // mov eax, 34 (pause); syscall; jmp back
        (62, vec![0xb8, 0x22, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7])
    };
    const BASE: u64 = 0x40_0000;
    const HEADERS: u64 = 64 + 56;
    let size = HEADERS + code.len() as u64;
    let mut elf = Vec::with_capacity(size as usize);
    elf.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    elf.extend_from_slice(&2u16.to_le_bytes()); // executable
    elf.extend_from_slice(&machine.to_le_bytes());
    elf.extend_from_slice(&1u32.to_le_bytes());
    elf.extend_from_slice(&(BASE + HEADERS).to_le_bytes()); // entry
    elf.extend_from_slice(&64u64.to_le_bytes()); // program headers
    elf.extend_from_slice(&0u64.to_le_bytes()); // no section headers
    elf.extend_from_slice(&0u32.to_le_bytes());
    for half in [64u16, 56, 1, 64, 0, 0] {
        elf.extend_from_slice(&half.to_le_bytes());
    }
    elf.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    elf.extend_from_slice(&5u32.to_le_bytes()); // read, execute
    for value in [0, BASE, BASE, size, size, 0x1000] {
        elf.extend_from_slice(&value.to_le_bytes());
    }
    elf.extend_from_slice(&code);
    elf
}

/// A tar archive of `files` (name, mode, content), as `docker build` takes its context.
fn tar(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, mode, content) in files {
        let mut header = [0u8; 512];
        header[..name.len()].copy_from_slice(name.as_bytes());
        let octal = |field: &mut [u8], value: u64| {
            let text = format!("{value:0width$o}\0", width = field.len() - 1);
            field.copy_from_slice(text.as_bytes());
        };
        octal(&mut header[100..108], u64::from(*mode));
        octal(&mut header[108..116], 0);
        octal(&mut header[116..124], 0);
        octal(&mut header[124..136], content.len() as u64);
        octal(&mut header[136..148], 0);
        header[148..156].fill(b' ');
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
        let text = format!("{sum:06o}\0 ");
        header[148..156].copy_from_slice(text.as_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(content);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// Makes the pause image unless the host has it.
pub(crate) async fn ensure_pause_image(docker: &Docker) -> Result<(), RuntimeError> {
    if docker.inspect_image(PAUSE_IMAGE).await.is_ok() {
        return Ok(());
    }
    let dockerfile = b"FROM scratch\nCOPY pause /pause\nENTRYPOINT [\"/pause\"]\n";
    let binary = pause_binary();
    let context = tar(&[("Dockerfile", 0o644, dockerfile), ("pause", 0o755, &binary)]);
    let options = BuildImageOptionsBuilder::default().t(PAUSE_IMAGE).rm(true).build();
    let mut build =
        docker.build_image(options, None, Some(bollard::body_full(bytes::Bytes::from(context))));
    while let Some(step) = build.next().await {
        let info = step.map_err(|e| refused("build the pause image", e.to_string()))?;
        if let Some(error) = info.error_detail.and_then(|d| d.message) {
            return Err(refused("build the pause image", error));
        }
    }
    tracing::info!(image = PAUSE_IMAGE, "Made the pause image of awsvpc tasks");
    Ok(())
}

/// Runs a host command, failing with its standard error.
async fn run(program: &str, args: &[&str], input: Option<&str>) -> Result<(), RuntimeError> {
    let mut command = tokio::process::Command::new(program);
    command.args(args).stdout(Stdio::null()).stderr(Stdio::piped()).kill_on_drop(true);
    command.stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = command
        .spawn()
        .map_err(|e| refused("set up the task's network", format!("{program}: {e}")))?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(input.as_bytes())
            .await
            .map_err(|e| refused("set up the task's network", e.to_string()))?;
    }
    let output = child
        .wait_with_output()
        .await
        .map_err(|e| refused("set up the task's network", e.to_string()))?;
    if !output.status.success() {
        return Err(refused(
            "set up the task's network",
            format!(
                "{program} {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ));
    }
    Ok(())
}

/// The host end of a task's veth pair: `bv` and ten hex digits of its interface id (an
/// interface name has at most 15 characters).
pub(crate) fn host_interface(spec: &TaskNetworkSpec) -> String {
    let digits: String = spec.interface_id.chars().filter(char::is_ascii_hexdigit).collect();
    format!("bv{}", &digits[digits.len().saturating_sub(10)..])
}

/// Gives the namespace of process `pid` the task's interface.
pub(crate) async fn plumb(pid: i64, spec: &TaskNetworkSpec) -> Result<(), RuntimeError> {
    let pid = pid.to_string();
    let host = host_interface(spec);
    let address = format!("{}/{}", spec.address, spec.prefix_length);
    let gateway = spec.gateway.to_string();
    let inside = |args: &[&str]| {
        let mut all = vec!["-t", pid.as_str(), "-n", "ip"];
        all.extend_from_slice(args);
        all.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    // A leftover of an earlier attempt would make `add` fail.
    let _ = run("ip", &["link", "delete", &host], None).await;
    run("ip", &["link", "add", &host, "type", "veth", "peer", "name", "eth0", "netns", &pid], None)
        .await?;
    for args in [
        inside(&["link", "set", "eth0", "address", &spec.mac_address]),
        inside(&["addr", "add", &address, "dev", "eth0"]),
        inside(&["link", "set", "eth0", "up"]),
        inside(&["link", "set", "lo", "up"]),
        inside(&["route", "add", "default", "via", &gateway, "dev", "eth0", "onlink"]),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run("nsenter", &args, None).await?;
    }
    run("ip", &["link", "set", &host, "up"], None).await?;
    std::fs::write(format!("/proc/sys/net/ipv4/conf/{host}/proxy_arp"), "1")
        .map_err(|e| refused("set up the task's network", format!("proxy_arp on {host}: {e}")))?;
    let _ = std::fs::write("/proc/sys/net/ipv4/ip_forward", "1");
    allow_forwarding().await?;
    run("ip", &["route", "replace", &format!("{}/32", spec.address), "dev", &host], None).await?;
    apply_rules(&pid, spec).await
}

/// Lets the host forward traffic to and from tasks' interfaces, which a firewall that drops
/// forwarded traffic by default (Docker's) would otherwise stop: two rules for every
/// interface named `bv…`, added once per host (the tasks' own rules are in their namespaces).
async fn allow_forwarding() -> Result<(), RuntimeError> {
    for direction in ["-i", "-o"] {
        let rule = [direction, "bv+", "-m", "comment", "--comment", "berth awsvpc", "-j", "ACCEPT"];
        let mut check = vec!["-C", "FORWARD"];
        check.extend_from_slice(&rule);
        if run("iptables", &check, None).await.is_err() {
            let mut insert = vec!["-I", "FORWARD", "1"];
            insert.extend_from_slice(&rule);
            run("iptables", &insert, None).await?;
        }
    }
    Ok(())
}

/// The routing protocol number Berth's routes to other hosts' blocks carry, so that they can
/// be told from every other route and pruned.
const ROUTE_PROTOCOL: &str = "190";

/// Makes the routes of this namespace to other hosts' task blocks `routes`: adds or replaces
/// each, removes the ones (of Berth's protocol) that are no longer wanted.
pub(crate) async fn sync_routes(routes: &[api::agent::Route]) -> Result<(), RuntimeError> {
    let output = tokio::process::Command::new("ip")
        .args(["-4", "route", "show", "proto", ROUTE_PROTOCOL])
        .output()
        .await
        .map_err(|e| refused("route", format!("ip: {e}")))?;
    let present: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect();
    let mut failed = None;
    for route in routes {
        let args =
            ["route", "replace", &route.destination, "via", &route.via, "proto", ROUTE_PROTOCOL];
        if let Err(error) = run("ip", &args, None).await {
            tracing::warn!(destination = %route.destination, via = %route.via, %error, "A route to another host's tasks could not be set");
            failed = Some(error);
        }
    }
    for stale in present.iter().filter(|p| !routes.iter().any(|r| &r.destination == *p)) {
        let _ = run("ip", &["route", "delete", stale, "proto", ROUTE_PROTOCOL], None).await;
    }
    failed.map_or(Ok(()), Err)
}

/// Removes the host end of a task's interface (and so the pair), if it is there.
pub(crate) async fn unplumb(spec: &TaskNetworkSpec) {
    // Absent already (a namespace gone before) is not an error.
    let _ = run("ip", &["link", "delete", &host_interface(spec)], None).await;
}

/// Puts the task's security group rules in force inside its namespace, replacing what was.
pub(crate) async fn apply_rules(pid: &str, spec: &TaskNetworkSpec) -> Result<(), RuntimeError> {
    let rules = filter_table(spec);
    run("nsenter", &["-t", pid, "-n", "iptables-restore"], Some(&rules)).await
}

/// The iptables `filter` table of a task: loopback and replies always; new flows in or out
/// only as a rule allows.
pub(crate) fn filter_table(spec: &TaskNetworkSpec) -> String {
    let mut out =
        String::from("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n");
    for (chain, interface, peer) in [("INPUT", "-i", "-s"), ("OUTPUT", "-o", "-d")] {
        let _ = writeln!(out, "-A {chain} {interface} lo -j ACCEPT");
        let _ = writeln!(out, "-A {chain} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        let rules = if chain == "INPUT" { &spec.ingress } else { &spec.egress };
        for rule in rules {
            let _ = writeln!(out, "-A {chain} {peer} {} {} -j ACCEPT", rule.peer, matcher(rule));
        }
    }
    out.push_str("COMMIT\n");
    out
}

fn matcher(rule: &FirewallRule) -> String {
    match (rule.protocol.as_str(), rule.ports) {
        ("tcp" | "udp", Some((from, to))) => {
            format!("-p {} -m {} --dport {from}:{to}", rule.protocol, rule.protocol)
        }
        ("tcp" | "udp" | "icmp", _) => format!("-p {}", rule.protocol),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TaskNetworkSpec {
        TaskNetworkSpec {
            address: "172.31.0.4".parse().unwrap(),
            prefix_length: 20,
            gateway: "172.31.0.1".parse().unwrap(),
            mac_address: "0a:00:00:00:00:01".into(),
            interface_id: "eni-0123456789abcdef0".into(),
            ingress: vec![FirewallRule {
                protocol: "tcp".into(),
                ports: Some((8080, 8080)),
                peer: "10.0.0.0/8".into(),
            }],
            egress: vec![FirewallRule {
                protocol: "all".into(),
                ports: None,
                peer: "0.0.0.0/0".into(),
            }],
        }
    }

    #[test]
    fn rules_become_a_default_deny_filter_table() {
        let table = filter_table(&spec());
        assert!(table.contains(":INPUT DROP"), "{table}");
        assert!(
            table.contains("-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 8080:8080 -j ACCEPT"),
            "{table}"
        );
        assert!(table.contains("-A OUTPUT -d 0.0.0.0/0  -j ACCEPT"), "{table}");
        assert!(table.contains("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"));
    }

    #[test]
    fn host_interface_names_fit_the_kernel_limit() {
        let name = host_interface(&spec());
        assert!(name.len() <= 15, "{name}");
        assert_eq!(name, "bv456789abcdef0".get(..12).map(|_| name.clone()).unwrap());
    }

    #[test]
    fn the_pause_binary_is_an_elf_executable_and_the_tar_is_whole_blocks() {
        let binary = pause_binary();
        assert_eq!(&binary[..4], b"\x7fELF");
        assert!(binary.len() < 200);
        let archive = tar(&[("pause", 0o755, &binary)]);
        assert_eq!(archive.len() % 512, 0);
        assert_eq!(&archive[257..262], b"ustar");
    }
}
