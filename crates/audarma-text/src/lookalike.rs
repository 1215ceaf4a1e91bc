//! Look-alike letters: Latin letters inside Cyrillic words (and the reverse), and Kazakh letters typed
//! with characters that only look like them (ə for ә, ɵ for ө, Latin h for һ, Latin i for і, …).
//! Such text reads right but defeats search, glossary matching and spell checking; audarma keeps it as
//! written and flags it for QA.

/// A look-alike character in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookalike {
    /// Byte offsets of the character.
    pub start: usize,
    pub end: usize,
    pub found: char,
    /// The letter that was meant.
    pub expected: char,
}

/// Latin letters that look like Cyrillic ones, and what they stand for inside a Cyrillic word.
fn latin_to_cyrillic(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'x' => 'х',
        'y' => 'у',
        'i' => 'і',
        'h' => 'һ',
        'k' => 'к',
        'A' => 'А',
        'B' => 'В',
        'E' => 'Е',
        'K' => 'К',
        'M' => 'М',
        'H' => 'Н',
        'O' => 'О',
        'P' => 'Р',
        'C' => 'С',
        'T' => 'Т',
        'X' => 'Х',
        'I' => 'І',
        // Kazakh letters typed with IPA or Latin-extended look-alikes.
        'ə' => 'ә',
        'Ə' => 'Ә',
        'ɵ' => 'ө',
        'Ɵ' => 'Ө',
        _ => return None,
    })
}

/// Cyrillic letters that look like Latin ones, inside a Latin word.
fn cyrillic_to_latin(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'х' => 'x',
        'у' => 'y',
        'і' => 'i',
        'һ' => 'h',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'І' => 'I',
        _ => return None,
    })
}

/// Other Cyrillic letters typed for Kazakh ones (forms of other alphabets that look alike).
fn kazakh_variant(c: char) -> Option<char> {
    Some(match c {
        'ӻ' => 'ғ',
        'Ӻ' => 'Ғ',
        'ӊ' | 'ӈ' => 'ң',
        'Ӊ' | 'Ӈ' => 'Ң',
        _ => return None,
    })
}

fn is_cyr(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}

/// Every look-alike character in `text`: within a word that is mostly of the other script.
pub fn lookalikes(text: &str) -> Vec<Lookalike> {
    let mut out = Vec::new();
    let mut word: Vec<(usize, char)> = Vec::new();
    let flush = |word: &mut Vec<(usize, char)>, out: &mut Vec<Lookalike>| {
        let cyr = word.iter().filter(|(_, c)| is_cyr(*c)).count();
        let lat = word.iter().filter(|(_, c)| c.is_ascii_alphabetic()).count();
        for &(i, c) in word.iter() {
            let expected = if let Some(k) = kazakh_variant(c) {
                Some(k)
            } else if matches!(c, 'ə' | 'Ə' | 'ɵ' | 'Ɵ')
                || (cyr > 0 && lat > 0 && cyr >= lat && c.is_ascii_alphabetic())
            {
                latin_to_cyrillic(c)
            } else if cyr > 0 && lat > cyr && is_cyr(c) {
                cyrillic_to_latin(c)
            } else {
                None
            };
            if let Some(expected) = expected {
                out.push(Lookalike { start: i, end: i + c.len_utf8(), found: c, expected });
            }
        }
        word.clear();
    };
    for (i, c) in text.char_indices() {
        if c.is_alphabetic() {
            word.push((i, c));
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(char, char)> {
        lookalikes(text).into_iter().map(|l| (l.found, l.expected)).collect()
    }

    #[test]
    fn latin_inside_cyrillic_and_the_reverse() {
        assert_eq!(found("Мемлекет басшысы Aқордада"), [('A', 'А')]);
        assert_eq!(found("Министерство инострaнных дел"), [('a', 'а')]);
        assert_eq!(found("Kazakhstаn"), [('а', 'a')]);
        assert_eq!(found("Бiрiккен"), [('i', 'і'), ('i', 'і')]);
    }

    #[test]
    fn kazakh_letters_typed_with_lookalikes() {
        assert_eq!(found("Əділет"), [('Ə', 'Ә')]);
        assert_eq!(found("өнер ɵнер"), [('ɵ', 'ө')]);
        assert_eq!(found("маңызды маӊызды"), [('ӊ', 'ң')]);
    }

    #[test]
    fn clean_text_has_none() {
        assert!(found("Мемлекет басшысы Ақордада OSCE-мен кездесті. Head of State, ЕҚЫҰ, G20, COVID-19.").is_empty());
    }
}
