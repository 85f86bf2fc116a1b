//! Recognising what each column means (its role) and what shape the file has, from the column
//! names, types and the first rows. A guess the user can change: roles are saved in the project.

use polars::prelude::*;

use crate::model::{ColumnRole, ColumnSpec, DataShape};

use super::preview::dtype_words;

/// Words that mark a column's role when they make up its name or a part of it (split at `_`,
/// `-`, spaces and camel case).
const VARIANT: &[&str] = &[
    "variant",
    "variation",
    "arm",
    "group",
    "treatment",
    "bucket",
    "condition",
    "test_group",
    "experiment_group",
    "ab_group",
];
const UNIT_ID: &[&str] = &[
    "user_id",
    "userid",
    "user",
    "uid",
    "id",
    "session_id",
    "session",
    "request_id",
    "customer_id",
    "customer",
    "account_id",
    "visitor_id",
    "device_id",
    "uuid",
    "transaction_id",
    "order_id",
    "unit_id",
];
const TIME: &[&str] = &[
    "date",
    "day",
    "time",
    "timestamp",
    "ts",
    "datetime",
    "week",
    "month",
    "hour",
    "created_at",
    "event_time",
];
const SCORE: &[&str] = &[
    "score",
    "prob",
    "probability",
    "pred",
    "prediction",
    "predicted",
    "propensity",
    "risk",
    "logit",
    "p_fraud",
];
const LABEL: &[&str] = &[
    "label",
    "is_fraud",
    "fraud",
    "target",
    "y",
    "actual",
    "ground_truth",
    "truth",
    "class",
    "is_positive",
    "outcome",
];
const ML_METRIC: &[&str] = &[
    "accuracy",
    "acc",
    "auc",
    "roc_auc",
    "pr_auc",
    "auprc",
    "precision",
    "recall",
    "f1",
    "logloss",
    "log_loss",
    "loss",
    "cross_entropy",
    "rmse",
    "mae",
    "mse",
    "mape",
    "ndcg",
    "map",
    "mrr",
    "hit_rate",
    "top1",
    "top5",
    "perplexity",
    "bleu",
    "brier",
    "calibration",
    "offline",
];
const BUSINESS: &[&str] = &[
    "revenue",
    "conversion",
    "converted",
    "convert",
    "retention",
    "retained",
    "churn",
    "churned",
    "clicks",
    "click",
    "clicked",
    "ctr",
    "orders",
    "purchases",
    "purchase",
    "purchased",
    "sales",
    "profit",
    "margin",
    "spend",
    "arpu",
    "gmv",
    "engagement",
    "watch_time",
    "dwell",
    "sessions",
    "bookings",
    "signups",
    "signup",
    "subscribed",
    "usd",
    "eur",
    "gbp",
    "amount",
    "value",
    "cost",
    "loss_usd",
    "per_user",
    "installs",
    "time_spent",
];
const SEGMENT: &[&str] = &[
    "country",
    "region",
    "platform",
    "device",
    "os",
    "segment",
    "channel",
    "market",
    "city",
    "language",
    "browser",
    "tier",
    "plan",
    "cohort",
    "model",
    "model_version",
    "experiment",
    "experiment_id",
    "version",
    "name",
    "category",
];
const COUNT: &[&str] = &[
    "n",
    "count",
    "users",
    "units",
    "n_users",
    "num_users",
    "sample_size",
    "observations",
    "nobs",
];
/// Traffic shares and allocations: how the rows were weighted, not what they achieved.
const TRAFFIC: &[&str] = &[
    "traffic",
    "traffic_share",
    "traffic_pct",
    "allocation",
    "alloc",
    "weight",
    "exposure",
    "split",
    "sample_rate",
    "sampling_rate",
];
/// Names of row numbers.
const ROW_NUMBER: &[&str] = &[
    "index",
    "idx",
    "row",
    "row_number",
    "rank",
    "position",
    "pos",
];
const MEAN: &[&str] = &["mean", "avg", "average"];
const STD_DEV: &[&str] = &[
    "std",
    "sd",
    "stddev",
    "std_dev",
    "stdev",
    "standard_deviation",
];
const SUM: &[&str] = &["sum", "total"];
const SUM_SQ: &[&str] = &[
    "sum_sq",
    "sumsq",
    "sum_of_squares",
    "sum_squares",
    "sum2",
    "ss",
];

