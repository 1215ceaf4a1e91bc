//! A small workspace with one planted violation of each kind; all dependencies are local crates
//! (stand-ins named `sqlx` and `reqwest`), so `cargo metadata --offline` resolves it.

use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const INHERITS: &str =
    "version.workspace = true\nedition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\n";

fn krate(root: &Path, name: &str, package_extra: &str, deps: &str, lib: &str) {
    let package = if package_extra.is_empty() { INHERITS.to_string() } else { package_extra.to_string() };
    write(
        root,
        &format!("crates/{name}/Cargo.toml"),
        &format!("[package]\nname = \"{name}\"\n{package}\n[dependencies]\n{deps}\n[lints]\nworkspace = true\n"),
    );
    write(root, &format!("crates/{name}/src/lib.rs"), lib);
}

fn planted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.88\"\nlicense = \"Apache-2.0\"\n\n[workspace.dependencies]\nsqlx = { path = \"crates/sqlx\" }\nreqwest = { path = \"crates/reqwest\" }\naudarma-mt = { path = \"crates/audarma-mt\" }\n\n[workspace.lints.rust]\nunsafe_code = \"forbid\"\n",
    );
    krate(root, "sqlx", "", "", "");
    krate(root, "reqwest", "", "", "");
    // Allowed: the vendor crate may depend on reqwest.
    krate(root, "audarma-mt", "", "reqwest.workspace = true\n", "pub fn call() {}\n");
    // The domain crate: depends on sqlx (dependency), not through the workspace (inherit), leaves out
    // rust-version (inherit), reads a file (no-io) and builds HTML (html). Its test module may do both.
    krate(
        root,
        "audarma-core",
        "version.workspace = true\nedition.workspace = true\nlicense.workspace = true\n",
        "sqlx = { path = \"../sqlx\" }\n",
        "// std::fs in a comment is fine\npub fn read() -> String {\n    std::fs::read_to_string(\"x\").unwrap_or_default()\n}\n\npub fn page(t: &str) -> String {\n    format!(\"<p>{t}</p>\")\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n        let _ = std::fs::read(\"x\");\n        let _ = \"<div></div>\";\n    }\n}\n",
    );
    // QA links reqwest through audarma-mt (link) and imports fs in a group (no-io).
    krate(
        root,
        "audarma-qa",
        "",
        "audarma-mt.workspace = true\n",
        "use std::{fs, io};\npub fn f() -> io::Result<()> { fs::write(\"x\", \"\") }\n",
    );
    // The glossary may read but not write.
    krate(root, "audarma-glossary", "", "", "pub fn save() {\n    let _ = std::fs::write(\"g.tsv\", \"\");\n}\npub fn load() {\n    let _ = std::fs::read_to_string(\"g.tsv\");\n}\n");
    dir
}

#[test]
fn a_planted_violation_of_each_rule_is_reported_with_its_place() {
    let dir = planted();
    let violations = audarma_tidy::check(dir.path(), true).unwrap();
    let mut got: Vec<String> = violations.iter().map(ToString::to_string).collect();
    got.sort();
    let expected = [
        "crates/audarma-core/Cargo.toml: [dependency] audarma-core depends on sqlx",
        "crates/audarma-core/Cargo.toml: [link] audarma-core links sqlx (through its dependencies)",
        "crates/audarma-core/Cargo.toml:1: [inherit] package.rust-version must be `rust-version.workspace = true`",
        "crates/audarma-core/Cargo.toml:8: [inherit] [dependencies] sqlx must come from [workspace.dependencies]",
        "crates/audarma-core/src/lib.rs:3: [no-io] audarma-core uses `std::fs`",
        "crates/audarma-core/src/lib.rs:7: [html] audarma-core builds HTML (`</p>`)",
        "crates/audarma-glossary/src/lib.rs:2: [read-only] audarma-glossary uses `fs::write`",
        "crates/audarma-qa/Cargo.toml: [link] audarma-qa links reqwest (through its dependencies)",
        "crates/audarma-qa/src/lib.rs:1: [no-io] audarma-qa uses `std::fs`",
    ];
    assert_eq!(got.len(), expected.len(), "got:\n{}", got.join("\n"));
    for (g, e) in got.iter().zip(expected) {
        assert!(g.starts_with(e), "expected a line starting with\n  {e}\ngot\n  {g}\nall:\n{}", got.join("\n"));
    }
}

#[test]
fn a_workspace_cargo_cannot_read_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Cargo.toml", "[workspace\n");
    let err = audarma_tidy::check(dir.path(), true).unwrap_err().to_string();
    assert!(err.starts_with("cargo metadata in "), "{err}");
    assert!(err.contains(&dir.path().display().to_string()), "{err}");
}
