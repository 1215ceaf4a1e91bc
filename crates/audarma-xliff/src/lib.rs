//! XLIFF for audarma jobs, out and back in. Pure: structs in, bytes out; bytes in, records out.
//!
//! - [`Document`] is a job as an XLIFF file carries it: per segment ([`Unit`]) its source, current
//!   target, [`UnitState`], version, notes (QA findings, comments), glossary terms and translation
//!   memory matches. [`Document::from_job`] builds it from the store's `JobDetail` and comments.
//! - [`write`] renders it as XLIFF 1.2 (strict schema) or 2.0/2.1 (core, with the glossary and
//!   matches modules) ([`XliffVersion`]); [`Options::copy_source`] writes each target as a copy of
//!   the source, for CAT tools that translate `<target>` (OmegaT's built-in filter).
//! - [`read`] parses a file of either version into a [`ReadDocument`]: the job, the language pair
//!   and each unit's source, target (markup inside it is reported, never dropped), version and base
//!   (the hash of the target as exported). Errors name the line.
//! - [`plan`] compares a read file with the job as stored: a file for another job, language pair or
//!   a modified source is a [`Refusal`] (nothing may be written); otherwise each unit is unchanged,
//!   an edit (with the version it must still have), a conflict (the segment changed in audarma since
//!   the export) or refused (an empty target, markup, a control character).
//! - [`apply`] makes a plan's edits through `Store::edit_segment`, each with the version it must
//!   still have and its findings (checked by the caller, as every edit is), under the importing user.
//!
//! Identifiers in the file: `original="audarma:job/ID"` on `<file>`, unit ids `sIDX`, and per unit
//! the segment's version and base — in 1.2 as `extradata="audarma version=V base=HASH"` on the
//! `<trans-unit>` (strict 1.2 has no attribute of another namespace without a schema), in 2.x as
//! `aud:version` and `aud:base` attributes in the namespace [`NS_AUDARMA`] (the core schema allows
//! attributes of other namespaces on `<unit>`).

mod apply;
mod plan;
mod read;
mod write;

use audarma_core::{JobState, Lang, Severity, TmMatch};
use audarma_store::{Comment, JobDetail};

pub use apply::{apply, Imported};
pub use plan::{plan, Conflict, Plan, PlannedEdit, Refusal, RefusedUnit};
pub use read::{read, Content, ReadDocument, ReadUnit, XliffError};
pub use write::write;

/// The namespace of audarma's attributes in XLIFF 2.x files.
pub const NS_AUDARMA: &str = "urn:audarma:xliff";

/// Which XLIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum XliffVersion {
    #[serde(rename = "1.2")]
    V12,
    #[default]
    #[serde(rename = "2.0")]
    V20,
    #[serde(rename = "2.1")]
    V21,
}

impl XliffVersion {
    pub fn parse(s: &str) -> Option<XliffVersion> {
        Some(match s {
            "1.2" => XliffVersion::V12,
            "2.0" | "2" => XliffVersion::V20,
            "2.1" => XliffVersion::V21,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            XliffVersion::V12 => "1.2",
            XliffVersion::V20 => "2.0",
            XliffVersion::V21 => "2.1",
        }
    }
}

impl std::fmt::Display for XliffVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a segment stands, in XLIFF 2's words (1.2 in brackets):
/// `Initial` — no text or only the machine's suggestion (`needs-translation`); `Translated` — a
/// person's text in a job still in review (`translated`); `Reviewed`, `Final` — the job is approved
/// (`final`, with `approved="yes"` on the `<trans-unit>`). Export writes `Final` for approved jobs and
/// never `Reviewed`; import reads every state the same way (the target is what counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitState {
    Initial,
    Translated,
    Reviewed,
    Final,
}

impl UnitState {
    /// The XLIFF 2.x `state` value.
    pub fn as_xliff2(self) -> &'static str {
        match self {
            UnitState::Initial => "initial",
            UnitState::Translated => "translated",
            UnitState::Reviewed => "reviewed",
            UnitState::Final => "final",
        }
    }

    /// The XLIFF 1.2 `state` value of `<target>`, and whether the unit is `approved="yes"`.
    pub fn as_xliff12(self) -> (&'static str, bool) {
        match self {
            UnitState::Initial => ("needs-translation", false),
            UnitState::Translated => ("translated", false),
            UnitState::Reviewed | UnitState::Final => ("final", true),
        }
    }
}

/// A job as an XLIFF file carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub job: i64,
    pub release: i64,
    pub title: String,
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub units: Vec<Unit>,
}

