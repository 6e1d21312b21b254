//! What a server leaves on disk is its owner's alone: the data directory `0700`, the store
//! (with SQLite's `-wal` and `-shm` files), the auth file and the agent secret `0600`, whatever
//! the umask it was started with.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::{Command, Stdio};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Starts `berth server` under umask 000 and returns it with its endpoint.
fn start_with_open_umask(data_dir: &Path) -> (std::process::Child, String) {
    let mut child = Command::new("sh")
        .args(["-c", "umask 000 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_berth"))
        .args(["server", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting berth server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let endpoint = line.trim().strip_prefix("Listening on ").expect("the endpoint").to_owned();
    (child, endpoint)
}

/// The key the server wrote into the auth file it created.
fn generated_key(data_dir: &Path) -> (String, String) {
    let text = std::fs::read_to_string(data_dir.join("auth.toml")).unwrap();
    let value = |name: &str| {
        let line = text.lines().find(|l| l.starts_with(name)).expect(name);
        line.split('"').nth(1).unwrap().to_owned()
    };
    (value("access-key-id"), value("secret-access-key"))
}

#[tokio::test]
async fn data_directory_and_store_files_are_owner_only() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("new/berth");
    // An existing directory, as an older start left it, is narrowed as well.
    let existing = temp.path().join("existing");
    std::fs::create_dir(&existing).unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o755)).unwrap();
    for dir in [&data_dir, &existing] {
        let (mut child, endpoint) = start_with_open_umask(dir);
        let (key, secret) = generated_key(dir);
        let ecs = crate::common::ecs_client_as(&endpoint, &key, &secret);
        let created = ecs.create_cluster().cluster_name("private").send().await;
        let _ = child.kill();
        let _ = child.wait();
        created.expect("CreateCluster");
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
        for file in ["berth.db", "berth.db-wal", "berth.db-shm", "auth.toml", "agent-secret"] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file} in {}", dir.display());
        }
    }
}
