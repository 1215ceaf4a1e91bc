//! Statistics for routing advice ("backend A needs less post-editing than B on kk→ru"): a
//! percentile bootstrap confidence interval for the difference of the means of two independent
//! samples, and a refusal to advise on samples smaller than a minimum.
//!
//! The bootstrap: each of `resamples` rounds draws `n_a` values from `a` and `n_b` from `b` with
//! replacement and takes the difference of their means; the interval is the `(1 − confidence)/2`
//! and `(1 + confidence)/2` quantiles of those differences (linear interpolation between order
//! statistics, numpy's default). The draws come from [`SplitMix64`] seeded by the caller, so the
//! same samples and seed give the same interval on every machine.

use serde::{Deserialize, Serialize};

/// The fewest resamples [`mean_difference`] accepts: fewer make the interval's ends jitter.
pub const MIN_RESAMPLES: usize = 1_000;

/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference `splitmix64.c`): a 64-bit generator
/// whose whole state is one counter. Not for secrets.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (`n > 0`), without modulo bias (Lemire's multiply and reject).
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }
}

/// How to bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// Rounds of resampling; at least [`MIN_RESAMPLES`].
    pub resamples: usize,
    /// The interval's coverage, strictly between 0 and 1 (0.95).
    pub confidence: f64,
    /// The generator's seed.
    pub seed: u64,
    /// Neither sample may be smaller: fewer segments than this give no advice.
    pub min_sample: usize,
}

impl Default for Bootstrap {
    /// 2,000 resamples, 95 %, a fixed seed, at least 30 values a sample.
    fn default() -> Self {
        Bootstrap { resamples: 2_000, confidence: 0.95, seed: 0x0061_7564_6172_6d61, min_sample: 30 }
    }
}

/// The difference of two means (`a` − `b`) and its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeanDifference {
    pub mean_a: f64,
    pub mean_b: f64,
    /// `mean_a − mean_b`.
    pub difference: f64,
    /// The interval's lower end.
    pub low: f64,
    /// The interval's upper end.
    pub high: f64,
    pub confidence: f64,
    pub resamples: usize,
    pub n_a: usize,
    pub n_b: usize,
}

impl MeanDifference {
    /// The interval lies entirely above or below 0: the samples' means differ at this confidence.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// A sample is smaller than the minimum (or empty).
    #[error("too few values to compare: {n_a} and {n_b}, at least {min} each needed")]
    TooFewValues { n_a: usize, n_b: usize, min: usize },
    /// A value is NaN or infinite.
    #[error("value {index} of sample {sample} is not a finite number")]
    NotFinite { sample: char, index: usize },
    #[error("{resamples} resamples: at least {MIN_RESAMPLES} are needed")]
    TooFewResamples { resamples: usize },
    #[error("confidence {0} is not strictly between 0 and 1")]
    Confidence(f64),
}

/// The difference of the means of `a` and `b` with its percentile bootstrap interval; refused
/// when either sample has fewer than `opts.min_sample` values (or none), a value is not finite,
/// or the options are out of range.
pub fn mean_difference(a: &[f64], b: &[f64], opts: &Bootstrap) -> Result<MeanDifference, StatsError> {
    let min = opts.min_sample.max(1);
    if a.len() < min || b.len() < min {
        return Err(StatsError::TooFewValues { n_a: a.len(), n_b: b.len(), min });
    }
    for (sample, values) in [('a', a), ('b', b)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NotFinite { sample, index });
        }
    }
    if opts.resamples < MIN_RESAMPLES {
        return Err(StatsError::TooFewResamples { resamples: opts.resamples });
    }
    if !(opts.confidence > 0.0 && opts.confidence < 1.0) {
        return Err(StatsError::Confidence(opts.confidence));
    }
    let (mean_a, mean_b) = (mean(a), mean(b));
    let mut rng = SplitMix64::new(opts.seed);
    let mut diffs: Vec<f64> =
        (0..opts.resamples).map(|_| resampled_mean(a, &mut rng) - resampled_mean(b, &mut rng)).collect();
    diffs.sort_by(f64::total_cmp);
    let tail = (1.0 - opts.confidence) / 2.0;
    Ok(MeanDifference {
        mean_a,
        mean_b,
        difference: mean_a - mean_b,
        low: quantile(&diffs, tail),
        high: quantile(&diffs, 1.0 - tail),
        confidence: opts.confidence,
        resamples: opts.resamples,
        n_a: a.len(),
        n_b: b.len(),
    })
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn resampled_mean(values: &[f64], rng: &mut SplitMix64) -> f64 {
    let n = values.len() as u64;
    let sum: f64 = (0..n).map(|_| values[rng.below(n) as usize]).sum();
    sum / n as f64
}

