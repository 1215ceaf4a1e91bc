//! Review that measures: the figures audarma keeps per backend and language pair.
//!
//! - [`chrf`]: chrF++ exactly as sacrebleu computes it, per sentence and per corpus;
//! - [`edit`]: post-editing effort between a suggestion and the approved text (word edits, HTER
//!   without shifts, character distance);
//! - [`mqm`]: the MQM error typology audarma annotates with, its severities and the MQM 2.0
//!   scoring model;
//! - [`preset`]: a QA finding as an MQM annotation, for one-click acceptance on the desk;
//! - [`stats`]: a percentile bootstrap interval for the difference of two means, and the refusal
//!   to advise on samples that are too small;
//! - [`time`]: MateCat's filter of implausible editing times.
//!
//! Pure functions of their input: no I/O, no clock, no global random state.

pub mod chrf;
pub mod edit;
pub mod mqm;
pub mod preset;
pub mod stats;
pub mod time;

pub use chrf::{chrf_pp, chrf_stats, corpus_chrf_pp, ChrfStats};
pub use edit::{corpus_hter, post_edit, tokens, PostEdit};
pub use mqm::{score, Annotation, Category, ErrorType, Score};
pub use preset::preset;
pub use stats::{mean_difference, Bootstrap, MeanDifference, StatsError};
pub use time::counts_for_time;
