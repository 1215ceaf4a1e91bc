//! TMX 1.4b for audarma's translation memory, in and out.
//!
//! - [`Reader`] streams a TMX file one `<tu>` at a time ([`Tu`]), in constant memory whatever the
//!   file's size. [`decoded`] puts any byte stream agencies export into UTF-8 first: UTF-8 with or
//!   without a BOM, UTF-16 (LE or BE) with or without a BOM, or an 8-bit encoding its XML declaration
//!   names (`windows-1251`). Errors name the line.
//! - [`units`] turns a read `<tu>` into audarma's [`TmUnit`]s: the source variant (the `<tu>`'s or
//!   the header's `srclang`) paired with every other variant in English, Russian or Kazakh (Cyrillic);
//!   `srclang="*all*"` pairs every variant with every other, both ways. What cannot become a unit is
//!   said ([`Skip`]), never dropped without a word. Inline codes (`<bpt>`, `<ept>`, `<it>`, `<ph>`,
//!   `<ut>`) are native formatting of the tool that wrote the file, not text: they are left out and the
//!   variant is marked ([`Variant::codes`]); the text of `<hi>` is kept.
//! - [`Writer`] writes one language pair as TMX 1.4b (valid against the DTD): the source `<tuv>`
//!   first, since readers such as translate-toolkit take the first two as source and target; each
//!   unit's date and author as `creationdate`/`creationid`. Nothing in the output depends on when it
//!   is written, so exporting the same memory twice gives the same bytes.

mod read;
mod write;

use audarma_core::Lang;
use audarma_store::TmUnit;
use chrono::{DateTime, NaiveDateTime, Utc};

pub use read::{decoded, Header, Reader, TmxError, Tu, Variant};
pub use write::Writer;

/// TMX dates: ISO 8601 basic format in UTC, `YYYYMMDDThhmmssZ`.
pub const DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// A TMX date.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s.trim(), DATE_FORMAT).ok().map(|d| d.and_utc())
}

pub fn format_date(d: DateTime<Utc>) -> String {
    d.format(DATE_FORMAT).to_string()
}

/// The language audarma stores for a variant's `xml:lang` (`en`, `en-GB`, `ru_RU`, `kk-Cyrl-KZ`), or
/// `None`: other languages, and Kazakh in Latin script (`kk-Latn`), which audarma derives from the
/// Cyrillic and does not keep in the memory.
pub fn lang_of(tag: &str) -> Option<Lang> {
    let mut parts = tag.trim().split(['-', '_']);
    let lang: Lang = parts.next()?.parse().ok()?;
    if lang == Lang::Kk && parts.any(|p| p.eq_ignore_ascii_case("latn")) {
        return None;
    }
    Some(lang)
}

/// Why (part of) a `<tu>` gave no unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skip {
    /// A variant in a language audarma does not keep (its `xml:lang`).
    OtherLanguage(String),
    /// A second variant in a language the unit already has: the first is used.
    RepeatedLanguage(Lang),
    /// No variant in the source language (`srclang`, which may itself be a language audarma does not keep).
    NoSource(String),
    /// Fewer than two variants audarma keeps: nothing to pair.
    Alone,
    /// A variant whose segment is empty (or held only inline codes).
    Empty(Lang),
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::OtherLanguage(tag) => write!(f, "a variant in {tag}, a language the memory does not keep"),
            Skip::RepeatedLanguage(l) => write!(f, "a second {l} variant (the first is used)"),
            Skip::NoSource(src) => write!(f, "no variant in the source language {src}"),
            Skip::Alone => write!(f, "fewer than two variants in en, ru or kk"),
            Skip::Empty(l) => write!(f, "an empty {l} segment"),
        }
    }
}

/// The units one `<tu>` gives, and what it could not give.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Units {
    pub units: Vec<TmUnit>,
    pub skipped: Vec<Skip>,
}

/// The units of `tu`, whose file's header names `header_srclang` as the source language.
///
/// A unit's date and author are its target variant's (`changedate`/`changeid`, else
/// `creationdate`/`creationid`), else the `<tu>`'s: when the translation took the form it has.
pub fn units(tu: &Tu, header_srclang: &str) -> Units {
    let mut out = Units::default();
    let mut kept: Vec<(Lang, &Variant)> = Vec::new();
    for v in &tu.variants {
        match lang_of(&v.lang) {
            None => out.skipped.push(Skip::OtherLanguage(v.lang.clone())),
            Some(l) if kept.iter().any(|(k, _)| *k == l) => out.skipped.push(Skip::RepeatedLanguage(l)),
            Some(l) => kept.push((l, v)),
        }
    }
    let empty: Vec<Lang> = kept.iter().filter(|(_, v)| v.text.trim().is_empty()).map(|(l, _)| *l).collect();
    out.skipped.extend(empty.iter().map(|l| Skip::Empty(*l)));
    kept.retain(|(l, _)| !empty.contains(l));
    if kept.len() + empty.len() < 2 {
        out.skipped.push(Skip::Alone);
        return out;
    }
    let srclang = tu.srclang.as_deref().unwrap_or(header_srclang).trim();
    let unit = |(s, sv): (Lang, &Variant), (t, tv): (Lang, &Variant)| {
        let (created_at, created_by) = tv.dated().or(tu.dated()).unwrap_or((None, None));
        TmUnit {
            source_lang: s,
            target_lang: t,
            source: sv.text.trim().to_string(),
            target: tv.text.trim().to_string(),
            created_at,
            created_by,
        }
    };
    if srclang.eq_ignore_ascii_case("*all*") {
        for &s in &kept {
            for &t in kept.iter().filter(|t| t.0 != s.0) {
                out.units.push(unit(s, t));
            }
        }
        return out;
    }
    let source = lang_of(srclang).and_then(|l| kept.iter().find(|(k, _)| *k == l).copied());
    match source {
        Some(s) => out.units.extend(kept.iter().filter(|t| t.0 != s.0).map(|&t| unit(s, t))),
        None if !lang_of(srclang).is_some_and(|l| empty.contains(&l)) => {
            out.skipped.push(Skip::NoSource(srclang.to_string()))
        }
        None => {}
    }
    out
}

#[cfg(test)]
mod tests;
