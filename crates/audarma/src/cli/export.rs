//! `audarma export`: every approved translation as `release-ID.LANG.md` and `release-ID.LANG.json` in
//! one directory. What the files say is `audarma_store::export`'s; this names and writes them (see
//! `crate::atomic`: a reader never sees half a file).

use super::{open, Cli, Exit};
use crate::atomic;
use crate::output::json;
use std::path::Path;

pub(super) async fn export(cli: &Cli, out: &Path) -> Result<(), Exit> {
    let store = open(cli).await?;
    std::fs::create_dir_all(out).map_err(|e| Exit::input(format!("{}: cannot create: {e}", out.display())))?;
    let mut written = Vec::new();
    for a in store.approved().await? {
        let files = audarma_store::export::render(&a);
        let stem = format!("release-{}.{}", a.release_id, a.target_lang);
        for (path, content) in
            [(out.join(format!("{stem}.md")), files.markdown), (out.join(format!("{stem}.json")), files.json)]
        {
            atomic::write(&path, content.as_bytes()).map_err(Exit::internal)?;
            written.push(path);
        }
    }
    if cli.json {
        json(&serde_json::json!({ "written": written }));
    } else {
        println!("exported {} approved translation(s) to {}", written.len() / 2, out.display());
    }
    Ok(())
}
