//! The text layer of audarma. Every later step (alignment, translation memory, QA, glossary
//! lint) works on what this crate produces. No I/O.
//!
//! * [`normalize`] — NFC, LF line ends, no BOM or zero-width characters, Unicode spaces as
//!   `' '`, no trailing spaces. [`collapse_whitespace`] — one ASCII space between words.
//! * [`paragraphs`] — blocks separated by blank lines, hard wraps joined, collapsed, non-empty; a
//!   line that stands alone before a single line break (headline, caption, date line) is a
//!   paragraph of its own ([`line_stands_alone`]).
//! * [`segment`] — rule-based sentence segmentation of one paragraph for en/kk/ru (abbreviations,
//!   initials including Kazakh letters, numbers, URLs, quotations, dialogue dashes, lists, agency
//!   datelines). Sentences inside quotations are cut as SRX-based CAT tools cut them
//!   ([`Quotations::Split`]); [`segment_with`] can keep quotations whole.
//!   Guarantee: `segment(p, l).join(" ") == collapse_whitespace(p)` — nothing is lost or
//!   reordered, and sentences never cross the paragraph.
//! * [`segment_text`] / [`segment_text_with`] — the same rules over a whole text where line
//!   breaks end sentences (lists, headings), plus splits at a missing space ("end.Next").
//! * [`Detector`] / [`detector`] — en/kk/ru language detection (Kazakh letters, then Russian and
//!   Kazakh word evidence, [`markers`], in which names count for neither, then lingua for what is
//!   left open; a long text is judged by a sample from start to end); `Send + Sync`, one shared
//!   instance, models loaded lazily once.
//! * [`parse_date_line`] — release date lines in the three languages ("7 июня 2023 года",
//!   "2023 жылғы 7 маусым", "Astana, June 7, 2023 14:30") to a date and an optional place; `None`
//!   for anything that is not essentially just a date.
//! * [`has_kazakh_letters`] — script helper for QA and glossary lint.
//! * [`latin`] — Kazakh in the Latin alphabet of 2021 (`kk-Latn`): [`latin::to_latin`], the official
//!   letter table with Turkish casing (i ↔ İ, ı ↔ I) and our choice for ё ю я ц ч щ ъ ь э.
//! * [`lookalikes`] — look-alike letters (Latin in Cyrillic words and the reverse, Kazakh letters typed
//!   with IPA or other Cyrillic forms), kept as written and flagged for QA.

mod date;
mod detect;
pub mod latin;
mod lookalike;
pub mod months;
mod normalize;
mod segment;

pub use date::{parse_date_line, DateLine};
pub use detect::{detector, markers, Detection, Detector, Markers};
pub use lookalike::{lookalikes, Lookalike};
pub use normalize::{
    collapse_whitespace, has_kazakh_letters, is_kazakh_letter, is_stray_control, line_stands_alone, normalize,
    paragraphs, stray_control,
};
pub use segment::{
    segment, segment_text, segment_text_opts, segment_text_with, segment_with, LineBreaks, Options, Quotations,
};
