//! The architecture invariants of ARCHITECTURE.md, checked against the workspace as it is: `cargo
//! metadata` for who depends on (and links) what, the manifests for what they inherit from the workspace,
//! and the sources for I/O and HTML where they do not belong. `tests/it` runs it on this workspace (so
//! `cargo test` fails when an invariant is broken) and on a planted workspace (so the checker itself is
//! shown to catch each kind of violation).
//!
//! To change an invariant, change the rule here and ARCHITECTURE.md in the same commit.

mod lexer;

pub use lexer::{lex, line_of, Lexed, Literal};

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// A direct (non-dev) dependency only some crates may have.
pub struct DependencyRule {
    pub dependency: &'static str,
    pub allowed: &'static [&'static str],
    pub why: &'static str,
}

/// Crates that must not link another package at all, directly or through anything they depend on.
pub struct LinkRule {
    pub crates: &'static [&'static str],
    pub must_not_reach: &'static [&'static str],
    pub why: &'static str,
}

/// Code patterns some crates must not contain (outside comments, strings and `#[cfg(test)]` modules).
pub struct SourceRule {
    pub name: &'static str,
    pub crates: &'static [&'static str],
    /// Patterns in the code; a pattern ending in `::` or `(` matches as written, others as whole paths.
    pub forbidden: &'static [&'static str],
    /// Files (relative to the workspace root) the rule does not apply to, with the reason.
    pub exempt: &'static [(&'static str, &'static str)],
    pub why: &'static str,
}

pub const DEPENDENCY_RULES: &[DependencyRule] = &[
    DependencyRule {
        dependency: "sqlx",
        allowed: &["audarma-store-sqlite", "audarma-store-postgres", "audarma-store-tests"],
        why: "only the store crates speak SQL; everything else goes through the `Store` trait",
    },
    DependencyRule {
        dependency: "reqwest",
        allowed: &["audarma-mt", "audarma-fetch", "audarma-notify", "audarma-bench"],
        why: "only audarma-mt calls translation services, only audarma-fetch fetches web sources and only audarma-notify posts webhooks (benches aside)",
    },
];

pub const LINK_RULES: &[LinkRule] = &[
    LinkRule {
        crates: &[
            "audarma-core",
            "audarma-text",
            "audarma-qa",
            "audarma-glossary",
            "audarma-ingest",
            "audarma-xliff",
            "audarma-tmx",
            "audarma-analytics",
        ],
        must_not_reach: &["reqwest", "hyper", "sqlx", "tokio"],
        why: "the libraries that do no network or database work do not link a network stack, a database or a runtime",
    },
    LinkRule {
        crates: &["audarma-web", "audarma-review"],
        must_not_reach: &["audarma-mt", "audarma-pipeline", "audarma-fetch", "reqwest"],
        why: "the review desk checks with audarma-review and never links the translation vendors or the fetcher",
    },
];

const NO_IO: &[&str] = &[
    "std::fs",
    "tokio::fs",
    "std::net",
    "tokio::net",
    "File::open",
    "File::create",
    "OpenOptions",
    "read_to_string(",
    "TcpStream",
    "UdpSocket",
    "reqwest",
];

const WRITES: &[&str] = &[
    "fs::write",
    "File::create",
    "OpenOptions",
    "create_dir",
    "remove_file",
    "remove_dir",
    "fs::rename",
    "fs::copy",
    "std::net",
    "tokio::net",
    "TcpStream",
];

pub const SOURCE_RULES: &[SourceRule] = &[
    SourceRule {
        name: "no-io",
        crates: &["audarma-core", "audarma-text", "audarma-qa", "audarma-xliff", "audarma-tmx", "audarma-analytics"],
        forbidden: NO_IO,
        exempt: &[(
            "crates/audarma-qa/src/spell.rs",
            "`Speller::load` reads Debian's Hunspell dictionaries once; the pipeline keeps one per language",
        )],
        why: "domain types, text, QA, exchange formats and review analytics are pure functions of their input",
    },
    SourceRule {
        name: "read-only",
        crates: &["audarma-glossary", "audarma-ingest"],
        forbidden: WRITES,
        exempt: &[],
        why: "the glossary and ingest read files and write nothing",
    },
];

