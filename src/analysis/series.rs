//! Preparing series for plots: reducing a large series to what one frame can show, and the
//! summaries a distribution plot draws (histogram, box-plot statistics).
//!
//! Reduction keeps, for every pixel column, the first, lowest, highest and last point (the
//! "M4" min/max reduction). Drawn as a line, the reduced series covers exactly the pixels the
//! full series would, so spikes never disappear. A [`ReducibleSeries`] precomputes a small
//! pyramid of per-bucket minimum and maximum positions once (on a worker), so that preparing a
//! frame costs about the same for 10 million points as for 10 thousand: a handful of buckets
//! per pixel column, whatever the zoom.
//!
//! Pure functions on plain slices: no egui, no polars.

/// Points per bucket in the finest pyramid level. Below this many points per pixel column the
/// raw points are scanned directly (cheap: at most a few dozen per column).
const BASE_BUCKET: usize = 16;
/// Each pyramid level has buckets this many times larger than the one below.
const LEVEL_FACTOR: usize = 4;
/// Use a pyramid level when it has at least this many buckets per pixel column, so a bucket
/// rarely straddles more than two columns.
const BUCKETS_PER_COLUMN: usize = 2;
/// Below this many visible points per pixel column, the raw points are returned unreduced.
const RAW_POINTS_PER_COLUMN: usize = 4;

/// The positions of the lowest and highest point of one bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bucket {
    min: u32,
    max: u32,
}

/// One pyramid level: buckets of `size` consecutive points.
#[derive(Clone, Debug, PartialEq)]
struct Level {
    size: usize,
    buckets: Vec<Bucket>,
}

/// A series sorted by x, ready to be reduced for any visible x range and plot width.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReducibleSeries {
    xs: Vec<f64>,
    ys: Vec<f64>,
    levels: Vec<Level>,
}

impl ReducibleSeries {
    /// Build from points in any order. Points with a missing (non-finite) x or y are left out.
    /// Costs O(n log n) when unsorted, O(n) when already sorted: run it on a worker for big
    /// series.
    pub fn new(points: &[[f64; 2]]) -> Self {
        let mut points: Vec<[f64; 2]> = points
            .iter()
            .copied()
            .filter(|[x, y]| x.is_finite() && y.is_finite())
            .collect();
        if !points.windows(2).all(|w| w[0][0] <= w[1][0]) {
            points.sort_by(|a, b| a[0].total_cmp(&b[0]));
        }
        let (xs, ys) = points.into_iter().map(|[x, y]| (x, y)).unzip();
        Self::from_sorted_parts(xs, ys)
    }

    /// Build from x and y columns (same length; extra values of the longer one are ignored).
    pub fn from_columns(xs: &[f64], ys: &[f64]) -> Self {
        let points: Vec<[f64; 2]> = xs.iter().zip(ys).map(|(&x, &y)| [x, y]).collect();
        Self::new(&points)
    }

    fn from_sorted_parts(xs: Vec<f64>, ys: Vec<f64>) -> Self {
        // Positions are stored as u32; a longer series is cut (4 billion points is far beyond
        // what a desktop plot is asked to show).
        let n = xs.len().min(u32::MAX as usize);
        let (mut xs, mut ys) = (xs, ys);
        xs.truncate(n);
        ys.truncate(n);
        let levels = build_levels(&ys);
        Self { xs, ys, levels }
    }

