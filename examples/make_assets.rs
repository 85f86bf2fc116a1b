//! Writes the sample data in `assets/` from a fixed seed, so the files are the same on every
//! run: `cargo run --example make_assets`.
//!
//! - `ab_test_checkout.csv`: an A/B/C test at unit level (one row per user): conversion and
//!   revenue in three arms, with country, platform and assignment date.
//! - `ab_test_checkout_summary.csv`: the same test as summary statistics, exactly as the
//!   warehouse SQL of the Data page computes them (n, and per metric n, mean, std dev).
//! - `experiments_ml_vs_business.csv`: 24 past experiments with offline accuracy and AUC against
//!   revenue per user and 30-day retention (the ML-to-business link).
//! - `daily_model_metrics.csv` and `model_deployments.csv`: daily online metrics per model,
//!   and when each model was deployed.
//! - `fraud_scores.csv`: a fraud classifier's scores with the true labels and amounts.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    println!("wrote {} ({} KB)", path.display(), text.len() / 1024);
}

/// ISO date `days` after 2024-01-01 (no month longer than 31 days needed beyond a year).
fn date(days: i64) -> String {
    let months = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = days;
    let mut m = 0;
    while d >= months[m % 12] {
        d -= months[m % 12];
        m += 1;
    }
    format!("{}-{:02}-{:02}", 2024 + m / 12, m % 12 + 1, d + 1)
}

struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    fn new() -> Self {
        Self {
            n: 0,
            mean: 0.0,
            m2: 0.0,
        }
    }
    fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
    fn sd(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }
}

fn ab_test(dir: &Path, rng: &mut Rng) {
    let arms = [
        ("control", 0.100, 42.0),
        ("bigger_model", 0.109, 43.0),
        ("reranker", 0.104, 42.5),
    ];
    let mut csv =
        String::from("user_id,variant,converted,revenue_usd,country,platform,assigned_on\n");
    let mut stats: Vec<(Welford, Welford, u64)> = arms
        .iter()
        .map(|_| (Welford::new(), Welford::new(), 0))
        .collect();
    for i in 0..18_000u32 {
        let arm = (rng.next_u64() % 3) as usize;
        let (name, p, basket) = arms[arm];
        let converted = rng.bernoulli(p);
        let revenue = if converted {
            // Skewed basket sizes, rounded to cents.
            ((basket * (0.35 * rng.normal()).exp() * 0.94) * 100.0).round() / 100.0
        } else {
            0.0
        };
        // A few revenue values were lost by the tracking.
        let revenue_missing = rng.bernoulli(0.004);
        let country = rng.pick(&["US", "US", "US", "DE", "GB", "FR", "ES", "BR"]);
        let platform = rng.pick(&["web", "web", "ios", "android"]);
        let day = 60 + (rng.next_u64() % 14) as i64;
        let revenue_text = if revenue_missing {
            String::new()
        } else {
            format!("{revenue:.2}")
        };
        let _ = writeln!(
            csv,
            "u{:06},{name},{},{revenue_text},{country},{platform},{}",
            100_000 + i,
            u8::from(converted),
            date(day)
        );
        let s = &mut stats[arm];
        s.2 += 1;
        s.0.push(f64::from(u8::from(converted)));
        if !revenue_missing {
            s.1.push(revenue);
        }
    }
    write(dir, "ab_test_checkout.csv", &csv);

    // The summary-statistics export, as the warehouse SQL computes it.
    let mut summary = String::from(
        "variant,n,converted_n,converted_mean,converted_std_dev,revenue_usd_n,revenue_usd_mean,revenue_usd_std_dev\n",
    );
    for ((name, _, _), (conv, rev, n)) in arms.iter().zip(&stats) {
        let _ = writeln!(
            summary,
            "{name},{n},{},{:.10},{:.10},{},{:.10},{:.10}",
            conv.n,
            conv.mean,
            conv.sd(),
            rev.n,
            rev.mean,
            rev.sd()
        );
    }
    write(dir, "ab_test_checkout_summary.csv", &summary);
}