/// Words that mark the value of a metric before the experiment ("pre_revenue", "revenue_pre",
/// "revenue_prev_month"): a covariate for CUPED.
const PRE_EXPERIMENT: &[&str] = &[
    "pre",
    "prev",
    "previous",
    "prior",
    "before",
    "preperiod",
    "pretest",
    "pre_period",
    "pre_experiment",
    "pre_test",
];
/// Parts of a pre-experiment column's name left out when finding its metric.
const PRE_PARTS: &[&str] = &[
    "pre",
    "prev",
    "previous",
    "prior",
    "before",
    "preperiod",
    "pretest",
    "period",
    "experiment",
    "test",
    "last",
];

/// A column name in lower case with words joined by `_` ("Revenue USD" → "revenue_usd",
/// "userId" → "user_id").
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower {
                out.push('_');
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            out.extend(c.to_lowercase());
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Whether the normalised name is one of `words`, or has one as a whole `_`-separated part.
fn name_has(norm: &str, words: &[&str]) -> bool {
    if words.contains(&norm) {
        return true;
    }
    words.iter().any(|w| {
        norm.starts_with(&format!("{w}_"))
            || norm.ends_with(&format!("_{w}"))
            || norm.contains(&format!("_{w}_"))
    })
}

/// For a summary-statistics column like "revenue_mean" or "mean_revenue": the statistic and
/// the metric it describes.
pub fn summary_part(name: &str) -> Option<(ColumnRole, Option<String>)> {
    let norm = normalise_name(name);
    // Longest statistic names first, so "sum_sq" is not read as "sum".
    let stats: [(ColumnRole, &[&str]); 5] = [
        (ColumnRole::SumOfSquares, SUM_SQ),
        (ColumnRole::StdDev, STD_DEV),
        (ColumnRole::Mean, MEAN),
        (ColumnRole::Sum, SUM),
        (ColumnRole::Count, COUNT),
    ];
    for (role, words) in stats {
        for w in words {
            if norm == *w {
                return Some((role, None));
            }
            if let Some(metric) = norm.strip_suffix(&format!("_{w}"))
                && !metric.is_empty()
            {
                return Some((role, Some(metric.to_string())));
            }
            if let Some(metric) = norm.strip_prefix(&format!("{w}_"))
                && !metric.is_empty()
            {
                return Some((role, Some(metric.to_string())));
            }
        }
    }
    None
}

/// What the first rows tell about one column.
struct Facts {
    dtype: DataType,
    non_null: usize,
    distinct: usize,
    all_binary: bool,
    in_unit_interval: bool,
    all_integer: bool,
    /// Text that reads as ISO dates ("2024-03-01", "2024-03-01 12:00:00").
    dates: bool,
}

fn facts(column: &Column) -> Facts {
    let dtype = column.dtype().clone();
    let non_null = column.len() - column.null_count();
    let distinct = column.n_unique().unwrap_or(non_null);
    let mut all_binary = false;
    let mut in_unit_interval = false;
    let mut all_integer = false;
    if (dtype.is_primitive_numeric() || dtype.is_bool())
        && let Ok(cast) = column.cast(&DataType::Float64)
        && let Ok(values) = cast.f64()
    {
        let present: Vec<f64> = values.iter().flatten().filter(|v| v.is_finite()).collect();
        all_binary = !present.is_empty() && present.iter().all(|&v| v == 0.0 || v == 1.0);
        in_unit_interval = !present.is_empty() && present.iter().all(|&v| (0.0..=1.0).contains(&v));
        all_integer = present.iter().all(|v| v.fract() == 0.0);
    }
    let dates = dtype.is_string()
        && non_null > 0
        && column.str().is_ok_and(|values| {
            values
                .iter()
                .flatten()
                .take(200)
                .all(|v| looks_like_date(v.trim()))
        });
    Facts {
        dates,
        dtype,
        non_null,
        distinct,
        all_binary,
        in_unit_interval,
        all_integer,
    }
}

/// "2024-03-01", optionally followed by a time.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b.iter().take(4).all(u8::is_ascii_digit)
        && matches!(b.get(4), Some(b'-' | b'/'))
        && b.get(5..7)
            .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
        && matches!(b.get(7), Some(b'-' | b'/'))
        && b.get(8..10)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && (b.len() == 10 || matches!(b.get(10), Some(b' ' | b'T')))
}

