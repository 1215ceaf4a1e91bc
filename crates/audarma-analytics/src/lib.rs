//! Review that measures: the figures audarma keeps per backend and language pair.
//!
//! - [`chrf`]: chrF++ exactly as sacrebleu computes it, per sentence and per corpus;
//!
//! Pure functions of their input: no I/O, no clock, no global random state.

pub mod chrf;

pub use chrf::{chrf_pp, chrf_stats, corpus_chrf_pp, ChrfStats};
