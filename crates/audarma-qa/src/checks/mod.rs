//! The checks, one file each, and [`run`], the one place that maps a [`Check`] to its code.
//!
//! Every check is `fn run(input: &Input<'_>, out: &mut Vec<Finding>)`: it reads the segment, the
//! caller's [`Context`] and what several checks share (computed once in [`Input::new`]), and
//! appends its findings in the order it finds them. [`crate::check_with`] calls [`run`] for each
//! enabled check in the order of [`Check::ALL`]; the `match` in [`run`] is exhaustive, so a new
//! `Check` variant does not compile until it is wired here.

mod capitalization;
mod dates;
mod empty;
mod length;
mod mixed_script;
mod numbers;
mod placeholders;
mod punctuation;
mod quotes;
mod repeated_word;
mod spelling;
mod terminology;
mod untranslated;
mod urls;
mod whitespace;
mod wrong_language;

pub use length::default_length_ratio;

use crate::special::{placeholder_spans, special_spans, Special};
use crate::{Check, Context, Finding, Segment};
use dates::{find_dates, Date};

/// What a check reads: the segment, the caller's context, and the spans several checks need,
/// found once per segment.
pub(crate) struct Input<'a> {
    pub seg: &'a Segment<'a>,
    pub ctx: &'a Context<'a>,
    /// URLs, e-mail addresses, hashtags and handles of the source and of the target.
    pub src_special: Vec<Special<'a>>,
    pub tgt_special: Vec<Special<'a>>,
    /// Dates of the source and of the target.
    pub src_dates: Vec<Date>,
    pub tgt_dates: Vec<Date>,
    /// Placeholders (`⟦1⟧`, `{name}`, `%s`, `<b>`) of the source and of the target.
    pub src_placeholders: Vec<(usize, usize, &'a str)>,
    pub tgt_placeholders: Vec<(usize, usize, &'a str)>,
}

impl<'a> Input<'a> {
    pub fn new(seg: &'a Segment<'a>, ctx: &'a Context<'a>) -> Self {
        Input {
            seg,
            ctx,
            src_special: special_spans(seg.source),
            tgt_special: special_spans(seg.target),
            src_dates: find_dates(seg.source),
            tgt_dates: find_dates(seg.target),
            src_placeholders: placeholder_spans(seg.source),
            tgt_placeholders: placeholder_spans(seg.target),
        }
    }

    /// The target is empty or only spaces: nothing but `empty` applies.
    pub fn blank(&self) -> bool {
        self.seg.target.trim().is_empty()
    }
}

/// Runs one check on the segment, appending its findings to `out`.
pub(crate) fn run(check: Check, input: &Input<'_>, out: &mut Vec<Finding>) {
    match check {
        Check::Empty => empty::run(input, out),
        Check::Terminology => terminology::run(input, out),
        Check::Numbers => numbers::run(input, out),
        Check::Dates => dates::run(input, out),
        Check::Untranslated => untranslated::run(input, out),
        Check::WrongLanguage => wrong_language::run(input, out),
        Check::MixedScript => mixed_script::run(input, out),
        Check::Quotes => quotes::run(input, out),
        Check::Punctuation => punctuation::run(input, out),
        Check::Whitespace => whitespace::run(input, out),
        Check::RepeatedWord => repeated_word::run(input, out),
        Check::Length => length::run(input, out),
        Check::Urls => urls::run(input, out),
        Check::Placeholders => placeholders::run(input, out),
        Check::Spelling => spelling::run(input, out),
        Check::Capitalization => capitalization::run(input, out),
    }
}