    pub fn len(&self) -> usize {
        self.xs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// The x values, ascending.
    pub fn xs(&self) -> &[f64] {
        &self.xs
    }

    /// The y values, in the order of `xs`.
    pub fn ys(&self) -> &[f64] {
        &self.ys
    }

    /// Smallest and largest x, if any point exists.
    pub fn x_range(&self) -> Option<(f64, f64)> {
        Some((*self.xs.first()?, *self.xs.last()?))
    }

    /// Smallest and largest y, if any point exists (from the coarsest pyramid level when there
    /// is one, so it is cheap).
    pub fn y_range(&self) -> Option<(f64, f64)> {
        let ys = &self.ys;
        match self.levels.last() {
            Some(level) => {
                let mut lo = f64::INFINITY;
                let mut hi = f64::NEG_INFINITY;
                for b in &level.buckets {
                    lo = lo.min(ys[b.min as usize]);
                    hi = hi.max(ys[b.max as usize]);
                }
                // The tail after the last full bucket.
                let covered = level.buckets.len() * level.size;
                for &y in &ys[covered.min(ys.len())..] {
                    lo = lo.min(y);
                    hi = hi.max(y);
                }
                (lo <= hi).then_some((lo, hi))
            }
            None => {
                let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lo <= hi).then_some((lo, hi))
            }
        }
    }

    /// The points to draw for the visible x range `x_min..=x_max` on a plot `columns` pixels
    /// wide: at most four points per pixel column, plus the nearest point just outside each
    /// edge so the line runs to the border. Returns the visible points unchanged when there
    /// are few of them.
    pub fn reduce(&self, x_min: f64, x_max: f64, columns: usize) -> Vec<[f64; 2]> {
        let mut out = Vec::new();
        self.reduce_into(x_min, x_max, columns, &mut out);
        out
    }

    /// As [`Self::reduce`], reusing `out`'s allocation.
    pub fn reduce_into(&self, x_min: f64, x_max: f64, columns: usize, out: &mut Vec<[f64; 2]>) {
        out.clear();
        let n = self.xs.len();
        if n == 0 || x_min.partial_cmp(&x_max).is_none_or(|o| o.is_gt()) {
            return;
        }
        let columns = columns.max(1);
        let (lo, hi) = visible_span(&self.xs, x_min, x_max);
        if hi - lo <= RAW_POINTS_PER_COLUMN * columns || x_max - x_min <= 0.0 {
            out.extend((lo..hi).map(|i| [self.xs[i], self.ys[i]]));
            return;
        }
        let mut reducer = ColumnReducer::new(&self.xs, &self.ys, x_min, x_max, columns, out);
        // The point just left of the view (if any) is kept as it is.
        let first_inside = if self.xs[lo] < x_min { lo + 1 } else { lo };
        let last_inside = if self.xs[hi - 1] > x_max { hi - 1 } else { hi };
        if first_inside > lo {
            reducer.emit_raw(lo);
        }
        let level = self.pick_level(last_inside - first_inside, columns);
        match level.and_then(|i| Some((i, self.levels.get(i)?))) {
            None => {
                for i in first_inside..last_inside {
                    reducer.add_point(i);
                }
            }
            Some((level_index, level)) => {
                let size = level.size;
                // Raw points up to the first bucket boundary, whole buckets, then raw points.
                let head_end = first_inside.div_ceil(size) * size;
                let first_bucket = head_end / size;
                let last_bucket = last_inside / size; // exclusive
                if first_bucket >= last_bucket {
                    for i in first_inside..last_inside {
                        reducer.add_point(i);
                    }
                } else {
                    for i in first_inside..head_end {
                        reducer.add_point(i);
                    }
                    for k in first_bucket..last_bucket {
                        self.add_bucket_exact(&mut reducer, level_index, k);
                    }
                    for i in last_bucket * size..last_inside {
                        reducer.add_point(i);
                    }
                }
            }
        }
        reducer.flush();
        if last_inside < hi {
            reducer.emit_raw(hi - 1);
        }
    }

    /// The coarsest level that still has enough buckets per pixel column, or `None` to scan the
    /// raw points.
    fn pick_level(&self, visible: usize, columns: usize) -> Option<usize> {
        let wanted = BUCKETS_PER_COLUMN * columns;
        self.levels
            .iter()
            .rposition(|level| visible / level.size >= wanted)
    }

