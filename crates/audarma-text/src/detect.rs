//! Language detection for English, Kazakh and Russian.

use crate::normalize::{is_cyrillic, is_kazakh_letter};
use audarma_core::Lang;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use std::sync::OnceLock;

/// At most this many bytes of a text go to the statistical model (per-paragraph speed).
const MODEL_INPUT: usize = 2000;
/// A longer text is judged by [`SAMPLE_PIECES`] pieces of it spread evenly from start to end,
/// together this many bytes: the language of a whole file is known long before its end, and
/// `audarma segment` on a megabyte should not count every word of it.
const SAMPLE: usize = 16 * 1024;
const SAMPLE_PIECES: usize = 8;

/// `text` itself when short, else [`SAMPLE_PIECES`] pieces of it spread evenly, each cut at
/// whitespace and joined by line breaks.
fn sample(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= SAMPLE {
        return std::borrow::Cow::Borrowed(text);
    }
    let piece = SAMPLE / SAMPLE_PIECES;
    let step = text.len() / SAMPLE_PIECES;
    let mut out = String::with_capacity(SAMPLE + SAMPLE_PIECES);
    for k in 0..SAMPLE_PIECES {
        let mut start = k * step;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        if start > 0 {
            // begin after the next whitespace, so that no word is cut
            match text[start..].find(char::is_whitespace) {
                Some(p) if p < piece => start += p + 1,
                _ => {}
            }
        }
        let mut end = (start + piece).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(p) = text[start..end].rfind(char::is_whitespace) {
            if end < text.len() && p > 0 {
                end = start + p;
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text[start..end]);
    }
    std::borrow::Cow::Owned(out)
}

/// The detected language and how sure the detector is (0..=1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub lang: Lang,
    pub confidence: f64,
}

/// Language detector for en/kk/ru.
///
/// Script decides first: text whose letters are mostly Latin is English. For Cyrillic text,
/// Kazakh-specific letters (ә ғ қ ң ө ұ ү һ і) in ordinary lower-case words are decisive when
/// there is more than a trace of them; capitalised words are not counted, so a Russian text
/// naming "Қасым-Жомарт Тоқаев" stays Russian. Then the words themselves ([`markers`]): Russian
/// function words and endings ("в", "на", "прибыл", "-ого", "-ется") with no Kazakh word at all
/// make it Russian, Kazakh function words and endings ("мен", "болды", "-ларын") with no
/// Russian one make it Kazakh — names, which lingua's models read as Kazakh («Бауыржан Байбек
/// прибыл в Талдыкорган.»), are not words of either list. Only text with mixed or no evidence
/// goes to lingua's Kazakh and Russian models (they get short Kazakh sentences without special
/// letters right). `Detector` is `Send + Sync`; lingua loads each model lazily, once per process.
pub struct Detector {
    cyrillic: LanguageDetector,
}

impl Default for Detector {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector").finish_non_exhaustive()
    }
}

/// The process-wide detector.
pub fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(Detector::new)
}

#[derive(Default, Debug)]
struct Counts {
    latin: usize,
    cyrillic: usize,
    /// Kazakh-specific letters in words that do not start with a capital.
    kk_letters: usize,
    lower_words: usize,
    kk_words: usize,
}

/// `char::is_alphabetic` with Latin and Cyrillic letters answered without the Unicode tables.
#[inline]
fn is_letter(c: char) -> bool {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0x400..=0x481 | 0x48A..=0x52F => true,
        0..=0x7F => false,
        _ => c.is_alphabetic(),
    }
}

fn count(text: &str) -> Counts {
    let mut c = Counts::default();
    for word in text.split(|ch: char| !is_letter(ch)) {
        let Some(first) = word.chars().next() else {
            continue;
        };
        let lower = !first.is_uppercase();
        let mut kk_here = 0;
        let mut cyr_here = 0;
        for ch in word.chars() {
            if ch.is_ascii_alphabetic() || matches!(ch, '\u{00C0}'..='\u{024F}') {
                c.latin += 1;
            } else if is_cyrillic(ch) || ch == 'ə' || ch == 'Ə' {
                c.cyrillic += 1;
                cyr_here += 1;
                if is_kazakh_letter(ch) || ch == 'ə' {
                    kk_here += 1;
                }
            }
        }
        if lower && cyr_here > 0 {
            c.lower_words += 1;
            if kk_here > 0 {
                c.kk_words += 1;
                c.kk_letters += kk_here;
            }
        }
    }
    c
}

/// Word evidence for Russian and for Kazakh in a Cyrillic text (see [`markers`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Markers {
    /// Russian function words ("в", "на", "что", "также"), and lower-case words with endings that
    /// Kazakh words do not have ("-ого", "-ыми", "-ется", "-ции", past tenses "-ил", "-ел", "-был", "-лся").
    pub ru: usize,
    /// Lower-case words with a Kazakh letter, Kazakh function words without one ("мен", "деп",
    /// "болды", "бойынша") and endings Russian words do not have ("-ларын", "-ында", "-сымен").
    pub kk: usize,
}

