//! How long preparing one frame's plot data takes for a large series.
//!
//! Run in release mode: `cargo bench --bench series` (optionally `-- 1000000 10000000`).
//! Prints a Markdown table for docs/PERFORMANCE.md. Plain `std::time::Instant` timing: each
//! figure is the median of many runs after a warm-up.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use egui_plot::PlotPoints;
use throughline::analysis::series::{ReducibleSeries, reduce_by_scan};

/// Plot width in physical pixels: a full-width plot on a 1280-point window at 2× scale.
const COLUMNS: usize = 2400;

fn series(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut level = 100.0;
    let xs = (0..n).map(|i| 1.7e9 + i as f64).collect();
    let ys = (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            level += u - 0.5;
            level + (u * 7.0).sin()
        })
        .collect();
    (xs, ys)
}

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..runs.min(5) {
        f();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000_000, 10_000_000]
    } else {
        sizes
    };
    println!("Plot width: {COLUMNS} pixel columns. Median of repeated runs.\n");
    println!(
        "| points | prepare once (worker) | frame: whole series | frame: zoomed to 10 % | frame: zoomed to 0.1 % | points drawn (whole) | baseline: scan every visible point |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let (xs, ys) = series(n);
        let t = Instant::now();
        let s = ReducibleSeries::from_columns(&xs, &ys);
        let build = t.elapsed();
        let (x0, x1) = s.x_range().unwrap();
        let width = x1 - x0;
        // One frame: reduce for the visible range and hand the points to egui_plot.
        let frame = |lo: f64, hi: f64| {
            let points = s.reduce(lo, hi, COLUMNS);
            black_box(PlotPoints::from(points));
        };
        let whole = median_time(200, || frame(x0, x1));
        // While panning, the visible window moves a little each frame.
        let mut shift = 0.0;
        let zoom10 = median_time(200, || {
            shift = (shift + width * 0.001) % (width * 0.9);
            frame(x0 + shift, x0 + shift + width * 0.1);
        });
        let zoom01 = median_time(200, || {
            shift = (shift + width * 0.0001) % (width * 0.9);
            frame(x0 + shift, x0 + shift + width * 0.001);
        });
        let drawn = s.reduce(x0, x1, COLUMNS).len();
        let scan = median_time(20, || {
            black_box(reduce_by_scan(&xs, &ys, x0, x1, COLUMNS));
        });
        println!(
            "| {n} | {} | {} | {} | {} | {drawn} | {} |",
            ms(build),
            ms(whole),
            ms(zoom10),
            ms(zoom01),
            ms(scan)
        );
    }
}
