//! The `spelling` check with Hunspell dictionaries read by the pure-Rust `spellbook`.

use crate::tokens::words;
use crate::{Check, Finding, Severity};
use audarma_core::Lang;
use std::collections::HashSet;
use std::path::Path;

/// Where Debian's `hunspell-*` packages put their dictionaries.
pub const HUNSPELL_DIR: &str = "/usr/share/hunspell";

/// A spelling dictionary for one language.
pub struct Speller {
    lang: Lang,
    dict: spellbook::Dictionary,
    /// For Kazakh: the Russian dictionary, for loanwords with Kazakh endings ("журналистердің").
    loans: Option<spellbook::Dictionary>,
    /// What the dictionaries said of each word seen: the same words come back in every release, and an
    /// unknown Kazakh word costs dozens of dictionary look-ups (each analysis, each peeled ending).
    /// Profiling a run against the fake server found four fifths of its CPU here before this cache.
    verdicts: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<Verdict>>>,
}

/// What the dictionaries alone (without a word list) say of a word.
enum Verdict {
    Known,
    /// Unknown to the dictionaries; a word list may still know its lower-case form or a stem.
    Unknown {
        lower: String,
        stems: Vec<String>,
    },
}

/// The most verdicts remembered; past it the memory starts again (a day's releases use far fewer words).
const MAX_VERDICTS: usize = 200_000;

impl std::fmt::Debug for Speller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speller").field("lang", &self.lang).finish_non_exhaustive()
    }
}

