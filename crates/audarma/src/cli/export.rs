//! `audarma export`: every approved translation as `release-ID.LANG.md` and `release-ID.LANG.json` in
//! one directory. What the files say is `audarma_store::export`'s; this names and writes them (see
//! `crate::atomic`: a reader never sees half a file). With `--script latn`, only the approved Kazakh
//! translations, in the Latin alphabet (`release-ID.kk-Latn.*`, language `kk-Latn`), the glossary's
//! `kk-Latn` forms first (`audarma_review::kk_latin`); translations into other languages are left out.

use super::{open, Cli, Exit, GlossaryArgs, Script};
use crate::atomic;
use crate::output::json;
use audarma_core::Lang;
use audarma_pipeline::Terminology;
use std::path::Path;

pub(super) async fn export(cli: &Cli, out: &Path, script: Option<Script>, glossary: &GlossaryArgs) -> Result<(), Exit> {
    // The glossary is read first: a broken one stops the export before anything is written.
    let latin = match script {
        Some(Script::Latn) => Some(Terminology::new(glossary.load()?)),
        None => None,
    };
    let store = open(cli).await?;
    std::fs::create_dir_all(out).map_err(|e| Exit::input(format!("{}: cannot create: {e}", out.display())))?;
    let mut written = Vec::new();
    let mut left_out = 0usize;
    for mut a in store.approved().await? {
        let (files, language) = match &latin {
            None => (audarma_store::export::render(&a), a.target_lang.code().to_string()),
            Some(_) if a.target_lang != Lang::Kk => {
                left_out += 1;
                continue;
            }
            Some(terms) => {
                for (_, text) in &mut a.segments {
                    *text = terms.kk_latin(text);
                }
                (audarma_store::export::render_as(&a, "kk-Latn"), "kk-Latn".to_string())
            }
        };
        let stem = format!("release-{}.{language}", a.release_id);
        for (path, content) in
            [(out.join(format!("{stem}.md")), files.markdown), (out.join(format!("{stem}.json")), files.json)]
        {
            atomic::write(&path, content.as_bytes()).map_err(Exit::internal)?;
            written.push(path);
        }
    }
    if cli.json {
        let mut v = serde_json::json!({ "written": written });
        if latin.is_some() {
            v["script"] = "latn".into();
            v["left_out"] = left_out.into();
        }
        json(&v);
    } else if latin.is_some() {
        println!(
            "exported {} approved Kazakh translation(s) in Latin script to {} ({left_out} in other languages left out)",
            written.len() / 2,
            out.display()
        );
    } else {
        println!("exported {} approved translation(s) to {}", written.len() / 2, out.display());
    }
    Ok(())
}
