//! The business value of a classifier's decision threshold (CONTRACT.md, `throughline threshold`).

use super::{AnalysisError, ThresholdPoint, ThresholdResult};

/// What each outcome is worth (a cost is a negative value).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ValueMatrix {
    pub true_positive: f64,
    pub false_positive: f64,
    pub false_negative: f64,
    pub true_negative: f64,
}

/// The most points a curve keeps; longer curves are down-sampled.
pub const MAX_CURVE_POINTS: usize = 1000;

/// The value-versus-threshold curve. A row is flagged when its score is at or above the
/// threshold; the candidates are the distinct scores. On ties (up to floating-point rounding)
/// the lowest threshold wins. Rows whose score is NaN or infinite are left out with a warning.
pub fn threshold_curve(
    scores: &[f64],
    labels: &[bool],
    values: ValueMatrix,
) -> Result<ThresholdResult, AnalysisError> {
    if scores.len() != labels.len() {
        return Err(AnalysisError::BadInput(format!(
            "there are {} scores but {} labels",
            scores.len(),
            labels.len()
        )));
    }
    for (name, v) in [
        ("true positive", values.true_positive),
        ("false positive", values.false_positive),
        ("false negative", values.false_negative),
        ("true negative", values.true_negative),
    ] {
        if !v.is_finite() {
            return Err(AnalysisError::BadInput(format!(
                "the value of a {name} must be a finite number, not {v}"
            )));
        }
    }
    let mut warnings = Vec::new();
    let mut rows: Vec<(f64, bool)> = scores
        .iter()
        .zip(labels)
        .filter(|(s, _)| s.is_finite())
        .map(|(s, l)| (*s, *l))
        .collect();
    // NaN and ±inf count as missing (CONTRACT.md), each kind said apart.
    let nan = scores.iter().filter(|s| s.is_nan()).count();
    let infinite = scores.iter().filter(|s| s.is_infinite()).count();
    for (count, what) in [
        (nan, "a NaN score"),
        (infinite, "an infinite score (inf or -inf)"),
    ] {
        if count > 0 {
            warnings.push(format!(
                "{count} row{} with {what} {} left out.",
                if count == 1 { "" } else { "s" },
                if count == 1 { "was" } else { "were" }
            ));
        }
    }
    if rows.is_empty() {
        return Err(AnalysisError::BadInput(
            "there are no rows with both a score and a label".to_owned(),
        ));
    }
    // Highest score first: lowering the threshold flags more rows.
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = rows.iter().filter(|r| r.1).count() as u64;
    let negatives = rows.len() as u64 - positives;
    if positives == 0 {
        warnings.push("No row is labelled positive, so recall and F1 are undefined.".to_owned());
    }
    if negatives == 0 {
        warnings.push("No row is labelled negative.".to_owned());
    }

    let mut curve = Vec::new();
    let (mut tp, mut fp) = (0_u64, 0_u64);
    let mut i = 0;
    while i < rows.len() {
        let threshold = rows.get(i).map(|r| r.0).unwrap_or(f64::NAN);
        while let Some(&(s, label)) = rows.get(i) {
            if s != threshold {
                break;
            }
            if label {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        curve.push(point(threshold, tp, fp, positives, negatives, values));
    }
    // Lowest threshold first.
    curve.reverse();

    let best_value_index = best_index(&curve, |p| Some(p.value));
    let best_f1_index = best_index(&curve, |p| p.f1);
    let best_value = best_value_index.and_then(|i| curve.get(i));
    let best_f1 = best_f1_index.and_then(|i| curve.get(i));
    let mut result = ThresholdResult {
        best_value_threshold: best_value.map(|p| p.threshold),
        best_value: best_value.map(|p| p.value),
        best_f1_threshold: best_f1.map(|p| p.threshold),
        best_f1: best_f1.and_then(|p| p.f1),
        value_at_best_f1: best_f1.map(|p| p.value),
        curve: Vec::new(),
        warnings,
    };
    let keep: Vec<usize> = [best_value_index, best_f1_index]
        .into_iter()
        .flatten()
        .collect();
    result.curve = down_sample(curve, &keep, MAX_CURVE_POINTS);
    Ok(result)
}

fn point(
    threshold: f64,
    tp: u64,
    fp: u64,
    positives: u64,
    negatives: u64,
    v: ValueMatrix,
) -> ThresholdPoint {
    let fn_ = positives - tp;
    let tn = negatives - fp;
    let value = tp as f64 * v.true_positive
        + fp as f64 * v.false_positive
        + fn_ as f64 * v.false_negative
        + tn as f64 * v.true_negative;
    let flagged = tp + fp;
    let precision = (flagged > 0).then(|| tp as f64 / flagged as f64);
    let recall = (positives > 0).then(|| tp as f64 / positives as f64);
    let f1_denominator = 2 * tp + fp + fn_;
    let f1 = (positives > 0 && f1_denominator > 0).then(|| 2.0 * tp as f64 / f1_denominator as f64);
    ThresholdPoint {
        threshold,
        value,
        precision,
        recall,
        f1,
    }
}

/// Relative difference under which two values count as equal: sums of the same outcomes in
/// another order differ in their last bits (1.3 against 1.3000000000000003).
const TIE_TOLERANCE: f64 = 1e-12;

/// Index of the largest key; the first (lowest threshold) on ties, values equal up to
/// floating-point rounding included.
fn best_index(
    curve: &[ThresholdPoint],
    key: impl Fn(&ThresholdPoint) -> Option<f64>,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, p) in curve.iter().enumerate() {
        if let Some(k) = key(p)
            && best.is_none_or(|(_, b)| k - b > TIE_TOLERANCE * k.abs().max(b.abs()))
        {
            best = Some((i, k));
        }
    }
    best.map(|(i, _)| i)
}

/// Keeps exactly `max` points (when there are more), evenly spread, always with the first, the
/// last and `keep`.
fn down_sample(curve: Vec<ThresholdPoint>, keep: &[usize], max: usize) -> Vec<ThresholdPoint> {
    let n = curve.len();
    if n <= max {
        return curve;
    }
    let mut chosen = vec![false; n];
    for &i in keep.iter().chain([0, n - 1].iter()) {
        if let Some(c) = chosen.get_mut(i) {
            *c = true;
        }
    }
    let taken = chosen.iter().filter(|&&c| c).count();
    let slots = max.saturating_sub(taken);
    let rest: Vec<usize> = (0..n)
        .filter(|&i| !chosen.get(i).copied().unwrap_or(true))
        .collect();
    if slots > 0 && !rest.is_empty() {
        let step = rest.len() as f64 / slots as f64;
        for k in 0..slots {
            let position = ((k as f64 + 0.5) * step) as usize;
            if let Some(&i) = rest.get(position.min(rest.len() - 1))
                && let Some(c) = chosen.get_mut(i)
            {
                *c = true;
            }
        }
    }
    curve
        .into_iter()
        .zip(chosen)
        .filter_map(|(p, c)| c.then_some(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: ValueMatrix = ValueMatrix {
        true_positive: 10.0,
        false_positive: -2.0,
        false_negative: -5.0,
        true_negative: 0.0,
    };

    #[test]
    fn small_example() {
        let scores = [0.9, 0.8, 0.8, 0.3, 0.1];
        let labels = [true, false, true, false, true];
        let r = threshold_curve(&scores, &labels, V).unwrap();
        assert_eq!(r.curve.len(), 4);
        // At 0.8: tp 2, fp 1, fn 1, tn 1 → 20 − 2 − 5 = 13.
        let at = r.curve.iter().find(|p| p.threshold == 0.8).unwrap();
        assert_eq!(at.value, 13.0);
        // At 0.1: tp 3, fp 2 → 30 − 4 = 26, the best.
        assert_eq!(r.best_value_threshold, Some(0.1));
        assert_eq!(r.best_value, Some(26.0));
    }

    #[test]
    fn ties_pick_the_lowest_threshold() {
        let scores = [0.9, 0.5, 0.2];
        let labels = [true, false, false];
        let zero = ValueMatrix {
            true_positive: 1.0,
            ..ValueMatrix::default()
        };
        let r = threshold_curve(&scores, &labels, zero).unwrap();
        assert_eq!(r.best_value_threshold, Some(0.2));
    }

    #[test]
    fn values_equal_up_to_rounding_are_ties() {
        // At 0.9: 12 × 0.1 + 1 × 0.1 = 1.3000000000000003; at 0.2: 13 × 0.1 = 1.3.
        let mut scores = vec![0.9; 12];
        let mut labels = vec![true; 12];
        scores.extend([0.5, 0.2]);
        labels.extend([false, true]);
        let tenth = ValueMatrix {
            true_positive: 0.1,
            true_negative: 0.1,
            ..ValueMatrix::default()
        };
        let r = threshold_curve(&scores, &labels, tenth).unwrap();
        let at = |t: f64| r.curve.iter().find(|p| p.threshold == t).unwrap().value;
        assert!(at(0.9) > at(0.2), "the sums differ in their last bits");
        assert_eq!(r.best_value_threshold, Some(0.2));
    }

    #[test]
    fn infinite_scores_are_counted_and_left_out() {
        let scores = [0.9, f64::INFINITY, 0.5, f64::NEG_INFINITY, f64::NAN, 0.2];
        let labels = [true, true, false, false, true, false];
        let r = threshold_curve(&scores, &labels, V).unwrap();
        assert!(r.curve.iter().all(|p| p.threshold.is_finite()));
        assert_eq!(r.curve.len(), 3);
        assert!(
            r.warnings
                .iter()
                .any(|w| w == "1 row with a NaN score was left out.")
        );
        assert!(
            r.warnings
                .iter()
                .any(|w| w == "2 rows with an infinite score (inf or -inf) were left out."),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn down_sampling_keeps_the_best_points() {
        let n = 5000;
        let scores: Vec<f64> = (0..n).map(|i| i as f64 / n as f64).collect();
        let labels: Vec<bool> = (0..n).map(|i| (i * 7919) % 3 == 0 || i > 3700).collect();
        let r = threshold_curve(&scores, &labels, V).unwrap();
        assert_eq!(r.curve.len(), MAX_CURVE_POINTS);
        let best = r.best_value_threshold.unwrap();
        assert!(r.curve.iter().any(|p| p.threshold == best));
        let best_f1 = r.best_f1_threshold.unwrap();
        assert!(r.curve.iter().any(|p| p.threshold == best_f1));
        assert!(r.curve.windows(2).all(|w| w[0].threshold < w[1].threshold));
    }

    #[test]
    fn no_rows_is_an_error() {
        assert!(threshold_curve(&[], &[], V).is_err());
        assert!(threshold_curve(&[f64::NAN], &[true], V).is_err());
    }
}
