//! Finding concepts in text, and judging a target against its source.
//!
//! Text and terms are folded (case, ё/е, quotes, dashes; see [`crate::normalize`]) and cut into
//! words (letters and digits, inner apostrophes kept; hyphens split, so "ЕҚЫҰ-ға" is the word
//! "ЕҚЫҰ" and then "ға"). Each word gets its stems ([`crate::morph`]): a term matches a run of text
//! words when every term word shares a stem with the text word in its place, so every word of a
//! multi-word term may inflect. Every stem of a term word gets a small id; multi-word terms are
//! indexed by the ids of their first two words and one-word terms by the ids of their word, so a
//! text word is checked only against terms whose first two words it and its neighbour can match.
//! Acronyms and `case_sensitive` terms also compare the written case; `dnt` terms match their exact
//! written words.

use crate::{fold, morph, normalize::is_cyrillic, normalize::FoldedText, Concept, Glossary};
use audarma_core::Lang;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::RwLock;

/// A fast non-cryptographic hasher (the FxHash mix) for the matcher's internal tables: the keys
/// are words and ids of the glossary and text, not attacker-chosen in any way that matters.
#[derive(Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let r = chunks.remainder();
        if !r.is_empty() {
            let mut a = [0u8; 8];
            a[..r.len()].copy_from_slice(r);
            self.add(u64::from_le_bytes(a));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
type FxSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// A candidate occurrence: (start, end, pattern index), byte offsets in the original text.
type Candidate = (usize, usize, usize);

/// No stem id / no English base id.
const NONE_ID: u32 = u32::MAX;

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
    /// Ids of `keys` (sorted, no repeats), filled in by [`Matcher::new`].
    ids: Vec<u32>,
    /// Id of `en_base`, filled in by [`Matcher::new`].
    en_id: Option<u32>,
    /// Length of `folded` in chars.
    chars: usize,
    /// Russian: what a text word must start with when the stem it shares is three letters or
    /// fewer (Дания → "дани": "Данией", not "данным").
    guard: String,
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
    /// Text that contains a term but does not name the concept (`exclude`): matched exactly, never
    /// reported; a match inside it is dropped.
    excluded: bool,
    /// The term as the glossary writes it.
    term: std::sync::Arc<str>,
    /// Its capitals are required (see [`TermMatch::proper`]).
    proper: bool,
}

/// A text word's stem ids (only stems some term word has) and English base id.
struct CacheEntry {
    ids: Box<[u32]>,
    en: u32,
    /// Index in [`Matcher::exact_lists`] of the exact patterns the word starts, or [`NONE_ID`].
    exact: u32,
}

/// A compiled matcher for one language's terms (allowed and forbidden) of a glossary.
pub struct Matcher {
    lang: Lang,
    patterns: Vec<Pattern>,
    /// Every stem of every term word → its id.
    stem_ids: FxMap<String, u32>,
    /// Id → stem.
    stem_strs: Vec<String>,
    /// Every English base of a term word → its id.
    en_ids: FxMap<String, u32>,
    /// Stem id of the word of one-word (stemmed) patterns → those patterns.
    single: Vec<Vec<u32>>,
    /// (First-word stem id, second-word stem id) → multi-word (stemmed) patterns.
    pairs: FxMap<u64, Vec<u32>>,
    /// Whether a stem id starts some multi-word pattern.
    starts_pair: Vec<bool>,
    /// First folded word → index in `exact_lists` of the exact (`dnt`) patterns it starts.
    exact: FxMap<String, u32>,
    exact_lists: Vec<Vec<u32>>,
    /// The first two letters of every term word and of its stems: a text word that starts otherwise
    /// can match no term word, so it is never stemmed (stems keep a word's first letters).
    prefixes: FxSet<(char, char)>,
    /// Stems of the text words seen so far (word → ids, English base): running text repeats its
    /// words, and stemming is the matcher's main cost. Cleared when it grows past [`CACHE_WORDS`].
    cache: RwLock<FxMap<Box<str>, CacheEntry>>,
}

const CACHE_WORDS: usize = 200_000;

fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// The first two chars of a word (`None` for a shorter one).
fn prefix2(s: &str) -> Option<(char, char)> {
    let mut cs = s.chars();
    Some((cs.next()?, cs.next()?))
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
    /// The glossary term that matched, as the glossary writes it.
    #[serde(skip)]
    pub term: std::sync::Arc<str>,
    /// The term's capitals are required: a name (a place, an organisation, the presidency, a
    /// parliament) or a term with a capital past its first letter that is not a title ("Security
    /// Council"). Other capitalised terms ("Указ", "Министр энергетики") are capitalised by
    /// convention only.
    #[serde(skip)]
    pub proper: bool,
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

/// Chars below this fold through a table ([`fold_table`]); the others through [`crate::fold`].
const FOLD_TABLE_CHARS: usize = 0x2300;

/// [`crate::fold`] of every char below [`FOLD_TABLE_CHARS`] that folds to exactly one char (Latin,
/// Cyrillic, and the quotes, dashes and spaces of General Punctuation); `u32::MAX` for the others.
/// Built from `fold` itself, so the two always agree.
fn fold_table() -> &'static [u32] {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..FOLD_TABLE_CHARS as u32)
            .map(|i| {
                let Some(c) = char::from_u32(i) else { return u32::MAX };
                let mut buf = [0u8; 4];
                let f = fold(c.encode_utf8(&mut buf));
                let mut cs = f.chars();
                match (cs.next(), cs.next()) {
                    (Some(x), None) => x as u32,
                    _ => u32::MAX,
                }
            })
            .collect()
    })
}