    /// Add bucket `k` of level `level`. A bucket that straddles two pixel columns is split into
    /// its four children (down to the raw points), so every column gets its exact extremes.
    fn add_bucket_exact(&self, reducer: &mut ColumnReducer<'_>, level: usize, k: usize) {
        let Some(lv) = self.levels.get(level) else {
            return;
        };
        let Some(bucket) = lv.buckets.get(k) else {
            return;
        };
        let start = k * lv.size;
        let end = start + lv.size - 1;
        let (Some(&x_first), Some(&x_last)) = (self.xs.get(start), self.xs.get(end)) else {
            return;
        };
        if reducer.column_of(x_first) == reducer.column_of(x_last) {
            reducer.add_bucket(start, end, bucket);
        } else if level == 0 {
            for i in start..=end {
                reducer.add_point(i);
            }
        } else {
            for child in k * LEVEL_FACTOR..(k + 1) * LEVEL_FACTOR {
                self.add_bucket_exact(reducer, level - 1, child);
            }
        }
    }
}

fn build_levels(ys: &[f64]) -> Vec<Level> {
    let mut levels: Vec<Level> = Vec::new();
    let n = ys.len();
    if n < BASE_BUCKET * 2 {
        return levels;
    }
    let base: Vec<Bucket> = ys
        .chunks_exact(BASE_BUCKET)
        .enumerate()
        .map(|(k, chunk)| {
            let (mut min, mut max) = (0, 0);
            for (j, &y) in chunk.iter().enumerate() {
                if y < chunk[min] {
                    min = j;
                }
                if y > chunk[max] {
                    max = j;
                }
            }
            let start = k * BASE_BUCKET;
            Bucket {
                min: (start + min) as u32,
                max: (start + max) as u32,
            }
        })
        .collect();
    levels.push(Level {
        size: BASE_BUCKET,
        buckets: base,
    });
    while let Some(prev) = levels.last() {
        if prev.buckets.len() < LEVEL_FACTOR * 2 {
            break;
        }
        let buckets: Vec<Bucket> = prev
            .buckets
            .chunks_exact(LEVEL_FACTOR)
            .map(|group| {
                let mut merged = group[0];
                for b in &group[1..] {
                    if ys[b.min as usize] < ys[merged.min as usize] {
                        merged.min = b.min;
                    }
                    if ys[b.max as usize] > ys[merged.max as usize] {
                        merged.max = b.max;
                    }
                }
                merged
            })
            .collect();
        let size = prev.size * LEVEL_FACTOR;
        levels.push(Level { size, buckets });
    }
    levels
}

/// Positions `lo..hi` of the points in `x_min..=x_max`, widened by one point on each side.
fn visible_span(xs: &[f64], x_min: f64, x_max: f64) -> (usize, usize) {
    let first = xs.partition_point(|&x| x < x_min);
    let end = xs.partition_point(|&x| x <= x_max);
    (first.saturating_sub(1), (end + 1).min(xs.len()))
}

/// Accumulates the first, lowest, highest and last point of the current pixel column.
struct ColumnReducer<'a> {
    xs: &'a [f64],
    ys: &'a [f64],
    x_min: f64,
    column_width: f64,
    columns: usize,
    out: &'a mut Vec<[f64; 2]>,
    column: Option<usize>,
    first: usize,
    last: usize,
    min: usize,
    max: usize,
}

impl<'a> ColumnReducer<'a> {
    fn new(
        xs: &'a [f64],
        ys: &'a [f64],
        x_min: f64,
        x_max: f64,
        columns: usize,
        out: &'a mut Vec<[f64; 2]>,
    ) -> Self {
        out.reserve(columns * 4 + 2);
        Self {
            xs,
            ys,
            x_min,
            column_width: (x_max - x_min) / columns as f64,
            columns,
            out,
            column: None,
            first: 0,
            last: 0,
            min: 0,
            max: 0,
        }
    }

    fn column_of(&self, x: f64) -> usize {
        let c = ((x - self.x_min) / self.column_width).floor();
        if c <= 0.0 {
            0
        } else {
            (c as usize).min(self.columns - 1)
        }
    }

