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
//! - `newsfeed_experiment_units.csv`: 24 past ranking A/B tests in one unit-level file, for
//!   per-experiment effects, the noise-aware link and the meta-analysis.
//! - The example projects' own data: `churn_*`, `next_app_*`, `newsfeed_*`, `ad_ctr_*` (see
//!   `assets/README.md`). After changing them, run `cargo run --example refresh_examples`.
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

/// Churn: an A/B test of who gets a retention offer (the old rule against the churn model's
/// weekly list), one row per subscriber, with whether they cancelled within 30 days and the
/// revenue they brought the next month.
fn churn_test(dir: &Path, rng: &mut Rng) {
    let arms = [("control", 0.042), ("model_targeting", 0.034)];
    let plans = [
        ("basic", 7.99),
        ("standard", 11.99),
        ("standard", 11.99),
        ("premium", 17.99),
    ];
    let mut csv = String::from(
        "subscriber_id,variant,churned_30d,revenue_next_month_eur,plan,tenure_months,\
         revenue_prev_month_eur,sessions_30d\n",
    );
    // The columns added later (last month's revenue, for CUPED; sessions, for revenue per
    // session) come from a generator of their own, so the columns above stay as they were.
    let mut later = Rng(20_261_129);
    for i in 0..20_000u32 {
        let (arm, churn) = arms[(rng.next_u64() % 2) as usize];
        let (plan, price) = plans[(rng.next_u64() % plans.len() as u64) as usize];
        let tenure = 1 + (rng.next_u64() % 48);
        // Newer subscribers leave more often.
        let p = churn * if tenure <= 3 { 1.6 } else { 0.85 };
        let churned = rng.bernoulli(p);
        let revenue = if churned { 0.0 } else { price };
        // Last month's bill: the plan's price (with the odd extra or discount), nothing for
        // subscribers who joined this month.
        let previous = if tenure <= 1 {
            0.0
        } else {
            price * (1.0 + 0.05 * later.normal())
        };
        let sessions = (14.0 * (0.5 * later.normal()).exp() * if churned { 0.4 } else { 1.0 })
            .round()
            .max(1.0);
        let _ = writeln!(
            csv,
            "s{:07},{arm},{},{revenue:.2},{plan},{tenure},{previous:.2},{sessions}",
            3_100_000 + i,
            u8::from(churned)
        );
    }
    write(dir, "churn_offer_test.csv", &csv);
}

/// Churn: 18 churn-model versions, each scored offline (AUC, recall in the weekly top 20,000)
/// and then used for a month in a pilot region, where monthly churn was measured.
fn churn_backtests(dir: &Path, rng: &mut Rng) {
    let mut csv = String::from(
        "model_version,pilot_month,auc,recall_top_20k,monthly_churn_pct,revenue_kept_eur\n",
    );
    for i in 0..18i64 {
        let auc = 0.68 + 0.006 * i as f64 + 0.01 * rng.normal();
        let recall = 0.22 + 1.1 * (auc - 0.68) + 0.015 * rng.normal();
        // The link: about -5 pp of churn per unit of AUC (-0.1 pp for +0.02 AUC), with noise.
        let churn = 4.45 - 5.0 * (auc - 0.68) + 0.06 * rng.normal();
        let kept = 150_000.0 + 900_000.0 * (recall - 0.22) + 8_000.0 * rng.normal();
        let _ = writeln!(
            csv,
            "v{}.{},{},{auc:.4},{recall:.4},{churn:.3},{kept:.0}",
            1 + i / 6,
            i % 6,
            &date(i * 30 + 5)[..7]
        );
    }
    write(dir, "churn_model_backtests.csv", &csv);
}

/// Next app: a one-week A/B/C test of the suggestion row, one row per user: the share of the
/// user's app opens that came from the row, the average seconds to open an app, and whether
/// the user turned the row off.
fn next_app_test(dir: &Path, rng: &mut Rng) {
    let arms = [
        ("control", 0.21, 6.1, 0.030),
        ("multiclass_model", 0.29, 5.3, 0.026),
        ("app_scoring_model", 0.31, 5.0, 0.022),
    ];
    let mut csv =
        String::from("user_id,variant,row_open_share,seconds_to_open,turned_row_off,platform\n");
    for i in 0..15_000u32 {
        let (arm, share, secs, off) = arms[(rng.next_u64() % 3) as usize];
        let user_share = (share + 0.12 * rng.normal()).clamp(0.0, 1.0);
        let user_secs = (secs * (0.25 * rng.normal()).exp()).max(0.8);
        let turned_off = rng.bernoulli(off);
        let platform = rng.pick(&["android", "android", "ios"]);
        let _ = writeln!(
            csv,
            "n{:06},{arm},{user_share:.3},{user_secs:.2},{},{platform}",
            400_000 + i,
            u8::from(turned_off)
        );
    }
    write(dir, "next_app_ab_test.csv", &csv);
}

