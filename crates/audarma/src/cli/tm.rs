//! Translation memory on the command line: importing units from a TSV file.

use super::{open, read_lines, Cli};
use crate::output::json;
use crate::Exit;
use audarma_core::Lang;
use audarma_store::TmUnit;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum TmCmd {
    /// Import translation units from a TSV file with the header `source_lang  target_lang  source  target`.
    Import { file: PathBuf },
}

pub(super) async fn import(cli: &Cli, file: &Path) -> Result<(), Exit> {
    let lines = read_lines(file)?;
    let mut units = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = |what: &str| Exit::input(format!("{}:{}: {what}", file.display(), i + 1));
        let [sl, tl, source, target] = cols[..] else {
            return Err(bad("expected 4 tab-separated columns: source_lang, target_lang, source, target"));
        };
        let sl: Lang = sl.parse().map_err(|e| bad(&format!("source_lang: {e}")))?;
        let tl: Lang = tl.parse().map_err(|e| bad(&format!("target_lang: {e}")))?;
        if source.trim().is_empty() || target.trim().is_empty() {
            return Err(bad("empty source or target"));
        }
        units.push(TmUnit {
            source_lang: sl,
            target_lang: tl,
            source: source.trim().into(),
            target: target.trim().into(),
        });
    }
    let store = open(cli).await?;
    let origin = format!("import:{}", file.file_name().and_then(|n| n.to_str()).unwrap_or("tsv"));
    let added = store.tm_add(&units, &origin).await?;
    if cli.json {
        json(&serde_json::json!({ "read": units.len(), "added": added }));
    } else {
        println!("{}: {} unit(s) read, {added} new", file.display(), units.len());
    }
    Ok(())
}