    fn emit_raw(&mut self, i: usize) {
        self.out.push([self.xs[i], self.ys[i]]);
    }

    fn add_point(&mut self, i: usize) {
        self.add_span(i, i, i, i);
    }

    fn add_bucket(&mut self, start: usize, end: usize, b: &Bucket) {
        self.add_span(start, end, b.min as usize, b.max as usize);
    }

    /// Add positions `first..=last` whose lowest point is at `min` and highest at `max`.
    fn add_span(&mut self, first: usize, last: usize, min: usize, max: usize) {
        let column = self.column_of(self.xs[first]);
        if self.column != Some(column) {
            self.flush();
            self.column = Some(column);
            self.first = first;
            self.last = last;
            self.min = min;
            self.max = max;
            return;
        }
        self.last = last;
        if self.ys[min] < self.ys[self.min] {
            self.min = min;
        }
        if self.ys[max] > self.ys[self.max] {
            self.max = max;
        }
    }

    /// Emit the current column's points in x order, each once.
    fn flush(&mut self) {
        if self.column.take().is_none() {
            return;
        }
        let mut picks = [self.first, self.min, self.max, self.last];
        picks.sort_unstable();
        let mut previous = None;
        for i in picks {
            if previous != Some(i) {
                self.out.push([self.xs[i], self.ys[i]]);
                previous = Some(i);
            }
        }
    }
}

/// The M4 reduction by a direct scan of the visible points, without a pyramid: what
/// [`ReducibleSeries::reduce`] does, at O(visible points) per call. Kept as the reference the
/// pyramid is checked against, and as the baseline in the benchmark.
pub fn reduce_by_scan(
    xs: &[f64],
    ys: &[f64],
    x_min: f64,
    x_max: f64,
    columns: usize,
) -> Vec<[f64; 2]> {
    let n = xs.len().min(ys.len());
    let (xs, ys) = (&xs[..n], &ys[..n]);
    let mut out = Vec::new();
    if n == 0 || x_min.partial_cmp(&x_max).is_none_or(|o| o.is_gt()) {
        return out;
    }
    let columns = columns.max(1);
    let (lo, hi) = visible_span(xs, x_min, x_max);
    if hi - lo <= RAW_POINTS_PER_COLUMN * columns || x_max - x_min <= 0.0 {
        out.extend((lo..hi).map(|i| [xs[i], ys[i]]));
        return out;
    }
    let first_inside = if xs[lo] < x_min { lo + 1 } else { lo };
    let last_inside = if xs[hi - 1] > x_max { hi - 1 } else { hi };
    let mut reducer = ColumnReducer::new(xs, ys, x_min, x_max, columns, &mut out);
    if first_inside > lo {
        reducer.emit_raw(lo);
    }
    for i in first_inside..last_inside {
        reducer.add_point(i);
    }
    reducer.flush();
    if last_inside < hi {
        reducer.emit_raw(hi - 1);
    }
    out
}

/// The median distance between consecutive sorted x (from at most 10 000 evenly spread
/// steps); 0 with fewer than two points.
pub fn typical_step(xs: &[f64]) -> f64 {
    let steps = xs.len().saturating_sub(1);
    if steps == 0 {
        return 0.0;
    }
    let stride = steps.div_ceil(10_000).max(1);
    let mut diffs: Vec<f64> = xs
        .windows(2)
        .step_by(stride)
        .map(|w| w[1] - w[0])
        .filter(|d| d.is_finite())
        .collect();
    diffs.sort_by(f64::total_cmp);
    quantile_sorted(&diffs, 0.5).unwrap_or(0.0)
}

/// Split drawn points where consecutive x are more than `max_gap` apart, so a line is not
/// drawn across missing data.
pub fn split_at_gaps(points: &[[f64; 2]], max_gap: f64) -> Vec<&[[f64; 2]]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for (i, w) in points.windows(2).enumerate() {
        if w[1][0] - w[0][0] > max_gap {
            runs.push(&points[start..=i]);
            start = i + 1;
        }
    }
    if start < points.len() {
        runs.push(&points[start..]);
    }
    runs
}

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

