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

mod deployment;
mod distribution;

pub use deployment::*;
pub use distribution::*;

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
mod tests;