/// HTML elements whose closing tag in a string literal means the code builds HTML.
const HTML_ELEMENTS: &[&str] = &[
    "html", "head", "body", "title", "article", "main", "section", "div", "span", "p", "a", "ul", "ol", "li", "table",
    "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "form", "button", "script",
    "style", "mark", "del", "ins", "label", "select", "option", "textarea", "nav", "header", "footer",
];

/// Only the desk renders HTML.
pub const HTML_ALLOWED: &[&str] = &["audarma-web"];
/// Files outside the desk whose closing tags are not HTML.
pub const HTML_EXEMPT: &[(&str, &str)] = &[
    ("crates/audarma-glossary/src/exchange/tbx.rs", "TBX is XML: its `<body>` is TBX's, not HTML's"),
    ("crates/audarma-tmx/src/read.rs", "TMX is XML: its `<header>` and `<body>` are TMX's, not HTML's"),
    ("crates/audarma-tmx/src/write.rs", "TMX is XML: its `<header>` and `<body>` are TMX's, not HTML's"),
    ("crates/audarma-tmx/src/tests.rs", "TMX is XML: its `<header>` and `<body>` are TMX's, not HTML's"),
];

/// What every workspace crate's manifest inherits from `[workspace.package]`.
pub const INHERITED_PACKAGE_KEYS: &[&str] = &["version", "edition", "rust-version", "license"];

