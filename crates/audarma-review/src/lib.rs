//! Review-time checking, shared by translation runs and the review desk: the glossary compiled for
//! matching in every language and the QA context per language pair ([`Terminology`], with the
//! workflow's `[qa]` settings, [`QaConfig`]), the terms and findings of one segment
//! ([`Terminology::review`]), and the fuzzy translation-memory matches a reviewer sees
//! ([`fuzzy_matches`]), and approved Kazakh text in the Latin alphabet with the glossary's
//! `kk-Latn` forms first ([`kk_latin`]). The desk depends on this crate, not on the pipeline, so it does not link the
//! translation vendors.

mod latin;

pub use latin::kk_latin;

use audarma_core::{Lang, TermStatus};
use audarma_glossary::{verify, Glossary, Matcher, TermCheck, TermHint};
use audarma_store::Store;
use std::collections::HashMap;
use std::path::PathBuf;

/// Translation-memory units a pair needs before its length ratio is learned rather than assumed.
pub const MIN_TM_UNITS: usize = 50;

/// How many of the newest translation-memory units per language lend their words to spelling.
pub const TM_WORD_UNITS: u32 = 5000;

/// The glossary compiled for matching in every language, loaded once per run.
pub struct Terminology {
    pub glossary: Glossary,
    /// The glossary's content hash: translations cached under another version are not reused.
    pub version: String,
    matchers: HashMap<Lang, Matcher>,
    qa: QaConfig,
    /// The QA context per language pair, built on first use: severities, the words spelling accepts,
    /// and the target language's Hunspell dictionary (from `spellers`).
    contexts: HashMap<(Lang, Lang), std::sync::OnceLock<audarma_qa::Context<'static>>>,
    /// Length ratios per pair learned from translation memory ([`Terminology::learn_from`]).
    ratios: std::sync::OnceLock<HashMap<(Lang, Lang), (f64, f64)>>,
    /// Words the spelling check accepts beyond the dictionaries: the workflow's word lists
    /// ([`Terminology::with_words`]) and the desk's per-language lists ([`Terminology::learn_from`]).
    words: Vec<String>,
    store_words: std::sync::OnceLock<HashMap<Lang, Vec<String>>>,
    /// One Hunspell dictionary per target language, shared by the contexts of both source languages
    /// (a few hundred milliseconds to load, so once per process: it is leaked, not dropped).
    spellers: HashMap<Lang, std::sync::OnceLock<Option<&'static audarma_qa::Speller>>>,
}

/// What is wrong with a workflow's `[qa]` table.
#[derive(Debug, thiserror::Error)]
pub enum QaConfigError {
    #[error("{}: cannot read the word list: {source}", path.display())]
    WordList { path: PathBuf, source: std::io::Error },
    #[error("`qa.severities.{0}`: no such check (one of: {names})", names = check_names())]
    UnknownCheck(String),
    #[error("`qa.severities.{check}`: {level:?} is not error, warning, info or off")]
    UnknownLevel { check: String, level: String },
}

fn check_names() -> String {
    audarma_qa::Check::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// The `[qa]` table of a workflow: severities per check (`"error"`, `"warning"`, `"info"` or `"off"`),
/// whether the spelling check runs, and word lists it accepts (files of one word a line, `#`
/// comments, relative to the workflow file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct QaConfig {
    #[serde(default)]
    pub severities: std::collections::BTreeMap<String, String>,
    #[serde(default = "yes")]
    pub spelling: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<std::path::PathBuf>,
}

fn yes() -> bool {
    true
}

impl Default for QaConfig {
    fn default() -> Self {
        QaConfig { severities: Default::default(), spelling: true, words: Vec::new() }
    }
}

impl QaConfig {
    /// The words of the `words` lists, or the first file that cannot be read (named).
    pub fn read_words(&self) -> Result<Vec<String>, QaConfigError> {
        let mut out = Vec::new();
        for p in &self.words {
            let text =
                std::fs::read_to_string(p).map_err(|source| QaConfigError::WordList { path: p.clone(), source })?;
            out.extend(
                text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_lowercase),
            );
        }
        Ok(out)
    }

    /// Checks every name and level, naming the one at fault.
    pub fn validate(&self) -> Result<(), QaConfigError> {
        for (check, level) in &self.severities {
            if check.parse::<audarma_qa::Check>().is_err() {
                return Err(QaConfigError::UnknownCheck(check.clone()));
            }
            if !matches!(level.as_str(), "error" | "warning" | "info" | "off") {
                return Err(QaConfigError::UnknownLevel { check: check.clone(), level: level.clone() });
            }
        }
        Ok(())
    }

    fn context_parts(
        &self,
    ) -> (HashMap<audarma_qa::Check, audarma_qa::Severity>, std::collections::HashSet<audarma_qa::Check>) {
        let mut severities = HashMap::new();
        let mut disabled = std::collections::HashSet::new();
        // Names were checked by `validate` when the workflow was read.
        let parsed = self.severities.iter().filter_map(|(c, l)| Some((c.parse::<audarma_qa::Check>().ok()?, l)));
        for (check, level) in parsed {
            let sev = match level.as_str() {
                "error" => audarma_qa::Severity::Error,
                "warning" => audarma_qa::Severity::Warning,
                "info" => audarma_qa::Severity::Info,
                _ => {
                    disabled.insert(check);
                    continue;
                }
            };
            severities.insert(check, sev);
        }
        if !self.spelling {
            disabled.insert(audarma_qa::Check::Spelling);
        }
        (severities, disabled)
    }
}

