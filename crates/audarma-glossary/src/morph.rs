//! Morphology for matching: reduce an inflected word to a stem so that a glossary term in the
//! nominative meets its inflected forms in running text.
//!
//! - Russian and English: Snowball (`rust-stemmers`). Russian gets a short table of fleeting-vowel
//!   forms (посла → посол); English candidates are guarded in the matcher by an inflection check so
//!   Snowball's derivational merges (Consul / Consulate) do not match.
//! - Kazakh: our own suffix analyser. A Kazakh noun form is `stem + plural? + possessive? + case?`;
//!   the analyser peels those layers right to left, checking each allomorph against the sound before
//!   it (consonant assimilation) and vowel harmony, never leaving a stem under three letters, and
//!   undoing the final-consonant alternation (ғ→қ, г→к, б→п) when a vowel-initial suffix went.
//!   Derivational suffixes (-лық/-лік, -шы/-ші, -дағы/-дегі, -ғы/-гі …) are never stripped: they make
//!   another word (әкім ≠ әкімдік).
//!
//! Words are expected already folded ([`crate::fold`]: lower case, ё → е).

use audarma_core::Lang;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// Words of this many letters or fewer are never stemmed (ru, kk).
const SHORT: usize = 3;
/// No analysis leaves a stem shorter than this.
const MIN_STEM: usize = 3;

fn stemmer(lang: Lang) -> &'static Stemmer {
    static RU: OnceLock<Stemmer> = OnceLock::new();
    static EN: OnceLock<Stemmer> = OnceLock::new();
    match lang {
        Lang::Ru => RU.get_or_init(|| Stemmer::create(Algorithm::Russian)),
        _ => EN.get_or_init(|| Stemmer::create(Algorithm::English)),
    }
}

fn len(s: &str) -> usize {
    s.chars().count()
}

fn all_letters(w: &str) -> bool {
    w.chars().all(char::is_alphabetic)
}

/// The stem of one folded word.
pub fn stem(word: &str, lang: Lang) -> String {
    match lang {
        Lang::Kk => kk_best(word),
        Lang::Ru => ru_stem(word),
        _ => en_stem(word),
    }
}

/// Russian forms with a fleeting vowel that Snowball leaves apart from their nominative.
const RU_IRREGULAR: &[(&str, &str)] = &[
    ("посла", "посол"),
    ("послу", "посол"),
    ("послом", "посол"),
    ("послы", "посол"),
    ("послов", "посол"),
    ("послам", "посол"),
    ("послами", "посол"),
    ("послах", "посол"),
    ("дня", "ден"),
    ("дню", "ден"),
    ("днем", "ден"),
];

fn ru_stem(word: &str) -> String {
    let w = word.replace('ё', "е");
    if let Some((_, s)) = RU_IRREGULAR.iter().find(|(f, _)| *f == w) {
        return (*s).to_string();
    }
    if len(&w) <= SHORT || !all_letters(&w) {
        return w;
    }
    let s = stemmer(Lang::Ru).stem(&w).into_owned();
    if len(&s) < MIN_STEM {
        w
    } else {
        s
    }
}

fn en_stem(word: &str) -> String {
    if len(word) <= 2 || !all_letters(&word.replace('\'', "")) {
        return word.to_string();
    }
    let w = word.trim_end_matches("'s").trim_end_matches('\'');
    stemmer(Lang::En).stem(w).into_owned()
}

