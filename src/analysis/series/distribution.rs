//! The summaries a distribution plot draws: histograms on common bins and box-plot
//! statistics, per group.

/// Counts of values in equal-width bins.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Histogram {
    /// Bin edges, one more than `counts`.
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

impl Histogram {
    /// The width of one bin (all bins are equally wide).
    pub fn bin_width(&self) -> f64 {
        match (self.edges.first(), self.edges.get(1)) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Equal-width bins over `range` (or over the values' own range). Non-finite values and
/// values outside the range are not counted. A range of zero width gets one bin.
pub fn histogram(values: &[f64], bins: usize, range: Option<(f64, f64)>) -> Histogram {
    let bins = bins.max(1);
    let (lo, hi) = match range {
        Some(r) => r,
        None => {
            let finite = values.iter().copied().filter(|v| v.is_finite());
            let lo = finite.clone().fold(f64::INFINITY, f64::min);
            let hi = finite.fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        }
    };
    if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
        return Histogram::default();
    }
    if hi == lo {
        let count = values.iter().filter(|&&v| v == lo).count() as u64;
        return Histogram {
            edges: vec![lo - 0.5, lo + 0.5],
            counts: vec![count],
        };
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u64; bins];
    for &v in values {
        if !(v >= lo && v <= hi) {
            continue;
        }
        let k = (((v - lo) / width).floor() as usize).min(bins - 1);
        counts[k] += 1;
    }
    let edges = (0..=bins).map(|k| lo + width * k as f64).collect();
    Histogram { edges, counts }
}

/// What a box plot draws for one group of values.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BoxStats {
    pub n: u64,
    pub mean: f64,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    /// The lowest value within 1.5 × IQR below the first quartile (Tukey's whisker).
    pub lower_whisker: f64,
    /// The highest value within 1.5 × IQR above the third quartile.
    pub upper_whisker: f64,
    /// How many values lie beyond the whiskers.
    pub outliers: u64,
}

/// Quantile of sorted values with linear interpolation between order statistics (the default
/// of numpy and R's type 7).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let below = pos.floor() as usize;
    let above = pos.ceil() as usize;
    let (a, b) = (*sorted.get(below)?, *sorted.get(above)?);
    Some(a + (b - a) * (pos - below as f64))
}

/// Box-plot statistics of the finite values; `None` when there are none.
pub fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let (&min, &max) = (sorted.first()?, sorted.last()?);
    let q1 = quantile_sorted(&sorted, 0.25)?;
    let median = quantile_sorted(&sorted, 0.5)?;
    let q3 = quantile_sorted(&sorted, 0.75)?;
    let iqr = q3 - q1;
    let (fence_lo, fence_hi) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    let lower_whisker = sorted
        .iter()
        .copied()
        .find(|&v| v >= fence_lo)
        .unwrap_or(min);
    let upper_whisker = sorted
        .iter()
        .rev()
        .copied()
        .find(|&v| v <= fence_hi)
        .unwrap_or(max);
    let outliers = sorted
        .iter()
        .filter(|&&v| v < fence_lo || v > fence_hi)
        .count() as u64;
    let mean = sorted.iter().sum::<f64>() / n as f64;
    Some(BoxStats {
        n: n as u64,
        mean,
        min,
        q1,
        median,
        q3,
        max,
        lower_whisker,
        upper_whisker,
        outliers,
    })
}

/// Histograms on common bins and box statistics per group, for a distribution view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupedDistribution {
    pub group: String,
    pub histogram: Histogram,
    pub stats: BoxStats,
    /// Values exactly zero (counted whether or not zeros are left out).
    pub zeros: u64,
}

/// How a distribution view treats its values.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DistributionOptions {
    pub bins: usize,
    /// Leave zeros out (e.g. the revenue of buyers only).
    pub exclude_zeros: bool,
}

/// What [`group_distributions`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Distributions {
    pub groups: Vec<GroupedDistribution>,
    /// Values missing or not finite.
    pub missing: u64,
    /// Where the last bin starts collecting a long tail: values above it are counted in the
    /// last bin (`None` when the bins cover every value).
    pub tail_from: Option<f64>,
}

/// Split `values` by `groups` and summarise each group on bins shared by all groups, so the
/// histograms compare directly. The bins span the values up to their 99.5th percentile; a
/// longer tail is counted in the last bin. Groups in order of first appearance; a group
/// without any value is left out.
pub fn group_distributions(
    groups: &[String],
    values: &[f64],
    options: DistributionOptions,
) -> Distributions {
    let mut order: Vec<&str> = Vec::new();
    let mut by_group: std::collections::HashMap<&str, (Vec<f64>, u64)> =
        std::collections::HashMap::new();
    let mut missing = 0u64;
    for (group, &v) in groups.iter().zip(values) {
        if !v.is_finite() {
            missing += 1;
            continue;
        }
        let entry = by_group.entry(group.as_str()).or_insert_with(|| {
            order.push(group.as_str());
            (Vec::new(), 0)
        });
        if v == 0.0 {
            entry.1 += 1;
            if options.exclude_zeros {
                continue;
            }
        }
        entry.0.push(v);
    }
    let mut pooled: Vec<f64> = by_group
        .values()
        .flat_map(|(v, _)| v.iter().copied())
        .collect();
    pooled.sort_by(f64::total_cmp);
    let lo = pooled.first().copied();
    let max = pooled.last().copied();
    let cap = quantile_sorted(&pooled, 0.995);
    let (range, tail_from) = match (lo, max, cap) {
        (Some(lo), Some(max), Some(cap)) if cap > lo && cap < max => (Some((lo, cap)), Some(cap)),
        (Some(lo), Some(max), _) => (Some((lo, max)), None),
        _ => (None, None),
    };
    let groups = order
        .into_iter()
        .filter_map(|group| {
            let (values, zeros) = by_group.get(group)?;
            let mut histogram = histogram(values, options.bins, range);
            if let (Some(cap), Some(last)) = (tail_from, histogram.counts.last_mut()) {
                *last += values.iter().filter(|&&v| v > cap).count() as u64;
            }
            Some(GroupedDistribution {
                group: group.to_string(),
                histogram,
                stats: box_stats(values)?,
                zeros: *zeros,
            })
        })
        .collect();
    Distributions {
        groups,
        missing,
        tail_from,
    }
}