impl Terminology {
    pub fn new(glossary: Glossary) -> Self {
        Terminology::with_qa(glossary, QaConfig::default())
    }

    pub fn with_qa(glossary: Glossary, qa: QaConfig) -> Self {
        let matchers = Lang::ALL.into_iter().map(|l| (l, Matcher::new(&glossary, l))).collect();
        let contexts = Lang::ALL
            .into_iter()
            .flat_map(|s| Lang::ALL.into_iter().map(move |t| ((s, t), std::sync::OnceLock::new())))
            .collect();
        Terminology {
            version: glossary.version(),
            glossary,
            matchers,
            qa,
            contexts,
            ratios: Default::default(),
            words: Vec::new(),
            store_words: Default::default(),
            spellers: Lang::ALL.into_iter().map(|l| (l, std::sync::OnceLock::new())).collect(),
        }
    }

    /// Adds words the spelling check accepts in any language (a workflow's `[qa] words` lists).
    pub fn with_words(mut self, words: Vec<String>) -> Self {
        self.words = words;
        self
    }

    /// Learns each pair's usual length ratio from translation memory, where it holds enough units
    /// (at least [`MIN_TM_UNITS`] with 40 characters or more of source): the 2nd to 98th percentile,
    /// widened by a fifth. Call it before the first check; pairs without enough memory keep defaults.
    /// It also takes, for spelling, the words reviewers added to each language's list on the desk and
    /// the words of the newest [`TM_WORD_UNITS`] translation-memory units of each language.
    pub async fn learn_from(&self, store: &dyn Store) -> Result<(), audarma_store::StoreError> {
        let mut learned = HashMap::new();
        for s in Lang::ALL {
            for t in s.others() {
                let mut r = store.tm_length_ratios(s, t, 40, 5000).await?;
                if r.len() < MIN_TM_UNITS {
                    continue;
                }
                r.sort_by(|a, b| a.total_cmp(b));
                let at = |q: f64| r[((r.len() - 1) as f64 * q).round() as usize];
                learned.insert((s, t), (at(0.02) * 0.8, at(0.98) * 1.2));
            }
        }
        let _ = self.ratios.set(learned);
        let mut words = HashMap::new();
        for l in Lang::ALL {
            let mut list = store.words(l).await?;
            // The words of approved translation memory: text a reviewer passed.
            let mut from_tm: Vec<String> = store
                .tm_targets(l, TM_WORD_UNITS)
                .await?
                .iter()
                .flat_map(|t| {
                    t.split(|c: char| !c.is_alphabetic())
                        .filter(|w| w.chars().count() >= 3)
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
                .collect();
            from_tm.sort_unstable();
            from_tm.dedup();
            list.extend(from_tm);
            words.insert(l, list);
        }
        let _ = self.store_words.set(words);
        Ok(())
    }

    fn context(&self, sl: Lang, tl: Lang) -> Option<&audarma_qa::Context<'static>> {
        Some(self.contexts.get(&(sl, tl))?.get_or_init(|| {
            let length_ratio = self.ratios.get().and_then(|r| r.get(&(sl, tl)).copied());
            let (severities, disabled) = self.qa.context_parts();
            let terms: Vec<String> = self.glossary.concepts.iter().flat_map(|c| c.terms(tl).iter().cloned()).collect();
            let listed = audarma_qa::press_words(tl)
                .map(str::to_string)
                .chain(self.words.iter().cloned())
                .chain(self.store_words.get().and_then(|w| w.get(&tl)).into_iter().flatten().cloned());
            let known_words =
                terms.iter().flat_map(|t| t.split_whitespace().map(str::to_lowercase)).chain(listed).collect();
            let speller = self.qa.spelling.then(|| self.speller(tl)).flatten();
            audarma_qa::Context { severities, disabled, known_words, speller, length_ratio, ..Default::default() }
        }))
    }

    /// The target language's dictionary, loaded on first use and kept for the life of the process.
    fn speller(&self, tl: Lang) -> Option<&'static audarma_qa::Speller> {
        *self.spellers[&tl].get_or_init(|| audarma_qa::Speller::load(tl).map(|s| &*Box::leak(Box::new(s))))
    }

