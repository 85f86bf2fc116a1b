//! Sufficient statistics of one metric in one variant: everything the tests need, in a few
//! numbers that can be built one value at a time, merged across chunks or threads, or read from a
//! summary-statistics row (n, mean, standard deviation) or (n, sum, sum of squares).
//!
//! Precision: the mean is held as `shift + mean_dev`, where `shift` is a value near the mean and
//! `mean_dev` the mean of the deviations from it, a double-double of sorts. Values near 10⁹ thus
//! keep their digits after the decimal point over 10⁸ rows, where a plain running mean would
//! stop moving (its increments fall below one unit in the last place). Deviations are
//! accumulated with Welford's update and blocks are combined with Chan's formula, so the
//! squared deviations never come from the difference of two large sums.

use serde::{Deserialize, Serialize};

/// Sufficient statistics of one metric in one variant.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SufficientStats {
    /// Number of present values.
    n: u64,
    /// Values left out: empty, NaN, infinite, or text skipped with `--skip-bad-rows`.
    missing: u64,
    /// Of `missing`, the NaN and infinite values.
    non_finite: u64,
    /// Of `missing`, text that could not be read as a number (only with `--skip-bad-rows`).
    unreadable: u64,
    /// A value near the mean; the mean is `shift + mean_dev`.
    shift: f64,
    /// Mean of `value − shift`.
    mean_dev: f64,
    /// Sum of squared deviations from the mean.
    m2: f64,
    /// Whether every present value is 0 or 1 (true when there are none).
    all_binary: bool,
    /// Number of present values equal to 1.
    ones: u64,
}

impl Default for SufficientStats {
    fn default() -> Self {
        Self::new()
    }
}

impl SufficientStats {
    /// No values yet.
    pub const fn new() -> Self {
        Self {
            n: 0,
            missing: 0,
            non_finite: 0,
            unreadable: 0,
            shift: 0.0,
            mean_dev: 0.0,
            m2: 0.0,
            all_binary: true,
            ones: 0,
        }
    }

    /// Builds the statistics of a slice of values (NaN and ±inf count as missing).
    pub fn from_values(values: &[f64]) -> Self {
        let mut s = Self::new();
        for &x in values {
            s.push(x);
        }
        s
    }