/// Russian words that are never Kazakh words (lower-case). "он", "от", "не", "да", "а" are left
/// out: Kazakh has them too (ten, fire, what, also, a particle).
fn russian_word(w: &str) -> bool {
    matches!(
        w,
        "в" | "во"
            | "на"
            | "с"
            | "со"
            | "к"
            | "ко"
            | "по"
            | "из"
            | "до"
            | "за"
            | "для"
            | "о"
            | "об"
            | "обо"
            | "при"
            | "про"
            | "под"
            | "над"
            | "без"
            | "через"
            | "между"
            | "после"
            | "перед"
            | "и"
            | "но"
            | "или"
            | "что"
            | "чтобы"
            | "как"
            | "также"
            | "который"
            | "которая"
            | "которое"
            | "которые"
            | "которых"
            | "это"
            | "этот"
            | "эта"
            | "эти"
            | "этом"
            | "его"
            | "ее"
            | "её"
            | "их"
            | "она"
            | "они"
            | "мы"
            | "вы"
            | "уже"
            | "ещё"
            | "еще"
            | "более"
            | "году"
            | "года"
            | "где"
            | "когда"
            | "все"
            | "всех"
            | "был"
            | "была"
            | "было"
            | "были"
            | "будет"
            | "будут"
    )
}

/// Endings of Russian inflected words that Kazakh words do not have, with the shortest word
/// length (in characters) they count in.
const RU_ENDINGS: &[(&str, usize)] = &[
    ("ого", 4),
    ("его", 4),
    ("ому", 4),
    ("ему", 4),
    ("ыми", 4),
    ("ими", 4),
    ("ых", 4),
    ("ый", 4),
    ("ая", 5),
    ("ые", 4),
    ("ое", 4),
    ("ться", 5),
    ("тся", 5),
    ("ение", 5),
    ("ения", 5),
    ("ении", 5),
    ("ением", 6),
    ("ание", 5),
    ("ания", 5),
    ("ании", 5),
    ("анием", 6),
    ("лось", 5),
    ("ость", 5),
    ("ости", 5),
    ("ции", 5),
    ("цию", 5),
    ("цией", 6),
    ("ил", 4),
    ("ила", 5),
    ("или", 5),
    ("ела", 5),
    ("ели", 5),
    ("ел", 5),
    ("ёл", 4),
    ("был", 3),
    ("ыл", 6),
    ("ял", 5),
    ("исал", 6),
    ("казал", 6),
    ("ывал", 6),
    ("ивал", 6),
    ("овал", 6),
    ("яла", 5),
    ("лся", 5),
    ("лась", 5),
    ("лись", 5),
    ("ало", 5),
    ("ено", 5),
    ("ены", 5),
    ("ует", 5),
    ("ают", 5),
    ("яет", 5),
];

/// Kazakh words without a Kazakh letter, which Russian does not have.
fn kazakh_word(w: &str) -> bool {
    matches!(
        w,
        "мен"
            | "бен"
            | "пен"
            | "деп"
            | "ол"
            | "олар"
            | "осы"
            | "болды"
            | "болып"
            | "бойынша"
            | "туралы"
            | "арқылы"
            | "жылы"
            | "атап"
            | "сондай"
            | "сол"
            | "бар"
            | "алды"
            | "берді"
            | "жасады"
            | "басшысы"
            | "ретінде"
            | "жыл"
    )
}

const KK_ENDINGS: &[(&str, usize)] = &[
    ("ларын", 6),
    ("лерін", 6),
    ("ларды", 6),
    ("лары", 6),
    ("дары", 6),
    ("тары", 6),
    ("ында", 6),
    ("ынан", 6),
    ("сымен", 7),
];

fn ends_with(w: &str, n: usize, table: &[(&str, usize)]) -> bool {
    table.iter().any(|&(e, min)| n >= min && w.ends_with(e))
}

/// Counts Russian and Kazakh evidence in `text`: lower-case Cyrillic words, plus capitalised
/// function words of two letters or more ("Для", "На" opening a sentence). Capitalised words
/// are otherwise names and count for neither language.
pub fn markers(text: &str) -> Markers {
    let mut m = Markers::default();
    let mut buf = String::new();
    for word in text.split(|ch: char| !is_letter(ch)) {
        let Some(first) = word.chars().next() else {
            continue;
        };
        if !is_cyrillic(first) {
            continue;
        }
        let n = word.chars().count();
        if word.chars().any(is_kazakh_letter) {
            if first.is_lowercase() {
                m.kk += 1;
            }
            continue;
        }
        let w: &str = if first.is_uppercase() {
            if n < 2 || word.chars().skip(1).any(char::is_uppercase) {
                continue;
            }
            buf.clear();
            buf.extend(word.chars().flat_map(char::to_lowercase));
            if !(russian_word(&buf) || kazakh_word(&buf)) {
                continue;
            }
            &buf
        } else {
            word
        };
        if russian_word(w) || (first.is_lowercase() && ends_with(w, n, RU_ENDINGS)) {
            m.ru += 1;
        } else if kazakh_word(w) || (first.is_lowercase() && ends_with(w, n, KK_ENDINGS)) {
            m.kk += 1;
        }
    }
    m
}

