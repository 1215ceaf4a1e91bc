//! The tidy checker on this workspace (every invariant holds) and on a planted workspace (each kind of
//! violation is caught, with the file and line a maintainer needs).
#![allow(clippy::unwrap_used)]
// Tests write fixture files directly and set the environment variables a workflow names for its keys.
#![allow(clippy::disallowed_methods)]

mod planted;

use std::path::Path;

#[test]
fn the_workspace_keeps_its_invariants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap();
    let violations = audarma_tidy::check(&root, false).unwrap();
    let report: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "architecture invariants broken (see ARCHITECTURE.md, crates/audarma-tidy):\n{}",
        report.join("\n")
    );
}