/// Guess the role of every column from the first rows of a file.
pub fn detect_roles(sample: &DataFrame) -> Vec<ColumnSpec> {
    let columns = sample.columns();
    let facts: Vec<Facts> = columns.iter().map(facts).collect();
    let norms: Vec<String> = columns.iter().map(|c| normalise_name(c.name())).collect();

    // Summary statistics first: a file with a count and a mean/sd (or sum/sum of squares)
    // per row is read as such.
    let summary: Vec<Option<(ColumnRole, Option<String>)>> = columns
        .iter()
        .zip(&facts)
        .map(|(c, f)| {
            if f.dtype.is_primitive_numeric() {
                summary_part(c.name())
            } else {
                None
            }
        })
        .collect();
    let has = |role: ColumnRole| summary.iter().flatten().any(|(r, _)| *r == role);
    let is_summary = has(ColumnRole::Count)
        && ((has(ColumnRole::Mean) && has(ColumnRole::StdDev))
            || (has(ColumnRole::Sum) && has(ColumnRole::SumOfSquares)));

    let has_label_name = norms.iter().any(|n| name_has(n, LABEL));
    let mut specs: Vec<ColumnSpec> = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let (Some(f), Some(norm)) = (facts.get(i), norms.get(i)) else {
            continue;
        };
        let mut metric = None;
        let role = if is_summary && let Some(Some((role, m))) = summary.get(i) {
            metric = m.clone();
            *role
        } else if f.dtype.is_primitive_numeric()
            && let Some(m) = standard_error_of(norm)
        {
            metric = (!m.is_empty()).then_some(m);
            ColumnRole::StandardError
        } else {
            guess_role(norm, f, has_label_name)
        };
        specs.push(ColumnSpec {
            name: column.name().to_string(),
            role,
            dtype: dtype_words(&f.dtype),
            metric,
        });
    }
    settle_variant(&mut specs, &facts, sample.height());
    settle_pre_experiment(&mut specs);
    specs
}

/// For a standard-error column named like "revenue_se", "se_revenue", "revenue_std_err" or
/// "revenue_standard_error": the metric it belongs to (empty when the name is only "se").
pub fn standard_error_of(norm: &str) -> Option<String> {
    const SE: [&str; 4] = ["se", "std_err", "stderr", "standard_error"];
    for w in SE {
        if norm == w {
            return Some(String::new());
        }
        if let Some(metric) = norm.strip_suffix(&format!("_{w}"))
            && !metric.is_empty()
        {
            return Some(metric.to_string());
        }
        if let Some(metric) = norm.strip_prefix(&format!("{w}_"))
            && !metric.is_empty()
        {
            return Some(metric.to_string());
        }
    }
    None
}

/// Each pre-experiment column gets the metric it is the earlier value of: the metric column
/// whose name shares most words with it ("pre_revenue" → "revenue", "revenue_prev_month_eur" →
/// "revenue_next_month_eur"). Without one that shares a word, the column is a plain metric.
fn settle_pre_experiment(specs: &mut [ColumnSpec]) {
    let metrics: Vec<(String, Vec<String>)> = specs
        .iter()
        .filter(|s| matches!(s.role, ColumnRole::BusinessMetric | ColumnRole::MlMetric))
        .map(|s| {
            let parts = normalise_name(&s.name)
                .split('_')
                .map(str::to_string)
                .collect();
            (s.name.clone(), parts)
        })
        .collect();
    for spec in specs.iter_mut() {
        if spec.role != ColumnRole::PreExperiment || spec.metric.is_some() {
            continue;
        }
        let norm = normalise_name(&spec.name);
        let own: Vec<&str> = norm
            .split('_')
            .filter(|p| !p.is_empty() && !PRE_PARTS.contains(p))
            .collect();
        let best = metrics
            .iter()
            .map(|(name, parts)| {
                let shared = own.iter().filter(|p| parts.iter().any(|q| q == *p)).count();
                let exact = parts.len() == own.len() && shared == own.len();
                (name, shared, exact)
            })
            .filter(|(_, shared, _)| *shared > 0)
            .max_by_key(|(_, shared, exact)| (*exact, *shared));
        match best {
            Some((name, _, _)) => spec.metric = Some(name.clone()),
            None => spec.role = ColumnRole::BusinessMetric,
        }
    }
}