/// English inflection only (possessive, plural): the guard that keeps Snowball's derivational merges
/// apart. `consulate` and `consul` share a Snowball stem but not this.
pub fn en_inflection_base(word: &str) -> String {
    let w = word.strip_suffix("'s").or_else(|| word.strip_suffix('\'')).unwrap_or(word);
    let n = len(w);
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    for es in ["sses", "xes", "ches", "shes", "zes"] {
        if n > es.len() + 1 && w.ends_with(es) {
            return w[..w.len() - 2].to_string();
        }
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

// ---------------------------------------------------------------------------------------------
// Kazakh
// ---------------------------------------------------------------------------------------------

fn is_vowel(c: char) -> bool {
    "аәеиоөуұүыіэюяё".contains(c)
}

/// Voiceless consonants (and б в г д, which loanwords treat alike before a suffix).
fn is_voiceless(c: char) -> bool {
    "пкқстшфхцчщбвгд".contains(c)
}

/// л м н ң р й у з ж.
fn is_voiced_cons(c: char) -> bool {
    "лмнңрйузж".contains(c)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Harmony {
    Back,
    Front,
    Any,
}

fn vowel_class(c: char) -> Option<Harmony> {
    match c {
        'а' | 'о' | 'ұ' | 'ы' | 'я' => Some(Harmony::Back),
        'ә' | 'ө' | 'ү' | 'і' | 'е' | 'э' | 'и' => Some(Harmony::Front),
        'у' | 'ю' | 'ё' => Some(Harmony::Any),
        _ => None,
    }
}

fn suffix_harmony(s: &str) -> Harmony {
    for c in s.chars() {
        match c {
            'а' | 'ы' | 'о' | 'ұ' => return Harmony::Back,
            'ә' | 'е' | 'і' | 'ө' | 'ү' => return Harmony::Front,
            _ => {}
        }
    }
    Harmony::Any
}

/// The stem's last vowel agrees with the suffix (instrumental -мен is always front, so `Any`).
fn harmony_ok(stem: &str, suffix: &str, suffix_any: bool) -> bool {
    let Some(last) = stem.chars().rev().find_map(vowel_class) else { return false };
    if suffix_any {
        return true;
    }
    // к and г are front consonants: loanwords ending in them take front endings (банкі, банктің).
    if stem.ends_with(['к', 'г']) && suffix_harmony(suffix) == Harmony::Front {
        return true;
    }
    match (last, suffix_harmony(suffix)) {
        (Harmony::Any, _) | (_, Harmony::Any) => true,
        (a, b) => a == b,
    }
}

/// What must precede a suffix allomorph.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// A vowel.
    Vowel,
    /// A vowel, or л м н ң р й у з ж.
    VowelOrVoiced,
    /// A vowel or м н ң.
    VowelOrNasal,
    /// A vowel or р й у.
    VowelOrRyu,
    /// л м н ң р й у з ж.
    Voiced,
    /// л р й у з ж.
    VoicedNotNasal,
    /// л м н ң з ж.
    LmnZh,
    /// з ж.
    Zh,
    /// м н ң.
    Nasal,
    /// Voiceless.
    Voiceless,
    /// A consonant.
    Consonant,
    /// The 3rd-person possessive (ы/і) must come next.
    Poss3,
    /// A 1st/2nd person singular possessive (м/ң) must come next.
    Poss12,
}

fn after_ok(rest: &str, a: After) -> bool {
    let Some(c) = rest.chars().next_back() else { return false };
    // у after a vowel is the consonant [w]; after a consonant it still takes consonant endings
    // (оқуы, оқудың), so it counts as a voiced consonant here.
    let vowel = is_vowel(c) && c != 'у';
    match a {
        After::Vowel => vowel,
        After::VowelOrVoiced => vowel || is_voiced_cons(c),
        After::VowelOrNasal => vowel || "мнң".contains(c),
        After::VowelOrRyu => vowel || "рйу".contains(c),
        After::Voiced => is_voiced_cons(c),
        After::VoicedNotNasal => "лрйузж".contains(c),
        After::LmnZh => "лмнңзж".contains(c),
        After::Zh => c == 'з' || c == 'ж',
        After::Nasal => "мнң".contains(c),
        After::Voiceless => is_voiceless(c),
        After::Consonant => !vowel,
        After::Poss3 => c == 'ы' || c == 'і',
        After::Poss12 => c == 'м' || c == 'ң',
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PossKind {
    Third,
    /// 1st or 2nd person singular (rare in press releases; never preferred by [`stem`]).
    Personal,
    /// 1st person plural, 2nd person polite.
    Plural12,
}

const CASES: &[(&str, After)] = &[
    // genitive
    ("ның", After::VowelOrNasal),
    ("нің", After::VowelOrNasal),
    ("дың", After::VoicedNotNasal),
    ("дің", After::VoicedNotNasal),
    ("тың", After::Voiceless),
    ("тің", After::Voiceless),
    // dative
    ("ға", After::VowelOrVoiced),
    ("ге", After::VowelOrVoiced),
    ("қа", After::Voiceless),
    ("ке", After::Voiceless),
    ("на", After::Poss3),
    ("не", After::Poss3),
    ("а", After::Poss12),
    ("е", After::Poss12),
    // accusative
    ("ны", After::Vowel),
    ("ні", After::Vowel),
    ("ды", After::Voiced),
    ("ді", After::Voiced),
    ("ты", After::Voiceless),
    ("ті", After::Voiceless),
    ("н", After::Poss3),
    // locative
    ("да", After::VowelOrVoiced),
    ("де", After::VowelOrVoiced),
    ("та", After::Voiceless),
    ("те", After::Voiceless),
    ("нда", After::Poss3),
    ("нде", After::Poss3),
    // ablative
    ("дан", After::VowelOrVoiced),
    ("ден", After::VowelOrVoiced),
    ("тан", After::Voiceless),
    ("тен", After::Voiceless),
    ("нан", After::Nasal),
    ("нен", After::Nasal),
    ("нан", After::Poss3),
    ("нен", After::Poss3),
    // instrumental (no harmony)
    ("мен", After::VowelOrVoiced),
    ("бен", After::Zh),
    ("пен", After::Voiceless),
    ("менен", After::VowelOrVoiced),
    ("бенен", After::Zh),
    ("пенен", After::Voiceless),
];

const POSSESSIVES: &[(&str, After, PossKind)] = &[
    ("ы", After::Consonant, PossKind::Third),
    ("і", After::Consonant, PossKind::Third),
    ("сы", After::Vowel, PossKind::Third),
    ("сі", After::Vowel, PossKind::Third),
    ("ым", After::Consonant, PossKind::Personal),
    ("ім", After::Consonant, PossKind::Personal),
    ("м", After::Vowel, PossKind::Personal),
    ("ың", After::Consonant, PossKind::Personal),
    ("ің", After::Consonant, PossKind::Personal),
    ("ң", After::Vowel, PossKind::Personal),
    ("ымыз", After::Consonant, PossKind::Plural12),
    ("іміз", After::Consonant, PossKind::Plural12),
    ("мыз", After::Vowel, PossKind::Plural12),
    ("міз", After::Vowel, PossKind::Plural12),
    ("ыңыз", After::Consonant, PossKind::Plural12),
    ("іңіз", After::Consonant, PossKind::Plural12),
    ("ңыз", After::Vowel, PossKind::Plural12),
    ("ңіз", After::Vowel, PossKind::Plural12),
];

const PLURALS: &[(&str, After)] = &[
    ("лар", After::VowelOrRyu),
    ("лер", After::VowelOrRyu),
    ("дар", After::LmnZh),
    ("дер", After::LmnZh),
    ("тар", After::Voiceless),
    ("тер", After::Voiceless),
];

/// One way to read a Kazakh word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KkAnalysis {
    pub stem: String,
    /// Layers removed (case, possessive, plural).
    pub layers: u8,
    /// A 1st/2nd person singular possessive was removed.
    pub personal: bool,
}

/// Removes `suffix` from `w` if the rest is long enough, agrees in harmony and the allomorph fits.
fn strip<'a>(w: &'a str, suffix: &str, after: After, any_harmony: bool) -> Option<&'a str> {
    let rest = w.strip_suffix(suffix)?;
    if len(rest) < MIN_STEM || !harmony_ok(rest, suffix, any_harmony) {
        return None;
    }
    after_ok(rest, after).then_some(rest)
}

fn alternate(stem: &str) -> Option<String> {
    let last = stem.chars().next_back()?;
    let to = match last {
        'ғ' => 'қ',
        'г' => 'к',
        'б' => 'п',
        _ => return None,
    };
    let mut s = stem[..stem.len() - last.len_utf8()].to_string();
    s.push(to);
    Some(s)
}

/// `w` + ы/і would be the adjectival -ғы/-гі (жылғы, бүгінгі) or -дағы/-дегі (Астанадағы), which
/// make another word: those are not a possessive to strip. A stem in -лығ/-ліг (министрлігі) is.
fn adjectival_gy(w: &str) -> bool {
    let mut rev = w.chars().rev();
    let (Some(last), Some(before)) = (rev.next(), rev.next()) else { return false };
    if last != 'ғ' && last != 'г' {
        return false;
    }
    if !is_vowel(before) {
        return true;
    }
    let third = rev.next();
    matches!((third, before), (Some('д' | 'т' | 'н'), 'а' | 'е'))
}

fn starts_with_vowel(s: &str) -> bool {
    s.chars().next().is_some_and(is_vowel)
}

/// Every reading of a folded Kazakh word as `stem + plural? + possessive? + case?`, the word itself
/// first. Word-final ғ/г/б before a removed vowel-initial suffix yields both the written stem and
/// the alternated one (министрліг- → министрлік).
pub fn kk_analyses(word: &str) -> Vec<KkAnalysis> {
    let mut out = vec![KkAnalysis { stem: word.to_string(), layers: 0, personal: false }];
    if len(word) <= SHORT || !all_letters(word) {
        return out;
    }
    let mut push = |stem: &str, layers: u8, personal: bool, inner: &str| {
        let mut add = |s: String| {
            if !out.iter().any(|a| a.stem == s && a.layers >= layers) {
                out.push(KkAnalysis { stem: s, layers, personal });
            }
        };
        if starts_with_vowel(inner) {
            if let Some(alt) = alternate(stem) {
                add(alt);
            }
        }
        add(stem.to_string());
    };
    // case layer
    let mut after_case: Vec<(&str, u8, Option<After>, &str)> = vec![(word, 0, None, "")];
    for (suf, after) in CASES {
        let any = suf.starts_with(['м', 'б', 'п']); // instrumental
        if let Some(rest) = strip(word, suf, *after, any) {
            after_case.push((rest, 1, Some(*after), suf));
        }
    }
    for (w1, l1, case_after, case_suf) in after_case {
        let need_poss3 = case_after == Some(After::Poss3);
        let need_poss12 = case_after == Some(After::Poss12);
        if !need_poss3 && !need_poss12 {
            push(w1, l1, false, case_suf);
            plurals(w1, l1, false, &mut push);
        }
        for (suf, after, kind) in POSSESSIVES {
            if need_poss3 && *kind != PossKind::Third {
                continue;
            }
            if need_poss12 && *kind != PossKind::Personal {
                continue;
            }
            let Some(w2) = strip(w1, suf, *after, false) else { continue };
            if *kind == PossKind::Third && adjectival_gy(w2) {
                continue;
            }
            let personal = *kind == PossKind::Personal;
            push(w2, l1 + 1, personal, suf);
            plurals(w2, l1 + 1, personal, &mut push);
        }
    }
    out
}

fn plurals(w: &str, layers: u8, personal: bool, push: &mut impl FnMut(&str, u8, bool, &str)) {
    for (suf, after) in PLURALS {
        if let Some(rest) = strip(w, suf, *after, false) {
            push(rest, layers + 1, personal, suf);
        }
    }
}

/// The readings a nominative glossary term can have: the word itself, or a head noun with the
/// 3rd-person possessive of izafet (министрлігі → министрлік) and/or the plural.
pub fn kk_term_stems(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if len(word) <= SHORT || !all_letters(word) {
        return out;
    }
    let mut push = |s: &str, _l: u8, _p: bool, inner: &str| {
        if starts_with_vowel(inner) {
            if let Some(a) = alternate(s) {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    plurals(word, 0, false, &mut push);
    for (suf, after, kind) in POSSESSIVES {
        if *kind != PossKind::Third {
            continue;
        }
        if let Some(w2) = strip(word, suf, *after, false).filter(|w2| !adjectival_gy(w2)) {
            push(w2, 1, false, suf);
            plurals(w2, 1, false, &mut push);
        }
    }
    out
}

/// How much a stem looks like a Kazakh word, to choose between readings (only [`stem`] needs it;
/// matching keeps every reading): no final geminate (мемлекетт-і), no consonant + ш/д (хатш-ы,
/// қазақстанд-ы), no leftover consonant + ы/і (облы-сы, министрлігі), no unalternated б/г/ғ
/// (кітаб-ы); a head in -шы/-ші or а/ә/я (хатшы-сы, республика-сы) is preferred.
fn plausibility(s: &str) -> i8 {
    let mut rev = s.chars().rev();
    let (Some(last), Some(before)) = (rev.next(), rev.next()) else { return 0 };
    let cons = |c: char| !is_vowel(c);
    if cons(last) && last == before {
        return -2;
    }
    if cons(before) && (last == 'ш' || last == 'д') {
        return -2;
    }
    if s.ends_with("шы") || s.ends_with("ші") || matches!(last, 'а' | 'ә' | 'я') {
        return 1;
    }
    if (cons(before) && (last == 'ы' || last == 'і')) || matches!(last, 'б' | 'г' | 'ғ') {
        return -1;
    }
    0
}

/// The preferred reading: the most layers removed without a 1st/2nd person possessive, alternated.
fn kk_best(word: &str) -> String {
    let all = kk_analyses(word);
    let best = all.iter().filter(|a| !a.personal).max_by(|a, b| {
        let key = |x: &KkAnalysis| {
            let p = plausibility(&x.stem);
            (p.min(0), x.layers, p.max(0), len(&x.stem))
        };
        key(a).cmp(&key(b))
    });
    best.map(|a| a.stem.clone()).unwrap_or_else(|| word.to_string())
}

/// A noun ending removed, as a second opinion next to Snowball, which now and then cuts a
/// nominative deeper than its other cases (астана → аста, but астану → астан).
fn ru_light(word: &str) -> Option<String> {
    const ENDINGS: &[&str] = &[
        "ами", "ями", "ой", "ей", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "а", "я", "у", "ю", "ы", "и", "е",
        "о", "ь",
    ];
    if !all_letters(word) {
        return None;
    }
    ENDINGS
        .iter()
        .find_map(|e| word.strip_suffix(e).filter(|r| len(r) >= MIN_STEM && r.chars().any(is_ru_vowel)))
        .map(str::to_string)
}

fn is_ru_vowel(c: char) -> bool {
    "аеиоуыэюяё".contains(c)
}

/// Whether what follows a shared stem in a Russian word is a verb ending (договор|ились), not a
/// noun or adjective ending: such a word is not the term.
pub fn ru_verbal_tail(tail: &str) -> bool {
    const VERBAL: &[&str] =
        &["ся", "сь", "ть", "ти", "л", "ла", "ло", "ли", "ет", "ют", "ит", "ят", "ут", "ешь", "ишь", "ете", "ите"];
    !tail.is_empty() && VERBAL.iter().any(|e| tail.ends_with(e))
}

/// Whether a Russian word is one of the fleeting-vowel forms of [`RU_IRREGULAR`] (дня, посла),
/// whose stem is known without looking at its letters.
pub fn ru_irregular(word: &str) -> bool {
    RU_IRREGULAR.iter().any(|(f, _)| *f == word)
}

/// What a Russian text word must start with to be an inflection of the term word `word` when the
/// stem they share is short: the word less a final vowel (Дания → дани, Алма-Ата → ат, Рим → рим).
pub fn ru_guard(word: &str) -> String {
    match word.chars().next_back() {
        Some(c) if (is_ru_vowel(c) || c == 'ь' || c == 'й') && len(word) > 2 => {
            word[..word.len() - c.len_utf8()].to_string()
        }
        _ => word.to_string(),
    }
}

/// Russian keys: the word, its stem, and for words of three letters or fewer the bare Snowball
/// stem too, so short parts of compound names inflect (Алма-Ата, в Алма-Ате).
fn ru_keys(word: &str) -> Vec<String> {
    let mut v = vec![word.to_string()];
    let s = stem(word, Lang::Ru);
    if !v.contains(&s) {
        v.push(s);
    }
    if let Some(l) = ru_light(word) {
        if !v.contains(&l) {
            v.push(l);
        }
    }
    if len(word) <= SHORT && all_letters(word) {
        let raw = stemmer(Lang::Ru).stem(word).into_owned();
        if len(&raw) >= 2 && !v.contains(&raw) {
            v.push(raw);
        }
    }
    v
}

/// The lookup keys of one folded text word: every stem it can have, the word itself first.
pub fn text_keys(word: &str, lang: Lang) -> Vec<String> {
    match lang {
        Lang::Kk => {
            let mut v: Vec<String> = Vec::new();
            for a in kk_analyses(word) {
                if !v.contains(&a.stem) {
                    v.push(a.stem);
                }
            }
            // The attributive locative names what it is formed from, for matching: Алматыдағы
            // (the one in Almaty) holds Алматы, облысындағы holds облыс.
            let mut more = Vec::new();
            for s in &v {
                for suf in KK_ATTRIBUTIVE_LOCATIVE {
                    if let Some(base) = s.strip_suffix(suf).filter(|b| len(b) >= MIN_STEM) {
                        more.extend(kk_analyses(base).into_iter().map(|a| a.stem));
                    }
                }
            }
            for m in more {
                if !v.contains(&m) {
                    v.push(m);
                }
            }
            v
        }
        Lang::Ru => ru_keys(word),
        _ => {
            let s = stem(word, lang);
            if s == word {
                vec![s]
            } else {
                vec![word.to_string(), s]
            }
        }
    }
}

/// The attributive locative (-дағы/-дегі/-тағы/-тегі, and -ндағы/-ндегі after a possessive).
const KK_ATTRIBUTIVE_LOCATIVE: &[&str] = &["ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі"];

/// The keys of one folded glossary-term word: a text word matches it when they share a key.
pub fn term_keys(word: &str, lang: Lang) -> Vec<String> {
    match lang {
        Lang::Kk => kk_term_stems(word),
        Lang::Ru => ru_keys(word),
        _ => vec![stem(word, lang)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_stems() {
        let pairs = [
            // case endings
            ("мемлекетке", "мемлекет"),
            ("мемлекеттің", "мемлекет"),
            ("мемлекетті", "мемлекет"),
            ("мемлекетте", "мемлекет"),
            ("мемлекеттен", "мемлекет"),
            ("мемлекетпен", "мемлекет"),
            ("қазақстанның", "қазақстан"),
            ("қазақстанға", "қазақстан"),
            ("қазақстанда", "қазақстан"),
            ("қазақстаннан", "қазақстан"),
            ("қазақстанды", "қазақстан"),
            ("хатшының", "хатшы"),
            ("хатшыға", "хатшы"),
            ("хатшыны", "хатшы"),
            ("хатшымен", "хатшы"),
            ("сенатта", "сенат"),
            ("сенатқа", "сенат"),
            ("парламентте", "парламент"),
            ("елшімен", "елші"),
            ("делегацияны", "делегация"),
            ("делегациясы", "делегация"),
            ("германиямен", "германия"),
            // izafet: possessive, then case
            ("хатшысына", "хатшы"),
            ("басшысының", "басшы"),
            ("басшысы", "басшы"),
            ("министрлігінің", "министрлік"),
            ("министрлігіне", "министрлік"),
            ("министрлігі", "министрлік"),
            ("министрлігін", "министрлік"),
            ("министрлігінде", "министрлік"),
            ("министрлігінен", "министрлік"),
            ("серіктестігі", "серіктестік"),
            ("бастамашылығы", "бастамашылық"),
            ("кітабы", "кітап"),
            ("облысының", "облыс"),
            ("кеңесінің", "кеңес"),
            ("республикасының", "республика"),
            ("президентіне", "президент"),
            ("банкінің", "банк"),
            ("банктің", "банк"),
            // plural, plural + possessive
            ("келіссөздер", "келіссөз"),
            ("келіссөздерде", "келіссөз"),
            ("санкциялар", "санкция"),
            ("әкімдерінің", "әкім"),
            ("шарттар", "шарт"),
            ("басшыларының", "басшы"),
            ("еліміздің", "еліміз"), // "ел" would be too short a stem
            ("қазақстанымыздың", "қазақстан"),
            // derivational suffixes stay
            ("әкімдік", "әкімдік"),
            ("әкімдігі", "әкімдік"),
            ("елшілік", "елшілік"),
            ("елшілігінде", "елшілік"),
            ("консулдық", "консулдық"),
            ("облыстық", "облыстық"),
            ("әкімшілігі", "әкімшілік"),
            ("мемлекеттік", "мемлекеттік"),
            ("астанадағы", "астанадағы"),
            // short words and acronyms
            ("заң", "заң"),
            ("заңның", "заң"),
            ("бұұ", "бұұ"),
            ("еқыұ", "еқыұ"),
            ("келісім", "келісім"),
            ("келісімге", "келісім"),
        ];
        let mut bad = Vec::new();
        for (w, s) in pairs {
            let got = stem(w, Lang::Kk);
            if got != s {
                bad.push(format!("{w} → {got} (want {s})"));
            }
        }
        assert!(pairs.len() >= 40);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn kazakh_keys_meet_term_keys() {
        let meets = |text: &str, term: &str| {
            let t = term_keys(term, Lang::Kk);
            text_keys(text, Lang::Kk).iter().any(|k| t.contains(k))
        };
        assert!(meets("хатшысына", "хатшы"));
        assert!(meets("министрлігінің", "министрлігі"));
        assert!(meets("басшысының", "басшысы"));
        assert!(meets("келісімі", "келісім"));
        assert!(!meets("әкімдік", "әкім"));
        assert!(!meets("әкімдігі", "әкім"));
        assert!(!meets("елшілік", "елші"));
        assert!(!meets("консулдық", "консул"));
        assert!(!meets("келісті", "келісім"));
    }

    #[test]
    fn russian_and_english_stems() {
        assert_eq!(stem("генеральному", Lang::Ru), stem("генеральный", Lang::Ru));
        assert_eq!(stem("секретарю", Lang::Ru), stem("секретарь", Lang::Ru));
        assert_eq!(stem("посла", Lang::Ru), stem("посол", Lang::Ru));
        assert_ne!(stem("посольство", Lang::Ru), stem("посол", Lang::Ru));
        assert_ne!(stem("консульство", Lang::Ru), stem("консул", Lang::Ru));
        assert_ne!(stem("парламентарий", Lang::Ru), stem("парламент", Lang::Ru));
        assert_eq!(stem("акима", Lang::Ru), stem("аким", Lang::Ru));
        assert_ne!(stem("акимат", Lang::Ru), stem("аким", Lang::Ru));
        assert_eq!(stem("объединенных", Lang::Ru), stem("объединенные", Lang::Ru));
        assert!(ru_verbal_tail("ились") && ru_verbal_tail("ил") && !ru_verbal_tail("ом") && !ru_verbal_tail(""));
        assert_eq!(stem("visits", Lang::En), stem("visit", Lang::En));
        assert_eq!(stem("ministries", Lang::En), stem("ministry", Lang::En));
        assert_eq!(en_inflection_base("ministries"), "ministry");
        assert_ne!(en_inflection_base("consulate"), en_inflection_base("consul"));
    }
}