/// One series of an over-time view, from plain columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupedSeries {
    /// The value of the series column ("" when there is none).
    pub group: String,
    /// (x, y) ascending in x; rows with the same x are averaged.
    pub points: Vec<[f64; 2]>,
}

/// Split `ys` by `groups` (one entry per row; `None` = no series column) into series sorted by
/// x, in the order the groups first appear. Rows with a missing x or y are left out; rows of a
/// group with the same x are averaged (e.g. several rows for one day).
pub fn group_series(xs: &[f64], groups: Option<&[String]>, ys: &[f64]) -> Vec<GroupedSeries> {
    let mut order: Vec<String> = Vec::new();
    let mut rows: std::collections::HashMap<&str, Vec<[f64; 2]>> = std::collections::HashMap::new();
    for (i, (&x, &y)) in xs.iter().zip(ys).enumerate() {
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let group = groups
            .and_then(|g| g.get(i))
            .map(String::as_str)
            .unwrap_or("");
        let entry = rows.entry(group).or_insert_with(|| {
            order.push(group.to_string());
            Vec::new()
        });
        entry.push([x, y]);
    }
    order
        .into_iter()
        .filter_map(|group| {
            let mut points = rows.remove(group.as_str())?;
            points.sort_by(|a, b| a[0].total_cmp(&b[0]));
            let mut merged: Vec<[f64; 2]> = Vec::with_capacity(points.len());
            let mut count = 0.0;
            for [x, y] in points {
                match merged.last_mut() {
                    Some(last) if last[0] == x => {
                        count += 1.0;
                        last[1] += (y - last[1]) / count;
                    }
                    _ => {
                        merged.push([x, y]);
                        count = 1.0;
                    }
                }
            }
            Some(GroupedSeries {
                group,
                points: merged,
            })
        })
        .collect()
}

/// Whether a cell marks an event ("yes", "true", "1", "x", "deployed"), for deployment flags.
pub fn is_flag(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "1" | "1.0" | "true" | "yes" | "y" | "x" | "deployed" | "deploy"
    )
}