/// The pre-experiment column of `metric` in a dataset's columns, if one is marked.
pub fn pre_experiment_column<'a>(columns: &'a [ColumnSpec], metric: &str) -> Option<&'a str> {
    columns
        .iter()
        .find(|c| c.role == ColumnRole::PreExperiment && c.metric.as_deref() == Some(metric))
        .map(|c| c.name.as_str())
}

fn guess_role(norm: &str, f: &Facts, has_label_name: bool) -> ColumnRole {
    let numeric = f.dtype.is_primitive_numeric() || f.dtype.is_bool();
    let temporal = matches!(f.dtype, DataType::Date | DataType::Datetime(_, _));
    if temporal {
        return ColumnRole::Time;
    }
    let id_like = UNIT_ID.contains(&norm) || norm.ends_with("_id") || norm.ends_with("uuid");
    if id_like && !name_has(norm, VARIANT) {
        // "experiment_id" or "model_id" name a group of rows, not a unit.
        if name_has(norm, &["experiment", "model", "version"]) {
            return ColumnRole::Segment;
        }
        return ColumnRole::UnitId;
    }
    if name_has(norm, VARIANT) {
        return ColumnRole::Variant;
    }
    if name_has(norm, TIME) && !numeric || matches!(norm, "date" | "day" | "week" | "month") {
        return ColumnRole::Time;
    }
    if numeric {
        if name_has(norm, PRE_EXPERIMENT) {
            return ColumnRole::PreExperiment;
        }
        if name_has(norm, SCORE) && !f.all_binary {
            return ColumnRole::Score;
        }
        if name_has(norm, LABEL) && f.all_binary {
            return ColumnRole::Label;
        }
        if let Some(role) = not_a_metric(norm, f) {
            return role;
        }
        if name_has(norm, ML_METRIC) {
            return ColumnRole::MlMetric;
        }
        if name_has(norm, BUSINESS) {
            return ColumnRole::BusinessMetric;
        }
        // Unnamed probabilities beside a label are scores.
        if has_label_name && f.in_unit_interval && !f.all_binary && !f.all_integer {
            return ColumnRole::Score;
        }
        // Whole numbers that never repeat, under a name that says nothing, number the rows.
        if f.all_integer && !f.all_binary && f.non_null >= 20 && f.distinct == f.non_null {
            return ColumnRole::Ignore;
        }
        return ColumnRole::BusinessMetric;
    }
    // Text.
    if f.dates || norm.ends_with("_on") || norm.ends_with("_at") || norm.ends_with("_date") {
        return ColumnRole::Time;
    }
    if name_has(norm, SEGMENT) {
        return ColumnRole::Segment;
    }
    if name_has(norm, LABEL) {
        return ColumnRole::Label;
    }
    if f.non_null > 20 && f.distinct * 10 >= f.non_null * 9 {
        return ColumnRole::UnitId;
    }
    if f.distinct <= 20 {
        return ColumnRole::Segment;
    }
    ColumnRole::Ignore
}

/// Numeric columns that describe the rows rather than measure an outcome, so they are never
/// guessed as business metrics: counts of units ("users", "n_users", "sample_size") are the
/// row's count; traffic shares and allocations ("traffic_share", "weight") and row numbers
/// ("index", "rank") are ignored.
fn not_a_metric(norm: &str, f: &Facts) -> Option<ColumnRole> {
    if name_has(norm, TRAFFIC) || ROW_NUMBER.contains(&norm) {
        return Some(ColumnRole::Ignore);
    }
    let counts_units = COUNT.contains(&norm)
        || ["n_", "num_", "number_of_"].iter().any(|p| {
            norm.strip_prefix(p)
                .is_some_and(|rest| COUNT.contains(&rest))
        })
        || norm.ends_with("_count");
    (counts_units && f.all_integer && !name_has(norm, BUSINESS)).then_some(ColumnRole::Count)
}

