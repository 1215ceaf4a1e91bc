//! Abbreviation tables. Keys are lower-case, without the final period; internal periods are kept
//! ("т.д", "e.g"). Latin keys apply to Latin-script tokens in any language and Cyrillic keys to
//! Cyrillic tokens in any language, so mixed texts (Russian with "Inc.", English with "г.") work.

/// How an abbreviation followed by a period and a space behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abbr {
    /// Never ends a sentence (titles, "e.g.", "т.е.", "ул.").
    Never,
    /// Usually precedes a number ("No. 5", "p. 55", "Dec. 31"): no break before a digit or a
    /// lower-case word; a capitalised word after it starts a new sentence.
    NumPrefix,
    /// Postfix abbreviation that ends a sentence only when the next word is a typical sentence
    /// starter ("Inc. The", but "U.S. Government").
    Starters,
    /// Commonly ends a sentence: breaks before any capitalised word ("etc.", "т.д.", "т.б.").
    AnyUpper,
    /// Units of count or money ("млн.", "тыс.", "долл."): like `AnyUpper`, but not before an
    /// all-capitals acronym ("долл. США").
    Unit,
    /// Year / century marks ("г.", "гг.", "ж.", "в.", "ғ."): after a number they may end a sentence
    /// (see `Scanner::year_rule`); elsewhere ("г. Астана") they never do.
    Year,
    /// Russian "др." / "пр.": ends a sentence after "и" ("и др."), otherwise never.
    AfterAnd,
}

pub(crate) fn latin(key: &str) -> Option<Abbr> {
    use Abbr::*;
    Some(match key {
        // titles and forms of address
        "mr" | "mrs" | "ms" | "messrs" | "mme" | "mlle" | "dr" | "prof" | "st" | "mt" | "ft" | "gen" | "col" | "lt"
        | "maj" | "capt" | "cpt" | "sgt" | "cmdr" | "adm" | "brig" | "sen" | "rep" | "gov" | "pres" | "hon" | "rev"
        | "amb" | "supt" | "insp" | "det" | "fr" => Never,
        // latinisms and connectives
        "vs" | "v" | "viz" | "cf" | "e.g" | "i.e" | "approx" | "ca" | "f.e" | "incl" | "resp" | "w.r.t" | "a.k.a" => {
            Never
        }
        "etc" | "a.m" | "p.m" => AnyUpper,
        // before numbers
        "no" | "nos" | "n°" | "p" | "pp" | "para" | "paras" | "art" | "arts" | "sec" | "secs" | "ch" | "chap"
        | "vol" | "vols" | "fig" | "figs" | "eq" | "eqs" | "tel" | "ph" | "rs" | "op" | "pg" | "cl" | "subpara"
        | "subsec" | "ref" | "refs" | "tab" | "ed" | "eds" | "jan" | "feb" | "mar" | "apr" | "jun" | "jul" | "aug"
        | "sep" | "sept" | "oct" | "nov" | "dec" | "mon" | "tue" | "tues" | "wed" | "thu" | "thur" | "thurs"
        | "fri" | "sat" | "sun" | "est" | "hr" | "hrs" | "sq" => NumPrefix,
        // company names and other postfix forms
        "jr" | "sr" | "esq" | "inc" | "ltd" | "co" | "corp" | "llc" | "plc" | "bros" | "dept" | "univ" | "assn"
        | "ave" | "blvd" | "rd" | "al" | "ph.d" | "u.s" | "u.k" | "e.u" | "u.n" | "u.s.a" | "i.v" => Starters,
        _ => return None,
    })
}