impl Speller {
    /// The dictionary file stem for a language (`kk_KZ`, `ru_RU`, `en_US`).
    pub fn dictionary_name(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "en_US",
            Lang::Kk => "kk_KZ",
            Lang::Ru => "ru_RU",
        }
    }

    /// Loads the language's dictionary from [`HUNSPELL_DIR`]; `None` when the files are absent
    /// or do not parse. This reads two files: the one place in this crate that does I/O, done once
    /// by the caller, never by [`crate::check_with`].
    pub fn load(lang: Lang) -> Option<Speller> {
        Self::load_from(Path::new(HUNSPELL_DIR), lang)
    }

    /// Like [`Speller::load`] from another directory.
    pub fn load_from(dir: &Path, lang: Lang) -> Option<Speller> {
        let read_named = |name: &str| {
            let aff = std::fs::read_to_string(dir.join(format!("{name}.aff"))).ok()?;
            let dic = std::fs::read_to_string(dir.join(format!("{name}.dic"))).ok()?;
            spellbook::Dictionary::new(&aff, &dic).ok()
        };
        let read = |lang: Lang| read_named(Self::dictionary_name(lang));
        let dict = read(lang)?;
        // Kazakh borrows Russian words; official English is often British ("analyse", "programme").
        let loans = match lang {
            Lang::Kk => read(Lang::Ru),
            Lang::En => read_named("en_GB"),
            Lang::Ru => None,
        };
        Some(Speller { lang, dict, loans, verdicts: Default::default() })
    }

    /// A speller from the text of an `.aff` and a `.dic` file.
    pub fn from_strings(lang: Lang, aff: &str, dic: &str) -> Option<Speller> {
        spellbook::Dictionary::new(aff, dic).ok().map(|dict| Speller {
            lang,
            dict,
            loans: None,
            verdicts: Default::default(),
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether the dictionary knows the word. Kazakh, which hunspell-kk covers thinly: also a stem
    /// left after case, possessive and plural endings ([`audarma_glossary::morph::kk_analyses`]),
    /// common verb endings and derivational suffixes (-лық, -шы, -лы, -сыз) are peeled off, and
    /// Russian loanwords ("инвестиция", "журналист") are looked up in the Russian dictionary.
    pub fn knows(&self, word: &str) -> bool {
        self.knows_with(word, &HashSet::new())
    }

    /// [`Speller::knows`], with `extra` words (lower case) known too: in Kazakh also as the stems
    /// of inflected forms (a list that has «өңір» knows «өңірлердегі»).
    pub fn knows_with(&self, word: &str, extra: &HashSet<String>) -> bool {
        match &*self.verdict(word) {
            Verdict::Known => true,
            Verdict::Unknown { lower, stems } => {
                !extra.is_empty() && (extra.contains(lower) || stems.iter().any(|s| extra.contains(s)))
            }
        }
    }

    /// The dictionaries' verdict on a word, remembered.
    fn verdict(&self, word: &str) -> std::sync::Arc<Verdict> {
        let remembered = |v: &std::collections::HashMap<String, std::sync::Arc<Verdict>>| v.get(word).cloned();
        if let Some(v) = remembered(&self.verdicts.lock().unwrap_or_else(|e| e.into_inner())) {
            return v;
        }
        let verdict = std::sync::Arc::new(self.judge(word));
        let mut verdicts = self.verdicts.lock().unwrap_or_else(|e| e.into_inner());
        if verdicts.len() >= MAX_VERDICTS {
            verdicts.clear();
        }
        verdicts.insert(word.to_string(), verdict.clone());
        verdict
    }

    fn judge(&self, word: &str) -> Verdict {
        let in_dicts =
            |w: &str| self.dict.check(w) || (self.lang == Lang::En && self.loans.as_ref().is_some_and(|d| d.check(w)));
        if in_dicts(word) {
            return Verdict::Known;
        }
        let lower = word.to_lowercase();
        if lower != word && in_dicts(&lower) {
            return Verdict::Known;
        }
        if self.lang != Lang::Kk {
            // Inflected forms of a listed word share its Snowball stem (цифровизации, цифровизация).
            let stem = audarma_glossary::morph::stem(&lower, self.lang);
            return Verdict::Unknown { lower, stems: vec![stem] };
        }
        let mut stems: Vec<String> = audarma_glossary::morph::kk_analyses(&lower).into_iter().map(|a| a.stem).collect();
        let mut more = Vec::new();
        for s in &stems {
            for suf in KK_VERB_ENDINGS.iter().chain(KK_DERIVATION) {
                if let Some(stem) = s.strip_suffix(suf) {
                    if stem.chars().count() >= 2 {
                        more.push(stem.to_string());
                        // What the suffix was added to may be inflected itself (өңірлер|дегі).
                        if suf.chars().count() >= 3 {
                            more.extend(audarma_glossary::morph::kk_analyses(stem).into_iter().skip(1).map(|a| a.stem));
                        }
                    }
                }
            }
        }
        stems.extend(more);
        let known = stems
            .iter()
            .any(|s| self.dict.check(s) || self.loans.as_ref().is_some_and(|r| s.chars().count() >= 4 && r.check(s)));
        if known {
            Verdict::Known
        } else {
            stems.sort_unstable();
            stems.dedup();
            Verdict::Unknown { lower, stems }
        }
    }
}

/// Kazakh verb endings (tense, participle, converb, infinitive, voice) peeled for the look-up.
const KK_VERB_ENDINGS: &[&str] = &[
    "айды",
    "ейді",
    "ады",
    "еді",
    "йды",
    "йді",
    "ды",
    "ді",
    "ты",
    "ті",
    "уда",
    "уде",
    "ған",
    "ген",
    "қан",
    "кен",
    "атын",
    "етін",
    "йтын",
    "йтін",
    "ып",
    "іп",
    "п",
    "у",
    "са",
    "се",
    "мақ",
    "мек",
    "бақ",
    "бек",
    "пақ",
    "пек",
    "ылады",
    "іледі",
    "лады",
    "леді",
    "нады",
    "неді",
    "ады",
    "ылды",
    "ілді",
    "лды",
    "лді",
    "нды",
    "нді",
    "ылған",
    "ілген",
    "лған",
    "лген",
    "ату",
    "ету",
    "йді",
    "алады",
    "еледі",
    "атын",
];

/// Kazakh derivational suffixes that make adjectives and agent nouns from known stems.
const KK_DERIVATION: &[&str] = &[
    "ынша", "інше", "нша", "нше", "май", "мей", "бай", "бей", "пай", "пей", "а", "е", "лық", "лік", "дық", "дік",
    "тық", "тік", "шы", "ші", "лы", "лі", "ды", "ді", "ты", "ті", "сыз", "сіз", "дағы", "дегі", "тағы", "тегі", "ғы",
    "гі", "қы", "кі", "ия", "ия", "ар", "ер",
];

fn script_fits(word: &str, lang: Lang) -> bool {
    let cyr = word.chars().any(crate::tokens::is_cyrillic);
    match lang {
        Lang::En => !cyr,
        Lang::Kk | Lang::Ru => cyr && word.chars().all(|c| !c.is_ascii_alphabetic()),
    }
}

/// Whether the capitalised word at `start` stands beside another capitalised word that is not a
/// sentence's first ("The Goverment" is checked, "Женис Касымбек" is a name).
fn in_name(text: &str, start: usize, len: usize) -> bool {
    let space = |c: char| c == ' ' || c == '\u{a0}';
    let next = text[start + len..].trim_start_matches(space);
    if next.len() < text.len() - start - len && next.chars().next().is_some_and(char::is_uppercase) {
        return true;
    }
    let before = &text[..start];
    let prev_text = before.trim_end_matches(space);
    if prev_text.len() == before.len() {
        return false;
    }
    let word_start = prev_text
        .rfind(|c: char| !c.is_alphanumeric() && c != '-')
        .map_or(0, |i| i + prev_text[i..].chars().next().map_or(1, char::len_utf8));
    let prev = &prev_text[word_start..];
    prev.chars().next().is_some_and(char::is_uppercase)
        && prev.chars().count() > 1
        && !sentence_initial(text, word_start)
}

/// A word in Latin letters, lower case, for comparing names across scripts (Сқақов → skakov).
fn latin(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        let s = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'і' => "i",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' | 'һ' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' | 'щ' => "sh",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphabetic() => {
                out.push(c);
                continue;
            }
            _ => continue,
        };
        out.push_str(s);
    }
    out
}