/// Without a column named like a variant, a text column with 2 to 10 values where every value
/// repeats is the variant (the first such column).
fn settle_variant(specs: &mut [ColumnSpec], facts: &[Facts], rows: usize) {
    if specs.iter().any(|s| s.role == ColumnRole::Variant) {
        return;
    }
    let has_metric = specs.iter().any(|s| {
        matches!(
            s.role,
            ColumnRole::BusinessMetric | ColumnRole::MlMetric | ColumnRole::Mean
        )
    });
    if !has_metric {
        return;
    }
    // A count of units beside plain metrics ("users" per experiment) is not a summary file.
    let is_summary = specs.iter().any(|s| s.role == ColumnRole::Count)
        && specs
            .iter()
            .any(|s| matches!(s.role, ColumnRole::Mean | ColumnRole::Sum));
    for (spec, f) in specs.iter_mut().zip(facts) {
        let text = f.dtype.is_string();
        let fits = if is_summary {
            text && f.distinct == f.non_null && (2..=20).contains(&f.distinct)
        } else {
            text && (2..=10).contains(&f.distinct) && rows >= f.distinct * 5
        };
        if fits && matches!(spec.role, ColumnRole::Segment | ColumnRole::Ignore) {
            // Names like "model" or "experiment" in an aggregated file stay segments.
            let norm = normalise_name(&spec.name);
            if !is_summary && name_has(&norm, &["model", "experiment", "version", "name"]) {
                continue;
            }
            spec.role = ColumnRole::Variant;
            return;
        }
    }
}

/// The shape of a file from its column roles and its number of rows (DESIGN.md).
pub fn detect_shape(columns: &[ColumnSpec], rows: Option<u64>) -> DataShape {
    let has = |role: ColumnRole| columns.iter().any(|c| c.role == role);
    if has(ColumnRole::Count)
        && ((has(ColumnRole::Mean) && has(ColumnRole::StdDev))
            || (has(ColumnRole::Sum) && has(ColumnRole::SumOfSquares)))
    {
        return DataShape::SummaryStatistics;
    }
    let metrics = has(ColumnRole::BusinessMetric) || has(ColumnRole::MlMetric);
    if has(ColumnRole::UnitId) || (has(ColumnRole::Score) && has(ColumnRole::Label)) {
        return DataShape::UnitLevel;
    }
    if has(ColumnRole::Variant) && metrics {
        // Many rows per variant: one row per unit.
        return if rows.is_some_and(|n| n >= 200) {
            DataShape::UnitLevel
        } else {
            DataShape::Aggregated
        };
    }
    if metrics {
        return DataShape::Aggregated;
    }
    DataShape::Unknown
}

/// Keep the user's roles when a file is read again: columns that still exist keep their role
/// and metric; new columns get the detected ones. Returns the names of columns that are gone.
pub fn merge_roles(
    previous: &[ColumnSpec],
    detected: Vec<ColumnSpec>,
) -> (Vec<ColumnSpec>, Vec<String>) {
    let merged: Vec<ColumnSpec> = detected
        .into_iter()
        .map(|mut spec| {
            if let Some(old) = previous.iter().find(|p| p.name == spec.name) {
                spec.role = old.role;
                spec.metric = old.metric.clone();
            }
            spec
        })
        .collect();
    let gone = previous
        .iter()
        .filter(|p| !merged.iter().any(|m| m.name == p.name))
        .map(|p| p.name.clone())
        .collect();
    (merged, gone)
}

/// Which roles make sense for a column of this type (all roles, with the likely ones first, is
/// what the UI offers; this is for validation hints).
pub fn role_fits(role: ColumnRole, dtype_words: &str) -> bool {
    let numeric = matches!(dtype_words, "number" | "whole number" | "true/false");
    match role {
        ColumnRole::MlMetric
        | ColumnRole::BusinessMetric
        | ColumnRole::Score
        | ColumnRole::Count
        | ColumnRole::Mean
        | ColumnRole::StdDev
        | ColumnRole::Sum
        | ColumnRole::SumOfSquares
        | ColumnRole::StandardError => numeric,
        ColumnRole::PreExperiment => numeric,
        _ => true,
    }
}

#[cfg(test)]
mod tests;
