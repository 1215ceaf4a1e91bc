//! Language detection for English, Kazakh and Russian.

use crate::normalize::{is_cyrillic, is_kazakh_letter};
use audarma_core::Lang;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use std::sync::OnceLock;

/// At most this many bytes of a text go to the statistical model (per-paragraph speed).
const MODEL_INPUT: usize = 2000;

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
/// naming "Қасым-Жомарт Тоқаев" stays Russian. Otherwise lingua's Kazakh and Russian models
/// decide (they get short Kazakh sentences without special letters right). `Detector` is
/// `Send + Sync`; lingua loads each model lazily, once per process.
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

fn count(text: &str) -> Counts {
    let mut c = Counts::default();
    for word in text.split(|ch: char| !ch.is_alphabetic()) {
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
        let unquoted = without_quotes(text);
        let text = if unquoted.chars().filter(|c| c.is_alphabetic()).count() >= 12 { unquoted.as_str() } else { text };
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
    fn detector_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Detector>();
    }
}
