//! MateCat's filter of implausible editing times. A segment edited faster than 0.25 seconds a word
//! was not read (accepted in passing, or pasted), and one slower than 30 seconds a word was left
//! open while the translator did something else: both are left out of time-per-word figures.
//!
//! The bounds are MateCat's `EDIT_TIME_FAST_CUT` and `EDIT_TIME_SLOW_CUT`
//! (`lib/Model/EditLog/EditLogModel.php`). MateCat's job statistics keep a segment when
//! `time_to_edit / raw_word_count BETWEEN 250 AND 30000` (milliseconds): both bounds count, as
//! here. (Its per-segment flag `isValidForEditLog` compares strictly, after rounding seconds per
//! word to one decimal; the figures a job reports are the query's.)

/// Fewer seconds a word than this: too fast to have been read.
pub const FAST_CUT: f64 = 0.25;
/// More seconds a word than this: the segment was left open.
pub const SLOW_CUT: f64 = 30.0;

/// Seconds per word, when there are words and the time is a finite, non-negative number.
pub fn seconds_per_word(seconds: f64, words: u64) -> Option<f64> {
    (words > 0 && seconds.is_finite() && seconds >= 0.0).then(|| seconds / words as f64)
}

/// Whether a segment of `words` words edited in `seconds` counts towards time-per-word figures:
/// 0.25 ≤ seconds per word ≤ 30. A segment without words, or with a time that is negative or not
/// a number, does not count.
pub fn counts_for_time(seconds: f64, words: u64) -> bool {
    seconds_per_word(seconds, words).is_some_and(|s| (FAST_CUT..=SLOW_CUT).contains(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_times_count_and_the_bounds_with_them() {
        assert!(counts_for_time(20.0, 10));
        assert!(counts_for_time(2.5, 10), "0.25 s a word");
        assert!(counts_for_time(300.0, 10), "30 s a word");
        assert!(counts_for_time(0.25, 1));
    }

    #[test]
    fn too_fast_too_slow_and_meaningless_times_do_not() {
        assert!(!counts_for_time(2.4, 10), "0.24 s a word");
        assert!(!counts_for_time(301.0, 10), "30.1 s a word");
        assert!(!counts_for_time(0.0, 10));
        assert!(!counts_for_time(5.0, 0), "no words");
        assert!(!counts_for_time(-5.0, 10));
        assert!(!counts_for_time(f64::NAN, 10));
        assert!(!counts_for_time(f64::INFINITY, 10));
        assert_eq!(seconds_per_word(9.0, 3), Some(3.0));
        assert_eq!(seconds_per_word(9.0, 0), None);
    }
}