/// Deployments from a column: a date in the column marks that date; a flag ("yes", "1", …)
/// marks the row's own date. Each (date, label) once, by date; the label is the row's group.
pub fn deployments_from_column(
    days: &[f64],
    groups: Option<&[String]>,
    cells: &[Option<String>],
) -> Vec<(f64, String)> {
    let mut found: Vec<(f64, String)> = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let Some(cell) = cell.as_deref().filter(|c| !c.trim().is_empty()) else {
            continue;
        };
        let day = match parse_iso_date(cell) {
            Some(d) => Some(d),
            None if is_flag(cell) => days.get(i).copied().filter(|d| d.is_finite()),
            None => None,
        };
        let Some(day) = day else {
            continue;
        };
        let label = groups.and_then(|g| g.get(i)).cloned().unwrap_or_default();
        if !found.iter().any(|(d, l)| *d == day && *l == label) {
            found.push((day, label));
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    found
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

/// The calendar date (year, month 1–12, day 1–31) of a day counted from 1970-01-01, and the
/// day as "2026-03-01": one calendar for the whole crate, in [`crate::format`].
pub use crate::format::{date as format_date, date_from_days};

/// Days from 1970-01-01 to the given date (the inverse of [`date_from_days`]).
pub fn days_from_date(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parse the date at the start of an ISO 8601 text ("2026-03-01" or "2026-03-01T12:00:00")
/// into days since 1970-01-01; `None` if it is not a date.
pub fn parse_iso_date(text: &str) -> Option<f64> {
    let text = text.trim();
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_date(year, month, day) as f64)
}

/// A point in time as days since 1970-01-01 (with the time of day as a fraction): ISO dates
/// and date-times ("2026-03-01", "2026-03-01 14:30", "2026-03-01T14:30:05.5Z"). A number is
/// read as Unix seconds when it is that large, else as a day count. `None` when it is neither.
pub fn parse_time(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Some(day) = parse_iso_date(text) {
        let rest = text.get(10..).unwrap_or("").trim_start_matches(['T', ' ']);
        let clock: Vec<f64> = rest
            .trim_end_matches('Z')
            .split(':')
            .take(3)
            .map_while(|p| p.trim().parse::<f64>().ok())
            .collect();
        let secs = match clock.as_slice() {
            [h, m, s, ..] => h * 3600.0 + m * 60.0 + s,
            [h, m] => h * 3600.0 + m * 60.0,
            _ => 0.0,
        };
        return Some(day + secs / 86_400.0);
    }
    let number: f64 = text.parse().ok()?;
    if !number.is_finite() {
        None
    } else if number.abs() > 1.0e8 {
        Some(number / 86_400.0)
    } else {
        Some(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noisy(n: usize) -> (Vec<f64>, Vec<f64>) {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let xs: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
        let ys: Vec<f64> = (0..n)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (i as f64 / 500.0).sin() + (state % 1000) as f64 / 1000.0
            })
            .collect();
        (xs, ys)
    }

    /// The extremes of each pixel column: what a drawn line covers.
    fn column_extremes(
        points: &[[f64; 2]],
        x_min: f64,
        x_max: f64,
        columns: usize,
    ) -> Vec<(f64, f64)> {
        let w = (x_max - x_min) / columns as f64;
        let mut ext = vec![(f64::INFINITY, f64::NEG_INFINITY); columns];
        for &[x, y] in points {
            if x < x_min || x > x_max {
                continue;
            }
            let c = (((x - x_min) / w).floor() as usize).min(columns - 1);
            ext[c].0 = ext[c].0.min(y);
            ext[c].1 = ext[c].1.max(y);
        }
        ext
    }

    #[test]
    fn few_points_are_returned_unchanged() {
        let s = ReducibleSeries::new(&[[2.0, 1.0], [0.0, 3.0], [1.0, 2.0]]);
        assert_eq!(
            s.reduce(-10.0, 10.0, 100),
            vec![[0.0, 3.0], [1.0, 2.0], [2.0, 1.0]]
        );
    }

    #[test]
    fn missing_values_are_left_out() {
        let s = ReducibleSeries::new(&[[0.0, f64::NAN], [1.0, 2.0], [f64::INFINITY, 1.0]]);
        assert_eq!(s.len(), 1);
        assert_eq!(s.y_range(), Some((2.0, 2.0)));
    }

    #[test]
    fn empty_and_inverted_ranges_give_nothing() {
        let s = ReducibleSeries::new(&[]);
        assert!(s.reduce(0.0, 1.0, 10).is_empty());
        let (xs, ys) = noisy(1000);
        let s = ReducibleSeries::from_columns(&xs, &ys);
        assert!(s.reduce(5.0, 1.0, 10).is_empty());
        assert!(s.reduce(f64::NAN, 1.0, 10).is_empty());
    }

    #[test]
    fn reduction_keeps_every_column_extreme_and_is_small() {
        let (xs, ys) = noisy(200_000);
        let s = ReducibleSeries::from_columns(&xs, &ys);
        for &(x_min, x_max, columns) in &[
            (0.0, 100_000.0, 800),
            (12_345.6, 54_321.0, 500),
            (-50.0, 99_999.5, 1200),
            (40_000.0, 40_900.0, 300),
        ] {
            let reduced = s.reduce(x_min, x_max, columns);
            assert!(reduced.len() <= columns * 4 + 2, "{} points", reduced.len());
            assert!(
                reduced.windows(2).all(|w| w[0][0] <= w[1][0]),
                "sorted by x"
            );
            let full: Vec<[f64; 2]> = xs.iter().zip(&ys).map(|(&x, &y)| [x, y]).collect();
            assert_eq!(
                column_extremes(&reduced, x_min, x_max, columns),
                column_extremes(&full, x_min, x_max, columns),
                "range {x_min}..{x_max}"
            );
        }
    }

    #[test]
    fn pyramid_and_scan_agree_on_what_is_drawn() {
        let (xs, ys) = noisy(100_000);
        let s = ReducibleSeries::from_columns(&xs, &ys);
        let (x_min, x_max, columns) = (1000.0, 45_000.0, 640);
        let a = s.reduce(x_min, x_max, columns);
        let b = reduce_by_scan(&xs, &ys, x_min, x_max, columns);
        assert_eq!(
            column_extremes(&a, x_min, x_max, columns),
            column_extremes(&b, x_min, x_max, columns)
        );
        assert_eq!(a.first(), b.first(), "same point left of the view");
        assert_eq!(a.last(), b.last(), "same point right of the view");
    }

    #[test]
    fn a_single_spike_survives_reduction() {
        let n = 1_000_000;
        let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut ys = vec![0.0; n];
        ys[654_321] = 100.0;
        ys[123] = -7.0;
        let s = ReducibleSeries::from_columns(&xs, &ys);
        let reduced = s.reduce(0.0, n as f64, 1000);
        assert!(reduced.contains(&[654_321.0, 100.0]));
        assert!(reduced.contains(&[123.0, -7.0]));
        assert_eq!(s.y_range(), Some((-7.0, 100.0)));
    }

    #[test]
    fn the_line_continues_to_the_edges() {
        let (xs, ys) = noisy(10_000);
        let s = ReducibleSeries::from_columns(&xs, &ys);
        let reduced = s.reduce(100.2, 3000.2, 200);
        assert_eq!(reduced.first().map(|p| p[0]), Some(100.0));
        assert_eq!(reduced.last().map(|p| p[0]), Some(3000.5));
    }

    #[test]
    fn unsorted_input_is_sorted() {
        let s = ReducibleSeries::new(&[[3.0, 0.0], [1.0, 1.0], [2.0, 2.0]]);
        assert_eq!(s.xs(), &[1.0, 2.0, 3.0]);
        assert_eq!(s.ys(), &[1.0, 2.0, 0.0]);
    }

    #[test]
    fn series_are_grouped_sorted_and_averaged_per_x() {
        let xs = [2.0, 1.0, 1.0, 3.0, f64::NAN, 1.0];
        let ys = [20.0, 10.0, 14.0, 30.0, 5.0, 7.0];
        let groups: Vec<String> = ["a", "a", "a", "b", "b", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let series = group_series(&xs, Some(&groups), &ys);
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].group, "a");
        assert_eq!(series[0].points, vec![[1.0, 12.0], [2.0, 20.0]]);
        assert_eq!(series[1].points, vec![[1.0, 7.0], [3.0, 30.0]]);
        let single = group_series(&xs, None, &ys);
        assert_eq!(single.len(), 1);
        assert_eq!(single[0].points[0], [1.0, (10.0 + 14.0 + 7.0) / 3.0]);
    }

    #[test]
    fn deployments_come_from_dates_or_flags() {
        let days = [100.0, 101.0, 102.0, 102.0];
        let groups: Vec<String> = ["v1", "v1", "v2", "v2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let flags = [
            None,
            Some("no".to_string()),
            Some("yes".to_string()),
            Some("1".to_string()),
        ];
        assert_eq!(
            deployments_from_column(&days, Some(&groups), &flags),
            vec![(102.0, "v2".to_string())]
        );
        let dates = [
            Some("1970-01-02".to_string()),
            Some("1970-01-02".to_string()),
            None,
            Some("".to_string()),
        ];
        assert_eq!(
            deployments_from_column(&days, Some(&groups), &dates),
            vec![(1.0, "v1".to_string())]
        );
    }

    #[test]
    fn distributions_share_their_bins() {
        let groups: Vec<String> = ["a", "b", "a", "b", "a"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let values = [0.0, 10.0, 5.0, f64::NAN, 1.0];
        let options = DistributionOptions {
            bins: 2,
            exclude_zeros: false,
        };
        let found = group_distributions(&groups, &values, options);
        let d = &found.groups;
        assert_eq!(found.missing, 1);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].zeros, 1);
        assert_eq!(d[0].histogram.edges, d[1].histogram.edges);
        assert_eq!(d[0].histogram.counts, vec![2, 1]);
        assert_eq!(d[1].histogram.counts, vec![0, 1]);
        assert_eq!(d[0].stats.median, 1.0);
        // Without zeros, and with a long tail folded into the last bin.
        let mut values = vec![0.0; 50];
        values.extend((1..=1000).map(f64::from));
        let groups = vec!["a".to_string(); values.len()];
        let options = DistributionOptions {
            bins: 10,
            exclude_zeros: true,
        };
        let found = group_distributions(&groups, &values, options);
        let g = &found.groups[0];
        assert_eq!(g.zeros, 50);
        assert_eq!(g.stats.n, 1000);
        assert_eq!(g.histogram.total(), 1000, "the tail is in the last bin");
        assert!(found.tail_from.is_some_and(|t| t < 1000.0));
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(date_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_date(2026, 3, 1), 20_513);
        assert_eq!(format_date(20_513.7), "2026-03-01");
        assert_eq!(parse_iso_date("2026-03-01T08:00:00"), Some(20_513.0));
        assert_eq!(
            parse_iso_date("2024-02-29"),
            Some(days_from_date(2024, 2, 29) as f64)
        );
        assert_eq!(parse_iso_date("yesterday"), None);
        assert_eq!(parse_time("2026-03-01"), Some(20_513.0));
        assert_eq!(parse_time("2026-03-01 12:00:00"), Some(20_513.5));
        assert_eq!(parse_time("2026-03-01T06:00Z"), Some(20_513.25));
        assert_eq!(parse_time("1772323200"), Some(20_513.0));
        assert_eq!(parse_time("n/a"), None);
        for days in [-800_000, -1, 59, 60, 11_016, 20_513, 2_000_000] {
            let (y, m, d) = date_from_days(days);
            assert_eq!(days_from_date(y, m, d), days);
        }
    }

    #[test]
    fn gaps_break_lines() {
        let xs = [0.0, 1.0, 2.0, 3.0, 10.0, 11.0];
        assert_eq!(typical_step(&xs), 1.0);
        let points: Vec<[f64; 2]> = xs.iter().map(|&x| [x, 0.0]).collect();
        let runs = split_at_gaps(&points, 3.0);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].len(), 4);
        assert_eq!(runs[1].len(), 2);
        assert!(split_at_gaps(&[], 1.0).is_empty());
    }

    #[test]
    fn histogram_counts_every_value_once() {
        let h = histogram(&[0.0, 0.1, 0.5, 0.99, 1.0, f64::NAN], 2, None);
        assert_eq!(h.edges, vec![0.0, 0.5, 1.0]);
        assert_eq!(h.counts, vec![2, 3]);
        assert_eq!(h.total(), 5);
        assert!((h.bin_width() - 0.5).abs() < 1e-12);
        let constant = histogram(&[2.0, 2.0], 10, None);
        assert_eq!(constant.counts, vec![2]);
        assert!(histogram(&[], 10, None).counts.is_empty());
    }

    #[test]
    fn box_stats_match_numpy() {
        // numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75]) == [2, 3, 4]
        let b = box_stats(&[4.0, 1.0, 100.0, 3.0, 2.0]).unwrap_or_default();
        assert_eq!((b.q1, b.median, b.q3), (2.0, 3.0, 4.0));
        assert_eq!((b.min, b.max, b.n), (1.0, 100.0, 5));
        assert_eq!(b.upper_whisker, 4.0);
        assert_eq!(b.lower_whisker, 1.0);
        assert_eq!(b.outliers, 1);
        assert!((b.mean - 22.0).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[1.0, 2.0], 0.5), Some(1.5));
        assert!(box_stats(&[f64::NAN]).is_none());
    }
}
