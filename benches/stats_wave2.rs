//! How long the noise-aware (York) link fit and the DerSimonian–Laird meta-analysis take on
//! 10,000 points (issue 15 target: under 50 ms each, release build).
//!
//! Run in release mode: `cargo bench --bench stats_wave2` (optionally `-- 10000 100000`).
//! A quick check that it runs: `cargo bench --profile dev --bench stats_wave2 -- 1000`.
//! Prints a Markdown table for docs/PERFORMANCE.md. Plain `std::time::Instant` timing: each
//! figure is the median of repeated runs after a warm-up.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use throughline::analysis::meta::meta_analysis;
use throughline::analysis::york::york_fit;

/// Seeded points: ML changes about as large as their standard errors, as in issue 15.
#[allow(clippy::type_complexity)]
fn points(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let normal = move |u: &mut dyn FnMut() -> f64| {
        // Box–Muller.
        let (a, b) = (u().max(1e-300), u());
        (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
    };
    let (mut x, mut y, mut sx, mut sy) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let truth = 0.01 * normal(&mut uniform);
        let ex = 0.006 + 0.006 * uniform();
        let ey = 0.02 + 0.02 * uniform();
        x.push(truth + ex * normal(&mut uniform));
        y.push(4.0 * truth + 0.01 + ey * normal(&mut uniform));
        sx.push(ex);
        sy.push(ey);
    }
    (x, y, sx, sy)
}

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..runs.min(3) {
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
        vec![10_000]
    } else {
        sizes
    };
    println!("Median of 21 runs.\n");
    println!("| points | York fit (link --x-se --y-se) | iterations | meta-analysis (meta) |");
    println!("|---:|---:|---:|---:|");
    for n in sizes {
        let (x, y, sx, sy) = points(n);
        let fit = york_fit(&x, &y, Some(&sx), Some(&sy), 0.05).unwrap();
        let york = median_time(21, || {
            black_box(york_fit(&x, &y, Some(&sx), Some(&sy), 0.05).unwrap());
        });
        let labels: Vec<String> = Vec::new();
        let meta = median_time(21, || {
            black_box(meta_analysis(&y, &sy, &labels, 0.05).unwrap());
        });
        println!("| {n} | {} | {} | {} |", ms(york), fit.iterations, ms(meta));
    }
}
