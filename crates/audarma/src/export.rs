//! Export of approved translations: Markdown with front matter, and JSON, one pair per job.
//! Files are written to a temporary name and renamed, so a reader never sees half a file.

use crate::Exit;
use audarma_store::{ApprovedTranslation, Store};
use std::path::{Path, PathBuf};

fn write_atomic(path: &Path, content: &str) -> Result<(), Exit> {
    crate::atomic::write(path, content.as_bytes())
        .map_err(|e| Exit::internal(format!("{}: cannot write: {e}", path.display())))
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The translated title and paragraphs of an approved job.
fn title_and_paragraphs(a: &ApprovedTranslation) -> (String, Vec<String>) {
    let mut title = String::new();
    let mut paragraphs: Vec<(u32, String)> = Vec::new();
    for (p, text) in &a.segments {
        match p {
            None => title = text.clone(),
            Some(p) => match paragraphs.last_mut() {
                Some((last, para)) if last == p => {
                    para.push(' ');
                    para.push_str(text);
                }
                _ => paragraphs.push((*p, text.clone())),
            },
        }
    }
    (title, paragraphs.into_iter().map(|(_, t)| t).collect())
}

pub async fn export(store: &dyn Store, out: &Path) -> Result<Vec<PathBuf>, Exit> {
    std::fs::create_dir_all(out).map_err(|e| Exit::input(format!("{}: cannot create: {e}", out.display())))?;
    let mut written = Vec::new();
    for a in store.approved().await? {
        let (title, paragraphs) = title_and_paragraphs(&a);
        let stem = format!("release-{}.{}", a.release_id, a.target_lang);
        let date = a.release_date.map(|d| d.to_string());
        let mut md = String::from("---\n");
        md.push_str(&format!("title: {}\n", yaml_str(&title)));
        md.push_str(&format!("date: {}\n", date.as_deref().unwrap_or("null")));
        md.push_str(&format!("language: {}\n", a.target_lang));
        md.push_str(&format!("source_language: {}\n", a.source_lang));
        md.push_str(&format!("source_release: {}\n", a.release_id));
        md.push_str(&format!("source: {}\n", yaml_str(&a.release_source)));
        md.push_str(&format!("job: {}\n", a.job_id));
        md.push_str(&format!("approved_by: {}\n", yaml_str(&a.approved_by)));
        md.push_str(&format!("approved_at: {}\n", a.approved_at.to_rfc3339()));
        md.push_str("---\n\n");
        md.push_str(&format!("# {title}\n\n"));
        for p in &paragraphs {
            md.push_str(p);
            md.push_str("\n\n");
        }
        let json = serde_json::json!({
            "title": title, "date": date, "language": a.target_lang, "source_language": a.source_lang,
            "source_release": a.release_id, "source": a.release_source, "job": a.job_id, "place": a.place,
            "approved_by": a.approved_by, "approved_at": a.approved_at, "paragraphs": paragraphs,
        });
        let md_path = out.join(format!("{stem}.md"));
        let json_path = out.join(format!("{stem}.json"));
        write_atomic(&md_path, &format!("{}\n", md.trim_end()))?;
        write_atomic(&json_path, &serde_json::to_string_pretty(&json).unwrap_or_default())?;
        written.push(md_path);
        written.push(json_path);
    }
    Ok(written)
}
