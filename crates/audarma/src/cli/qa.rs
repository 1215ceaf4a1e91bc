//! `qa` (every check) and `glossary verify` (terms only) over two files of aligned lines: translations
//! made anywhere.

use super::{read_lines, Cli, Exit, GlossaryArgs};
use crate::output::json;
use audarma_core::Lang;
use audarma_pipeline::Terminology;
use clap::Args;
use std::path::PathBuf;

/// Two files of aligned lines and how to read them.
#[derive(Args, Debug, Clone)]
pub struct AlignedArgs {
    #[arg(long)]
    pub from: Lang,
    #[arg(long)]
    pub to: Lang,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// The release date, for terms valid only in a date range.
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    pub source: PathBuf,
    pub target: PathBuf,
}

impl AlignedArgs {
    fn lines(&self) -> Result<Vec<(String, String)>, Exit> {
        let (s, t) = (read_lines(&self.source)?, read_lines(&self.target)?);
        if s.len() != t.len() {
            return Err(Exit::input(format!(
                "{} has {} lines but {} has {}: the files must be aligned line by line",
                self.source.display(),
                s.len(),
                self.target.display(),
                t.len()
            )));
        }
        Ok(s.into_iter().zip(t).collect())
    }
}

/// `glossary verify` (terms only) and `qa` (every check) over aligned lines.
pub(super) fn aligned(cli: &Cli, a: &AlignedArgs, qa: bool) -> Result<(), Exit> {
    let lines = a.lines()?;
    let terms = Terminology::new(a.glossary.load()?);
    let mut segments = Vec::new();
    let mut problems = 0;
    for (i, (source, target)) in lines.iter().enumerate() {
        let checks = terms.verify(source, target, a.from, a.to, a.date);
        if qa {
            let findings = terms.check(source, target, a.from, a.to, &checks);
            problems += findings.iter().filter(|f| f.severity == audarma_qa::Severity::Error).count();
            if !cli.json {
                for f in &findings {
                    let at = f.start.map(|s| format!(":{s}")).unwrap_or_default();
                    println!(
                        "{}{at}: {} {}: {}",
                        i + 1,
                        serde_json::to_value(f.severity).unwrap_or_default().as_str().unwrap_or(""),
                        f.check,
                        f.message
                    );
                }
            }
            segments.push(serde_json::json!({ "line": i + 1, "issues": findings }));
        } else {
            // Only certain evidence fails the command: a term not found may be a paraphrase.
            problems +=
                checks.iter().filter(|c| c.grade().is_some_and(|(_, g)| g == audarma_glossary::Grade::Error)).count();
            if !cli.json {
                for c in &checks {
                    let status = serde_json::to_value(c.status).unwrap_or_default();
                    let via = c.via.as_deref().map(|v| format!(" (via {v})")).unwrap_or_default();
                    let rule = c.grade().map(|(r, g)| format!(" [{r}, {g:?}]").to_lowercase()).unwrap_or_default();
                    println!(
                        "{}: {} {}{via} {:?} → {:?}{rule}",
                        i + 1,
                        c.id,
                        status.as_str().unwrap_or(""),
                        c.source,
                        c.target
                    );
                }
            }
            let terms: Vec<_> = checks
                .iter()
                .map(|c| {
                    let rule = c.grade().map(|(r, _)| r);
                    serde_json::json!({ "id": c.id, "status": c.status, "source": c.source, "target": c.target, "via": c.via, "expected": c.expected, "rule": rule })
                })
                .collect();
            segments.push(serde_json::json!({ "line": i + 1, "terms": terms }));
        }
    }
    if cli.json {
        json(&serde_json::json!({ "segments": segments }));
    }
    if problems > 0 {
        Err(Exit::problems())
    } else {
        Ok(())
    }
}
