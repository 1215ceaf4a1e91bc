//! Translation memory on the command line: importing units from a TSV file (parsed by
//! `audarma_store::tm_tsv`).

use super::{open, read_text, Cli, Exit};
use crate::output::json;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum TmCmd {
    /// Import translation units from a TSV file with the header `source_lang  target_lang  source  target`.
    Import { file: PathBuf },
}

pub(super) async fn import(cli: &Cli, file: &Path) -> Result<(), Exit> {
    let units = audarma_store::tm_tsv::parse(file, &read_text(file)?).map_err(Exit::input)?;
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
