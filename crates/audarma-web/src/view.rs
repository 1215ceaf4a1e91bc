//! What pages and the API show of a job: source text with its glossary terms marked, findings, terms,
//! translation-memory matches with diffs. Built from the store's records; no HTML here (templates escape).

use audarma_core::{Check, Finding, Lang, TermResult};
use audarma_review::Terminology;
use audarma_store::{Dismissal, JobDetail, Store, TargetSegment};
use serde::Serialize;

/// A piece of source text; `hint` is set on a glossary term and says what it must become.
#[derive(Debug, Clone, Serialize)]
pub struct Chunk {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Splits `text` at the glossary terms found in it.
pub fn highlight(terms: &Terminology, text: &str, source: Lang, target: Lang) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut at = 0;
    for m in terms.matcher(source).find(text) {
        // An overlap with the previous term (m.start < at) gives no `before` and is skipped.
        let (Some(before), Some(term)) = (text.get(at..m.start), text.get(m.start..m.end)) else { continue };
        let concept = &terms.glossary.concepts[m.concept];
        let hint = if m.forbidden {
            format!("✗ {}", concept.preferred(source).unwrap_or_default())
        } else if concept.dnt {
            term.to_string()
        } else {
            concept.preferred(target).unwrap_or_default().to_string()
        };
        if !before.is_empty() {
            out.push(Chunk { text: before.to_string(), hint: None });
        }
        out.push(Chunk { text: term.to_string(), hint: Some(hint) });
        at = m.end;
    }
    if at < text.len() {
        out.push(Chunk { text: text[at..].to_string(), hint: None });
    }
    out
}

/// A finding as the desk shows it: the stored finding, whether a reviewer dismissed it for the
/// current text, and whether it blocks approval.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    #[serde(flatten)]
    pub finding: Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dismissed: Option<Dismissal>,
    /// An `error` nobody dismissed: approving the job needs an override reason.
    pub blocking: bool,
    /// For `spelling`: the word of the target the finding is about (what "Add to dictionary" adds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
}

/// The findings of a segment whose current text is `text`, with the dismissals that apply to it.
pub fn findings(stored: &[Finding], dismissals: &[Dismissal], text: &str) -> Vec<FindingView> {
    stored
        .iter()
        .map(|f| FindingView {
            word: (f.check == Check::Spelling).then(|| finding_word(f, text)).flatten(),
            dismissed: dismissals.iter().find(|d| d.matches(f)).cloned(),
            blocking: audarma_store::is_blocking(f, dismissals),
            finding: f.clone(),
        })
        .collect()
}

/// The word a finding points at: its character span in the text, else the first “quoted” word of
/// its message.
fn finding_word(f: &Finding, text: &str) -> Option<String> {
    if let Some((start, end)) = f.start.zip(f.end).filter(|(s, e)| s < e) {
        let word: String = text.chars().skip(start).take(end - start).collect();
        if !word.trim().is_empty() {
            return Some(word);
        }
    }
    let (_, rest) = f.message.split_once('“')?;
    let (word, _) = rest.split_once('”')?;
    (!word.trim().is_empty()).then(|| word.to_string())
}

#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub source: String,
    pub target: String,
    /// `ok`, `missing`, `forbidden`, `outdated`, or empty when there is no text to judge yet.
    pub status: String,
}

pub fn term_views(terms: &[TermResult]) -> Vec<TermView> {
    terms
        .iter()
        .map(|t| TermView {
            source: t.source.clone(),
            target: t.target.clone(),
            status: t.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        })
        .collect()
}

/// Word-level differences from `old` to `new`: (`eq` | `del` | `ins`, text).
///
/// Diffing has a time budget ([`DIFF_BUDGET`]): past it, the rest of the texts is shown as one
/// removal and one insertion rather than refined, so a history page never waits on a diff.
pub fn diff(old: &str, new: &str) -> Vec<(&'static str, String)> {
    let d = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .deadline(std::time::Instant::now() + DIFF_BUDGET)
        .diff_words(old, new);
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for c in d.iter_all_changes() {
        let kind = match c.tag() {
            similar::ChangeTag::Equal => "eq",
            similar::ChangeTag::Delete => "del",
            similar::ChangeTag::Insert => "ins",
        };
        match out.last_mut() {
            Some((k, text)) if *k == kind => text.push_str(c.value()),
            _ => out.push((kind, c.value().to_string())),
        }
    }
    out
}

/// How long one word diff may refine before it settles for a coarser answer.
pub const DIFF_BUDGET: std::time::Duration = std::time::Duration::from_millis(50);

