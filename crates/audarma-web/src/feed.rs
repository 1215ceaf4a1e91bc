//! A user's jobs as an Atom 1.0 feed (RFC 4287), for any feed reader: `GET /feed/TOKEN.atom`, read
//! without a session. The token is the user's feed token (created on their account page or with
//! `audarma user feed-token NAME`, stored only as its SHA-256); the entries are the state changes,
//! assignments and deadlines of the jobs assigned to them, newest first, in their interface language,
//! each marked when its job is due soon or overdue.

use crate::i18n::{Locale, Tr};
use crate::{auth, locale_of, AppState, Desk};
use askama::Template;
use audarma_core::{Due, JobState};
use audarma_store::{FeedItem, User};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use fluent_bundle::{FluentArgs, FluentValue};

/// The most entries a feed has.
pub const FEED_ENTRIES: u32 = 50;

/// The path of a user's feed for a token.
pub fn feed_path(token: &str) -> String {
    format!("/feed/{token}.atom")
}

pub struct EntryView {
    pub id: String,
    pub title: String,
    pub updated: String,
    pub link: String,
    pub author: String,
    /// The event's kind (`state`, `assign`, `deadline`) and the job's due mark, as Atom categories.
    pub categories: Vec<(String, String)>,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct AtomFeed {
    lang: &'static str,
    /// The desk's address as the reader reached it, when the request said (relative links resolve
    /// against it).
    base: Option<String>,
    id: String,
    title: String,
    subtitle: String,
    updated: String,
    self_link: String,
    entries: Vec<EntryView>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn args(pairs: &[(&str, String)]) -> FluentArgs<'static> {
    let mut a = FluentArgs::new();
    for (k, v) in pairs {
        a.set(k.to_string(), FluentValue::from(v.clone()));
    }
    a
}

/// One entry in the user's language.
fn entry(desk: &Desk, loc: Locale, user: &User, item: &FeedItem, today: NaiveDate) -> EntryView {
    let tr = Tr { i18n: &desk.i18n, loc };
    let (e, job) = (&item.event, &item.job);
    let pair = format!("{} → {}", job.source_lang, job.target_lang);
    let state_name = |s: &str| JobState::parse(s).map(|s| tr.t(&format!("state-{}", s.as_str()))).unwrap_or_default();
    let base = [("title", job.title.clone()), ("pair", pair)];
    let with = |extra: (&str, String)| {
        let mut all = base.to_vec();
        all.push(extra);
        args(&all)
    };
    let mut title = match (e.kind.as_str(), e.after.as_deref()) {
        ("state", after) => {
            desk.i18n.message(loc, "feed-entry-state", Some(&with(("state", state_name(after.unwrap_or_default())))))
        }
        ("assign", Some(who)) if who == user.name => desk.i18n.message(loc, "feed-entry-assigned", Some(&args(&base))),
        ("assign", Some(who)) => {
            desk.i18n.message(loc, "feed-entry-assigned-other", Some(&with(("name", who.to_string()))))
        }
        ("assign", None) => desk.i18n.message(loc, "feed-entry-unassigned", Some(&args(&base))),
        (_, _) => {
            let date = e.detail.get("deadline").and_then(|d| d.as_str()).and_then(|d| d.parse::<NaiveDate>().ok());
            let date = date.or(job.deadline).map(|d| loc.date(d)).unwrap_or_default();
            desk.i18n.message(loc, "feed-entry-deadline", Some(&with(("date", date))))
        }
    };
    let due = Due::of(job.state, job.deadline, today);
    if let Some(d) = due {
        title = format!("{title} — {}", tr.t(&format!("due-{}", d.as_str())));
    }
    let mut summary = desk.i18n.message(
        loc,
        "feed-summary",
        Some(&args(&[
            ("job", job.id.to_string()),
            ("state", state_name(job.state.as_str())),
            ("name", e.actor.clone()),
        ])),
    );
    if let Some(deadline) = job.deadline {
        summary.push(' ');
        summary.push_str(&tr.with("feed-deadline", "date", &loc.date(deadline)));
    }
    let mut categories = vec![(e.kind.clone(), tr.t(&format!("feed-kind-{}", e.kind)))];
    if let Some(d) = due {
        categories.push((format!("due-{}", d.as_str()), tr.t(&format!("due-{}", d.as_str()))));
    }
    EntryView {
        id: format!("urn:audarma:event:{}", e.id),
        title,
        updated: rfc3339(e.at),
        link: format!("/jobs/{}", job.id),
        author: e.actor.clone(),
        categories,
        summary,
    }
}

/// The address the reader used, for `xml:base`: the `Host` it sent, over https when the desk says so.
pub(crate) fn base_of(desk: &Desk, headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !plain || host.is_empty() {
        return None;
    }
    let https = desk.config.secure_cookies
        || headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() == "https");
    Some(format!("{}://{host}/", if https { "https" } else { "http" }))
}

/// `GET /feed/{TOKEN}.atom`: the feed of the token's user; 404 for anything else (an unknown,
/// replaced or disabled user's token alike).
pub async fn atom(State(desk): State<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "no such feed\n").into_response();
    let Some(token) = file.strip_suffix(".atom").filter(|t| !t.is_empty()) else { return not_found() };
    let user = match desk.store.user_by_feed_token(&auth::token_hash(token)).await {
        Ok(Some(u)) => u,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "feed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response();
        }
    };
    let items = match desk.store.feed(&user.name, FEED_ENTRIES).await {
        Ok(items) => items,
        Err(e) => {
            tracing::error!(error = %e, "feed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response();
        }
    };
    // A feed reader sends no cookie: the user's own setting, else what the reader accepts.
    let loc = locale_of(&headers, Some(&user));
    let today = crate::pages::today();
    let tr = Tr { i18n: &desk.i18n, loc };
    let feed = AtomFeed {
        lang: loc.code(),
        base: base_of(&desk, &headers),
        id: format!("urn:audarma:feed:{}", user.id),
        title: tr.with("feed-title", "name", &user.name),
        subtitle: tr.with("feed-subtitle", "name", &user.name),
        updated: rfc3339(items.first().map_or_else(Utc::now, |i| i.event.at)),
        self_link: feed_path(token),
        entries: items.iter().map(|i| entry(&desk, loc, &user, i, today)).collect(),
    };
    match feed.render() {
        Ok(xml) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                // The link is a secret: not for shared caches.
                (header::CACHE_CONTROL, "private, max-age=60"),
            ],
            xml,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "feed template");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}
