//! Discounting a what-if scenario (CONTRACT.md, `throughline whatif`, second-wave additions).
//!
//! Computes, from an annual discount rate r and month-by-month value and cost series:
//! - `monthly_rate`: r_m = (1 + r)^(1/12) − 1 (r ≤ −100% is an error);
//! - `npv`: Σₜ (valueₜ − costₜ)/(1 + r_m)ᵗ over months t = 1..horizon;
//! - `discounted_payback_month`: the first month whose cumulative discounted net is ≥ 0
//!   (`None`, JSON `null`, when none is).
//!
//! Serves the JSON keys `npv` and `discounted_payback_month` of `whatif --json` and the NPV
//! column of `by_maturity`. Wiring: [`discount_timeline`] takes the `timeline` of
//! [`super::whatif::WhatIfOutputs`] and one [`super::whatif::Case`]; [`discount`] takes plain
//! series. With r = 0 every discount factor is exactly 1, so `npv` equals the undiscounted net
//! value and the payback month equals `WhatIfOutputs::payback_month` (same rule: the month must
//! have earned something, and a shortfall within 10⁻⁹ of the cumulative cost counts as paid back).

use serde::{Deserialize, Serialize};

use super::AnalysisError;
use super::whatif::{Case, MonthPoint};

/// What discounting a scenario gives.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Discounted {
    /// The annual rate given.
    pub annual_rate: f64,
    /// r_m = (1 + r)^(1/12) − 1.
    pub monthly_rate: f64,
    /// Net present value over the horizon.
    pub npv: f64,
    /// First month (1-based) whose cumulative discounted net is ≥ 0; `None` if none.
    pub discounted_payback_month: Option<u32>,
    /// Cumulative discounted net after each month 1..horizon (for a chart).
    pub cumulative_net: Vec<f64>,
}

/// The monthly rate equivalent to an annual discount rate: (1 + r)^(1/12) − 1.
pub fn monthly_rate(annual_rate: f64) -> Result<f64, AnalysisError> {
    if !annual_rate.is_finite() {
        return Err(AnalysisError::BadInput(format!(
            "the discount rate must be a number, not {annual_rate}"
        )));
    }
    if annual_rate <= -1.0 {
        return Err(AnalysisError::BadInput(format!(
            "the discount rate must be above -100% a year, not {}%: at -100% or less, money \
             later would be worth infinitely more (or less) than money now",
            annual_rate * 100.0
        )));
    }
    // expm1(ln(1 + r)/12) keeps its digits for small rates.
    Ok((annual_rate.ln_1p() / 12.0).exp_m1())
}

/// Discounts month-by-month `values` and `costs` (month 1 first; equal lengths) at an annual
/// rate. Non-finite entries are an error naming the month.
pub fn discount(
    values: &[f64],
    costs: &[f64],
    annual_rate: f64,
) -> Result<Discounted, AnalysisError> {
    if values.len() != costs.len() {
        return Err(AnalysisError::BadInput(format!(
            "the value series has {} months but the cost series has {}",
            values.len(),
            costs.len()
        )));
    }
    for (i, (v, c)) in values.iter().zip(costs).enumerate() {
        if !v.is_finite() || !c.is_finite() {
            return Err(AnalysisError::BadInput(format!(
                "month {}: the value ({v}) and the cost ({c}) must both be numbers",
                i + 1
            )));
        }
    }
    let r_m = monthly_rate(annual_rate)?;
    let growth = 1.0 + r_m;
    let mut cumulative_value = 0.0;
    let mut cumulative_cost = 0.0;
    let mut payback = None;
    let mut cumulative_net = Vec::with_capacity(values.len());
    for (t, (v, c)) in values.iter().zip(costs).enumerate() {
        let month = t + 1;
        // Division by the power itself (not by a running product) keeps each term within a
        // few roundings of (1 + r_m)^t however long the horizon.
        let d = if r_m == 0.0 {
            1.0
        } else {
            growth.powi(month as i32)
        };
        let dv = v / d;
        let dc = c / d;
        cumulative_value += dv;
        cumulative_cost += dc;
        cumulative_net.push(cumulative_value - cumulative_cost);
        let tolerance = 1e-9 * cumulative_cost.abs().max(1.0);
        if payback.is_none()
            && cumulative_value > 0.0
            && cumulative_value >= cumulative_cost - tolerance
        {
            payback = u32::try_from(month).ok();
        }
    }
    // Discounted value minus discounted cost, summed as the what-if maths sums its totals: at
    // r = 0 the NPV is then exactly its net value, bit for bit.
    let npv = cumulative_value - cumulative_cost;
    Ok(Discounted {
        annual_rate,
        monthly_rate: r_m,
        npv,
        discounted_payback_month: payback,
        cumulative_net,
    })
}