/// The `q` quantile of sorted, non-empty `values`, interpolating linearly between order statistics.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_is_the_reference_generator() {
        // Vigna's splitmix64.c seeded with 0.
        let mut r = SplitMix64::new(0);
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64()],
            [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f]
        );
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = SplitMix64::new(7);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[r.below(6) as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
        assert!((0..1000).all(|_| r.below(1) == 0));
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 5.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.125), 1.5);
    }

    fn opts() -> Bootstrap {
        Bootstrap { min_sample: 10, ..Bootstrap::default() }
    }

    #[test]
    fn identical_samples_give_an_interval_around_zero() {
        let a: Vec<f64> = (0..50).map(|i| f64::from(i % 7) * 0.1).collect();
        let d = mean_difference(&a, &a, &opts()).unwrap();
        assert_eq!(d.difference, 0.0);
        assert!(d.low < 0.0 && d.high > 0.0, "{d:?}");
        assert!(!d.excludes_zero());
        // Symmetric within resampling noise.
        assert!((d.low + d.high).abs() < 0.05, "{d:?}");
        assert_eq!((d.n_a, d.n_b, d.resamples), (50, 50, 2_000));
    }

    #[test]
    fn clearly_separated_samples_exclude_zero() {
        let a: Vec<f64> = (0..40).map(|i| 0.30 + f64::from(i % 5) * 0.01).collect();
        let b: Vec<f64> = (0..60).map(|i| 0.10 + f64::from(i % 5) * 0.01).collect();
        let d = mean_difference(&a, &b, &opts()).unwrap();
        assert!((d.difference - 0.2).abs() < 1e-12, "{d:?}");
        assert!(d.excludes_zero() && d.low > 0.19 && d.high < 0.21, "{d:?}");
        let d = mean_difference(&b, &a, &opts()).unwrap();
        assert!(d.excludes_zero() && d.high < 0.0, "{d:?}");
    }

    #[test]
    fn constant_samples_have_no_spread() {
        let d = mean_difference(&[5.0; 30], &[3.0; 40], &Bootstrap::default()).unwrap();
        assert_eq!((d.difference, d.low, d.high), (2.0, 2.0, 2.0));
    }

    #[test]
    fn the_interval_has_the_width_the_standard_error_predicts() {
        // 0..99 and the same shifted by 10: the difference is 10, its standard error
        // sd·√(2/n) = 29.01·0.1414 ≈ 4.10 (sd of 0..99 with n − 1), so a 95 % interval is
        // about 10 ± 8.0 (the bootstrap's plug-in sd is a hair smaller).
        let a: Vec<f64> = (0..100).map(|i| f64::from(i) + 10.0).collect();
        let b: Vec<f64> = (0..100).map(f64::from).collect();
        let d = mean_difference(&a, &b, &Bootstrap { resamples: 10_000, ..Bootstrap::default() }).unwrap();
        assert_eq!(d.difference, 10.0);
        let half = (d.high - d.low) / 2.0;
        assert!((7.2..8.6).contains(&half), "{d:?}");
        assert!((d.low + d.high) / 2.0 > 9.3 && (d.low + d.high) / 2.0 < 10.7, "{d:?}");
        assert!(d.excludes_zero());
    }

    #[test]
    fn the_same_seed_gives_the_same_interval_and_another_seed_another() {
        let a: Vec<f64> = (0..30).map(|i| f64::from(i * i % 11)).collect();
        let b: Vec<f64> = (0..35).map(|i| f64::from(i * 3 % 13)).collect();
        let o = opts();
        assert_eq!(mean_difference(&a, &b, &o).unwrap(), mean_difference(&a, &b, &o).unwrap());
        let other = mean_difference(&a, &b, &Bootstrap { seed: 1, ..o }).unwrap();
        assert_ne!(other.low, mean_difference(&a, &b, &o).unwrap().low);
    }

    #[test]
    fn small_samples_and_bad_options_are_refused() {
        let big = [1.0; 30];
        let small = [1.0; 29];
        let o = Bootstrap::default();
        assert_eq!(mean_difference(&big, &small, &o), Err(StatsError::TooFewValues { n_a: 30, n_b: 29, min: 30 }));
        assert_eq!(mean_difference(&small, &big, &o), Err(StatsError::TooFewValues { n_a: 29, n_b: 30, min: 30 }));
        let zero = Bootstrap { min_sample: 0, ..o };
        assert_eq!(mean_difference(&[], &big, &zero), Err(StatsError::TooFewValues { n_a: 0, n_b: 30, min: 1 }));
        assert!(mean_difference(&[1.0], &[2.0], &zero).is_ok());
        let mut nan = big;
        nan[4] = f64::NAN;
        assert_eq!(mean_difference(&big, &nan, &o), Err(StatsError::NotFinite { sample: 'b', index: 4 }));
        assert_eq!(
            mean_difference(&big, &big, &Bootstrap { resamples: 999, ..o }),
            Err(StatsError::TooFewResamples { resamples: 999 })
        );
        for c in [0.0, 1.0, f64::NAN] {
            assert!(matches!(
                mean_difference(&big, &big, &Bootstrap { confidence: c, ..o }),
                Err(StatsError::Confidence(_))
            ));
        }
        assert_eq!(
            StatsError::TooFewValues { n_a: 3, n_b: 40, min: 30 }.to_string(),
            "too few values to compare: 3 and 40, at least 30 each needed"
        );
    }
}