/// A translation-memory match and how its source differs from the segment's.
#[derive(Debug, Clone, Serialize)]
pub struct TmView {
    pub score: u8,
    pub source: String,
    pub target: String,
    /// From the match's source to this segment's source.
    pub diff: Vec<(&'static str, String)>,
}

/// The fuzzy memory matches the editor shows for a segment: those kept when it was translated, else
/// (a segment translated before they were kept) looked up now. A translator's "use this match" names
/// one of them by its place.
pub async fn memory_matches(
    store: &dyn Store,
    seg: &TargetSegment,
    source: Lang,
    target: Lang,
) -> audarma_store::Result<Vec<audarma_store::TmMatch>> {
    match &seg.tm {
        Some(v) => Ok(v.clone()),
        None => audarma_review::fuzzy_matches(store, &seg.source, source, target).await,
    }
}

/// The segment's fuzzy matches as the editor shows them, with what differs in their sources.
pub async fn tm_matches(
    store: &dyn Store,
    seg: &TargetSegment,
    source: Lang,
    target: Lang,
) -> audarma_store::Result<Vec<TmView>> {
    let found = memory_matches(store, seg, source, target).await?;
    Ok(found
        .into_iter()
        .map(|m| TmView { score: m.score, diff: diff(&m.source, &seg.source), source: m.source, target: m.target })
        .collect())
}

/// One segment as the editor shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentView {
    pub idx: u32,
    pub paragraph: Option<u32>,
    pub source: String,
    pub source_lang: Lang,
    pub source_chunks: Vec<Chunk>,
    pub suggestion: Option<String>,
    pub origin: String,
    pub backend: Option<String>,
    pub edited: Option<String>,
    /// The text that would be published now.
    pub current: String,
    pub version: i64,
    pub terms: Vec<TermView>,
    pub findings: Vec<FindingView>,
    pub tm: Vec<TmView>,
    /// Where the current text names its source's glossary concepts, right or wrong.
    pub term_spans: Vec<audarma_review::TermSpan>,
}

pub async fn segments(
    store: &dyn Store,
    terms: &Terminology,
    job: &JobDetail,
) -> audarma_store::Result<Vec<SegmentView>> {
    let target = job.summary.target_lang;
    let mut out = Vec::with_capacity(job.segments.len());
    for s in &job.segments {
        let source_lang = s.source_lang.unwrap_or(job.summary.source_lang);
        out.push(SegmentView {
            idx: s.idx,
            paragraph: s.paragraph,
            source: s.source.clone(),
            source_lang,
            source_chunks: highlight(terms, &s.source, source_lang, target),
            suggestion: s.suggestion.clone(),
            origin: s.origin.as_str().to_string(),
            backend: s.backend.clone(),
            edited: s.edited.clone(),
            current: s.current().unwrap_or_default().to_string(),
            term_spans: terms.term_spans(
                &s.source,
                s.current().unwrap_or_default(),
                source_lang,
                target,
                job.summary.release_date,
            ),
            version: s.version,
            terms: term_views(&s.terms),
            findings: findings(&s.findings, &s.dismissals, s.current().unwrap_or_default()),
            tm: tm_matches(store, s, source_lang, target).await?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_words_removed_and_added() {
        let d = diff("The Head of State met the delegation", "The Head of State received the delegation");
        assert!(d.contains(&("del", "met".to_string())), "{d:?}");
        assert!(d.contains(&("ins", "received".to_string())), "{d:?}");
        let joined: String = d.iter().filter(|(k, _)| *k != "del").map(|(_, t)| t.as_str()).collect();
        assert_eq!(joined, "The Head of State received the delegation");
    }

    #[test]
    fn findings_know_their_word_and_dismissal() {
        use audarma_core::{Evidence, Severity};
        let spelling =
            Finding::new(Check::Spelling, Severity::Warning, "“Акордаа” is not in the Russian dictionary".into())
                .because(Evidence { found: Some("Акордаа".into()), ..Evidence::rule("not-in-dictionary") });
        let spelling = Finding { start: Some(2), end: Some(9), ..spelling };
        let stored = vec![
            spelling,
            Finding::new(Check::Numbers, Severity::Error, "5 is missing".into()),
            Finding::new(Check::Terminology, Severity::Error, "missing term".into()),
        ];
        let d = Dismissal {
            check: Check::Numbers,
            message: "5 is missing".into(),
            reason: Some("in the table".into()),
            by: "aigerim".into(),
            at: chrono::Utc::now(),
        };
        let v = findings(&stored, &[d], "В Акордаа прошла встреча");
        assert_eq!(v[0].word.as_deref(), Some("Акордаа"));
        let json = serde_json::to_value(&v[0]).unwrap_or_default();
        assert_eq!(json["check"], "spelling", "{json}");
        assert_eq!(json["evidence"]["rule"], "not-in-dictionary", "{json}");
        assert_eq!((json["start"].as_u64(), json["end"].as_u64()), (Some(2), Some(9)));
        assert!(v[1].dismissed.is_some() && !v[1].blocking, "a dismissed error does not block");
        assert!(v[2].dismissed.is_none() && v[2].blocking);
        // Without a span, the quoted word of the message.
        let bare = [Finding::new(Check::Spelling, Severity::Warning, "“слово” is unknown".into())];
        assert_eq!(findings(&bare, &[], "").remove(0).word.as_deref(), Some("слово"));
    }
}