    /// QA findings of one translated segment, with the workflow's settings.
    pub fn check(
        &self,
        source: &str,
        target: &str,
        sl: Lang,
        tl: Lang,
        checks: &[TermCheck],
    ) -> Vec<audarma_qa::Finding> {
        let found = self.matcher(tl).find_in(&self.glossary, target);
        let seg =
            audarma_qa::Segment { source, target, source_lang: sl, target_lang: tl, terms: checks, found: &found };
        match self.context(sl, tl) {
            Some(ctx) => audarma_qa::check_with(&seg, ctx),
            None => audarma_qa::check(&seg),
        }
    }

    pub fn matcher(&self, lang: Lang) -> &Matcher {
        &self.matchers[&lang]
    }

    /// An approved Kazakh text in the Latin alphabet (`kk-Latn`), the glossary's `kk-Latn` forms first
    /// (see [`kk_latin`]).
    pub fn kk_latin(&self, text: &str) -> String {
        kk_latin(&self.glossary, self.matcher(Lang::Kk), text)
    }

    /// The terms of a source segment and what they must become in `target`.
    pub fn hints(&self, text: &str, source: Lang, target: Lang) -> Vec<TermHint> {
        let mut out: Vec<TermHint> = Vec::new();
        for m in self.matcher(source).find(text).into_iter().filter(|m| !m.forbidden) {
            let hint = TermHint::from_match(&self.glossary.concepts[m.concept], &m, target);
            if !out.contains(&hint) {
                out.push(hint);
            }
        }
        out
    }

    /// Terminology verification of one translated segment.
    pub fn verify(
        &self,
        source: &str,
        target: &str,
        sl: Lang,
        tl: Lang,
        date: Option<chrono::NaiveDate>,
    ) -> Vec<TermCheck> {
        let found = self.matcher(sl).find(source);
        verify(&self.glossary, &found, self.matcher(tl), target, date)
    }

    /// Where a target names a glossary concept of its source, in characters of `target`: the right
    /// term (`right`, with a hyphenated case suffix), or a wrong one in its place (a forbidden or
    /// outdated form, another concept's term). A reviewer's MQM mark over a right term is preset to
    /// "right term, wrong inflection": the matcher knows the concept, so the error is in its form.
    pub fn term_spans(
        &self,
        source: &str,
        target: &str,
        sl: Lang,
        tl: Lang,
        date: Option<chrono::NaiveDate>,
    ) -> Vec<TermSpan> {
        let chars = |b: usize| target.get(..b).map_or(0, |t| t.chars().count());
        let mut out: Vec<TermSpan> = self
            .verify(source, target, sl, tl, date)
            .into_iter()
            .filter_map(|c| {
                let (s, e) = c.span?;
                let right = match c.status {
                    TermStatus::Ok => true,
                    TermStatus::Forbidden | TermStatus::Outdated | TermStatus::Other => false,
                    TermStatus::Missing | TermStatus::Realised => return None,
                };
                let e = if right { s + with_suffix(target, s, e).len() } else { e };
                Some(TermSpan { start: chars(s), end: chars(e), right, concept: c.id })
            })
            .collect();
        out.sort_by_key(|t| (t.start, t.end));
        out
    }

    /// Terms and QA findings of one segment, as the store keeps them.
    pub fn review(
        &self,
        source: &str,
        target: Option<&str>,
        sl: Lang,
        tl: Lang,
        date: Option<chrono::NaiveDate>,
    ) -> (Vec<audarma_core::TermResult>, Vec<audarma_qa::Finding>) {
        let hints = self.hints(source, sl, tl);
        let checks = target.map(|t| self.verify(source, t, sl, tl, date)).unwrap_or_default();
        let findings = self.check(source, target.unwrap_or_default(), sl, tl, &checks);
        let terms = hints
            .into_iter()
            .map(|h| {
                let check = checks.iter().find(|c| c.id == h.id);
                let found = check
                    .filter(|c| c.status == TermStatus::Ok)
                    .and_then(|c| c.span)
                    .zip(target)
                    .map(|((s, e), t)| with_suffix(t, s, e).to_string());
                let status = check.map(|c| c.status);
                audarma_core::TermResult { id: h.id, source: h.source, target: h.target, dnt: h.dnt, status, found }
            })
            .collect();
        (terms, findings)
    }
}

