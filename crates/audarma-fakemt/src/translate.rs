//! The fake "translation": `⟦xx⟧ ` followed by the source transliterated into the target's script.
//!
//! Latin letters become Cyrillic for kk/ru targets, Cyrillic becomes Latin for en; digits, punctuation,
//! spacing and placeholders (`⟦` digits `⟧`) are kept exactly: `audarma-mt`'s pseudo backend.

/// A target language the fake knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Kk,
    Ru,
}

impl Lang {
    /// `en`, `kk` or `ru`, case-insensitive; DeepL's `EN-GB`/`EN-US` also read as English.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Kk => "kk",
            Lang::Ru => "ru",
        }
    }

    fn core(self) -> audarma_core::Lang {
        match self {
            Lang::En => audarma_core::Lang::En,
            Lang::Kk => audarma_core::Lang::Kk,
            Lang::Ru => audarma_core::Lang::Ru,
        }
    }
}

/// Guesses the language of `text`: mostly Cyrillic → kk if a Kazakh-only letter occurs, else ru;
/// otherwise en.
pub fn detect(text: &str) -> Lang {
    let (mut cyr, mut lat, mut kazakh) = (0usize, 0usize, false);
    for c in text.chars() {
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyr += 1;
            kazakh |= "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c);
        } else if c.is_ascii_alphabetic() {
            lat += 1;
        }
    }
    if cyr > lat {
        if kazakh {
            Lang::Kk
        } else {
            Lang::Ru
        }
    } else {
        Lang::En
    }
}

/// Pseudo-translates one text into `target` with `audarma-mt`'s pseudo backend (no glossary terms).
/// Placeholders pass through unchanged because `⟦`, `⟧` and digits are neither Latin nor Cyrillic letters.
pub fn pseudo_translate(text: &str, target: Lang) -> String {
    audarma_mt::pseudo_translate(text, target.core(), &[])
}

/// Byte ranges of the placeholders (`⟦` one or more ASCII digits `⟧`) in `text`.
pub fn placeholders(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find('⟦') {
        let start = from + pos;
        let after = start + '⟦'.len_utf8();
        let digits = text[after..].chars().take_while(char::is_ascii_digit).count();
        let close = after + digits;
        if digits > 0 && text[close..].starts_with('⟧') {
            let end = close + '⟧'.len_utf8();
            found.push((start, end));
            from = end;
        } else {
            from = after;
        }
    }
    found
}

/// Removes the `which`-th placeholder (modulo their count) from `text`; `None` if it has none.
pub fn drop_placeholder(text: &str, which: usize) -> Option<String> {
    let found = placeholders(text);
    if found.is_empty() {
        return None;
    }
    let (s, e) = found[which % found.len()];
    Some(format!("{}{}", &text[..s], &text[e..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_and_keeps_placeholders() {
        assert_eq!(pseudo_translate("Minister ⟦1⟧ met 3 envoys.", Lang::Kk), "⟦kk⟧ Министер ⟦1⟧ мет 3 енвойс.");
        assert_eq!(pseudo_translate("Әкім ⟦12⟧ жиналыс", Lang::En), "⟦en⟧ Akim ⟦12⟧ zhinalys");
        assert_eq!(pseudo_translate("Астана, 2026", Lang::Ru), "⟦ru⟧ Астана, 2026");
    }

    #[test]
    fn finds_and_drops_placeholders() {
        let t = "⟦ru⟧ а ⟦1⟧ б ⟦23⟧ ⟦x⟧";
        // Neither the language tag ⟦ru⟧ nor ⟦x⟧ is a placeholder.
        assert_eq!(placeholders(t).len(), 2);
        assert_eq!(drop_placeholder(t, 1).as_deref(), Some("⟦ru⟧ а ⟦1⟧ б  ⟦x⟧"));
        assert_eq!(drop_placeholder(t, 2).as_deref(), Some("⟦ru⟧ а  б ⟦23⟧ ⟦x⟧"));
        assert_eq!(drop_placeholder("⟦kk⟧ none", 0), None);
    }

    #[test]
    fn detects() {
        assert_eq!(detect("Министрлік хабарлады"), Lang::Kk);
        assert_eq!(detect("Министерство сообщило"), Lang::Ru);
        assert_eq!(detect("The ministry said"), Lang::En);
    }
}