pub(crate) fn cyrillic(key: &str) -> Option<Abbr> {
    use Abbr::*;
    Some(match key {
        // Russian: places, titles, references
        "ул" | "пр-т" | "просп" | "пл" | "пер" | "наб" | "б-р" | "мкр" | "пгт" | "пос" | "дер" | "им" | "проф"
        | "акад" | "доц" | "канд" | "зам" | "зав" | "нач" | "ген" | "полк" | "тов" | "гр" | "св" | "оз" | "р-н"
        | "ст" | "см" | "ср" | "напр" | "т.е" | "т.к" | "т.н" | "и.о" | "т.ч" | "н.э" | "рис" | "табл" | "стр"
        | "гл" | "разд" | "абз" | "подп" | "пп" | "прил" | "кв" | "куб" | "корп" | "тел" | "ред" | "изд" | "вып"
        | "сб" | "англ" | "рус" | "каз" | "лат" | "м.б" | "т.о" | "г-н" | "г-жа" | "д-р" | "пред" | "рук" | "деп"
        | "авт" => Never,
        // Kazakh: places, titles, references
        "көш" | "даң" | "ауд" | "мыс" | "б.з.б" | "б.з" | "т.с" | "ғ.д" | "ғ.к" | "с.ғ" | "ш.ғ" => {
            Never
        }
        "т.д" | "т.п" | "т.б" | "т.с.с" | "ж.т.б" | "ж.б" | "обл" => AnyUpper,
        "млн" | "млрд" | "трлн" | "тыс" | "руб" | "долл" | "дол" | "коп" | "чел" | "шт" | "экз" | "ед" | "мың"
        | "тг" | "у.е" | "кв.м" | "куб.м" | "га" => Unit,
        "г" | "гг" | "ж" | "жж" | "в" | "вв" | "ғ" | "ғғ" => Year,
        "др" | "пр" => AfterAnd,
        _ => return None,
    })
}

/// News agencies whose name follows the place of a dateline ("Astana. Kazinform – …"), lower-case.
pub(crate) fn news_agency(w: &str) -> bool {
    matches!(
        w,
        "kazinform" | "казинформ" | "қазақпарат" | "kaztag" | "казтаг" | "интерфакс-казахстан" | "interfax-kazakhstan"
    )
}

/// Words after which "!" does not end a sentence ("Yahoo! Research").
pub(crate) fn exclamation_word(w: &str) -> bool {
    matches!(w, "Yahoo" | "Jeopardy" | "Y")
}

/// English words that typically start a sentence; a `Starters` abbreviation ends a sentence only
/// before one of these.
pub(crate) fn english_starter(w: &str) -> bool {
    matches!(
        w,
        "A" | "According"
            | "After"
            | "All"
            | "Also"
            | "Although"
            | "An"
            | "And"
            | "As"
            | "At"
            | "Being"
            | "Both"
            | "But"
            | "By"
            | "Did"
            | "During"
            | "Each"
            | "Earlier"
            | "For"
            | "He"
            | "Her"
            | "His"
            | "How"
            | "However"
            | "I"
            | "If"
            | "In"
            | "It"
            | "Its"
            | "Last"
            | "Later"
            | "Many"
            | "Meanwhile"
            | "Millions"
            | "More"
            | "Most"
            | "My"
            | "Next"
            | "On"
            | "Our"
            | "She"
            | "Since"
            | "So"
            | "Some"
            | "Such"
            | "That"
            | "The"
            | "Their"
            | "Then"
            | "There"
            | "These"
            | "They"
            | "This"
            | "Those"
            | "Thus"
            | "Today"
            | "We"
            | "What"
            | "When"
            | "Where"
            | "While"
            | "Who"
            | "Why"
            | "Yesterday"
            | "You"
    )
}

/// Words that may precede a year in a short sentence-initial date adverbial ("В 2023 г. …",
/// "7 июня 2023 г. …", "С 1 января 2024 г. …"): prepositions and month names.
pub(crate) fn date_adverbial_word(w: &str) -> bool {
    matches!(
        w,
        "в" | "во"
            | "с"
            | "со"
            | "до"
            | "к"
            | "по"
            | "на"
            | "от"
            | "за"
            | "из"
            | "после"
            | "начиная"
            | "уже"
            | "еще"
            | "ещё"
            | "и"
            | "in"
            | "since"
            | "by"
            | "until"
    ) || month_word(w)
}

/// Month names (Russian nominative/genitive, Kazakh stems) for the date-adverbial rule.
pub(crate) fn month_word(w: &str) -> bool {
    use crate::months::KK;
    const RU: [&str; 12] =
        ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"];
    if matches!(w, "мая" | "май") {
        return true;
    }
    RU.iter().filter(|m| m.chars().count() > 2).any(|m| w.starts_with(m) && w.chars().count() <= m.chars().count() + 2)
        || KK.iter().any(|m| w.starts_with(m))
}
