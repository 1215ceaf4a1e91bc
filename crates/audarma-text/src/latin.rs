//! Kazakh in the Latin alphabet of the April 2021 draft (`kk-Latn`): a letter-by-letter
//! transliterator with Turkish casing. No I/O; names a glossary gives in Latin are the caller's
//! (`audarma-review` puts the glossary first).
//!
//! * The 2021 table: а a · ә ä · б b · в v · г g · ғ ğ · д d · е e · ж j · з z · и i · й i · і ı ·
//!   к k · қ q · л l · м m · н n · ң ñ · о o · ө ö · п p · р r · с s · т t · у u · ұ ū · ү ü · ф f ·
//!   х h · һ h · ш ş · ы y.
//! * Letters the table lacks (Russian loanwords go through the same table): ё io · ю iu · я ia ·
//!   ц ts · ч tş · щ şş · э e · ъ and ь dropped. Every output letter is one of the 31 letters of the
//!   alphabet (it has no c or ç), spelt as the letters are said; ARCHITECTURE.md, Choices, says why.
//! * Casing is Turkish: i ↔ İ and ı ↔ I ([`upper`], [`lower`]). A word whose letters are all capitals
//!   (at least two of them: "ҚР", "ЕҚЫҰ") stays all capitals ("QR", "EQYŪ"); elsewhere a capital
//!   letter gives a capital first Latin letter and lower-case rest ("Я" → "İa", "Ясауи" → "İasaui":
//!   the i of io, iu, ia is the dotted i of и and й, so its capital is İ; "Ia" would read back as "ıa").
//! * Everything else — Latin letters, digits, punctuation, spaces, other scripts — is kept as it is.

/// The Latin of one lower-case Cyrillic letter, `None` for a character that is not one the table
/// (or the choices for Russian letters) covers. `Some("")` for ъ and ь, which are dropped.
pub fn latin_of(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'ә' => "ä",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ғ' => "ğ",
        'д' => "d",
        'е' => "e",
        'ё' => "io",
        'ж' => "j",
        'з' => "z",
        'и' => "i",
        'й' => "i",
        'і' => "ı",
        'к' => "k",
        'қ' => "q",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'ң' => "ñ",
        'о' => "o",
        'ө' => "ö",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ұ' => "ū",
        'ү' => "ü",
        'ф' => "f",
        'х' => "h",
        'һ' => "h",
        'ц' => "ts",
        'ч' => "tş",
        'ш' => "ş",
        'щ' => "şş",
        'ъ' => "",
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => "iu",
        'я' => "ia",
        _ => return None,
    })
}

/// The lower-case Cyrillic letter of `c` and whether `c` was a capital, for letters the table
/// covers; `None` for anything else.
fn cyrillic(c: char) -> Option<(char, bool)> {
    if latin_of(c).is_some() {
        return Some((c, false));
    }
    let mut low = c.to_lowercase();
    match (low.next(), low.next()) {
        (Some(l), None) if l != c && latin_of(l).is_some() => Some((l, true)),
        _ => None,
    }
}

/// Turkish upper case of one letter: i → İ, ı → I, the rest as Unicode says.
pub fn upper_char(c: char, out: &mut String) {
    match c {
        'i' => out.push('İ'),
        'ı' => out.push('I'),
        c => out.extend(c.to_uppercase()),
    }
}

/// Turkish upper case of a text: `upper("qasym-jomart") == "QASYM-JOMART"`, `upper("ıs") == "IS"`,
/// `upper("iri") == "İRİ"` (Rust's `to_uppercase` would make `i` into `I`, another letter here).
pub fn upper(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        upper_char(c, &mut out);
    }
    out
}

/// Turkish lower case of a text: İ → i, I → ı, the rest as Unicode says (`lower("İRİ") == "iri"`).
pub fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'İ' => out.push('i'),
            'I' => out.push('ı'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether a word (a run of letters) is written in capitals only: two cased letters or more, none
/// of them lower case. "ҚР", "ЕҚЫҰ", "COVID" are; "Я", "Астана", "ҚазАқпарат" are not.
fn all_caps(word: &str) -> bool {
    let mut capitals = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_uppercase() {
            capitals += 1;
        }
    }
    capitals >= 2
}

/// Appends one word (a run of letters) in Latin.
fn word_to_latin(word: &str, out: &mut String) {
    let caps = all_caps(word);
    for c in word.chars() {
        match cyrillic(c) {
            None => out.push(c),
            Some((l, false)) => out.push_str(latin_of(l).unwrap_or_default()),
            Some((l, true)) => {
                let latin = latin_of(l).unwrap_or_default();
                if caps {
                    out.push_str(&upper(latin));
                } else {
                    let mut cs = latin.chars();
                    if let Some(first) = cs.next() {
                        upper_char(first, out);
                        out.extend(cs);
                    }
                }
            }
        }
    }
}

