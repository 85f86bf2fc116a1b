//! Before and after each deployment on an over-time view: the daily average of a metric in
//! the days before a model went live against the days after, with a 95% interval, so the view
//! can say in one sentence whether the business moved. Also the name tests the views use to
//! choose sensible defaults (a 0/1 flag, a money amount).

use std::collections::BTreeMap;

use crate::analysis::dist::t_two_sided;

/// Days on each side of a deployment compared at most (fewer when another deployment or the
/// end of the data is closer).
pub const DEPLOYMENT_WINDOW_DAYS: f64 = 28.0;

/// The daily average of a metric before and after one deployment.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentChange {
    /// The deployment's day (days since 1970-01-01) and label (the model, may be empty).
    pub day: f64,
    pub label: String,
    pub days_before: usize,
    pub days_after: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    /// After minus before.
    pub change: f64,
    /// 95% interval of the change (Welch, days as observations), when each side has at least
    /// two days.
    pub interval: Option<(f64, f64)>,
}

/// The average per day over every series (the models serving that day count equally).
pub fn daily_average<'a>(
    series: impl IntoIterator<Item = (&'a [f64], &'a [f64])>,
) -> Vec<[f64; 2]> {
    let mut days: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    for (xs, ys) in series {
        for (&x, &y) in xs.iter().zip(ys) {
            if x.is_finite() && y.is_finite() {
                let entry = days.entry(x.floor() as i64).or_insert((0.0, 0));
                entry.0 += y;
                entry.1 += 1;
            }
        }
    }
    days.into_iter()
        .map(|(day, (sum, n))| [day as f64, sum / n as f64])
        .collect()
}

/// For each deployment (day, label), the days before against the days after, within
/// [`DEPLOYMENT_WINDOW_DAYS`] and never across the neighbouring deployments. `daily` is sorted
/// by day (as [`daily_average`] returns it). Deployments without a day of data on either side
/// are left out.
pub fn deployment_changes(
    daily: &[[f64; 2]],
    deployments: &[(f64, String)],
) -> Vec<DeploymentChange> {
    let mut marks: Vec<&(f64, String)> = deployments.iter().filter(|d| d.0.is_finite()).collect();
    marks.sort_by(|a, b| a.0.total_cmp(&b.0));
    marks.dedup_by(|a, b| a.0 == b.0);
    let mut out = Vec::new();
    for (k, (day, label)) in marks.iter().map(|m| (m.0, &m.1)).enumerate() {
        let previous = k
            .checked_sub(1)
            .and_then(|p| marks.get(p))
            .map_or(f64::NEG_INFINITY, |m| m.0);
        let next = marks.get(k + 1).map_or(f64::INFINITY, |m| m.0);
        let from = previous.max(day - DEPLOYMENT_WINDOW_DAYS);
        let to = next.min(day + DEPLOYMENT_WINDOW_DAYS);
        let before: Vec<f64> = daily
            .iter()
            .filter(|p| p[0] >= from && p[0] < day)
            .map(|p| p[1])
            .collect();
        let after: Vec<f64> = daily
            .iter()
            .filter(|p| p[0] >= day && p[0] < to)
            .map(|p| p[1])
            .collect();
        let (Some((mean_before, var_before)), Some((mean_after, var_after))) =
            (mean_var(&before), mean_var(&after))
        else {
            continue;
        };
        let change = mean_after - mean_before;
        let interval = welch_interval(
            change,
            var_before,
            before.len() as f64,
            var_after,
            after.len() as f64,
        );
        out.push(DeploymentChange {
            day,
            label: label.clone(),
            days_before: before.len(),
            days_after: after.len(),
            mean_before,
            mean_after,
            change,
            interval,
        });
    }
    out
}

/// Mean and sample variance (`NaN` variance for one value).
fn mean_var(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        f64::NAN
    };
    Some((mean, var))
}

fn welch_interval(change: f64, v1: f64, n1: f64, v2: f64, n2: f64) -> Option<(f64, f64)> {
    if !(v1.is_finite() && v2.is_finite()) {
        return None;
    }
    let (a, b) = (v1 / n1, v2 / n2);
    let se = (a + b).sqrt();
    if se == 0.0 {
        return Some((change, change));
    }
    let df = (a + b).powi(2) / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
    let t = t_two_sided(0.05, df)?;
    (t.is_finite() && se.is_finite()).then_some((change - t * se, change + t * se))
}

/// Whether a column's name reads as a yes/no ("converted", "churned_30d", "is_active",
/// "clicked", "retained_d30"): such a metric is 0 or 1 per unit.
pub fn flag_like_name(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    if matches!(*first, "is" | "has" | "did" | "was" | "flag") {
        return true;
    }
    words.iter().any(|w| {
        matches!(
            *w,
            "converted"
                | "churned"
                | "clicked"
                | "retained"
                | "purchased"
                | "subscribed"
                | "opened"
                | "returned"
                | "active"
                | "flag"
        )
    })
}

/// Whether a column's name reads as money or an amount per unit ("revenue_usd",
/// "order_value", "spend_eur"): many units have none of it.
pub fn money_like_name(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "revenue"
                | "usd"
                | "eur"
                | "gbp"
                | "amount"
                | "spend"
                | "spent"
                | "sales"
                | "gmv"
                | "profit"
                | "value"
                | "basket"
                | "order"
                | "price"
                | "income"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_and_after_each_deployment() {
        // 10 days at about 1.0, then 10 days at about 1.5.
        let daily: Vec<[f64; 2]> = (0..20)
            .map(|d| {
                let wobble = if d % 2 == 0 { 0.05 } else { -0.05 };
                [f64::from(d), if d < 10 { 1.0 } else { 1.5 } + wobble]
            })
            .collect();
        let changes = deployment_changes(&daily, &[(10.0, "v2".into()), (50.0, "v3".into())]);
        assert_eq!(changes.len(), 1, "v3 has no data after it");
        let c = &changes[0];
        assert_eq!((c.days_before, c.days_after), (10, 10));
        assert!((c.change - 0.5).abs() < 1e-9);
        let (lo, hi) = c.interval.unwrap();
        assert!(lo > 0.4 && hi < 0.6 && lo < 0.5 && hi > 0.5);
    }

    #[test]
    fn windows_stop_at_the_neighbouring_deployment() {
        let daily: Vec<[f64; 2]> = (0..100).map(|d| [f64::from(d), f64::from(d)]).collect();
        let changes = deployment_changes(&daily, &[(40.0, "a".into()), (50.0, "b".into())]);
        assert_eq!(changes[0].days_before, 28);
        assert_eq!(changes[0].days_after, 10);
        assert_eq!(changes[1].days_before, 10);
        assert_eq!(changes[1].days_after, 28);
    }

    #[test]
    fn pooled_daily_average() {
        let (x1, y1) = (vec![0.0, 1.0], vec![1.0, 2.0]);
        let (x2, y2) = (vec![1.0, 2.0], vec![4.0, f64::NAN]);
        let daily = daily_average([(&x1[..], &y1[..]), (&x2[..], &y2[..])]);
        assert_eq!(daily, vec![[0.0, 1.0], [1.0, 3.0]]);
    }

    #[test]
    fn names() {
        assert!(flag_like_name("converted"));
        assert!(flag_like_name("churned_30d"));
        assert!(flag_like_name("is_fraud"));
        assert!(!flag_like_name("revenue_usd"));
        assert!(!flag_like_name("seconds_to_open"));
        assert!(money_like_name("revenue_usd"));
        assert!(money_like_name("revenue_next_month_eur"));
        assert!(!money_like_name("converted"));
    }
}