/// Discounts one case (low, likely, high) of a what-if timeline (month 0 first, as
/// [`super::whatif::evaluate`] builds it).
pub fn discount_timeline(
    timeline: &[MonthPoint],
    case: Case,
    annual_rate: f64,
) -> Result<Discounted, AnalysisError> {
    let months = timeline.iter().filter(|p| p.month >= 1);
    let (values, costs): (Vec<f64>, Vec<f64>) =
        months.map(|p| (case.pick(p.value), p.cost)).unzip();
    discount(&values, &costs, annual_rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_rate_compounds_to_the_annual_rate() {
        let r_m = monthly_rate(0.08).unwrap();
        assert!(((1.0 + r_m).powi(12) - 1.08).abs() < 1e-14);
        assert_eq!(monthly_rate(0.0).unwrap(), 0.0);
        assert!(monthly_rate(-0.5).unwrap() < 0.0);
    }

    #[test]
    fn rates_at_or_below_minus_100_percent_are_errors() {
        for r in [-1.0, -1.5, f64::NAN, f64::INFINITY] {
            let err = monthly_rate(r).unwrap_err().to_string();
            assert!(err.contains("discount rate"), "{err}");
            assert!(discount(&[1.0], &[0.0], r).is_err());
        }
    }

    #[test]
    fn zero_rate_reproduces_the_undiscounted_sums() {
        let values = [0.0, 0.0, 50.0, 100.0, 100.0, 100.0];
        let costs = [120.0, 30.0, 10.0, 10.0, 10.0, 10.0];
        let d = discount(&values, &costs, 0.0).unwrap();
        assert_eq!(d.npv, 350.0 - 190.0);
        assert_eq!(d.discounted_payback_month, Some(5));
        assert_eq!(d.cumulative_net.len(), 6);
    }

    #[test]
    fn discounting_delays_payback_and_lowers_npv() {
        let values = [0.0, 100.0, 100.0, 100.0];
        let costs = [290.0, 0.0, 0.0, 0.0];
        let flat = discount(&values, &costs, 0.0).unwrap();
        let d = discount(&values, &costs, 0.5).unwrap();
        assert_eq!(flat.discounted_payback_month, Some(4));
        assert!(d.npv < flat.npv);
        assert_eq!(d.discounted_payback_month, None);
        let r_m = monthly_rate(0.5).unwrap();
        let want: f64 = (1..=4)
            .map(|t| (values[t - 1] - costs[t - 1]) / (1.0 + r_m).powi(t as i32))
            .sum();
        assert!((d.npv - want).abs() < 1e-12 * want.abs());
    }

    #[test]
    fn bad_series_are_errors() {
        assert!(discount(&[1.0, 2.0], &[1.0], 0.08).is_err());
        let err = discount(&[1.0, f64::NAN], &[1.0, 1.0], 0.08).unwrap_err();
        assert!(err.to_string().contains("month 2"));
        let empty = discount(&[], &[], 0.08).unwrap();
        assert_eq!(empty.npv, 0.0);
        assert_eq!(empty.discounted_payback_month, None);
    }
}