/// One segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub idx: u32,
    pub source: String,
    /// The current text (the edit, else the machine's suggestion); `None` before translation.
    pub target: Option<String>,
    pub state: UnitState,
    /// The segment's version in audarma when exported: an import is refused for a segment whose
    /// version moved on since.
    pub version: i64,
    pub notes: Vec<Note>,
    pub terms: Vec<Term>,
    pub matches: Vec<TmMatch>,
}

/// A note for the translator.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoteKind {
    /// A QA finding on the target, with its severity.
    Qa(Severity),
    /// A person's comment.
    Comment { author: String },
}

impl Note {
    /// `from` (1.2) or `category` (2.x): `audarma-qa` or the comment's author.
    pub fn origin(&self) -> &str {
        match &self.kind {
            NoteKind::Qa(_) => "audarma-qa",
            NoteKind::Comment { author } => author,
        }
    }

    /// Priority 1 (highest) to 10: errors 1, warnings 3, notes 5, comments 2.
    pub fn priority(&self) -> u8 {
        match &self.kind {
            NoteKind::Qa(Severity::Error) => 1,
            NoteKind::Qa(Severity::Warning) => 3,
            NoteKind::Qa(Severity::Info) => 5,
            NoteKind::Comment { .. } => 2,
        }
    }
}

/// A glossary term found in the source, and what it must become.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The concept's id in audarma's glossary.
    pub concept: String,
    pub source: String,
    pub target: String,
}

/// How to write a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub version: XliffVersion,
    /// Write each target as a copy of its source, state `initial` (`needs-translation`): the way
    /// OmegaT's XLIFF filter, which translates `<target>` and keeps `<source>`, gets the source text.
    /// The current text then goes with the matches (an `alt-trans` or `mtc:match` of origin
    /// `audarma-current`, without a match quality). A copy left as it was reads back as unchanged (its
    /// base is the copy's).
    pub copy_source: bool,
}

impl Document {
    /// A job and its comments as a document: each segment's current text, state, version, findings
    /// (the dismissed ones left out), comments (job-wide ones on the first segment), terms and fuzzy
    /// matches.
    pub fn from_job(detail: &JobDetail, comments: &[Comment]) -> Document {
        let s = &detail.summary;
        let approved = s.state == JobState::Approved;
        let units = detail
            .segments
            .iter()
            .map(|seg| {
                let target = seg.current().map(str::to_string);
                let state = if approved && target.is_some() {
                    UnitState::Final
                } else if seg.edited.is_some() {
                    UnitState::Translated
                } else {
                    UnitState::Initial
                };
                let mut notes: Vec<Note> = seg
                    .findings
                    .iter()
                    .filter(|f| seg.dismissal_of(f).is_none())
                    .map(|f| Note {
                        kind: NoteKind::Qa(f.severity),
                        text: format!("{} {}: {}", f.severity, f.check, f.message),
                    })
                    .collect();
                let first = detail.segments.first().map(|f| f.idx) == Some(seg.idx);
                notes.extend(
                    comments.iter().filter(|c| c.segment == Some(seg.idx) || (c.segment.is_none() && first)).map(|c| {
                        Note {
                            kind: NoteKind::Comment { author: c.author.clone() },
                            text: if c.segment.is_none() { format!("(on the job) {}", c.body) } else { c.body.clone() },
                        }
                    }),
                );
                Unit {
                    idx: seg.idx,
                    source: seg.source.clone(),
                    target,
                    state,
                    version: seg.version,
                    notes,
                    terms: seg
                        .terms
                        .iter()
                        .map(|t| Term { concept: t.id.clone(), source: t.source.clone(), target: t.target.clone() })
                        .collect(),
                    matches: seg.tm.clone().unwrap_or_default(),
                }
            })
            .collect();
        Document {
            job: s.id,
            release: s.release_id,
            title: s.title.clone(),
            source_lang: s.source_lang,
            target_lang: s.target_lang,
            units,
        }
    }
}

/// What a text is compared by: whitespace runs as one space, trimmed (XML tools reflow spaces).
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The base of a unit: the first 16 hex digits of the SHA-256 of the exported target, normalised
/// (the empty text when there was none). A target that still hashes to it was not touched.
pub fn base_of(target: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(normalise(target.unwrap_or_default()).as_bytes());
    hex::encode(&h[..8])
}

/// The `original` of a job's `<file>`.
pub fn original_of(job: i64) -> String {
    format!("audarma:job/{job}")
}

/// The file name export gives a job: `job-ID.SRC-TGT.xlf`.
pub fn file_name(doc: &Document) -> String {
    format!("job-{}.{}-{}.xlf", doc.job, doc.source_lang, doc.target_lang)
}

#[cfg(test)]
mod tests;