/// Next app: 20 model versions with their offline hit rate at 4 and the share of app opens
/// that came from the suggestion row when each served traffic.
fn next_app_versions(dir: &Path, rng: &mut Rng) {
    let mut csv = String::from(
        "model_version,framing,hit_rate_at_4,hit_rate_new_apps,row_open_share_pct,seconds_to_open\n",
    );
    for i in 0..20i64 {
        let framing = if i < 10 { "multiclass" } else { "app_scoring" };
        let hit = 0.48 + 0.012 * i as f64 + 0.012 * rng.normal();
        // Multiclass models cannot suggest apps installed after training.
        let hit_new = if i < 10 {
            0.0
        } else {
            0.30 + 0.5 * (hit - 0.6)
        } + 0.02 * rng.normal();
        // The link: about +0.6 pp of row opens for each extra point of hit rate.
        let share = 21.0 + 60.0 * (hit - 0.48) + 0.8 * rng.normal();
        let secs = 6.1 - 7.0 * (hit - 0.48) + 0.12 * rng.normal();
        let _ = writeln!(
            csv,
            "{framing}-{:02},{framing},{hit:.4},{:.4},{share:.2},{secs:.2}",
            i + 1,
            hit_new.max(0.0)
        );
    }
    write(dir, "next_app_model_versions.csv", &csv);
}

/// Newsfeed: daily metrics of the feed while three ranking models served in turn (quality-
/// weighted NDCG measured on the day's rated sample, sessions with a negative action, daily
/// active users, minutes per user), and when each model was deployed.
fn newsfeed_daily(dir: &Path, rng: &mut Rng) {
    // (model, first day, quality NDCG, negative sessions %, DAU %, minutes)
    let models = [
        ("click_model", 0, 0.61, 7.4, 52.0, 31.0),
        ("multi_objective_v1", 70, 0.66, 6.3, 52.7, 30.6),
        ("multi_objective_v2", 130, 0.69, 5.6, 53.3, 31.2),
    ];
    let mut csv = String::from(
        "date,model,quality_ndcg_10,negative_session_pct,daily_active_pct,minutes_per_user\n",
    );
    let mut deployments = String::from("date,model,note\n");
    for (m, (name, start, ndcg, neg, dau, minutes)) in models.iter().enumerate() {
        let end = models.get(m + 1).map_or(182, |next| next.1);
        let note = match m {
            0 => "the click-only model in production at the start of the year",
            1 => "quality and engagement as separate objectives (weights 0.6 and 0.4)",
            _ => "retrained with freshness as a third objective",
        };
        let _ = writeln!(deployments, "{},{name},{note}", date(*start));
        for day in *start..end {
            // Weekends: more minutes, a little fewer daily actives.
            let weekend = day % 7 == 5 || day % 7 == 6;
            let _ = writeln!(
                csv,
                "{},{name},{:.4},{:.2},{:.2},{:.1}",
                date(day),
                ndcg + 0.008 * rng.normal(),
                neg + 0.25 * rng.normal(),
                dau - if weekend { 0.6 } else { 0.0 } + 0.3 * rng.normal(),
                minutes + if weekend { 2.5 } else { 0.0 } + 0.6 * rng.normal()
            );
        }
    }
    write(dir, "newsfeed_daily.csv", &csv);
    write(dir, "newsfeed_deployments.csv", &deployments);
}

/// Newsfeed: 16 ranking experiments, each model's offline quality-weighted NDCG@10 against the
/// share of sessions with a negative action and daily actives measured in its A/B test.
fn newsfeed_experiments(dir: &Path, rng: &mut Rng) {
    let mut csv = String::from(
        "experiment_id,quality_ndcg_10,engagement_ndcg_10,negative_session_pct,daily_active_pct\n",
    );
    for i in 0..16i64 {
        let ndcg = 0.58 + 0.008 * i as f64 + 0.01 * rng.normal();
        let engagement = 0.70 + 0.3 * (ndcg - 0.58) + 0.01 * rng.normal();
        // The link: about -0.3 pp of negative sessions for each +0.01 of quality NDCG.
        let neg = 7.9 - 30.0 * (ndcg - 0.58) + 0.2 * rng.normal();
        let dau = 51.8 + 12.0 * (ndcg - 0.58) + 0.25 * rng.normal();
        let _ = writeln!(
            csv,
            "feed-{:02},{ndcg:.4},{engagement:.4},{neg:.2},{dau:.2}",
            i + 1
        );
    }
    write(dir, "newsfeed_experiments.csv", &csv);
}

