//! Finding concepts in text, and judging a target against its source.
//!
//! Text and terms are folded (case, ё/е, quotes, dashes; see [`crate::normalize`]) and cut into
//! words (letters and digits, inner apostrophes kept; hyphens split, so "ЕҚЫҰ-ға" is the word
//! "ЕҚЫҰ" and then "ға"). Each word gets its stems ([`crate::morph`]): a term matches a run of text
//! words when every term word shares a stem with the text word in its place, so every word of a
//! multi-word term may inflect. Terms are indexed by the stems of their first word, so a text costs
//! one pass of lookups however large the glossary. Acronyms and `case_sensitive` terms also compare
//! the written case; `dnt` terms match their exact written words.

use crate::{fold, morph, normalize::FoldedText, Concept, Glossary};
use audarma_core::Lang;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone)]
struct TermWord {
    /// The folded word.
    folded: String,
    /// The word as written, ё/е folded, case kept (for case-sensitive terms).
    written: String,
    /// Stems a text word must share one of.
    keys: Vec<String>,
    /// English only: possessive and plural removed; the text word must have the same.
    en_base: Option<String>,
}

#[derive(Debug, Clone)]
struct Pattern {
    concept: usize,
    words: Vec<TermWord>,
    /// Whether punctuation (not just space, hyphen or quotes) separates word i and i + 1.
    hard_gaps: Vec<bool>,
    case_sensitive: bool,
    /// Exact written words, no stemming (`dnt`).
    exact: bool,
    forbidden: bool,
}

/// A compiled matcher for one language's terms (allowed and forbidden) of a glossary.
pub struct Matcher {
    lang: Lang,
    patterns: Vec<Pattern>,
    /// First-word stem (or exact folded word) → patterns.
    index: HashMap<String, Vec<usize>>,
    /// The first two letters of every term word and of its stems: a text word that starts otherwise
    /// can match no term word, so it is never stemmed (stems keep a word's first letters).
    prefixes: std::collections::HashSet<String>,
    /// Stems of the text words seen so far (word → keys, English base): running text repeats its
    /// words, and stemming is the matcher's main cost. Cleared when it grows past [`CACHE_WORDS`].
    cache: std::sync::Mutex<HashMap<String, StemCacheEntry>>,
}

type StemCacheEntry = std::sync::Arc<(Vec<String>, Option<String>)>;

const CACHE_WORDS: usize = 200_000;

fn prefix2(s: &str) -> String {
    s.chars().take(2).collect()
}

/// A concept found in a text. Offsets are byte offsets into the text searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermMatch {
    /// Index of the concept in [`Glossary::concepts`].
    #[serde(skip)]
    pub concept: usize,
    pub id: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The text matched a forbidden term of the concept.
    pub forbidden: bool,
}

/// Folds for comparison with case kept (only ё/е and punctuation are folded).
fn fold_keep_case(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ё' => 'е',
            'Ё' => 'Е',
            c => c,
        })
        .collect()
}

/// One word of a text: folded form, byte range in the folded text, and whether punctuation
/// separates it from the previous word.
struct Word {
    folded: String,
    start: usize,
    end: usize,
    hard_gap_before: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Space, hyphen, quotes and the like join words of a term; other punctuation does not.
fn is_soft_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '"' | '\'' | '`' | '*' | '_')
}

/// Cuts a folded text into words (inner apostrophes kept: "d'affaires", "people's").
fn words(folded: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    let mut i = 0;
    let mut hard = false;
    while i < chars.len() {
        let (b, c) = chars[i];
        if !is_word_char(c) {
            hard |= !is_soft_gap(c);
            i += 1;
            continue;
        }
        let start = b;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j].1;
            let inner_apostrophe = c == '\''
                && j > i
                && chars.get(j + 1).is_some_and(|n| n.1.is_alphabetic())
                && chars[j - 1].1.is_alphabetic();
            if is_word_char(c) || inner_apostrophe {
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(folded.len(), |x| x.0);
        out.push(Word { folded: folded[start..end].to_string(), start, end, hard_gap_before: hard });
        hard = false;
        i = j;
    }
    out
}