/// One broken invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule's name: `dependency`, `link`, `no-io`, `read-only`, `html`, `inherit`.
    pub rule: &'static str,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: [{}] {}", self.file.display(), self.rule, self.message),
            None => write!(f, "{}: [{}] {}", self.file.display(), self.rule, self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TidyError {
    #[error("cargo metadata in {dir}: {source}")]
    Cargo { dir: PathBuf, source: std::io::Error },
    #[error("cargo metadata in {dir} failed: {stderr}")]
    CargoFailed { dir: PathBuf, stderr: String },
    #[error("cargo metadata in {dir}: unexpected output: {detail}")]
    Metadata { dir: PathBuf, detail: String },
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a valid manifest: {source}")]
    Manifest { path: PathBuf, source: Box<toml::de::Error> },
}

/// A workspace member as `cargo metadata` describes it.
struct Member {
    name: String,
    id: String,
    manifest: PathBuf,
    /// Direct dependencies that are not dev-dependencies.
    deps: BTreeSet<String>,
}

/// Check the workspace whose root manifest is in `root`. `offline` passes `--offline` to cargo (for a
/// planted workspace whose dependencies are all local).
pub fn check(root: &Path, offline: bool) -> Result<Vec<Violation>, TidyError> {
    let meta = metadata(root, offline)?;
    let Metadata { members, names, graph } = read_metadata(root, &meta)?;
    let mut out = Vec::new();
    for m in &members {
        let manifest = m.manifest.strip_prefix(root).unwrap_or(&m.manifest).to_path_buf();
        for rule in DEPENDENCY_RULES {
            if m.deps.contains(rule.dependency) && !rule.allowed.contains(&m.name.as_str()) {
                out.push(Violation {
                    rule: "dependency",
                    file: manifest.clone(),
                    line: None,
                    message: format!("{} depends on {}: {}", m.name, rule.dependency, rule.why),
                });
            }
        }
        for rule in LINK_RULES.iter().filter(|r| r.crates.contains(&m.name.as_str())) {
            let reached = reachable(&m.id, &graph, &names);
            for bad in rule.must_not_reach.iter().filter(|b| reached.contains(**b)) {
                out.push(Violation {
                    rule: "link",
                    file: manifest.clone(),
                    line: None,
                    message: format!("{} links {bad} (through its dependencies): {}", m.name, rule.why),
                });
            }
        }
        out.extend(inheritance(root, &m.manifest)?);
        let dir = m.manifest.parent().unwrap_or(root);
        for file in rust_files(&dir.join("src"))? {
            let rel = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
            let src =
                std::fs::read_to_string(&file).map_err(|source| TidyError::Read { path: file.clone(), source })?;
            out.extend(sources(&m.name, &rel, &src));
        }
    }
    Ok(out)
}

fn metadata(root: &Path, offline: bool) -> Result<Value, TidyError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1"]).current_dir(root);
    if offline {
        cmd.arg("--offline");
    }
    let output = cmd.output().map_err(|source| TidyError::Cargo { dir: root.to_path_buf(), source })?;
    if !output.status.success() {
        return Err(TidyError::CargoFailed {
            dir: root.to_path_buf(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| TidyError::Metadata { dir: root.to_path_buf(), detail: e.to_string() })
}

type Graph = BTreeMap<String, Vec<String>>;

/// The workspace members, every package's name by id, and the graph of normal dependencies by id.
struct Metadata {
    members: Vec<Member>,
    names: BTreeMap<String, String>,
    graph: Graph,
}

fn read_metadata(root: &Path, meta: &Value) -> Result<Metadata, TidyError> {
    let bad = |detail: &str| TidyError::Metadata { dir: root.to_path_buf(), detail: detail.to_string() };
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let ids: BTreeSet<String> = meta
        .get("workspace_members")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no workspace_members"))?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let mut names = BTreeMap::new();
    let mut members = Vec::new();
    for p in meta.get("packages").and_then(Value::as_array).ok_or_else(|| bad("no packages"))? {
        let (Some(id), Some(name)) = (str_of(p, "id"), str_of(p, "name")) else {
            return Err(bad("a package without id or name"));
        };
        names.insert(id.clone(), name.clone());
        if !ids.contains(&id) {
            continue;
        }
        let manifest = PathBuf::from(str_of(p, "manifest_path").ok_or_else(|| bad("a package without manifest_path"))?);
        let deps = p
            .get("dependencies")
            .and_then(Value::as_array)
            .map(|ds| {
                ds.iter()
                    .filter(|d| d.get("kind").and_then(Value::as_str) != Some("dev"))
                    .filter_map(|d| str_of(d, "name"))
                    .collect()
            })
            .unwrap_or_default();
        members.push(Member { name, id, manifest, deps });
    }
    let mut graph = Graph::new();
    for node in meta.pointer("/resolve/nodes").and_then(Value::as_array).ok_or_else(|| bad("no resolve graph"))? {
        let Some(id) = str_of(node, "id") else { continue };
        let normal = node.get("deps").and_then(Value::as_array).map(|ds| {
            ds.iter()
                .filter(|d| {
                    d.get("dep_kinds")
                        .and_then(Value::as_array)
                        .is_some_and(|ks| ks.iter().any(|k| k.get("kind").is_none_or(Value::is_null)))
                })
                .filter_map(|d| str_of(d, "pkg"))
                .collect()
        });
        graph.insert(id, normal.unwrap_or_default());
    }
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Metadata { members, names, graph })
}

/// The names of every package `id` links (normal dependencies, transitively).
fn reachable(id: &str, graph: &Graph, names: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![id.to_string()];
    let mut out = BTreeSet::new();
    while let Some(n) = stack.pop() {
        for d in graph.get(&n).into_iter().flatten() {
            if seen.insert(d.clone()) {
                out.extend(names.get(d).cloned());
                stack.push(d.clone());
            }
        }
    }
    out
}

/// `[package]` keys inherited, `[lints] workspace = true`, and every dependency `workspace = true`.
fn inheritance(root: &Path, manifest: &Path) -> Result<Vec<Violation>, TidyError> {
    let text = std::fs::read_to_string(manifest).map_err(|source| TidyError::Read { path: manifest.into(), source })?;
    let doc: toml::Table =
        text.parse().map_err(|source| TidyError::Manifest { path: manifest.into(), source: Box::new(source) })?;
    let file = manifest.strip_prefix(root).unwrap_or(manifest).to_path_buf();
    let line = |needle: &str| text.lines().position(|l| l.trim_start().starts_with(needle)).map(|n| n + 1);
    let inherited = |v: Option<&toml::Value>| {
        v.and_then(toml::Value::as_table).and_then(|t| t.get("workspace")).and_then(toml::Value::as_bool) == Some(true)
    };
    let mut out = Vec::new();
    let mut push = |line: Option<usize>, message: String| {
        out.push(Violation { rule: "inherit", file: file.clone(), line, message })
    };
    let package = doc.get("package").and_then(toml::Value::as_table);
    for key in INHERITED_PACKAGE_KEYS {
        if !inherited(package.and_then(|p| p.get(*key))) {
            push(line(key).or_else(|| line("[package]")), format!("package.{key} must be `{key}.workspace = true`"));
        }
    }
    if !inherited(doc.get("lints")) {
        push(line("[lints]"), "the crate must take the workspace's lints: `[lints] workspace = true`".into());
    }
    let mut tables: Vec<(&str, &toml::Table)> = Vec::new();
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(t) = doc.get(section).and_then(toml::Value::as_table) {
            tables.push((section, t));
        }
    }
    for (name, dep) in tables.into_iter().flat_map(|(s, t)| t.iter().map(move |(n, d)| ((s, n), d))) {
        if !inherited(Some(dep)) {
            push(
                line(&format!("{} ", name.1)).or_else(|| line(&format!("{}=", name.1))),
                format!(
                    "[{}] {} must come from [workspace.dependencies]: `{}.workspace = true`",
                    name.0, name.1, name.1
                ),
            );
        }
    }
    Ok(out)
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, TidyError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let e = e.map_err(|source| TidyError::Read { path: d.clone(), source })?;
            let p = e.path();
            let kind = e.file_type().map_err(|source| TidyError::Read { path: p.clone(), source })?;
            if kind.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The source rules and the HTML rule on one file of crate `krate` (`rel`: its path from the root).
pub fn sources(krate: &str, rel: &Path, src: &str) -> Vec<Violation> {
    let lexed = lex(src);
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let mut out = Vec::new();
    for rule in SOURCE_RULES.iter().filter(|r| r.crates.contains(&krate)) {
        if rule.exempt.iter().any(|(f, _)| *f == rel_str) {
            continue;
        }
        for pat in rule.forbidden {
            for at in occurrences(&lexed.code, pat) {
                let line = line_of(src, at);
                if lexed.in_test(at) || out.iter().any(|v: &Violation| v.rule == rule.name && v.line == Some(line)) {
                    continue;
                }
                out.push(Violation {
                    rule: rule.name,
                    file: rel.to_path_buf(),
                    line: Some(line),
                    message: format!("{krate} uses `{pat}`: {}", rule.why),
                });
            }
        }
    }
    if !HTML_ALLOWED.contains(&krate) && !HTML_EXEMPT.iter().any(|(f, _)| *f == rel_str) {
        for lit in lexed.literals.iter().filter(|l| !lexed.in_test(l.at)) {
            if let Some(tag) = closing_html_tag(&lit.text) {
                out.push(Violation {
                    rule: "html",
                    file: rel.to_path_buf(),
                    line: Some(line_of(src, lit.at)),
                    message: format!(
                        "{krate} builds HTML (`</{tag}>`): only the desk (audarma-web) renders HTML; give the reader an entry point that takes text or bytes instead"
                    ),
                });
            }
        }
    }
    out
}

/// Offsets where `pat` occurs in code as a path (not as the tail of a longer identifier), and the
/// grouped form `std::{…, fs, …}` for `std::fs`-like patterns.
fn occurrences(code: &str, pat: &str) -> Vec<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out: Vec<usize> = code
        .match_indices(pat)
        .filter(|(at, _)| !code[..*at].chars().next_back().is_some_and(ident))
        .filter(|(at, _)| {
            pat.ends_with("::") || pat.ends_with('(') || !code[at + pat.len()..].chars().next().is_some_and(ident)
        })
        .map(|(at, _)| at)
        .collect();
    if let Some((krate, module)) = pat.split_once("::").filter(|(_, m)| m.chars().all(ident)) {
        let open = format!("{krate}::{{");
        for (at, _) in code.match_indices(&open) {
            let group_end = code[at..].find('}').map_or(code.len(), |n| at + n);
            let group = &code[at + open.len()..group_end];
            if group.split([',', ' ', '\n', ':']).any(|w| w == module) {
                out.push(at);
            }
        }
    }
    out
}

fn closing_html_tag(s: &str) -> Option<&'static str> {
    let mut rest = s;
    while let Some(n) = rest.find("</") {
        let after = &rest[n + 2..];
        let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if after[name.len()..].starts_with('>') {
            if let Some(tag) = HTML_ELEMENTS.iter().find(|t| t.eq_ignore_ascii_case(&name)) {
                return Some(tag);
            }
        }
        rest = after;
    }
    None
}