/// A glossary term's place in a target ([`Terminology::term_spans`]), in characters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TermSpan {
    pub start: usize,
    pub end: usize,
    /// The concept's right term (else a wrong one in its place).
    pub right: bool,
    pub concept: String,
}

/// `text[start..end]` with the hyphenated case suffix that follows it, if any ("ЕҚЫҰ" + "-ға"): the
/// matcher's span stops at the hyphen, and the suffix is the term's inflection.
fn with_suffix(text: &str, start: usize, end: usize) -> &str {
    let Some(form) = text.get(start..end) else { return "" };
    let rest = &text[end..];
    let Some(after) = rest.strip_prefix('-') else { return form };
    // A case suffix is lower case: "Астана-Алматы" is two names.
    let suffix = after.chars().take_while(|c| c.is_alphabetic() && c.is_lowercase()).count();
    if after.chars().nth(suffix).is_some_and(char::is_alphanumeric) {
        return form;
    }
    if (1..=6).contains(&suffix) {
        let len = 1 + after.chars().take(suffix).map(char::len_utf8).sum::<usize>();
        &text[start..end + len]
    } else {
        form
    }
}

/// Fuzzy matches of at least this similarity (0–100) are kept for the translator.
pub const FUZZY_MIN_SCORE: u8 = 60;
/// At most this many fuzzy matches per segment.
pub const FUZZY_MATCHES: u32 = 3;

/// The translation-memory units resembling a source segment, as the review
/// desk shows them. Looked up once, when the segment is translated, and kept with it: the lookup costs
/// milliseconds, which a page of twenty segments should not pay on every view.
pub async fn fuzzy_matches(
    store: &dyn Store,
    text: &str,
    source: Lang,
    target: Lang,
) -> Result<Vec<audarma_store::TmMatch>, audarma_store::StoreError> {
    if source == target {
        return Ok(Vec::new());
    }
    audarma_store::fuzzy_matches(store, source, target, text, FUZZY_MIN_SCORE, FUZZY_MATCHES).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn terminology() -> Terminology {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../glossaries");
        Terminology::new(Glossary::load(&[root]).unwrap())
    }

    #[test]
    fn terms_keep_the_form_the_target_gives_them_with_a_hyphenated_suffix() {
        let t = terminology();
        let (terms, _) = t.review(
            "The Head of State received the OSCE delegation.",
            Some("Мемлекет басшысы ЕҚЫҰ-ның делегациясын қабылдады."),
            Lang::En,
            Lang::Kk,
            None,
        );
        let found = |id: &str| terms.iter().find(|r| r.id == id).and_then(|r| r.found.clone());
        assert_eq!(found("head-of-state").as_deref(), Some("Мемлекет басшысы"), "{terms:?}");
        assert_eq!(found("osce").as_deref(), Some("ЕҚЫҰ-ның"), "{terms:?}");
        // No target, no form; a term the target misses has none either.
        let (terms, _) = t.review("The Head of State spoke.", None, Lang::En, Lang::Kk, None);
        assert!(terms.iter().all(|r| r.found.is_none()));
        let (terms, _) = t.review("The Head of State spoke.", Some("Президент сөйледі."), Lang::En, Lang::Kk, None);
        assert_eq!(terms.iter().find(|r| r.id == "head-of-state").and_then(|r| r.found.clone()), None, "{terms:?}");
    }

    #[test]
    fn term_spans_are_in_characters_right_terms_with_their_suffix() {
        let t = terminology();
        let target = "Мемлекет басшысы ЕҚЫҰ-ның делегациясын қабылдады.";
        let spans = t.term_spans("The Head of State received the OSCE delegation.", target, Lang::En, Lang::Kk, None);
        let marked: Vec<(String, bool)> =
            spans.iter().map(|s| (target.chars().skip(s.start).take(s.end - s.start).collect(), s.right)).collect();
        let expected = [("Мемлекет басшысы", true), ("ЕҚЫҰ-ның", true), ("делегациясын", true)];
        assert_eq!(marked, expected.map(|(m, r)| (m.to_string(), r)), "{spans:?}");
        // Another concept's term where the source's was required: a wrong one.
        let target = "Президент принял Генерального секретаря ШОС в Астане.";
        let spans = t.term_spans(
            "The Head of State received the OSCE Secretary General in Astana.",
            target,
            Lang::En,
            Lang::Ru,
            None,
        );
        let astana = target.chars().position(|c| c == 'А').unwrap_or_default();
        assert!(spans.iter().any(|s| s.right && s.start == astana), "{spans:?}");
        assert!(spans.iter().any(|s| !s.right), "{spans:?}");
    }
}
