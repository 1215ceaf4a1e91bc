//! Who a run is (`host:pid`) and whether a run of this machine is still alive.

/// This machine's name, for worker ids (`host:pid`).
pub fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "localhost".into())
}

/// The default worker id of this process: `host:pid`.
pub fn default_worker() -> String {
    format!("{}:{}", hostname(), std::process::id())
}

/// Whether a process of this machine is still running (its `/proc` entry exists). Where `/proc` is
/// not mounted every process counts as alive, so nothing is taken back early.
pub fn process_alive(pid: u32) -> bool {
    !std::path::Path::new("/proc/self").exists() || std::path::Path::new(&format!("/proc/{pid}")).exists()
}
