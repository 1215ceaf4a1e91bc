//! audarma's terminology layer.
//!
//! - [`Glossary::load`] reads the `[[concept]]` files maintainers edit in `glossaries/` (format in
//!   `glossaries/README.md`); every problem is a [`Problem`] that prints as `file:line: message`.
//! - [`Glossary::lint`] finds what a maintainer must fix (duplicate ids, wrong script, a source term
//!   mapped to two concepts, …).
//! - [`Matcher`] finds concepts in a text of one language, inflected forms included (compiled once
//!   per language: terms indexed by the stems of their words, see [`morph`]; longest match wins;
//!   acronyms and `case_sensitive` terms keep their case).
//! - [`verify`] judges a target text against the concepts found in its source.
//! - [`reinflected`] tells a term the translator re-inflected (right term, wrong inflection) from
//!   one replaced.
//! - [`exchange`] writes and reads glossaries as TBX, CSV and TSV, and writes imported ones as TOML.
//!
//! This crate does no I/O beyond reading glossary files.

pub mod exchange;
mod inflection;
mod lint;
mod load;
mod matcher;
pub mod morph;
mod normalize;

pub use exchange::Format;
pub use inflection::reinflected;
pub use lint::lint;
pub use load::{Concept, Glossary, Holding, LoadError, Problem, Validity};
pub use matcher::{verify, Grade, Matcher, TermCheck, TermHint, TermMatch, TermStatus};
pub use normalize::{fold, is_acronym, FoldedText};
