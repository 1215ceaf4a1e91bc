//! The fake "translation": `⟦xx⟧ ` followed by the source transliterated into the target's script.
//!
//! Latin letters become Cyrillic for kk/ru targets, Cyrillic becomes Latin for en; digits, punctuation,
//! spacing and placeholders (`⟦` digits `⟧`) are kept exactly. Same idea as `audarma-mt`'s pseudo
//! backend, without depending on it.

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

    fn is_cyrillic(self) -> bool {
        matches!(self, Lang::Kk | Lang::Ru)
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

fn latin_to_cyrillic(c: char) -> &'static str {
    match c.to_ascii_lowercase() {
        'a' => "а",
        'b' => "б",
        'c' | 'k' => "к",
        'd' => "д",
        'e' => "е",
        'f' => "ф",
        'g' => "г",
        'h' => "х",
        'i' => "и",
        'j' => "дж",
        'l' => "л",
        'm' => "м",
        'n' => "н",
        'o' => "о",
        'p' => "п",
        'q' => "қ",
        'r' => "р",
        's' => "с",
        't' => "т",
        'u' | 'w' => "у",
        'v' => "в",
        'x' => "кс",
        'y' => "й",
        'z' => "з",
        _ => "",
    }
}

fn cyrillic_to_latin(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    Some(match lower {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' => "i",
        'к' => "k",
        'қ' => "q",
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
        'х' | 'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

fn push_like(out: &mut String, piece: &str, original: char) {
    if original.is_uppercase() {
        let mut cs = piece.chars();
        if let Some(first) = cs.next() {
            out.extend(first.to_uppercase());
            out.push_str(cs.as_str());
        }
    } else {
        out.push_str(piece);
    }
}

/// Pseudo-translates one text into `target`. Placeholders pass through unchanged because `⟦`, `⟧`
/// and digits are neither Latin nor Cyrillic letters.
pub fn pseudo_translate(text: &str, target: Lang) -> String {
    let mut out = String::with_capacity(text.len() * 2 + 8);
    out.push('⟦');
    out.push_str(target.code());
    out.push_str("⟧ ");
    for c in text.chars() {
        if target.is_cyrillic() && c.is_ascii_alphabetic() {
            push_like(&mut out, latin_to_cyrillic(c), c);
        } else if !target.is_cyrillic() {
            match cyrillic_to_latin(c) {
                Some(p) => push_like(&mut out, p, c),
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
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