/// Newsfeed: 24 past ranking A/B tests in one unit-level file (one row per user and test):
/// each user's online quality-weighted NDCG@10 and minutes in the feed per day. Each test's
/// true change in NDCG is about as large as its standard error (200 users per arm), so the
/// plain least-squares line across tests is flattened by the noise; the York fit is not. The
/// true link: +1.2 minutes a day per +0.01 of NDCG. `feed-exp-17` lost its control rows in the
/// export (its control arm was logged to another table), so it has a treatment arm only.
fn newsfeed_experiment_units(dir: &Path, rng: &mut Rng) {
    let mut csv = String::from("experiment_id,variant,quality_ndcg_10,minutes_per_day\n");
    for e in 1..=24 {
        let ndcg_change = 0.006 + 0.008 * rng.normal();
        let minutes_change = 120.0 * ndcg_change + 0.15 * rng.normal();
        let base_ndcg = 0.60 + 0.01 * rng.normal();
        let base_minutes = 31.0 + 0.5 * rng.normal();
        for (arm, treated) in [("control", 0.0), ("treatment", 1.0)] {
            if e == 17 && treated == 0.0 {
                continue;
            }
            for _ in 0..200 {
                let ndcg = base_ndcg + treated * ndcg_change + 0.06 * rng.normal();
                let minutes =
                    (base_minutes + treated * minutes_change + 9.0 * rng.normal()).max(0.0);
                let _ = writeln!(csv, "feed-exp-{e:02},{arm},{ndcg:.4},{minutes:.2}");
            }
        }
    }
    write(dir, "newsfeed_experiment_units.csv", &csv);
}

/// Ad click-through rate: 24 CTR models with their offline log loss, AUC and calibration,
/// against click-through rate and revenue per thousand impressions (RPM) online.
fn ad_experiments(dir: &Path, rng: &mut Rng) {
    let mut csv =
        String::from("experiment_id,model,log_loss,auc,calibration_ratio,ctr_pct,rpm_eur\n");
    let families = ["logreg", "gbdt", "deep_fm", "dcn"];
    for i in 0..24i64 {
        let log_loss = 0.0640 - 0.00012 * i as f64 + 0.0002 * rng.normal();
        let auc = 0.760 + 2.0 * (0.0640 - log_loss) + 0.004 * rng.normal();
        let calibration = 1.0 + 0.04 * rng.normal();
        // The link: about +€0.04 RPM for each -0.001 of log loss (lower loss, more revenue).
        let rpm = 2.35 - 40.0 * (log_loss - 0.0640) + 0.03 * rng.normal();
        let ctr = 1.10 + 30.0 * (0.0640 - log_loss) + 0.02 * rng.normal();
        let _ = writeln!(
            csv,
            "ad-{:03},{}_{},{log_loss:.5},{auc:.4},{calibration:.3},{ctr:.3},{rpm:.3}",
            201 + i,
            families[(i % 4) as usize],
            1 + i / 4
        );
    }
    write(dir, "ad_ctr_experiments.csv", &csv);
}

/// Ad click-through rate: a two-week A/B/C test of 6 million impressions, exported from the
/// warehouse as summary statistics (one row per variant: n, and per metric the count, mean
/// and standard deviation), exactly as the Data page's warehouse SQL computes them.
fn ad_ab_summary(dir: &Path, rng: &mut Rng) {
    let arms = [
        ("control", 0.0110, 0.179),
        ("gbdt_calibrated", 0.0114, 0.180),
        ("deep_ctr", 0.0117, 0.176),
    ];
    let mut csv = String::from(
        "variant,n,clicked_n,clicked_mean,clicked_std_dev,revenue_eur_n,revenue_eur_mean,revenue_eur_std_dev\n",
    );
    for (arm, ctr, cpc) in arms {
        let n = 2_000_000 + (rng.next_u64() % 8_000);
        let (mut clicks, mut revenue) = (Welford::new(), Welford::new());
        for _ in 0..n {
            let clicked = rng.bernoulli(ctr);
            clicks.push(f64::from(u8::from(clicked)));
            revenue.push(if clicked {
                (cpc * (0.6 * rng.normal()).exp() * 100.0).round() / 100.0
            } else {
                0.0
            });
        }
        let _ = writeln!(
            csv,
            "{arm},{n},{},{:.10},{:.10},{},{:.10},{:.10}",
            clicks.n,
            clicks.mean,
            clicks.sd(),
            revenue.n,
            revenue.mean,
            revenue.sd()
        );
    }
    write(dir, "ad_ctr_ab_summary.csv", &csv);
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    std::fs::create_dir_all(&dir).unwrap();
    // One seed per file, so changing one generator leaves the other files as they are.
    ab_test(&dir, &mut Rng(20_240_301));
    experiments(&dir, &mut Rng(20_240_302));
    daily(&dir, &mut Rng(20_240_303));
    fraud(&dir, &mut Rng(20_240_304));
    churn_test(&dir, &mut Rng(20_240_305));
    churn_backtests(&dir, &mut Rng(20_240_306));
    next_app_test(&dir, &mut Rng(20_240_307));
    next_app_versions(&dir, &mut Rng(20_240_308));
    newsfeed_daily(&dir, &mut Rng(20_240_309));
    newsfeed_experiments(&dir, &mut Rng(20_240_310));
    ad_experiments(&dir, &mut Rng(20_240_311));
    ad_ab_summary(&dir, &mut Rng(20_240_312));
    newsfeed_experiment_units(&dir, &mut Rng(20_240_313));
}