    /// Adds one value. NaN and ±inf are counted as missing.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            self.missing += 1;
            self.non_finite += 1;
            return;
        }
        if self.n == 0 {
            self.shift = x;
        }
        self.n += 1;
        let d = x - self.shift;
        let delta = d - self.mean_dev;
        self.mean_dev += delta / self.n as f64;
        self.m2 += delta * (d - self.mean_dev);
        if x == 1.0 {
            self.ones += 1;
        } else if x != 0.0 {
            self.all_binary = false;
        }
    }

    /// Adds a boolean value as 0 or 1.
    #[inline]
    pub fn push_bool(&mut self, b: bool) {
        self.push(if b { 1.0 } else { 0.0 });
    }

    /// Counts an empty (missing) value.
    #[inline]
    pub fn push_missing(&mut self) {
        self.missing += 1;
    }

    /// Counts a text value that could not be read as a number, left out as missing.
    #[inline]
    pub fn push_unreadable(&mut self) {
        self.missing += 1;
        self.unreadable += 1;
    }

    /// Summary statistics: `n` values with this mean and sample standard deviation (n − 1).
    /// `missing` is the number of units whose value was missing, when known. Returns `None` for
    /// a negative or non-finite standard deviation or a non-finite mean.
    pub fn from_mean_sd(n: u64, mean: f64, std_dev: f64, missing: u64) -> Option<Self> {
        if n == 0 {
            return Some(Self {
                missing,
                ..Self::new()
            });
        }
        if !mean.is_finite() || !std_dev.is_finite() || std_dev < 0.0 {
            return None;
        }
        let m2 = if n >= 2 {
            std_dev * std_dev * (n - 1) as f64
        } else {
            0.0
        };
        let (all_binary, ones) = bernoulli_evidence(n, mean, m2);
        Some(Self {
            n,
            missing,
            non_finite: 0,
            unreadable: 0,
            shift: mean,
            mean_dev: 0.0,
            m2,
            all_binary,
            ones,
        })
    }

    /// Summary statistics: `n` values with this sum and sum of squares. The variance then comes
    /// from `sum_sq − sum²/n`, which loses digits when the mean is large against the spread
    /// (prefer mean and standard deviation from the warehouse when you can choose).
    pub fn from_sums(n: u64, sum: f64, sum_sq: f64, missing: u64) -> Option<Self> {
        if n == 0 {
            return Some(Self {
                missing,
                ..Self::new()
            });
        }
        if !sum.is_finite() || !sum_sq.is_finite() || sum_sq < 0.0 {
            return None;
        }
        let nf = n as f64;
        let mean = sum / nf;
        let m2 = (sum_sq - sum * mean).max(0.0);
        let exact_binary =
            sum == sum_sq && sum >= 0.0 && sum <= nf && sum.fract() == 0.0 && sum < 2f64.powi(53);
        let (all_binary, ones) = if exact_binary {
            (true, sum as u64)
        } else {
            (false, 0)
        };
        Some(Self {
            n,
            missing,
            non_finite: 0,
            unreadable: 0,
            shift: mean,
            mean_dev: 0.0,
            m2,
            all_binary,
            ones,
        })
    }

    /// Combines the statistics of two disjoint sets of values (Chan et al.).
    pub fn merge(&mut self, other: &Self) {
        self.missing += other.missing;
        self.non_finite += other.non_finite;
        self.unreadable += other.unreadable;
        self.all_binary &= other.all_binary;
        self.ones += other.ones;
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            self.n = other.n;
            self.shift = other.shift;
            self.mean_dev = other.mean_dev;
            self.m2 = other.m2;
            return;
        }
        let na = self.n as f64;
        let nb = other.n as f64;
        let n = na + nb;
        // Both means relative to self.shift; shifts close together subtract exactly.
        let mean_b = (other.shift - self.shift) + other.mean_dev;
        let delta = mean_b - self.mean_dev;
        self.mean_dev += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * nb / n);
        self.n += other.n;
        self.recenter();
    }

    /// Moves `shift` to the mean so that `mean_dev` stays small (keeps the low-order digits).
    fn recenter(&mut self) {
        let new_shift = self.shift + self.mean_dev;
        if new_shift.is_finite() {
            let moved = new_shift - self.shift;
            self.mean_dev -= moved;
            self.shift = new_shift;
        }
    }

    /// Number of present values.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Number of values left out (empty, NaN, infinite, or unreadable text that was skipped).
    pub fn missing(&self) -> u64 {
        self.missing
    }

    /// Of the missing values, those that were NaN or infinite.
    pub fn non_finite(&self) -> u64 {
        self.non_finite
    }

    /// Of the missing values, text that was skipped.
    pub fn unreadable(&self) -> u64 {
        self.unreadable
    }

    /// Whether every present value is 0 or 1 (also true when no value is present).
    pub fn all_binary(&self) -> bool {
        self.all_binary
    }

    /// Number of present values equal to 1 (meaningful when `all_binary`).
    pub fn ones(&self) -> u64 {
        self.ones
    }

    /// The mean, or `None` without values.
    pub fn mean(&self) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        if self.all_binary {
            return Some(self.ones as f64 / self.n as f64);
        }
        Some(self.shift + self.mean_dev)
    }

    /// `self.mean() − other.mean()`, computed from the unrounded parts of both means, so that
    /// a small difference between two large means keeps its digits.
    pub fn mean_diff(&self, other: &Self) -> Option<f64> {
        if self.n == 0 || other.n == 0 {
            return None;
        }
        if self.all_binary && other.all_binary {
            return Some(self.ones as f64 / self.n as f64 - other.ones as f64 / other.n as f64);
        }
        let (a_hi, a_lo) = self.mean_parts();
        let (b_hi, b_lo) = other.mean_parts();
        Some((a_hi - b_hi) + (a_lo - b_lo))
    }

    /// The mean as an unrounded pair (high, low): mean = high + low.
    fn mean_parts(&self) -> (f64, f64) {
        if self.all_binary {
            (self.ones as f64 / self.n as f64, 0.0)
        } else {
            (self.shift, self.mean_dev)
        }
    }

    /// Sum of squared deviations from the mean.
    pub fn sum_sq_dev(&self) -> f64 {
        self.m2.max(0.0)
    }

    /// Sample variance (divisor n − 1), or `None` with fewer than two values.
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        if self.all_binary {
            // Exact for 0/1 values: k(n − k) / (n(n − 1)).
            let n = self.n as f64;
            let k = self.ones as f64;
            return Some(k * (n - k) / (n * (n - 1.0)));
        }
        Some(self.sum_sq_dev() / (self.n - 1) as f64)
    }

    /// Sample standard deviation (divisor n − 1), or `None` with fewer than two values.
    pub fn std_dev(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }
}