/// The written case of a text word agrees with a case-sensitive term word: an acronym must be
/// written in full as in the term (a lower-case inflection may follow: "МИДа"), other words must
/// have their capitals where the term has them ("Turkey", not "turkey").
fn case_ok(written: &str, term: &str) -> bool {
    let a: Vec<char> = written.chars().collect();
    let b: Vec<char> = term.chars().collect();
    let acronym =
        b.iter().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) && b.iter().any(|c| c.is_alphabetic());
    if acronym {
        return a.starts_with(&b) && a[b.len()..].iter().all(|c| c.is_lowercase()) && a.len() <= b.len() + 2;
    }
    a.iter().zip(&b).all(|(x, y)| x.is_uppercase() == y.is_uppercase())
}

/// A text word with its stems, computed once per text.
struct TextWord {
    word: Word,
    keys: Vec<String>,
    en_base: Option<String>,
}

impl Matcher {
    pub fn new(glossary: &Glossary, lang: Lang) -> Matcher {
        let mut patterns = Vec::new();
        for (i, c) in glossary.concepts.iter().enumerate() {
            for (list, forbidden) in [(c.terms(lang), false), (c.forbidden(lang), true)] {
                for t in list {
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    if let Some(p) = Self::compile(i, t, c.is_case_sensitive(t), c.dnt, forbidden, lang) {
                        patterns.push(p);
                    }
                }
            }
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (pi, p) in patterns.iter().enumerate() {
            let first = &p.words[0];
            let keys = if p.exact { std::slice::from_ref(&first.folded) } else { &first.keys[..] };
            for k in keys {
                let v = index.entry(k.clone()).or_default();
                if !v.contains(&pi) {
                    v.push(pi);
                }
            }
        }
        let prefixes = patterns
            .iter()
            .flat_map(|p| p.words.iter())
            .flat_map(|w| std::iter::once(&w.folded).chain(w.keys.iter()))
            .map(|k| prefix2(k))
            .collect();
        Matcher { lang, patterns, index, prefixes, cache: Default::default() }
    }

    /// A text word's stems, from the cache when it was seen before.
    fn stems(&self, folded: &str) -> StemCacheEntry {
        if folded.chars().count() >= 2 && !self.prefixes.contains(&prefix2(folded)) {
            return std::sync::Arc::new((Vec::new(), None));
        }
        if let Some(hit) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(folded) {
            return hit.clone();
        }
        let entry = std::sync::Arc::new((
            morph::text_keys(folded, self.lang),
            (self.lang == Lang::En).then(|| morph::en_inflection_base(folded)),
        ));
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_WORDS {
            cache.clear();
        }
        cache.insert(folded.to_string(), entry.clone());
        entry
    }

    fn compile(
        concept: usize,
        term: &str,
        case_sensitive: bool,
        exact: bool,
        forbidden: bool,
        lang: Lang,
    ) -> Option<Pattern> {
        let ft = FoldedText::new(term);
        let ws = words(&ft.folded);
        if ws.is_empty() {
            return None;
        }
        let mut words_out = Vec::with_capacity(ws.len());
        let mut hard_gaps = Vec::new();
        for (k, w) in ws.iter().enumerate() {
            if k > 0 {
                hard_gaps.push(w.hard_gap_before);
            }
            let (s, e) = ft.original_range(w.start, w.end);
            words_out.push(TermWord {
                folded: w.folded.clone(),
                written: fold_keep_case(&term[s..e]),
                keys: morph::term_keys(&w.folded, lang),
                en_base: (lang == Lang::En).then(|| morph::en_inflection_base(&w.folded)),
            });
        }
        Some(Pattern { concept, words: words_out, hard_gaps, case_sensitive, exact, forbidden })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    fn text_words(&self, folded: &str) -> Vec<TextWord> {
        words(folded)
            .into_iter()
            .map(|w| {
                let stems = self.stems(&w.folded);
                TextWord { keys: stems.0.clone(), en_base: stems.1.clone(), word: w }
            })
            .collect()
    }

    /// Whether text word `t` (written `written`) can stand for term word `w` of pattern `p`.
    fn word_ok(&self, p: &Pattern, w: &TermWord, t: &TextWord, written: &str) -> bool {
        if p.exact {
            return t.word.folded == w.folded;
        }
        let mut shared = t.keys.iter().filter(|k| w.keys.contains(k));
        let ok = match self.lang {
            // Snowball also strips verb endings: договорились shares договор's stem but is a verb.
            Lang::Ru => {
                shared.any(|k| t.word.folded.strip_prefix(k.as_str()).is_none_or(|tail| !morph::ru_verbal_tail(tail)))
            }
            _ => shared.next().is_some(),
        };
        if !ok {
            return false;
        }
        if w.en_base.is_some() && t.en_base != w.en_base {
            return false;
        }
        // A one-word term of a short word matches only itself, or a short inflection of it.
        if p.words.len() == 1 {
            let (n, m) = (w.folded.chars().count(), t.word.folded.chars().count());
            if n <= 3 && m > n + if self.lang == Lang::Kk { 3 } else { 2 } {
                return false;
            }
        }
        !p.case_sensitive || case_ok(&fold_keep_case(written), &w.written)
    }

    /// Every (start, end, pattern) candidate in original byte offsets, overlapping.
    fn candidates(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let ft = FoldedText::new(text);
        let tws = self.text_words(&ft.folded);
        let written: Vec<&str> = tws
            .iter()
            .map(|t| {
                let (s, e) = ft.original_range(t.word.start, t.word.end);
                &text[s..e]
            })
            .collect();
        let mut cands = Vec::new();
        let mut seen: Vec<usize> = Vec::new();
        for i in 0..tws.len() {
            seen.clear();
            for k in tws[i].keys.iter().chain(std::iter::once(&tws[i].word.folded)) {
                let Some(pis) = self.index.get(k) else { continue };
                for &pi in pis {
                    if seen.contains(&pi) {
                        continue;
                    }
                    seen.push(pi);
                    let p = &self.patterns[pi];
                    let n = p.words.len();
                    if i + n > tws.len() {
                        continue;
                    }
                    let ok = p.words.iter().enumerate().all(|(k, w)| {
                        let t = &tws[i + k];
                        (k == 0 || t.word.hard_gap_before == p.hard_gaps[k - 1])
                            && self.word_ok(p, w, t, written[i + k])
                    });
                    if ok {
                        let (s, _) = ft.original_range(tws[i].word.start, tws[i].word.end);
                        let (_, e) = ft.original_range(tws[i + n - 1].word.start, tws[i + n - 1].word.end);
                        cands.push((s, e, pi));
                    }
                }
            }
        }
        cands
    }

    /// Every concept occurrence in `text`, left to right, without overlaps: where candidates
    /// overlap, the longest wins, and between equals the leftmost, then the first in the glossary.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let mut cands = self.candidates(text);
        cands.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2)));
        let mut taken: Vec<(usize, usize, usize)> = Vec::new();
        for c in cands {
            if taken.iter().all(|t| c.1 <= t.0 || c.0 >= t.1) {
                taken.push(c);
            }
        }
        taken.sort();
        taken.into_iter().map(|c| self.to_match(text, c)).collect()
    }

    /// A candidate `(start, end, pattern)` as a match (concept id left for [`Matcher::find_in`]).
    fn to_match(&self, text: &str, (start, end, pi): (usize, usize, usize)) -> TermMatch {
        let p = &self.patterns[pi];
        TermMatch {
            concept: p.concept,
            id: String::new(),
            text: text[start..end].to_string(),
            start,
            end,
            forbidden: p.forbidden,
        }
    }

    /// Every candidate occurrence, overlaps kept, by start then longest first.
    fn find_overlapping(&self, text: &str) -> Vec<TermMatch> {
        let mut cands = self.candidates(text);
        cands.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))).then(a.2.cmp(&b.2)));
        cands.into_iter().map(|c| self.to_match(text, c)).collect()
    }

    /// [`Matcher::find`] with concept ids filled in.
    pub fn find_in(&self, glossary: &Glossary, text: &str) -> Vec<TermMatch> {
        let mut v = self.find(text);
        for m in &mut v {
            m.id = glossary.concepts[m.concept].id.clone();
        }
        v
    }

    /// Where `form`'s exact words (folded, no stemming) occur in `text`, a hyphenated suffix
    /// allowed after them ("Astana Hub-та"): for `dnt` terms.
    fn find_exact(&self, text: &str, form: &str) -> Option<(usize, usize)> {
        let p = Self::compile(0, form, false, true, false, self.lang)?;
        let ft = FoldedText::new(text);
        let tws = self.text_words(&ft.folded);
        let n = p.words.len();
        (0..tws.len().saturating_sub(n - 1)).find_map(|i| {
            let ok = p.words.iter().enumerate().all(|(k, w)| tws[i + k].word.folded == w.folded);
            ok.then(|| {
                let (s, _) = ft.original_range(tws[i].word.start, tws[i].word.end);
                let (_, e) = ft.original_range(tws[i + n - 1].word.start, tws[i + n - 1].word.end);
                (s, e)
            })
        })
    }
}