/// A text in the Kazakh Latin alphabet of 2021 (see the module documentation): Cyrillic letters
/// by the table, each word's casing kept (all capitals, title case, lower case), everything else as
/// it is. Kazakh Cyrillic text in NFC is expected; a decomposed `й` (и + combining breve) comes out
/// as `i` followed by the breve, so normalise first.
pub fn to_latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while !rest.is_empty() {
        let word_end = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        if word_end > 0 {
            word_to_latin(&rest[..word_end], &mut out);
            rest = &rest[word_end..];
        }
        let gap_end = rest.find(char::is_alphabetic).unwrap_or(rest.len());
        out.push_str(&rest[..gap_end]);
        rest = &rest[gap_end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_of_the_table_in_both_cases() {
        let table = [
            ('а', "a"),
            ('ә', "ä"),
            ('б', "b"),
            ('в', "v"),
            ('г', "g"),
            ('ғ', "ğ"),
            ('д', "d"),
            ('е', "e"),
            ('ж', "j"),
            ('з', "z"),
            ('и', "i"),
            ('й', "i"),
            ('і', "ı"),
            ('к', "k"),
            ('қ', "q"),
            ('л', "l"),
            ('м', "m"),
            ('н', "n"),
            ('ң', "ñ"),
            ('о', "o"),
            ('ө', "ö"),
            ('п', "p"),
            ('р', "r"),
            ('с', "s"),
            ('т', "t"),
            ('у', "u"),
            ('ұ', "ū"),
            ('ү', "ü"),
            ('ф', "f"),
            ('х', "h"),
            ('һ', "h"),
            ('ш', "ş"),
            ('ы', "y"),
        ];
        for (cyr, lat) in table {
            assert_eq!(to_latin(&cyr.to_string()), lat, "{cyr}");
            let cap: String = cyr.to_uppercase().collect();
            let expected = match lat {
                "i" => "İ".to_string(),
                "ı" => "I".to_string(),
                l => l.to_uppercase(),
            };
            assert_eq!(to_latin(&cap), expected, "{cap}");
        }
    }

    #[test]
    fn turkish_casing_of_i_and_dotless_i() {
        assert_eq!(upper("iı"), "İI");
        assert_eq!(lower("İI"), "iı");
        assert_eq!(to_latin("ИІ"), "İI");
        assert_eq!(to_latin("Іс"), "Is");
        assert_eq!(to_latin("Ірі"), "Irı");
        assert_eq!(to_latin("ІРІ"), "IRI");
        assert_eq!(to_latin("Ильин"), "İlin");
        assert_eq!(to_latin("ИІЛІК"), "İILIK");
    }

    #[test]
    fn words_keep_their_casing() {
        assert_eq!(to_latin("ҚР"), "QR");
        assert_eq!(to_latin("ЕҚЫҰ"), "EQYŪ");
        // я is i + a, and the capital of that i is İ: "Ia" would read back as "ıa".
        assert_eq!(to_latin("Ясауи"), "İasaui");
        assert_eq!(to_latin("ЯСАУИ"), "İASAUİ");
        assert_eq!(to_latin("Я"), "İa");
        assert_eq!(to_latin("ЮНЕСКО"), "İUNESKO");
        assert_eq!(lower(&to_latin("ЯСАУИ")), to_latin("ясауи"));
        assert_eq!(to_latin("Щучинск"), "Şşutşinsk");
        assert_eq!(to_latin("ЧЕЧЕН"), "TŞETŞEN");
        assert_eq!(to_latin("ҚазАқпарат"), "QazAqparat");
    }

    #[test]
    fn what_is_not_cyrillic_stays_as_it_is() {
        assert_eq!(to_latin("COVID-19 пандемиясы"), "COVID-19 pandemiiasy");
        assert_eq!(to_latin("«Астана Hub» — 2024 ж."), "«Astana Hub» — 2024 j.");
        assert_eq!(to_latin(""), "");
        assert_eq!(to_latin("  \n"), "  \n");
        assert_eq!(to_latin("Ελλάδα"), "Ελλάδα");
    }

    #[test]
    fn hard_and_soft_signs_are_dropped() {
        assert_eq!(to_latin("объект"), "obekt");
        assert_eq!(to_latin("ОБЪЕКТ"), "OBEKT");
        assert_eq!(to_latin("Ь"), "");
    }
}