/// Whether a summary row (n, mean, m2) can only come from 0/1 values: n·mean is a whole number
/// k and the sum of squared deviations equals k(n − k)/n.
fn bernoulli_evidence(n: u64, mean: f64, m2: f64) -> (bool, u64) {
    let nf = n as f64;
    if !(0.0..=1.0).contains(&mean) {
        return (false, 0);
    }
    let k = (mean * nf).round();
    if ((mean * nf) - k).abs() > 1e-9 * nf.max(1.0) {
        return (false, 0);
    }
    let expected_m2 = k * (nf - k) / nf;
    let tolerance = 1e-9 * expected_m2.max(1e-12);
    if n >= 2 && (m2 - expected_m2).abs() > tolerance {
        return (false, 0);
    }
    (true, k as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn simple_values() {
        let s = SufficientStats::from_values(&[1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(s.n(), 4);
        assert_eq!(s.missing(), 1);
        assert_eq!(s.non_finite(), 1);
        assert_eq!(s.mean(), Some(2.5));
        assert!(close(s.variance().unwrap(), 5.0 / 3.0, 1e-15));
        assert!(!s.all_binary());
    }

    #[test]
    fn empty_and_single() {
        let s = SufficientStats::new();
        assert_eq!(s.mean(), None);
        assert_eq!(s.variance(), None);
        let one = SufficientStats::from_values(&[7.0]);
        assert_eq!(one.mean(), Some(7.0));
        assert_eq!(one.std_dev(), None);
    }

    #[test]
    fn binary_detection() {
        let s = SufficientStats::from_values(&[0.0, 1.0, 1.0, 0.0, 1.0]);
        assert!(s.all_binary());
        assert_eq!(s.ones(), 3);
        assert_eq!(s.mean(), Some(0.6));
        let from_summary = SufficientStats::from_mean_sd(5, 0.6, s.std_dev().unwrap(), 0).unwrap();
        assert!(from_summary.all_binary());
        assert_eq!(from_summary.ones(), 3);
        let from_sums = SufficientStats::from_sums(5, 3.0, 3.0, 0).unwrap();
        assert!(from_sums.all_binary());
        let not = SufficientStats::from_mean_sd(5, 0.6, 0.3, 0).unwrap();
        assert!(!not.all_binary());
    }

    #[test]
    fn merge_equals_one_pass() {
        let values: Vec<f64> = (0..1000)
            .map(|i| ((i * 37) % 101) as f64 * 0.37 - 5.0)
            .collect();
        let whole = SufficientStats::from_values(&values);
        let mut merged = SufficientStats::new();
        for chunk in values.chunks(77) {
            merged.merge(&SufficientStats::from_values(chunk));
        }
        assert_eq!(merged.n(), whole.n());
        assert!(close(merged.mean().unwrap(), whole.mean().unwrap(), 1e-14));
        assert!(close(
            merged.variance().unwrap(),
            whole.variance().unwrap(),
            1e-13
        ));
    }

    #[test]
    fn summary_rows_equal_unit_level() {
        let values: Vec<f64> = (0..500)
            .map(|i| (i as f64 * 0.731).sin() * 3.0 + 10.0)
            .collect();
        let unit = SufficientStats::from_values(&values);
        let n = values.len() as u64;
        let sum: f64 = values.iter().sum();
        let sum_sq: f64 = values.iter().map(|x| x * x).sum();
        let a = SufficientStats::from_mean_sd(n, unit.mean().unwrap(), unit.std_dev().unwrap(), 0)
            .unwrap();
        let b = SufficientStats::from_sums(n, sum, sum_sq, 0).unwrap();
        for s in [a, b] {
            assert!(close(s.mean().unwrap(), unit.mean().unwrap(), 1e-13));
            assert!(close(
                s.variance().unwrap(),
                unit.variance().unwrap(),
                1e-11
            ));
        }
    }

    #[test]
    fn bad_summary_rows_are_refused() {
        assert!(SufficientStats::from_mean_sd(3, f64::NAN, 1.0, 0).is_none());
        assert!(SufficientStats::from_mean_sd(3, 1.0, -1.0, 0).is_none());
        assert!(SufficientStats::from_sums(3, 1.0, -1.0, 0).is_none());
    }
}