/// `text` without the content of «…» and “…” quotations (kept when a quote is not closed).
fn without_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let Some(open) = rest.find(['«', '“']) else {
            out.push_str(rest);
            break;
        };
        let close_char = if rest[open..].starts_with('«') { '»' } else { '”' };
        let after_open = open + rest[open..].chars().next().map_or(1, char::len_utf8);
        let Some(close) = rest[after_open..].find(close_char) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = &rest[after_open + close + close_char.len_utf8()..];
    }
    out
}

fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Detector {
    /// A detector; cheap (models load on first use).
    pub fn new() -> Self {
        Detector { cyrillic: LanguageDetectorBuilder::from_languages(&[Language::Kazakh, Language::Russian]).build() }
    }

    /// Detects the language of `text`; `None` when it has no Latin or Cyrillic letters.
    ///
    /// Text inside «…» and “…” quotes is left out when enough remains: quoted names of
    /// programmes and companies («Ауыл – ел бесігі») are often in the other language.
    pub fn detect(&self, text: &str) -> Option<Detection> {
        let sampled = sample(text);
        let text: &str = &sampled;
        let unquoted = without_quotes(text);
        let text = if unquoted.chars().filter(|&c| is_letter(c)).count() >= 12 { unquoted.as_str() } else { text };
        let c = count(text);
        let total = c.latin + c.cyrillic;
        if total == 0 {
            return None;
        }
        let ratio = |a: usize| a as f64 / total as f64;
        if c.latin > c.cyrillic {
            return Some(Detection { lang: Lang::En, confidence: ratio(c.latin) });
        }
        let share = ratio(c.cyrillic);
        if c.kk_letters >= 2 && c.kk_words * 5 >= c.lower_words {
            let density = c.kk_letters as f64 / c.cyrillic.max(1) as f64;
            return Some(Detection { lang: Lang::Kk, confidence: share * (0.9 + 0.1 * (density / 0.08).min(1.0)) });
        }
        let m = markers(text);
        let sure = |n: usize| share * (0.9 + 0.1 * (n as f64 / 3.0).min(1.0));
        if m.ru > 0 && m.kk == 0 {
            return Some(Detection { lang: Lang::Ru, confidence: sure(m.ru) });
        }
        if m.kk > 0 && m.ru == 0 {
            return Some(Detection { lang: Lang::Kk, confidence: sure(m.kk) });
        }
        let values = self.cyrillic.compute_language_confidence_values(head(text, MODEL_INPUT));
        let best = values.into_iter().filter(|(_, v)| *v > 0.0).max_by(|a, b| a.1.total_cmp(&b.1));
        let (lang, conf) = match best {
            Some((Language::Kazakh, v)) => (Lang::Kk, v),
            Some((_, v)) => (Lang::Ru, v),
            None if c.kk_letters > 0 => (Lang::Kk, 0.5),
            None => (Lang::Ru, 0.5),
        };
        Some(Detection { lang, confidence: (share * conf).clamp(0.0, 1.0) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_removed() {
        assert_eq!(without_quotes("Программа «Ауыл» и “Nurly”."), "Программа   и  .");
        assert_eq!(without_quotes("Нет «закрытия"), "Нет «закрытия");
    }

    #[test]
    fn markers_count_words_not_names() {
        assert_eq!(markers("Бауыржан Байбек прибыл в Талдыкорган."), Markers { ru: 2, kk: 0 });
        assert_eq!(markers("Для Қасым-Жомарт Тоқаева"), Markers { ru: 1, kk: 0 });
        assert_eq!(markers("Ол Астанада болды."), Markers { ru: 0, kk: 2 });
        assert_eq!(markers("Мемлекет басшысы келді."), Markers { ru: 0, kk: 2 });
    }

    #[test]
    fn long_texts_are_sampled_whole_words() {
        let short = "Президент провел встречу.";
        assert_eq!(sample(short), short);
        let long = "Глава государства провел совещание. ".repeat(5000);
        let s = sample(&long);
        assert!(s.len() <= SAMPLE + SAMPLE_PIECES, "{}", s.len());
        assert!(s.len() >= SAMPLE / 2, "{}", s.len());
        for w in s.split_whitespace() {
            assert!(["Глава", "государства", "провел", "совещание."].contains(&w), "cut word {w:?}");
        }
        // the end of the text is sampled too
        let mixed = format!("{}{}", "The talks were held. ".repeat(3000), "Переговоры прошли в Астане. ".repeat(3000));
        assert!(sample(&mixed).contains("Переговоры"));
    }

    #[test]
    fn is_letter_is_is_alphabetic() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn detector_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Detector>();
    }
}
