//! Workflow files: the contract cron jobs are written against (documented in `workflows/README.md`).

use audarma_core::Lang;
use audarma_mt::BackendConfig;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    name: String,
    sources: RawSources,
    languages: RawLanguages,
    #[serde(default)]
    glossary: RawGlossary,
    backend: BackendConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    paths: Vec<PathBuf>,
    /// The language of every source release, when known (otherwise detected).
    lang: Option<Lang>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguages {
    targets: Vec<Lang>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    paths: Vec<PathBuf>,
}

/// A validated workflow; every path is resolved against the workflow file's directory.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub file: PathBuf,
    pub name: String,
    pub sources: Vec<PathBuf>,
    pub source_lang: Option<Lang>,
    pub targets: Vec<Lang>,
    pub glossaries: Vec<PathBuf>,
    pub backend: BackendConfig,
}

/// A workflow file that cannot be used, with the file and line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct WorkflowError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

impl Workflow {
    pub fn load(path: &Path) -> Result<Workflow, WorkflowError> {
        let err = |line, message: String| WorkflowError { file: path.to_path_buf(), line, message };
        let text = std::fs::read_to_string(path).map_err(|e| err(0, format!("cannot read: {e}")))?;
        Workflow::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Workflow, WorkflowError> {
        let err = |line, message: String| WorkflowError { file: path.to_path_buf(), line, message };
        let raw: RawWorkflow = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            err(line, e.message().trim().replace('\n', " "))
        })?;
        let find = |key: &str| text.lines().position(|l| l.trim_start().starts_with(key)).map(|i| i + 1).unwrap_or(1);
        if raw.name.trim().is_empty() {
            return Err(err(find("name"), "`name` is empty".into()));
        }
        if raw.sources.paths.is_empty() {
            return Err(err(find("paths"), "`sources.paths` is empty: name at least one file or directory".into()));
        }
        if raw.languages.targets.is_empty() {
            return Err(err(find("targets"), "`languages.targets` is empty".into()));
        }
        let mut targets = raw.languages.targets.clone();
        targets.sort();
        targets.dedup();
        let dir = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &PathBuf| if p.is_absolute() { p.clone() } else { dir.join(p) };
        Ok(Workflow {
            file: path.to_path_buf(),
            name: raw.name,
            sources: raw.sources.paths.iter().map(resolve).collect(),
            source_lang: raw.sources.lang,
            targets,
            glossaries: raw.glossary.paths.iter().map(resolve).collect(),
            backend: raw.backend,
        })
    }

    /// Checks what can be checked without running: sources and glossaries exist.
    pub fn check_paths(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (what, list) in [("source", &self.sources), ("glossary", &self.glossaries)] {
            for p in list.iter().filter(|p| !p.exists()) {
                problems.push(format!("{}: {what} path {} does not exist", self.file.display(), p.display()));
            }
        }
        problems
    }

    /// The targets of a release in `lang`: every target but its own language.
    pub fn targets_for(&self, lang: Lang) -> Vec<Lang> {
        self.targets.iter().copied().filter(|t| *t != lang).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const OK: &str = r#"
name = "demo"
[sources]
paths = ["../examples/releases"]
[languages]
targets = ["en", "kk", "ru"]
[glossary]
paths = ["../glossaries"]
[backend]
kind = "pseudo"
"#;

    #[test]
    fn paths_are_relative_to_the_file() {
        let w = Workflow::parse(Path::new("/repo/workflows/demo.toml"), OK).unwrap();
        assert_eq!(w.sources, [PathBuf::from("/repo/workflows/../examples/releases")]);
        assert_eq!(w.targets_for(Lang::Kk), [Lang::En, Lang::Ru]);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_file_line_and_field() {
        let bad = OK.replace("[glossary]", "[glossary]\npathz = []");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:8: unknown field `pathz`"), "{e}");
        let bad = OK.replace("\"kk\", \"ru\"", "\"kk\", \"de\"");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:6:") && e.contains("de"), "{e}");
        let bad = OK.replace("kind = \"pseudo\"", "kind = \"babel\"");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:10:") && e.contains("babel"), "{e}");
        let bad = OK.replace("name = \"demo\"\n", "");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.contains("missing field `name`"), "{e}");
    }
}