/// What a term found in a source segment must become in the target: shown to the translator and
/// handed to the backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TermHint {
    pub id: String,
    /// The form found in the source.
    pub source: String,
    /// The preferred target term (for `dnt` concepts, the source form itself).
    pub target: String,
    /// Other accepted target terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
    #[serde(default)]
    pub dnt: bool,
}

impl TermHint {
    pub fn from_match(c: &Concept, m: &TermMatch, target: Lang) -> TermHint {
        let (target_term, accepted) = if c.dnt {
            (m.text.clone(), Vec::new())
        } else {
            let t = c.terms(target);
            (t.first().cloned().unwrap_or_default(), t.iter().skip(1).cloned().collect())
        };
        TermHint { id: c.id.clone(), source: m.text.clone(), target: target_term, accepted, dnt: c.dnt }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    /// The target holds one of the concept's target terms.
    Ok,
    /// It does not.
    Missing,
    /// It holds a forbidden term of the concept.
    Forbidden,
    /// The concept's name is not valid on the release date (Nur-Sultan in 2023).
    Outdated,
}

/// The judgement on one concept of a source segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCheck {
    pub id: String,
    pub status: TermStatus,
    /// The source form found.
    pub source: String,
    /// The target form found (`None` when missing).
    pub target: Option<String>,
    /// Byte span of the target form in the target text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
}

