//! The ingest step of a run: the workflow's files, then its feeds and pages; new releases are stored
//! and get their jobs.

use crate::{web, Progress, RunSummary, Workflow};
use audarma_store::{Inserted, Store};

/// Stores a release read from `source` and creates its missing jobs.
pub(crate) async fn store_release(
    store: &dyn Store,
    wf: &Workflow,
    release: &audarma_core::Release,
    actor: &str,
    summary: &mut RunSummary,
) -> Result<(), audarma_store::StoreError> {
    let inserted = store.insert_release(release, actor).await?;
    match inserted {
        Inserted::New { id } => {
            summary.releases_new += 1;
            tracing::info!(release = id, source = %release.source, lang = %release.lang, "new release");
        }
        Inserted::Existing { id } => {
            summary.releases_skipped += 1;
            tracing::debug!(release = id, source = %release.source, "release already stored");
        }
    }
    let created = store.ensure_jobs(inserted.id(), &wf.targets_for(release.lang), &wf.name, actor).await?;
    summary.jobs_created += created.len();
    Ok(())
}

/// Ingests the workflow's sources (files, then feeds and pages): new releases are stored and get
/// their jobs. A source that cannot be read is reported in the summary; the others still are.
pub async fn ingest(
    store: &dyn Store,
    wf: &Workflow,
    actor: &str,
    progress: &dyn Progress,
    summary: &mut RunSummary,
) -> Result<(), audarma_store::StoreError> {
    let files = audarma_ingest::collect_files(&wf.sources);
    progress.ingest_started(files.len() + wf.feeds.len() + wf.urls.len());
    for f in files {
        let path = match f {
            Ok(p) => p,
            Err(e) => {
                tracing::info!(error = %e, "cannot read source");
                summary.input_errors.push(e.to_string());
                continue;
            }
        };
        match audarma_ingest::read_file(&path, wf.source_lang) {
            Ok(release) => store_release(store, wf, &release, actor, summary).await?,
            Err(e) => {
                tracing::info!(error = %e, "cannot ingest");
                summary.input_errors.push(e.to_string());
            }
        }
        progress.file_done(&path.display().to_string());
    }
    if !wf.feeds.is_empty() || !wf.urls.is_empty() {
        web::ingest(store, wf, actor, progress, summary).await?;
    }
    Ok(())
}
