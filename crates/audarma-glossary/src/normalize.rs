//! Text folding for matching: case, ё/е, typographic quotes and dashes. Folding keeps a map back to
//! the original byte offsets so matches can be reported in the text the user wrote.

/// Folds one character for matching. Returns the folded chars (lower case is usually one char).
fn fold_char(c: char, out: &mut String) {
    match c {
        'ё' | 'Ё' => out.push('е'),
        '«' | '»' | '“' | '”' | '„' | '‟' | '″' => out.push('"'),
        '‘' | '’' | '‚' | '‛' | '′' | 'ʼ' => out.push('\''),
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => out.push('-'),
        '\u{a0}' | '\u{202f}' | '\u{2009}' => out.push(' '),
        c => out.extend(c.to_lowercase()),
    }
}

/// Folds a whole string (no offset map), for keys and comparisons.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// A folded text with, for each folded byte, the byte offset of the original character it came from.
pub struct FoldedText {
    pub folded: String,
    map: Vec<usize>,
    original_len: usize,
}

impl FoldedText {
    pub fn new(text: &str) -> Self {
        let mut folded = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let before = folded.len();
            fold_char(c, &mut folded);
            map.extend(std::iter::repeat_n(i, folded.len() - before));
        }
        FoldedText { folded, map, original_len: text.len() }
    }

    /// Maps a folded byte range back to the original text's byte range.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map.get(start).copied().unwrap_or(self.original_len);
        let e = self.map.get(end).copied().unwrap_or(self.original_len);
        (s, e)
    }
}

/// An acronym: two or more letters, all upper case (digits and hyphens allowed: G20, ЕҚЫҰ, ОДКБ).
/// A letter of the Cyrillic blocks (Russian, Kazakh and the supplement).
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

pub fn is_acronym(term: &str) -> bool {
    let letters: Vec<char> = term.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && term.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        && letters.iter().all(|c| c.is_uppercase())
        && term.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '&')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_yo_quotes_and_dashes() {
        assert_eq!(fold("Объём «ЕҚЫҰ» — Ё"), "объем \"еқыұ\" - е");
    }

    #[test]
    fn maps_folded_offsets_back() {
        let t = FoldedText::new("Ёж «ОБСЕ»");
        let start = t.folded.find("обсе").unwrap_or_default();
        let (s, e) = t.original_range(start, start + "обсе".len());
        assert_eq!(&"Ёж «ОБСЕ»"[s..e], "ОБСЕ");
    }

    #[test]
    fn recognises_acronyms() {
        assert!(is_acronym("ОБСЕ") && is_acronym("ЕҚЫҰ") && is_acronym("G20") && is_acronym("UN"));
        assert!(!is_acronym("Senate") && !is_acronym("Head of State") && !is_acronym("A"));
    }
}
