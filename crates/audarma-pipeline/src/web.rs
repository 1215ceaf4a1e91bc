//! Web sources of a workflow: feeds and release pages, fetched through `audarma-fetch`.
//!
//! A page's validators (ETag, Last-Modified) are recorded only after its release is stored, so a
//! page that failed to ingest is fetched in full again next time.

use crate::{store_release, Progress, RunSummary, Workflow};
use audarma_fetch::{parse_feed, FeedItem, Fetched, Fetcher, Validators};
use audarma_store::{Store, StoreError};

async fn validators(store: &dyn Store, url: &str) -> Result<Validators, StoreError> {
    Ok(store
        .fetch_validators(url)
        .await?
        .map(|(etag, last_modified)| Validators { etag, last_modified })
        .unwrap_or_default())
}

fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default()
}

/// Fetches one release page and stores it; `item` fills in what the page lacks (a feed's title and date).
async fn page(
    store: &dyn Store,
    wf: &Workflow,
    fetcher: &Fetcher,
    url: &str,
    item: Option<&FeedItem>,
    actor: &str,
    summary: &mut RunSummary,
) -> Result<(), StoreError> {
    let fetched = match fetcher.get(url, &validators(store, url).await?).await {
        Ok(f) => f,
        Err(e) => {
            tracing::info!(error = %e, "cannot fetch");
            summary.input_errors.push(e.to_string());
            return Ok(());
        }
    };
    let Fetched::Body { bytes, content_type, validators, .. } = fetched else {
        summary.unchanged += 1;
        return Ok(());
    };
    let profile = wf.site_for(&host_of(url));
    match audarma_ingest::read_fetched(url, content_type.as_deref(), &bytes, wf.source_lang, profile) {
        Ok(mut release) => {
            if let Some(item) = item {
                if release.date.is_none() {
                    release.date = item.date;
                }
                if release.title.is_empty() {
                    release.title = item.title.clone();
                }
            }
            store_release(store, wf, &release, actor, summary).await?;
            store.record_fetch(url, validators.etag.as_deref(), validators.last_modified.as_deref()).await?;
        }
        Err(e) => {
            tracing::info!(error = %e, "cannot ingest");
            summary.input_errors.push(e.to_string());
        }
    }
    Ok(())
}

/// A feed item without a link: its own content is the release.
async fn inline_item(
    store: &dyn Store,
    wf: &Workflow,
    feed: &str,
    n: usize,
    item: &FeedItem,
    actor: &str,
    summary: &mut RunSummary,
) -> Result<(), StoreError> {
    let content = item.content.as_deref().unwrap_or_default();
    let source = format!("{feed}#item-{n}");
    match audarma_ingest::read_feed_item(&source, &item.title, content, item.date, wf.source_lang) {
        Ok(release) => store_release(store, wf, &release, actor, summary).await,
        Err(e) => {
            summary.input_errors.push(e.to_string());
            Ok(())
        }
    }
}

pub async fn ingest(
    store: &dyn Store,
    wf: &Workflow,
    actor: &str,
    progress: &dyn Progress,
    summary: &mut RunSummary,
) -> Result<(), StoreError> {
    let fetcher = match Fetcher::new(wf.fetch.clone()) {
        Ok(f) => f,
        Err(e) => {
            summary.input_errors.push(e.to_string());
            return Ok(());
        }
    };
    for feed in &wf.feeds {
        let before = summary.input_errors.len();
        match fetcher.get(feed, &validators(store, feed).await?).await {
            Ok(Fetched::Unchanged) => summary.unchanged += 1,
            Ok(Fetched::Body { bytes, validators, .. }) => match parse_feed(&bytes) {
                Ok(items) => {
                    for (n, item) in items.iter().enumerate() {
                        match &item.link {
                            Some(link) => page(store, wf, &fetcher, link, Some(item), actor, summary).await?,
                            None => inline_item(store, wf, feed, n, item, actor, summary).await?,
                        }
                    }
                    // Remember the feed only when every item was taken in.
                    if summary.input_errors.len() == before {
                        store
                            .record_fetch(feed, validators.etag.as_deref(), validators.last_modified.as_deref())
                            .await?;
                    }
                }
                Err(e) => summary.input_errors.push(format!("{feed}: {e}")),
            },
            Err(e) => summary.input_errors.push(e.to_string()),
        }
        progress.file_done(feed);
    }
    for url in &wf.urls {
        page(store, wf, &fetcher, url, None, actor, summary).await?;
        progress.file_done(url);
    }
    Ok(())
}