/// Judges `target` against the concepts found in its source (`source_matches`, from a matcher of the
/// source language); `target_matcher` is the matcher of the target language.
pub fn verify(
    glossary: &Glossary,
    source_matches: &[TermMatch],
    target_matcher: &Matcher,
    target: &str,
    date: Option<NaiveDate>,
) -> Vec<TermCheck> {
    // Every occurrence, overlaps kept: a target term inside a longer one still counts ("Казахстана"
    // in "Президент Казахстана" is there even though president-of-kazakhstan wins in `find`).
    let found = target_matcher.find_overlapping(target);
    let mut out: Vec<TermCheck> = Vec::new();
    for m in source_matches.iter().filter(|m| !m.forbidden) {
        if out.iter().any(|c| c.id == glossary.concepts[m.concept].id) {
            continue;
        }
        let c = &glossary.concepts[m.concept];
        let mine = found.iter().filter(|f| f.concept == m.concept);
        let bad = mine.clone().find(|f| f.forbidden);
        let good = mine.clone().find(|f| !f.forbidden);
        let (status, hit) = if let Some(b) = bad {
            (TermStatus::Forbidden, Some(b))
        } else if c.dnt {
            let pos = if m.text.chars().any(is_word_char) {
                target_matcher.find_exact(target, &m.text)
            } else {
                fold(target).find(&fold(&m.text)).map(|p| (p, p))
            };
            let status = if pos.is_some() { TermStatus::Ok } else { TermStatus::Missing };
            out.push(TermCheck {
                id: c.id.clone(),
                status,
                source: m.text.clone(),
                target: pos.map(|_| m.text.clone()),
                span: None,
            });
            continue;
        } else if let Some(g) = good {
            (TermStatus::Ok, Some(g))
        } else {
            (TermStatus::Missing, None)
        };
        let status = if status == TermStatus::Ok && !c.valid_on(date) { TermStatus::Outdated } else { status };
        out.push(TermCheck {
            id: c.id.clone(),
            status,
            source: m.text.clone(),
            target: hit.map(|h| h.text.clone()),
            span: hit.map(|h| (h.start, h.end)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::path::Path;

    const G: &str = r#"
[[concept]]
id = "osce"
en = ["OSCE", "Organization for Security and Co-operation in Europe"]
kk = "ЕҚЫҰ"
ru = "ОБСЕ"

[[concept]]
id = "head-of-state"
en = "Head of State"
kk = "Мемлекет басшысы"
ru = "Глава государства"
forbidden = { ru = ["Глава страны"] }

[[concept]]
id = "state"
en = "State"
kk = "мемлекет"
ru = "государство"

[[concept]]
id = "astana-hub"
en = "Astana Hub"
kk = "Astana Hub"
ru = "Astana Hub"
dnt = true

[[concept]]
id = "nur-sultan"
en = "Nur-Sultan"
kk = "Нұр-Сұлтан"
ru = "Нур-Султан"
valid = { from = "2019-03-23", until = "2022-09-17" }
"#;

    fn glossary() -> Glossary {
        let mut g = Glossary::default();
        let mut p = Vec::new();
        g.parse_file(Path::new("g.toml"), G, &mut p);
        assert!(p.is_empty(), "{p:?}");
        g
    }

    #[test]
    fn longest_match_wins_and_offsets_point_into_the_original() {
        let g = glossary();
        let m = Matcher::new(&g, Lang::En);
        let text = "The head of state met the OSCE chair; “OSCE” again, but not osce or CHOSCE.";
        let found = m.find_in(&g, text);
        let ids: Vec<_> = found.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["head-of-state", "osce", "osce"]);
        assert_eq!(&text[found[0].start..found[0].end], "head of state");
    }

    #[test]
    fn hyphenated_kazakh_suffixes_and_yo_fold() {
        let g = glossary();
        let kk = Matcher::new(&g, Lang::Kk);
        assert_eq!(kk.find_in(&g, "ЕҚЫҰ-ға төрағалық")[0].text, "ЕҚЫҰ");
        let ru = Matcher::new(&g, Lang::Ru);
        assert_eq!(ru.find_in(&g, "Глава Государства заявил").len(), 1);
    }

    #[test]
    fn verify_reports_ok_missing_forbidden_and_outdated() {
        let g = glossary();
        let en = Matcher::new(&g, Lang::En);
        let ru = Matcher::new(&g, Lang::Ru);
        let src = en.find("The Head of State visited the OSCE and Astana Hub.");
        let checks = verify(&g, &src, &ru, "Глава страны посетил Astana Hub.", None);
        let got: Vec<_> = checks.iter().map(|c| (c.id.as_str(), c.status, c.target.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("head-of-state", TermStatus::Forbidden, Some("Глава страны")),
                ("osce", TermStatus::Missing, None),
                ("astana-hub", TermStatus::Ok, Some("Astana Hub")),
            ]
        );
        let src = en.find("Talks in Nur-Sultan.");
        let d = NaiveDate::from_ymd_opt(2023, 5, 1);
        assert_eq!(verify(&g, &src, &ru, "Переговоры в Нур-Султане.", d).len(), 1);
        assert_eq!(verify(&g, &src, &ru, "Переговоры в Нур-Султан.", d)[0].status, TermStatus::Outdated);
        let d = NaiveDate::from_ymd_opt(2020, 5, 1);
        assert_eq!(verify(&g, &src, &ru, "Переговоры в Нур-Султан.", d)[0].status, TermStatus::Ok);
    }

    const G2: &str = r#"
[[concept]]
id = "secretary-general"
en = "Secretary-General"
kk = "Бас хатшы"
ru = "Генеральный секретарь"

[[concept]]
id = "ministry-of-justice"
en = "Ministry of Justice"
kk = "Әділет министрлігі"
ru = "Министерство юстиции"

[[concept]]
id = "ministry"
en = "Ministry"
kk = "министрлік"
ru = "министерство"

[[concept]]
id = "consul"
en = "Consul"
kk = "консул"
ru = "консул"

[[concept]]
id = "consulate"
en = "Consulate"
kk = "консулдық"
ru = "консульство"

[[concept]]
id = "ambassador"
en = "Ambassador"
kk = "елші"
ru = "посол"

[[concept]]
id = "akim"
en = "akim"
kk = "әкім"
ru = "аким"

[[concept]]
id = "parliament"
en = "Parliament"
kk = "Парламент"
ru = "Парламент"

[[concept]]
id = "eu"
en = "EU"
kk = "ЕО"
ru = "ЕС"

[[concept]]
id = "mfa"
en = "MFA"
kk = "СІМ"
ru = "МИД"

[[concept]]
id = "visit"
en = "official visit"
kk = "ресми сапар"
ru = "официальный визит"

[[concept]]
id = "turkey"
en = ["Türkiye", "Turkey"]
kk = "Түркия"
ru = "Турция"
case_sensitive = true
"#;

    fn ids(g: &Glossary, lang: Lang, text: &str) -> Vec<String> {
        Matcher::new(g, lang).find_in(g, text).into_iter().map(|m| format!("{}={}", m.id, m.text)).collect()
    }

    fn glossary2() -> Glossary {
        let mut g = Glossary::default();
        let mut p = Vec::new();
        g.parse_file(Path::new("g2.toml"), G2, &mut p);
        assert!(p.is_empty(), "{p:?}");
        g
    }

    #[test]
    fn russian_terms_match_inflected_and_traps_do_not() {
        let g = glossary2();
        assert_eq!(ids(&g, Lang::Ru, "Письмо Генеральному секретарю."), ["secretary-general=Генеральному секретарю"]);
        assert_eq!(ids(&g, Lang::Ru, "в Министерстве юстиции"), ["ministry-of-justice=Министерстве юстиции"]);
        assert_eq!(ids(&g, Lang::Ru, "с официальным визитом"), ["visit=официальным визитом"]);
        assert_eq!(
            ids(&g, Lang::Ru, "встреча с послом, послы, посла"),
            ["ambassador=послом", "ambassador=послы", "ambassador=посла"]
        );
        assert!(ids(&g, Lang::Ru, "посольство, после встречи").is_empty());
        assert_eq!(ids(&g, Lang::Ru, "Консульство и консульский отдел"), ["consulate=Консульство"]);
        assert!(ids(&g, Lang::Ru, "парламентарии").is_empty());
        assert_eq!(ids(&g, Lang::Ru, "акима и акимат"), ["akim=акима"]);
        assert_eq!(ids(&g, Lang::Ru, "в МИДе, в МИД, мид"), ["mfa=МИДе", "mfa=МИД"]);
        assert_eq!(ids(&g, Lang::Ru, "ЕС, если есть"), ["eu=ЕС"]);
        assert_eq!(ids(&g, Lang::Ru, "в Турцию"), ["turkey=Турцию"]);
        assert!(ids(&g, Lang::Ru, "Стороны официально визитировали").is_empty());
    }

    #[test]
    fn english_terms_match_plurals_not_derivations() {
        let g = glossary2();
        assert_eq!(
            ids(&g, Lang::En, "Ministries and the ministry's staff"),
            ["ministry=Ministries", "ministry=ministry's"]
        );
        assert_eq!(ids(&g, Lang::En, "official visits"), ["visit=official visits"]);
        assert_eq!(ids(&g, Lang::En, "the Consuls"), ["consul=Consuls"]);
        assert_eq!(ids(&g, Lang::En, "the Consulate; consular services"), ["consulate=Consulate"]);
        assert!(ids(&g, Lang::En, "parliamentarians, akimat").is_empty());
        assert_eq!(ids(&g, Lang::En, "Turkey, not turkey"), ["turkey=Turkey"]);
    }

    #[test]
    fn kazakh_terms_match_through_izafet_and_case() {
        let g = glossary2();
        assert_eq!(ids(&g, Lang::Kk, "ШЫҰ Бас хатшысына хат"), ["secretary-general=Бас хатшысына"]);
        assert_eq!(ids(&g, Lang::Kk, "Әділет министрлігінің өкілі"), ["ministry-of-justice=Әділет министрлігінің"]);
        assert_eq!(ids(&g, Lang::Kk, "ресми сапармен"), ["visit=ресми сапармен"]);
        assert_eq!(ids(&g, Lang::Kk, "облыс әкімі, әкімдерінің"), ["akim=әкімі", "akim=әкімдерінің"]);
        assert!(ids(&g, Lang::Kk, "әкімдік, әкімдігі, әкімшілігі").is_empty());
        assert!(ids(&g, Lang::Kk, "елшілік, елшілігінде").is_empty());
        assert_eq!(ids(&g, Lang::Kk, "елшісімен, консулдығы"), ["ambassador=елшісімен", "consulate=консулдығы"]);
        assert_eq!(ids(&g, Lang::Kk, "СІМ-ге, ЕО-ның"), ["mfa=СІМ", "eu=ЕО"]);
        assert_eq!(ids(&g, Lang::Kk, "Парламентке"), ["parliament=Парламентке"]);
    }
}