/// The same as [`FoldedText`] (folded text, and a map of each folded byte to the original offset
/// of its char), built faster: through [`fold_table`] and not a Unicode case lookup per char, with
/// 32-bit offsets when the text is shorter than 4 GiB; and, unlike it, a run of Latin look-alike
/// letters touching a Cyrillic word is read as Cyrillic (`fold_into`). Terms never mix scripts, so
/// they and `dnt` forms are folded with [`FoldedText`].
struct Folded {
    folded: String,
    map: OffsetMap,
    original_len: usize,
}

enum OffsetMap {
    Small(Vec<u32>),
    Large(Vec<usize>),
}

/// The Cyrillic letter a Latin look-alike stands for inside a Cyrillic word ("Aстане" typed with a
/// Latin A), folded to lower case; the `mixed-script` check reports the letter, matching sees
/// through it.
fn cyrillic_lookalike(c: char) -> Option<char> {
    Some(match c {
        'a' | 'A' => 'а',
        'e' | 'E' => 'е',
        'o' | 'O' => 'о',
        'p' | 'P' => 'р',
        'c' | 'C' => 'с',
        'x' | 'X' => 'х',
        'y' => 'у',
        'B' => 'в',
        'H' => 'н',
        'K' => 'к',
        'M' => 'м',
        'T' => 'т',
        _ => return None,
    })
}

/// Folds `text` into `folded`, pushing each folded byte's original offset (through `offset`).
fn fold_into<T: Copy>(text: &str, folded: &mut String, map: &mut Vec<T>, offset: impl Fn(usize) -> T) {
    let table = fold_table();
    let mut prev = ' ';
    // The end of the current run of Latin letters, and whether it is read as Cyrillic: every letter
    // of it a look-alike, and Cyrillic right before or after it ("СултAH", "Aстане"; not
    // "Appleдың", whose l has no Cyrillic twin).
    let mut run: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let before = folded.len();
        if !c.is_ascii_alphabetic() {
            run = None;
        } else if run.is_none_or(|(end, _)| i >= end) {
            let len = text[i..].find(|x: char| !x.is_ascii_alphabetic()).unwrap_or(text.len() - i);
            let after = text[i + len..].chars().next().unwrap_or(' ');
            let all_twins = text[i..i + len].chars().all(|x| cyrillic_lookalike(x).is_some());
            run = Some((i + len, all_twins && (is_cyrillic(prev) || is_cyrillic(after))));
        }
        prev = c;
        let lookalike = run.filter(|r| r.1).and_then(|_| cyrillic_lookalike(c));
        if let Some(l) = lookalike {
            folded.push(l);
            map.extend(std::iter::repeat_n(offset(i), folded.len() - before));
            continue;
        }
        match table.get(c as usize).copied().and_then(char::from_u32) {
            Some(f) => folded.push(f),
            None => {
                let mut buf = [0u8; 4];
                folded.push_str(&fold(c.encode_utf8(&mut buf)));
            }
        }
        map.extend(std::iter::repeat_n(offset(i), folded.len() - before));
    }
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut folded = String::with_capacity(text.len());
        let map = if u32::try_from(text.len()).is_ok_and(|n| n < u32::MAX) {
            let mut map = Vec::with_capacity(text.len() + 1);
            fold_into(text, &mut folded, &mut map, |i| i as u32);
            OffsetMap::Small(map)
        } else {
            let mut map = Vec::with_capacity(text.len() + 1);
            fold_into(text, &mut folded, &mut map, |i| i);
            OffsetMap::Large(map)
        };
        Folded { folded, map, original_len: text.len() }
    }

    fn offset(&self, i: usize) -> usize {
        match &self.map {
            OffsetMap::Small(m) => m.get(i).map_or(self.original_len, |&o| o as usize),
            OffsetMap::Large(m) => m.get(i).copied().unwrap_or(self.original_len),
        }
    }

    /// Maps a folded byte range back to the original text's byte range.
    fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        (self.offset(start), self.offset(end))
    }
}

/// One word of a text: byte range in the folded text, and whether punctuation separates it from
/// the previous word.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    hard_gap_before: bool,
}

fn is_word_char_slow(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Chars below this have their [`is_word_char`] answer in a table (Latin, Cyrillic and more):
/// `char::is_alphanumeric` searches Unicode tables for every non-ASCII char, and cutting text
/// into words was the matcher's largest cost.
const WORD_TABLE_CHARS: usize = 0x800;

fn word_table() -> &'static [u64; WORD_TABLE_CHARS / 64] {
    static TABLE: std::sync::OnceLock<[u64; WORD_TABLE_CHARS / 64]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u64; WORD_TABLE_CHARS / 64];
        for (i, c) in (0..WORD_TABLE_CHARS as u32).filter_map(|i| char::from_u32(i).map(|c| (i as usize, c))) {
            if is_word_char_slow(c) {
                t[i / 64] |= 1 << (i % 64);
            }
        }
        t
    })
}

#[inline]
fn is_word_char(c: char) -> bool {
    let i = c as usize;
    if i < WORD_TABLE_CHARS {
        word_table()[i / 64] & (1 << (i % 64)) != 0
    } else {
        is_word_char_slow(c)
    }
}

/// Space, hyphen, quotes and the like join words of a term; other punctuation does not.
fn is_soft_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '"' | '\'' | '`' | '*' | '_')
}