/// Whether `word` starts like a word of the source, across scripts, one of the two written as a
/// name (`written_as_name`: capitalised mid-sentence): a name carried over, or an adjective made
/// from it. Four letters must agree.
fn echoes_source_name(source: &str, word: &str, written_as_name: bool) -> bool {
    let w = latin(word);
    if w.chars().count() < 4 {
        return false;
    }
    let head: String = w.chars().take(4).collect();
    let capital = |s: &str| {
        s.chars().next().is_some_and(char::is_uppercase) && s.chars().filter(|c| c.is_uppercase()).count() == 1
    };
    // One side must write it as a name: «алаштың» → "Alash", «Алаш» → «алашской»; a common word
    // shared by both languages («министры», «министерлер») is still checked.
    words(source).iter().any(|&(at, s)| {
        (written_as_name || (capital(s) && !sentence_initial(source, at))) && latin(s).starts_with(&head)
    })
}

/// Whether `source` has `word` as a whole word.
fn source_has(source: &str, word: &str) -> bool {
    source.match_indices(word).any(|(i, _)| {
        let before = source[..i].chars().next_back();
        let after = source[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Letters a typo may add, drop or swap in, per language.
fn alphabet(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "abcdefghijklmnopqrstuvwxyz",
        Lang::Ru => "абвгдежзийклмнопрстуфхцчшщъыьэюя",
        Lang::Kk => "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
    }
}

/// A dictionary word one edit (a letter dropped, added, changed, or two swapped) from `word`
/// (lower case), if there is one: the typo's likely correction. Words under five letters have too
/// many neighbours to tell a typo from a name.
fn near_miss(word: &str, speller: &Speller, extra: &HashSet<String>) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 || !chars.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    let letters: Vec<char> = alphabet(speller.lang).chars().collect();
    let known = |c: &[char]| {
        let w: String = c.iter().collect();
        speller.knows_with(&w, extra).then_some(w)
    };
    // A letter left out or mistyped is the commonest typo: those corrections first; the first
    // letter is rarely wrong, so it is kept.
    for i in 1..=chars.len() {
        for &l in &letters {
            let mut c = chars.clone();
            c.insert(i, l);
            if let Some(w) = known(&c) {
                return Some(w);
            }
        }
    }
    for i in 1..chars.len() {
        for &l in letters.iter().filter(|l| **l != chars[i]) {
            let mut c = chars.clone();
            c[i] = l;
            if let Some(w) = known(&c) {
                return Some(w);
            }
        }
    }
    for i in 1..chars.len() {
        let mut c = chars.clone();
        c.remove(i);
        if let Some(w) = known(&c) {
            return Some(w);
        }
        if i + 1 < chars.len() {
            let mut c = chars.clone();
            c.swap(i, i + 1);
            if let Some(w) = known(&c) {
                return Some(w);
            }
        }
    }
    None
}

/// Abbreviations of press releases that dictionaries lack.
const ABBREVIATIONS: &[&str] = &["млн", "млрд", "трлн", "тыс", "mln", "bn", "ж", "жж", "гг", "км", "га", "кв", "м"];

/// Whether a word starts a sentence (nothing before it but spaces, quotes, or a sentence mark). A
/// full stop after an initial ("А. Скакову", "Қ.-Ж. Тоқаев") does not end a sentence.
fn sentence_initial(text: &str, at: usize) -> bool {
    let before = &text[..at];
    for (i, c) in before.char_indices().rev() {
        if c.is_whitespace() || matches!(c, '«' | '"' | '“' | '„' | '(' | '—' | '–' | '-') {
            continue;
        }
        if c == '.' && after_initial(&before[..i]) {
            return false;
        }
        return matches!(c, '.' | '!' | '?' | '…' | ':');
    }
    true
}

/// Whether `text` ends with an initial: one capital letter after a space, a hyphen, a full stop or
/// nothing.
fn after_initial(text: &str) -> bool {
    let mut rev = text.chars().rev();
    match (rev.next(), rev.next()) {
        (Some(c), None) => c.is_uppercase(),
        (Some(c), Some(p)) => c.is_uppercase() && (p.is_whitespace() || matches!(p, '-' | '.' | '(' | '«')),
        _ => false,
    }
}

pub(crate) fn check(
    source: &str,
    target: &str,
    speller: &Speller,
    known: &HashSet<String>,
    skip: &[(usize, usize)],
    out: &mut Vec<Finding>,
) {
    for (start, word) in words(target) {
        if crate::tokens::inside(skip, start) || word.chars().count() < 2 {
            continue;
        }
        // Abbreviations ("млн.", "т.е."), endings in brackets ("Уважаемый(ая)").
        let after = target[start + word.len()..].chars().next();
        let before = target[..start].chars().next_back();
        if word.chars().count() <= 4 && (after == Some('.') || before == Some('(')) {
            continue;
        }
        if ABBREVIATIONS.contains(&word.to_lowercase().as_str()) {
            continue;
        }
        if word.chars().any(|c| c.is_ascii_digit()) || !script_fits(word, speller.lang) {
            continue;
        }
        let upper = word.chars().filter(|c| c.is_uppercase()).count();
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        // Acronyms and mixed case ("ЕҚЫҰ", "iPhone") are never checked.
        if upper > 1 || (upper == 1 && !capital) {
            continue;
        }
        // A capitalised word mid-sentence is likely a name: only a near miss of a dictionary word
        // ("Goverment") is reported for it.
        // A word the source has as written was copied (names, titles of works); a capitalised
        // word beside another capitalised word mid-sentence is part of a name ("Абылкаир Скаков",
        // "Serik Shapkenov reported").
        if capital && (source_has(source, word) || in_name(target, start, word.len())) {
            continue;
        }
        let name_like = capital && !sentence_initial(target, start);
        // A name of the source, transliterated or with a suffix («Алаш» → "Alash", «алашской»).
        if echoes_source_name(source, word, name_like) {
            continue;
        }
        let lower = word.to_lowercase();
        if speller.knows_with(word, known) {
            continue;
        }
        // A hyphenated suffix ("ЕҚЫҰ-ның") or a hyphenated compound: check the parts.
        if word.contains('-') {
            let parts: Vec<&str> = word.split('-').collect();
            let stem_ok = |p: &str| p.chars().any(char::is_uppercase) || speller.knows_with(p, known);
            if speller.lang == Lang::Kk && stem_ok(parts[0]) {
                continue;
            }
            if parts.iter().all(|p| stem_ok(p)) {
                continue;
            }
        }
        // A word one edit from a dictionary word is a typo (a warning); any other unknown word is
        // more likely a name, a neologism or a form the dictionary lacks (a note).
        let suggestion = near_miss(&lower, speller, known);
        if suggestion.is_none() && name_like {
            continue;
        }
        let lang = crate::tokens::lang_name(speller.lang);
        let (severity, message, rule) = match &suggestion {
            Some(s) => (Severity::Warning, format!("“{word}” is not in the {lang} dictionary: “{s}”?"), "near-miss"),
            None => (Severity::Info, format!("“{word}” is not in the {lang} dictionary"), "not-in-dictionary"),
        };
        out.push(Finding::new(Check::Spelling, severity, message).at(target, start, start + word.len()).because(
            crate::Evidence { found: Some(word.to_string()), expected: suggestion, ..crate::Evidence::rule(rule) },
        ));
    }
}

/// Press vocabulary the Debian dictionaries lack (`words/{en,kk,ru}.txt`, lower case), for the
/// spelling check's known words: one word a line, `#` comments.
pub fn press_words(lang: Lang) -> impl Iterator<Item = &'static str> {
    let text = match lang {
        Lang::En => include_str!("../words/en.txt"),
        Lang::Kk => include_str!("../words/kk.txt"),
        Lang::Ru => include_str!("../words/ru.txt"),
    };
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}