fn experiments(dir: &Path, rng: &mut Rng) {
    let mut csv = String::from(
        "experiment_id,model,launched_on,offline_accuracy,offline_auc,users,revenue_per_user_usd,retention_d30\n",
    );
    let families = ["gbdt", "two_tower", "transformer", "wide_deep"];
    for i in 0..24i64 {
        let auc = 0.74 + 0.006 * i as f64 + 0.012 * rng.normal();
        let accuracy = 0.86 + 0.55 * (auc - 0.74) + 0.006 * rng.normal();
        // The link: about +0.06 USD per user for each AUC point, with noise.
        let revenue = 2.10 + 6.0 * (auc - 0.74) + 0.05 * rng.normal();
        let retention = 0.31 + 0.9 * (auc - 0.74) + 0.012 * rng.normal();
        let users = 40_000 + (rng.next_u64() % 60_000);
        let _ = writeln!(
            csv,
            "exp-{:03},{}_v{},{},{accuracy:.4},{auc:.4},{users},{revenue:.3},{retention:.4}",
            101 + i,
            families[(i % 4) as usize],
            1 + i / 4,
            date(i * 14 - 300 + 366)
        );
    }
    write(dir, "experiments_ml_vs_business.csv", &csv);
}

fn daily(dir: &Path, rng: &mut Rng) {
    // (model, deployed on day, online AUC, CTR, revenue per user)
    let models = [
        ("ranker_v1", 0i64, 0.771, 0.0310, 1.92),
        ("ranker_v2", 45, 0.784, 0.0326, 2.01),
        ("ranker_v3", 110, 0.792, 0.0334, 2.06),
    ];
    let mut csv = String::from(
        "date,model,traffic_share,online_auc,click_through_rate,revenue_per_user_usd\n",
    );
    for day in 0..182i64 {
        let live: Vec<_> = models.iter().filter(|m| m.1 <= day).collect();
        let newest = live.len() - 1;
        for (k, (name, deployed, auc, ctr, rev)) in live.iter().enumerate() {
            // The newest model takes most traffic; older ones keep a holdback for two weeks.
            let share = if k == newest {
                if live.len() > 1 && day - deployed < 14 {
                    0.5
                } else {
                    1.0
                }
            } else if day - live[newest].1 < 14 {
                0.5
            } else {
                continue;
            };
            let weekly = 1.0 + 0.04 * ((day as f64) * 2.0 * std::f64::consts::PI / 7.0).sin();
            // Slow drift after deployment.
            let drift = 1.0 - 0.0002 * (day - deployed) as f64;
            let _ = writeln!(
                csv,
                "{},{name},{share:.2},{:.4},{:.5},{:.3}",
                date(day),
                auc * drift + 0.003 * rng.normal(),
                ctr * weekly * drift * (1.0 + 0.02 * rng.normal()),
                rev * weekly * drift * (1.0 + 0.02 * rng.normal())
            );
        }
    }
    write(dir, "daily_model_metrics.csv", &csv);
    let mut deployments = String::from("date,model,note\n");
    for (name, day, ..) in models {
        let note = if day == 0 {
            "in production at the start"
        } else {
            "deployed beside the previous model for two weeks"
        };
        let _ = writeln!(deployments, "{},{name},{note}", date(day));
    }
    write(dir, "model_deployments.csv", &deployments);
}

fn fraud(dir: &Path, rng: &mut Rng) {
    let mut csv = String::from("transaction_id,fraud_score,is_fraud,amount_usd\n");
    for i in 0..20_000u32 {
        let fraud = rng.bernoulli(0.02);
        let logit = if fraud {
            1.6 + 1.3 * rng.normal()
        } else {
            -3.2 + 1.3 * rng.normal()
        };
        let score = 1.0 / (1.0 + (-logit).exp());
        let amount = (if fraud { 180.0 } else { 65.0 }) * (0.8 * rng.normal()).exp();
        let _ = writeln!(
            csv,
            "t{:07},{score:.4},{},{amount:.2}",
            5_000_000 + i,
            u8::from(fraud)
        );
    }
    write(dir, "fraud_scores.csv", &csv);
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    std::fs::create_dir_all(&dir).unwrap();
    // One seed per file, so changing one generator leaves the other files as they are.
    ab_test(&dir, &mut Rng(20_240_301));
    experiments(&dir, &mut Rng(20_240_302));
    daily(&dir, &mut Rng(20_240_303));
    fraud(&dir, &mut Rng(20_240_304));
}
