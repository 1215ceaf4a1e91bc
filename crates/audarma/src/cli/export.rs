//! `audarma export`: every approved translation to files (see `crate::export`).

use super::{open, Cli};
use crate::output::json;
use crate::Exit;
use std::path::Path;

pub(super) async fn export(cli: &Cli, out: &Path) -> Result<(), Exit> {
    let store = open(cli).await?;
    let written = crate::export::export(store.as_ref(), out).await?;
    if cli.json {
        json(&serde_json::json!({ "written": written }));
    } else {
        println!("exported {} approved translation(s) to {}", written.len() / 2, out.display());
    }
    Ok(())
}