/// Cuts a folded text into words (inner apostrophes kept: "d'affaires", "people's").
fn words(folded: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(folded.len() / 6 + 1);
    let mut it = folded.char_indices().peekable();
    let mut hard = false;
    while let Some((start, c)) = it.next() {
        if !is_word_char(c) {
            hard |= !is_soft_gap(c);
            continue;
        }
        let mut prev = c;
        let mut end = folded.len();
        while let Some(&(b, c)) = it.peek() {
            let inner_apostrophe =
                c == '\'' && prev.is_alphabetic() && folded[b + 1..].chars().next().is_some_and(|n| n.is_alphabetic());
            if is_word_char(c) || inner_apostrophe {
                prev = c;
                it.next();
            } else {
                end = b;
                break;
            }
        }
        out.push(Word { start, end, hard_gap_before: hard });
        hard = false;
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

/// A text word with its stem ids (a range of [`TextWords::ids`]), computed once per text.
#[derive(Clone, Copy)]
struct TextWord {
    word: Word,
    ids_start: u32,
    ids_end: u32,
    en: u32,
    /// Index in [`Matcher::exact_lists`], or [`NONE_ID`].
    exact: u32,
}

struct TextWords {
    words: Vec<TextWord>,
    ids: Vec<u32>,
}

impl TextWords {
    fn ids(&self, t: &TextWord) -> &[u32] {
        &self.ids[t.ids_start as usize..t.ids_end as usize]
    }
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
                    if let Some(mut p) = Self::compile(i, t, c.is_case_sensitive(t), c.dnt, forbidden, lang) {
                        p.proper = proper(c, t);
                        patterns.push(p);
                    }
                }
            }
            for t in c.excluded(lang).iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                // Russian exclusions are exact forms (главы государств, not главы государства);
                // Kazakh and English ones are word starts, found through their stems.
                if let Some(mut p) = Self::compile(i, t, false, lang == Lang::Ru, false, lang) {
                    p.excluded = true;
                    patterns.push(p);
                }
            }
        }
        let mut stem_ids: FxMap<String, u32> = FxMap::default();
        let mut stem_strs: Vec<String> = Vec::new();
        let mut en_ids: FxMap<String, u32> = FxMap::default();
        for p in &mut patterns {
            for w in &mut p.words {
                let mut ids: Vec<u32> = w
                    .keys
                    .iter()
                    .map(|k| {
                        *stem_ids.entry(k.clone()).or_insert_with(|| {
                            stem_strs.push(k.clone());
                            (stem_strs.len() - 1) as u32
                        })
                    })
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                w.ids = ids;
                w.en_id = w.en_base.as_ref().map(|b| {
                    let n = en_ids.len() as u32;
                    *en_ids.entry(b.clone()).or_insert(n)
                });
            }
        }
        let mut single: Vec<Vec<u32>> = vec![Vec::new(); stem_strs.len()];
        let mut starts_pair = vec![false; stem_strs.len()];
        let mut pairs: FxMap<u64, Vec<u32>> = FxMap::default();
        let mut exact: FxMap<String, u32> = FxMap::default();
        let mut exact_lists: Vec<Vec<u32>> = Vec::new();
        for (pi, p) in patterns.iter().enumerate() {
            let pi = pi as u32;
            if p.exact {
                let n = exact_lists.len() as u32;
                let k = *exact.entry(p.words[0].folded.clone()).or_insert(n);
                if k == n {
                    exact_lists.push(Vec::new());
                }
                exact_lists[k as usize].push(pi);
            } else if p.words.len() == 1 {
                for &a in &p.words[0].ids {
                    single[a as usize].push(pi);
                }
            } else {
                for &a in &p.words[0].ids {
                    starts_pair[a as usize] = true;
                    for &b in &p.words[1].ids {
                        pairs.entry(pair_key(a, b)).or_default().push(pi);
                    }
                }
            }
        }
        let prefixes = patterns
            .iter()
            .flat_map(|p| p.words.iter())
            .flat_map(|w| std::iter::once(&w.folded).chain(w.keys.iter()))
            .filter_map(|k| prefix2(k))
            .collect();
        Matcher {
            lang,
            patterns,
            stem_ids,
            stem_strs,
            en_ids,
            single,
            pairs,
            starts_pair,
            exact,
            exact_lists,
            prefixes,
            cache: Default::default(),
        }
    }

    /// A text word's stem ids and English base id, computed afresh.
    fn stem_entry(&self, folded: &str) -> CacheEntry {
        let mut ids: Vec<u32> =
            morph::text_keys(folded, self.lang).iter().filter_map(|k| self.stem_ids.get(k.as_str()).copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        let en = if self.lang == Lang::En {
            self.en_ids.get(morph::en_inflection_base(folded).as_str()).copied().unwrap_or(NONE_ID)
        } else {
            NONE_ID
        };
        let exact = self.exact.get(folded).copied().unwrap_or(NONE_ID);
        CacheEntry { ids: ids.into_boxed_slice(), en, exact }
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
            let folded = &ft.folded[w.start..w.end];
            let (s, e) = ft.original_range(w.start, w.end);
            words_out.push(TermWord {
                folded: folded.to_string(),
                written: fold_keep_case(&term[s..e]),
                keys: morph::term_keys(folded, lang),
                en_base: (lang == Lang::En).then(|| morph::en_inflection_base(folded)),
                ids: Vec::new(),
                en_id: None,
                chars: folded.chars().count(),
                guard: if lang == Lang::Ru { morph::ru_guard(folded) } else { String::new() },
            });
        }
        Some(Pattern {
            concept,
            words: words_out,
            hard_gaps,
            case_sensitive,
            exact,
            forbidden,
            excluded: false,
            term: term.into(),
            proper: false,
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The words of a folded text with their stem ids: from the cache for words seen before (one
    /// read lock per text), stemmed otherwise (the new words are cached with one write lock).
    fn text_words(&self, folded: &str) -> TextWords {
        let ws = words(folded);
        let mut out = Vec::with_capacity(ws.len());
        let mut ids: Vec<u32> = Vec::with_capacity(ws.len() * 2);
        let mut fresh: Vec<(&str, CacheEntry)> = Vec::new();
        let mut fresh_at: FxMap<&str, usize> = FxMap::default();
        {
            let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
            for w in ws {
                let s = &folded[w.start..w.end];
                let ids_start = ids.len() as u32;
                let mut en = NONE_ID;
                let mut exact = NONE_ID;
                if prefix2(s).is_none_or(|p| self.prefixes.contains(&p)) {
                    let entry = if let Some(e) = cache.get(s) {
                        e
                    } else if let Some(&k) = fresh_at.get(s) {
                        &fresh[k].1
                    } else {
                        fresh_at.insert(s, fresh.len());
                        fresh.push((s, self.stem_entry(s)));
                        &fresh[fresh.len() - 1].1
                    };
                    ids.extend_from_slice(&entry.ids);
                    en = entry.en;
                    exact = entry.exact;
                }
                out.push(TextWord { word: w, ids_start, ids_end: ids.len() as u32, en, exact });
            }
        }
        if !fresh.is_empty() {
            let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
            if cache.len() + fresh.len() > CACHE_WORDS {
                cache.clear();
            }
            for (s, e) in fresh {
                cache.insert(s.into(), e);
            }
        }
        TextWords { words: out, ids }
    }

    /// Whether text word `t` (written `written`) can stand for term word `w` of pattern `p`.
    fn word_ok(&self, p: &Pattern, w: &TermWord, t: &TextWord, tids: &[u32], folded: &str, written: &str) -> bool {
        let tf = &folded[t.word.start..t.word.end];
        if p.exact {
            return tf == w.folded;
        }
        // An exclusion in Kazakh or English names the start of each word: suffixes only add to it
        // ("мемлекет басшылар" covers "мемлекет басшыларымен", "reach an agreement" "reached …").
        if p.excluded {
            return tf.starts_with(w.folded.as_str()) && tids.iter().any(|k| w.ids.contains(k));
        }
        let mut shared = tids.iter().filter(|k| w.ids.contains(k));
        let ok = match self.lang {
            // Snowball also strips verb endings: договорились shares договор's stem but is a verb.
            Lang::Ru => shared.any(|&k| {
                let stem = self.stem_strs[k as usize].as_str();
                tf.strip_prefix(stem).is_none_or(|tail| !morph::ru_verbal_tail(tail))
                    && (stem.chars().nth(3).is_some() || tf.starts_with(w.guard.as_str()) || morph::ru_irregular(tf))
            }),
            _ => shared.next().is_some(),
        };
        if !ok {
            return false;
        }
        if w.en_id.is_some_and(|e| e != t.en) {
            return false;
        }
        // A one-word term of a short word matches only itself, or a short inflection of it.
        if p.words.len() == 1 {
            let n = w.chars;
            if n <= 3 && tf.chars().count() > n + if self.lang == Lang::Kk { 3 } else { 2 } {
                return false;
            }
        }
        !p.case_sensitive || case_ok(&fold_keep_case(written), &w.written)
    }

    /// Every (start, end, pattern) candidate in original byte offsets, overlapping.
    fn candidates(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let ft = Folded::new(text);
        let tw = self.text_words(&ft.folded);
        self.candidates_of(text, &ft, &tw)
    }

    /// The candidates of a text (less exclusions) and its coordinated list items, folding it and
    /// cutting it into words once.
    fn scan(&self, text: &str) -> (Vec<Candidate>, Vec<Candidate>) {
        let ft = Folded::new(text);
        let tw = self.text_words(&ft.folded);
        let cands = self.without_exclusions(self.candidates_of(text, &ft, &tw));
        (cands, self.coordinated(text, &ft, &tw.words))
    }

    fn candidates_of(&self, text: &str, ft: &Folded, tw: &TextWords) -> Vec<(usize, usize, usize)> {
        let folded = ft.folded.as_str();
        let tws = &tw.words;
        let written = |t: &TextWord| {
            let (s, e) = ft.original_range(t.word.start, t.word.end);
            &text[s..e]
        };
        let mut cands = Vec::new();
        let mut try_pis: Vec<u32> = Vec::new();
        for i in 0..tws.len() {
            try_pis.clear();
            let ti = tw.ids(&tws[i]);
            for &a in ti {
                try_pis.extend_from_slice(&self.single[a as usize]);
            }
            if let Some(next) = tws.get(i + 1) {
                let tj = tw.ids(next);
                if !tj.is_empty() {
                    for &a in ti {
                        if !self.starts_pair[a as usize] {
                            continue;
                        }
                        for &b in tj {
                            if let Some(v) = self.pairs.get(&pair_key(a, b)) {
                                try_pis.extend_from_slice(v);
                            }
                        }
                    }
                }
            }
            if let Some(v) = self.exact_lists.get(tws[i].exact as usize) {
                try_pis.extend_from_slice(v);
            }
            if try_pis.is_empty() {
                continue;
            }
            try_pis.sort_unstable();
            try_pis.dedup();
            for &pi in &try_pis {
                let pi = pi as usize;
                let p = &self.patterns[pi];
                let n = p.words.len();
                if i + n > tws.len() {
                    continue;
                }
                let ok = p.words.iter().enumerate().all(|(k, w)| {
                    let t = &tws[i + k];
                    (k == 0 || t.word.hard_gap_before == p.hard_gaps[k - 1])
                        && self.word_ok(p, w, t, tw.ids(t), folded, written(t))
                });
                if ok {
                    let (s, _) = ft.original_range(tws[i].word.start, tws[i].word.end);
                    let (_, e) = ft.original_range(tws[i + n - 1].word.start, tws[i + n - 1].word.end);
                    cands.push((s, e, pi));
                }
            }
        }
        cands
    }

    /// Every concept occurrence in `text`, left to right, without overlaps: where candidates
    /// overlap, the longest wins, and between equals the leftmost, then the first in the glossary.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let (cands, coordinated) = self.scan(text);
        self.longest_of(text, cands, &coordinated)
    }

    /// [`Matcher::find`] of `text` from its candidates and coordinated list items.
    fn longest_of(&self, text: &str, mut cands: Vec<Candidate>, coordinated: &[Candidate]) -> Vec<TermMatch> {
        cands.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2)));
        // Taken spans by start (they never overlap, so only the last one starting before a
        // candidate's end can overlap it) and the patterns taken.
        let mut taken: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        let mut empty: Vec<(usize, usize, usize)> = Vec::new();
        for c in cands {
            if c.0 == c.1 {
                // An empty span (never from real words): checked the slow way, as it always was.
                let clear = taken.iter().all(|(&s, &(e, _))| c.1 <= s || c.0 >= e)
                    && empty.iter().all(|t| c.1 <= t.0 || c.0 >= t.1);
                if clear {
                    empty.push(c);
                }
                continue;
            }
            // Empty spans sort last, so none is taken yet.
            if taken.range(..c.1).next_back().is_none_or(|(_, &(e, _))| e <= c.0) {
                taken.insert(c.0, (c.1, c.2));
            }
        }
        let mut out: Vec<(usize, usize, usize)> = taken.into_iter().map(|(s, (e, pi))| (s, e, pi)).collect();
        // A list item named through the list's head noun replaces what its word alone matched
        // (`out` is sorted by start and has no overlaps, so those are one run of it).
        for &c in coordinated {
            let from = out.partition_point(|o| o.1 <= c.0);
            let to = from + out[from..].iter().take_while(|o| o.0 < c.1).count();
            if out[from..to].iter().any(|o| o.1 - o.0 > c.1 - c.0) {
                continue;
            }
            out.splice(from..to, [c]);
        }
        out.extend(empty);
        out.sort();
        out.into_iter().map(|c| self.to_match(text, c)).collect()
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
            term: p.term.clone(),
            proper: p.proper,
        }
    }

    /// Every occurrence of a text (overlaps kept) and [`Matcher::find`] of it, its candidates found once.
    fn find_both(&self, text: &str) -> (Vec<TermMatch>, Vec<TermMatch>) {
        let (cands, coordinated) = self.scan(text);
        (self.overlapping_of(text, cands.clone(), &coordinated), self.longest_of(text, cands, &coordinated))
    }

    /// Every candidate occurrence and list item of `text`, overlaps kept, by start then longest first.
    fn overlapping_of(&self, text: &str, mut cands: Vec<Candidate>, coordinated: &[Candidate]) -> Vec<TermMatch> {
        cands.extend_from_slice(coordinated);
        cands.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))).then(a.2.cmp(&b.2)));
        cands.into_iter().map(|c| self.to_match(text, c)).collect()
    }

    /// The candidates less the exclusions and the matches of a concept inside its own exclusions
    /// (an exclusion of one concept leaves another's term alone).
    fn without_exclusions(&self, mut cands: Vec<(usize, usize, usize)>) -> Vec<(usize, usize, usize)> {
        let mut exclusions: Vec<(usize, usize, usize)> = cands
            .iter()
            .filter(|c| self.patterns[c.2].excluded)
            .map(|c| (c.0, c.1, self.patterns[c.2].concept))
            .collect();
        if exclusions.is_empty() {
            return cands;
        }
        // By start, so that only the exclusions that can hold a candidate are looked at.
        exclusions.sort_unstable();
        let longest = exclusions.iter().map(|x| x.1 - x.0).max().unwrap_or(0);
        cands.retain(|c| {
            let p = &self.patterns[c.2];
            if p.excluded {
                return false;
            }
            let from = exclusions.partition_point(|x| x.0 + longest < c.0);
            let to = exclusions.partition_point(|x| x.0 <= c.0);
            !exclusions[from..to].iter().any(|x| x.2 == p.concept && c.1 <= x.1)
        });
        cands
    }

    /// Items of a coordinated list that share one head noun ("Aktobe and Pavlodar regions",
    /// «Жамбылской, Туркестанской и Кызылординской областях», «областей Абай, Жетісу и Ұлытау»,
    /// «Ақтөбе және Павлодар облыстары»): each item is matched as if the head stood beside it, and
    /// reported on the item's own words.
    fn coordinated(&self, text: &str, ft: &Folded, tws: &[TextWord]) -> Vec<(usize, usize, usize)> {
        // (how a head word starts, the head to put beside an item); Russian heads may come first.
        let heads: &[(&str, &str)] = match self.lang {
            Lang::En => &[("region", "region"), ("oblast", "region"), ("district", "district")],
            Lang::Ru => &[("област", "область"), ("район", "район")],
            Lang::Kk => &[("облыс", "облысы"), ("аудан", "ауданы")],
        };
        let conjunctions = conjunctions(self.lang);
        if !heads.iter().any(|(h, _)| ft.folded.contains(h)) {
            return Vec::new();
        }
        let ws: Vec<Word> = tws.iter().map(|t| t.word).collect();
        let w = |i: usize| &ft.folded[ws[i].start..ws[i].end];
        let span = |i: usize| ft.original_range(ws[i].start, ws[i].end);
        let capital = |i: usize| {
            let (s, e) = span(i);
            text[s..e].chars().next().is_some_and(char::is_uppercase)
        };
        // Between items: a comma, or a conjunction word.
        let comma_before = |i: usize| i > 0 && ft.folded[ws[i - 1].end..ws[i].start].trim() == ",";
        let conj = |i: usize| conjunctions.contains(&w(i)) && !ws[i].hard_gap_before;
        let mut out = Vec::new();
        for h in 0..ws.len() {
            let Some((_, head)) = heads.iter().find(|(p, _)| w(h).starts_with(p)) else { continue };
            // Items before the head, from the nearest back.
            let mut before = Vec::new();
            let mut k = h;
            // Punctuation between the head and its nearest item ends the list there.
            while k > 0 && capital(k - 1) && (k < h || !ws[h].hard_gap_before) {
                before.push(k - 1);
                if k >= 3 && conj(k - 2) {
                    k -= 2;
                } else if k >= 2 && comma_before(k - 1) {
                    k -= 1;
                } else {
                    break;
                }
            }
            // Items after a Russian head («областей Абай, Жетісу и Ұлытау»).
            let mut after = Vec::new();
            if self.lang == Lang::Ru {
                let mut k = h + 1;
                while k < ws.len() && capital(k) && (k > h + 1 || !ws[h + 1].hard_gap_before) {
                    after.push(k);
                    if k + 2 < ws.len() && conj(k + 1) {
                        k += 2;
                    } else if k + 1 < ws.len() && comma_before(k + 1) {
                        k += 1;
                    } else {
                        break;
                    }
                }
            }
            for (items, head_first) in [(before, false), (after, true)] {
                if items.len() < 2 {
                    continue;
                }
                for i in items {
                    let (s, e) = span(i);
                    let item = &text[s..e];
                    let phrase = if head_first { format!("{head} {item}") } else { format!("{item} {head}") };
                    let whole = self
                        .without_exclusions(self.candidates(&phrase))
                        .into_iter()
                        .find(|c| c.0 == 0 && c.1 == phrase.len() && !self.patterns[c.2].forbidden);
                    if let Some(c) = whole {
                        out.push((s, e, c.2));
                    }
                }
            }
        }
        out
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
        let tws = words(&ft.folded);
        let n = p.words.len();
        (0..tws.len().saturating_sub(n - 1)).find_map(|i| {
            let ok = p.words.iter().enumerate().all(|(k, w)| ft.folded[tws[i + k].start..tws[i + k].end] == w.folded);
            ok.then(|| {
                let (s, _) = ft.original_range(tws[i].start, tws[i].end);
                let (_, e) = ft.original_range(tws[i + n - 1].start, tws[i + n - 1].end);
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

/// The judgement on one concept (a domain type: the store keeps it with each segment's terms).
pub use audarma_core::TermStatus;

/// How much a terminology judgement weighs, by the evidence behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    Note,
    Warning,
    Error,
}

/// The judgement on one concept of a source segment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct TermCheck {
    pub id: String,
    pub status: TermStatus,
    /// The source form found.
    pub source: String,
    /// The target form found (`None` when missing).
    pub target: Option<String>,
    /// Byte span of the target form in the target text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    /// `Realised`: the concept the target names instead; `Other`: the concept found where this one
    /// was required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The term the glossary expects in the target (its preferred term).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The concept is marked `verbatim`: it must appear.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub verbatim: bool,
    /// The concept is marked `ambiguous`: at most a warning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
    /// `Outdated`: the source uses the same outdated name, which the target keeps.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_source: bool,
}

impl TermCheck {
    /// The rule that makes this judgement a problem, and its grade; `None` when there is none.
    /// A forbidden or outdated form, or another concept's term, is certain evidence (an error);
    /// a term not found is a warning, an error for `verbatim` concepts and a note for `ambiguous`
    /// ones; nothing about an `ambiguous` concept is more than a warning.
    pub fn grade(&self) -> Option<(&'static str, Grade)> {
        let (rule, grade) = match self.status {
            TermStatus::Ok | TermStatus::Realised => return None,
            TermStatus::Forbidden => ("forbidden-form", Grade::Error),
            TermStatus::Outdated if self.in_source => ("outdated-in-source", Grade::Warning),
            TermStatus::Outdated => ("outdated-name", Grade::Error),
            TermStatus::Other => ("other-concept", Grade::Error),
            TermStatus::Missing if self.ambiguous => ("missing-ambiguous", Grade::Note),
            TermStatus::Missing if self.verbatim => ("missing-verbatim", Grade::Error),
            TermStatus::Missing => ("missing-term", Grade::Warning),
        };
        Some((rule, if self.ambiguous { grade.min(Grade::Warning) } else { grade }))
    }
}

/// Domains whose concepts name one thing each (places, organisations, state bodies, offices and
/// titles): another concept of the same domain in the target, where this one was required, is a
/// wrong term. Vocabulary domains (diplomacy, economy, security, culture) are not among them.
const NAMING_DOMAINS: &[&str] = &["place", "organisation", "government", "state", "parliament", "presidency", "title"];

/// Whether `part`'s terms in `lang` are words of one of `whole`'s (the UN in the UN General
/// Assembly, Kazakhstan in West Kazakhstan region): naming the part is not naming another thing.
fn part_of(part: &Concept, whole: &Concept, lang: Lang) -> bool {
    let padded = |t: &str| format!(" {} ", fold(t).split(|c: char| !c.is_alphanumeric()).collect::<Vec<_>>().join(" "));
    part.terms(lang).iter().any(|p| {
        let p = padded(p);
        whole.terms(lang).iter().any(|w| padded(w).contains(&p))
    })
}

/// Whether a term's capitals are required: names of places, organisations, parliaments and the
/// presidency (not documents of the state, like a Указ), and any term with a capital past its first
/// letter that is not a title ("Security Council", not "Minister of Energy").
fn proper(c: &Concept, term: &str) -> bool {
    let has = |d: &str| c.domain.iter().any(|x| x == d);
    let named = ["place", "organisation", "parliament", "presidency"].iter().any(|d| has(d)) && !has("state");
    named || (!has("title") && term.chars().skip(1).any(char::is_uppercase))
}

/// An adjective the target forms from one of the place's one-word names, if it has one: Russian
/// -ский/-цкий on the name less a final vowel (Россия → российский, Алматы → алматинский), Kazakh
/// -лық/-лік/-дық/-дік/-тық/-тік on the name (Ресей → ресейлік), English -n/-an/-ian/-ese/-i/-ish on
/// the name less a final vowel (Russia → Russian, China → Chinese, Kazakhstan → Kazakhstani).
fn derived_adjective(c: &Concept, lang: Lang, target: &str) -> Option<String> {
    let folded = fold(target);
    for term in c.terms(lang) {
        let term = fold(term);
        if term.contains(|ch: char| !ch.is_alphabetic() && ch != ' ') || term.chars().count() < 4 {
            continue;
        }
        let base = match lang {
            Lang::Kk => term.as_str(),
            _ => term.strip_suffix(['а', 'я', 'ы', 'и', 'й', 'ь', 'a', 'e', 'y']).unwrap_or(&term),
        };
        if base.chars().count() < 4 {
            continue;
        }
        let adjective = |rest: &str| match lang {
            Lang::Ru => {
                let head: String = rest.chars().take(6).collect();
                head.contains("ск") || head.contains("цк")
            }
            Lang::Kk => ["лық", "лік", "дық", "дік", "тық", "тік"].iter().any(|s| rest.starts_with(s)),
            Lang::En => ["n", "ns", "an", "ans", "ian", "ians", "ese", "i", "is", "ish"].contains(&rest),
        };
        // English adjectives of the -stan names drop it: Kazakh, Uzbek, Kyrgyz, Turkmen.
        let stan =
            (lang == Lang::En).then(|| base.strip_suffix("istan").or_else(|| base.strip_suffix("stan"))).flatten();
        // The last word of the name takes the suffix ("Central Asia" → "Central Asian"); the base
        // must start a word of the target.
        for (at, _) in folded.match_indices(base) {
            if folded[..at].chars().next_back().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let after = &folded[at + base.len()..];
            let rest: &str = after.split(|ch: char| !ch.is_alphanumeric()).next().unwrap_or_default();
            if !rest.is_empty() && adjective(rest) {
                return Some(format!("{base}{rest}"));
            }
        }
        if let Some(s) = stan.filter(|s| s.chars().count() >= 4) {
            let hit = folded.split(|ch: char| !ch.is_alphanumeric()).any(|w| w == s);
            if hit {
                return Some(s.to_string());
            }
        }
    }
    None
}

/// Titles name roles, and a sentence has several people: another title in the target is no
/// evidence that this one was mistranslated.
fn title(c: &Concept) -> bool {
    c.domain.iter().any(|d| d == "title")
}

/// Whether the words at `start` follow a conjunction or a comma: an item of a list, where the
/// translation may share a head noun between items ("Ministries of Finance and National Economy",
/// «Қаржы және Ұлттық экономика министрліктері»), so naming it is no evidence of a wrong term.
fn in_list(text: &str, start: usize, lang: Lang) -> bool {
    let before = text[..start].trim_end();
    if before.ends_with(',') {
        return true;
    }
    let last = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or_default().to_lowercase();
    conjunctions(lang).contains(&last.as_str())
}

/// The words that join the items of a list.
fn conjunctions(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &["and", "or"],
        Lang::Ru => &["и", "или"],
        Lang::Kk => &["және", "мен", "пен", "бен", "немесе"],
    }
}

/// Judges `target` against the concepts found in its source (`source_matches`, from a matcher of the
/// source language); `target_matcher` is the matcher of the target language. See [`TermStatus`] for
/// what each judgement means and [`TermCheck::grade`] for how much it weighs.
pub fn verify(
    glossary: &Glossary,
    source_matches: &[TermMatch],
    target_matcher: &Matcher,
    target: &str,
    date: Option<NaiveDate>,
) -> Vec<TermCheck> {
    // Every occurrence, overlaps kept: a target term inside a longer one still counts ("Казахстана"
    // in "Президент Казахстана" is there even though president-of-kazakhstan wins in `find`), and
    // the longest reading, for a term swallowed by another concept's longer name.
    let (found, top) = target_matcher.find_both(target);
    let tl = target_matcher.lang;
    let in_source = |concept: usize| source_matches.iter().any(|m| m.concept == concept);
    let mut out: Vec<TermCheck> = Vec::new();
    for m in source_matches.iter().filter(|m| !m.forbidden) {
        if out.iter().any(|c| c.id == glossary.concepts[m.concept].id) {
            continue;
        }
        let c = &glossary.concepts[m.concept];
        let mut check = TermCheck {
            id: c.id.clone(),
            status: TermStatus::Missing,
            source: m.text.clone(),
            expected: c.preferred(tl).map(str::to_string),
            verbatim: c.verbatim,
            ambiguous: c.ambiguous,
            ..TermCheck::default()
        };
        // Another concept's longer name around this one's term, which the source does not have:
        // «Совет Безопасности ООН» for the Security Council.
        // The longer name must hold a third concept the source lacks (ООН), not just a head noun
        // ("Atyrau region" for Атырау аумағы is the same place).
        let swallowing = |g: &TermMatch| {
            top.iter().find(|t| {
                t.concept != m.concept
                    && !t.forbidden
                    && t.start <= g.start
                    && g.end <= t.end
                    && t.end - t.start > g.end - g.start
                    && !in_source(t.concept)
                    && !c.may_stand_for(&glossary.concepts[t.concept], date)
                    && found.iter().any(|x| {
                        x.concept != m.concept
                            && x.concept != t.concept
                            && t.start <= x.start
                            && x.end <= t.end
                            && !glossary.concepts[x.concept].ambiguous
                            && !in_source(x.concept)
                    })
            })
        };
        let mine = found.iter().filter(|f| f.concept == m.concept);
        let bad = mine.clone().find(|f| f.forbidden);
        let good = mine.clone().find(|f| !f.forbidden && swallowing(f).is_none());
        let swallowed = mine.clone().find_map(|f| if f.forbidden { None } else { swallowing(f) });
        let other = || {
            found.iter().find(|f| {
                let other = &glossary.concepts[f.concept];
                !f.forbidden
                    && f.concept != m.concept
                    && !c.ambiguous
                    && !other.ambiguous
                    && !title(c)
                    && !title(other)
                    && !in_source(f.concept)
                    && NAMING_DOMAINS
                        .iter()
                        .any(|d| c.domain.iter().any(|x| x == d) && other.domain.iter().any(|x| x == d))
                    && !in_list(target, f.start, tl)
                    && !source_matches.iter().any(|s| {
                        let sc = &glossary.concepts[s.concept];
                        sc.may_stand_for(other, date) || part_of(other, sc, tl) || part_of(sc, other, tl)
                    })
            })
        };
        let hit = if let Some(b) = bad {
            check.status = TermStatus::Forbidden;
            Some(b)
        } else if c.dnt {
            let pos = if m.text.chars().any(is_word_char) {
                target_matcher.find_exact(target, &m.text)
            } else {
                fold(target).find(&fold(&m.text)).map(|p| (p, p))
            };
            if pos.is_some() {
                check.status = TermStatus::Ok;
                check.target = Some(m.text.clone());
            }
            check.expected = Some(m.text.clone());
            out.push(check);
            continue;
        } else if let Some(g) = good {
            // The source itself uses a name not in use on the date (a historical mention, or a slip
            // of the source): keeping it is faithful, so it is weaker evidence.
            check.status = if c.valid_on(date) { TermStatus::Ok } else { TermStatus::Outdated };
            check.in_source = !c.valid_on(date);
            Some(g)
        } else if let Some(r) =
            found.iter().find(|f| !f.forbidden && c.may_stand_for(&glossary.concepts[f.concept], date))
        {
            check.status = TermStatus::Realised;
            check.via = Some(glossary.concepts[r.concept].id.clone());
            Some(r)
        } else if let Some(word) =
            c.domain.iter().any(|d| d == "place").then(|| derived_adjective(c, tl, target)).flatten()
        {
            // «российский рынок» for Ресей нарығы, "Chinese investors" for Қытай инвесторлары.
            check.status = TermStatus::Realised;
            check.target = Some(word);
            out.push(check);
            continue;
        } else if let Some(o) = swallowed.or_else(other) {
            // A name no longer in use (Nur-Sultan for Astana in 2024) is an outdated name.
            let other = &glossary.concepts[o.concept];
            check.status = if other.valid_on(date) { TermStatus::Other } else { TermStatus::Outdated };
            check.via = Some(other.id.clone());
            Some(o)
        } else {
            None
        };
        check.target = hit.map(|h| h.text.clone());
        check.span = hit.map(|h| (h.start, h.end));
        out.push(check);
    }
    // A forbidden form, or a name not in use on the date, is wrong wherever it stands, whether or
    // not the source named its concept («Алма-Ата», «Нур-Султан» in 2024).
    for f in &top {
        let c = &glossary.concepts[f.concept];
        let status = if f.forbidden {
            TermStatus::Forbidden
        } else if !c.valid_on(date) {
            TermStatus::Outdated
        } else {
            continue;
        };
        if out.iter().any(|o| o.span.is_some_and(|(s, e)| s < f.end && f.start < e)) {
            continue;
        }
        out.push(TermCheck {
            id: c.id.clone(),
            status,
            target: Some(f.text.clone()),
            span: Some((f.start, f.end)),
            expected: c.preferred(tl).map(str::to_string),
            ambiguous: c.ambiguous,
            ..TermCheck::default()
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
    fn fast_folding_agrees_with_folded_text() {
        let samples = [
            "Ёж «ОБСЕ» — İstanbul, ЕҚЫҰ-ға; “Astana Hub”\u{a0}‘x’ ẞ ǅ Ω 日本 😀 Ⅻ ﬁ",
            "",
            "ABC abc Әділет МИНИСТРЛІГІ\u{202f}x\u{2009}y −1 ‐ ‑ ‒ – ― ″ ′ ʼ ‚ ‛ „ ‟",
        ];
        let all: String = (0..0x2400u32).filter_map(char::from_u32).collect();
        for s in samples.iter().copied().chain(std::iter::once(all.as_str())) {
            let a = FoldedText::new(s);
            let b = Folded::new(s);
            assert_eq!(a.folded, b.folded);
            for i in 0..=a.folded.len() + 1 {
                assert_eq!(a.original_range(i, i), b.original_range(i, i));
            }
        }
    }

    #[test]
    fn word_table_agrees_with_unicode() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), is_word_char_slow(c), "{c:?}");
        }
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
