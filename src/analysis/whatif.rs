//! What-if maths: an ML change, carried through a link into a business change, money, ROI and
//! payback over time; goal seek; and the sensitivity of the ROI to each assumption.
//!
//! Pure functions on plain numbers (no egui, no polars, no project types).
//!
//! The time model, in whole months counted from the start of the work (month 1 is the first):
//! - The model goes live after `deployment_months`; until then it earns nothing.
//! - Its effect then ramps up linearly over `ramp_up_months` to the full monthly value, and stays
//!   there until the horizon. A month's value is the average of the ramp over that month, so
//!   fractional deployment and ramp-up times work too.
//! - Engineering (months × rate) is spread evenly over the deployment time (all in month 1 when
//!   there is none), one-off costs fall in month 1, and the cloud bill runs from go-live.
//!
//! Low, likely and high carry the link's interval through: `likely` uses the link's slope,
//! `low` and `high` are the least and the most money any slope in the interval gives, so
//! `low <= likely <= high` for every money figure (and the ROI) by construction.

use serde::{Deserialize, Serialize};

/// The longest horizon the maths accepts (50 years); longer horizons are shortened.
pub const MAX_HORIZON_MONTHS: u32 = 600;

/// A figure in the pessimistic, likely and optimistic case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Band<T> {
    pub low: T,
    pub likely: T,
    pub high: T,
}

impl<T> Band<T> {
    pub fn new(low: T, likely: T, high: T) -> Self {
        Self { low, likely, high }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U) -> Band<U> {
        Band::new(f(self.low), f(self.likely), f(self.high))
    }

    pub fn as_array(self) -> [T; 3] {
        [self.low, self.likely, self.high]
    }

    /// The value of one case.
    pub fn get(&self, case: Case) -> &T {
        match case {
            Case::Low => &self.low,
            Case::Likely => &self.likely,
            Case::High => &self.high,
        }
    }
}

impl<T: Clone> Band<T> {
    /// The same value in all three cases.
    pub fn flat(value: T) -> Self {
        Self::new(value.clone(), value.clone(), value)
    }
}

/// The case of a band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Low,
    Likely,
    High,
}

impl Case {
    pub const ALL: [Case; 3] = [Case::Low, Case::Likely, Case::High];

    pub fn label(self) -> &'static str {
        match self {
            Case::Low => "Low",
            Case::Likely => "Likely",
            Case::High => "High",
        }
    }

    pub fn pick<T: Copy>(self, band: Band<T>) -> T {
        match self {
            Case::Low => band.low,
            Case::Likely => band.likely,
            Case::High => band.high,
        }
    }
}

/// Everything the maths needs, resolved to plain numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIfInputs {
    /// The change of the ML metric, in the unit of the link's ML metric.
    pub ml_change: f64,
    /// Business change per unit of ML change: the link's slope (likely) and its interval.
    pub slope: Band<f64>,
    /// Users or decisions per month.
    pub volume_per_month: f64,
    /// Money that one unit of the business metric is worth, per user or decision.
    pub value_per_unit: f64,
    pub engineering_months: f64,
    pub engineering_rate_per_month: f64,
    pub cloud_cost_per_month: f64,
    pub one_off_costs: f64,
    pub horizon_months: u32,
    /// Months from the start until the model is live.
    pub deployment_months: f64,
    /// Months from going live until the full effect.
    pub ramp_up_months: f64,
}

impl Default for WhatIfInputs {
    fn default() -> Self {
        Self {
            ml_change: 0.0,
            slope: Band::flat(0.0),
            volume_per_month: 0.0,
            value_per_unit: 0.0,
            engineering_months: 0.0,
            engineering_rate_per_month: 0.0,
            cloud_cost_per_month: 0.0,
            one_off_costs: 0.0,
            horizon_months: 12,
            deployment_months: 0.0,
            ramp_up_months: 0.0,
        }
    }
}

/// One month of the timeline (month 0 is the start, with nothing spent or earned yet).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthPoint {
    pub month: u32,
    /// Cost in this month.
    pub cost: f64,
    /// Value earned in this month.
    pub value: Band<f64>,
    pub cumulative_cost: f64,
    pub cumulative_value: Band<f64>,
}

/// The outputs of a scenario. Field names are the UI's labels in snake_case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WhatIfOutputs {
    /// Change of the business metric per user or decision, once fully ramped up.
    pub business_change: Band<f64>,
    /// Money a month once fully ramped up.
    pub monthly_value: Band<f64>,
    /// Money earned over the horizon.
    pub total_value: Band<f64>,
    /// Everything spent over the horizon.
    pub total_cost: f64,
    /// Total value minus total cost.
    pub net_value: Band<f64>,
    /// Net value divided by total cost (a fraction: 1.5 is 150%); `None` when nothing is spent.
    pub roi: Band<Option<f64>>,
    /// The first month in which cumulative value reaches cumulative cost; `None` when that does
    /// not happen within the horizon.
    pub payback_month: Band<Option<u32>>,
    /// Month 0 to the horizon.
    pub timeline: Vec<MonthPoint>,
    /// Plain-language notes on inputs that were corrected or look odd.
    pub warnings: Vec<String>,
}

/// Average of the ramp (0 before go-live, rising linearly to 1 over the ramp-up) over month
/// `month` (the interval `[month − 1, month]`).
pub fn ramp_fraction(month: u32, deployment_months: f64, ramp_up_months: f64) -> f64 {
    let m = f64::from(month);
    ramp_integral(m, deployment_months, ramp_up_months)
        - ramp_integral(m - 1.0, deployment_months, ramp_up_months)
}

/// ∫₀ᵗ ramp(s) ds.
fn ramp_integral(t: f64, d: f64, r: f64) -> f64 {
    if t <= d {
        0.0
    } else if r <= 0.0 {
        t - d
    } else if t <= d + r {
        (t - d) * (t - d) / (2.0 * r)
    } else {
        r / 2.0 + (t - d - r)
    }
}

/// The sum of `ramp_fraction` over months 1..=`months`: how many months of full value arrive by
/// the end of month `months`.
pub fn full_value_months(months: u32, deployment_months: f64, ramp_up_months: f64) -> f64 {
    ramp_integral(f64::from(months), deployment_months, ramp_up_months)
}

/// Length of the overlap of `[a, b]` and `[c, d]`.
fn overlap(a: f64, b: f64, c: f64, d: f64) -> f64 {
    (b.min(d) - a.max(c)).max(0.0)
}

/// What is spent in month `month` (1-based).
pub fn cost_in_month(inputs: &WhatIfInputs, month: u32) -> f64 {
    let m = f64::from(month);
    let d = inputs.deployment_months;
    let engineering = inputs.engineering_months * inputs.engineering_rate_per_month;
    let engineering_now = if d > 0.0 {
        engineering * overlap(m - 1.0, m, 0.0, d) / d
    } else if month == 1 {
        engineering
    } else {
        0.0
    };
    let one_off = if month == 1 {
        inputs.one_off_costs
    } else {
        0.0
    };
    let live_fraction = overlap(m - 1.0, m, d, f64::INFINITY);
    engineering_now + one_off + inputs.cloud_cost_per_month * live_fraction
}

/// Everything spent by the end of month `months`.
pub fn cumulative_cost(inputs: &WhatIfInputs, months: u32) -> f64 {
    (1..=months).map(|m| cost_in_month(inputs, m)).sum()
}

/// Monthly value at full ramp-up for a given slope.
fn monthly_value_for(inputs: &WhatIfInputs, slope: f64) -> f64 {
    slope * inputs.ml_change * inputs.value_per_unit * inputs.volume_per_month
}

/// Replace non-finite inputs by 0 and impossible ones by something usable, saying so.
fn sanitized(inputs: &WhatIfInputs) -> (WhatIfInputs, Vec<String>) {
    let mut warnings = Vec::new();
    let mut s = inputs.clone();
    let mut fix = |value: &mut f64, label: &str, non_negative: bool| {
        if !value.is_finite() {
            warnings.push(format!("{label} is not a number; 0 was used."));
            *value = 0.0;
        } else if non_negative && *value < 0.0 {
            warnings.push(format!("{label} cannot be negative; 0 was used."));
            *value = 0.0;
        }
    };
    fix(&mut s.ml_change, Assumption::MlChange.label(), false);
    fix(&mut s.slope.low, "The link's low slope", false);
    fix(&mut s.slope.likely, "The link's slope", false);
    fix(&mut s.slope.high, "The link's high slope", false);
    fix(
        &mut s.volume_per_month,
        Assumption::VolumePerMonth.label(),
        true,
    );
    fix(
        &mut s.value_per_unit,
        Assumption::ValuePerUnit.label(),
        false,
    );
    fix(
        &mut s.engineering_months,
        Assumption::EngineeringMonths.label(),
        true,
    );
    fix(
        &mut s.engineering_rate_per_month,
        Assumption::EngineeringRate.label(),
        true,
    );
    fix(
        &mut s.cloud_cost_per_month,
        Assumption::CloudCostPerMonth.label(),
        true,
    );
    fix(&mut s.one_off_costs, Assumption::OneOffCosts.label(), true);
    fix(
        &mut s.deployment_months,
        Assumption::DeploymentMonths.label(),
        true,
    );
    fix(
        &mut s.ramp_up_months,
        Assumption::RampUpMonths.label(),
        true,
    );
    if s.horizon_months > MAX_HORIZON_MONTHS {
        warnings.push(format!(
            "The horizon was shortened to {MAX_HORIZON_MONTHS} months."
        ));
        s.horizon_months = MAX_HORIZON_MONTHS;
    }
    if s.horizon_months == 0 {
        warnings.push("The horizon is 0 months, so nothing is spent or earned.".to_string());
    }
    let Band { low, likely, high } = s.slope;
    if likely < low.min(high) || likely > low.max(high) {
        warnings.push(
            "The link's slope lies outside its low–high interval; the band was widened to \
             include it."
                .to_string(),
        );
    }
    if s.deployment_months >= f64::from(s.horizon_months) && s.horizon_months > 0 {
        warnings.push(format!(
            "Deployment takes {} months, as long as the horizon: no value arrives within it.",
            trim_number(s.deployment_months)
        ));
    }
    (s, warnings)
}

fn trim_number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round())
    } else {
        format!("{x:.1}")
    }
}

/// The three slopes ordered by the money they bring: (slope for low, likely, high).
fn slopes_by_value(inputs: &WhatIfInputs) -> Band<f64> {
    let Band { low, likely, high } = inputs.slope;
    let mut candidates = [low, likely, high];
    candidates
        .sort_by(|a, b| monthly_value_for(inputs, *a).total_cmp(&monthly_value_for(inputs, *b)));
    Band::new(candidates[0], likely, candidates[2])
}

/// The payback month of a cumulative series, if any.
fn payback(timeline: &[MonthPoint], case: Case) -> Option<u32> {
    timeline.iter().skip(1).find_map(|p| {
        let value = case.pick(p.cumulative_value);
        let tolerance = 1e-9 * p.cumulative_cost.abs().max(1.0);
        (value > 0.0 && value >= p.cumulative_cost - tolerance).then_some(p.month)
    })
}

/// Project a scenario: business change, money, ROI and payback, month by month.
pub fn evaluate(inputs: &WhatIfInputs) -> WhatIfOutputs {
    let (inputs, warnings) = sanitized(inputs);
    let slopes = slopes_by_value(&inputs);
    let business_change = slopes.map(|s| s * inputs.ml_change);
    let monthly_value = slopes.map(|s| monthly_value_for(&inputs, s));

    let mut timeline = Vec::with_capacity(inputs.horizon_months as usize + 1);
    timeline.push(MonthPoint::default());
    let mut cumulative_cost = 0.0;
    let mut cumulative_value = Band::flat(0.0);
    for month in 1..=inputs.horizon_months {
        let fraction = ramp_fraction(month, inputs.deployment_months, inputs.ramp_up_months);
        let cost = cost_in_month(&inputs, month);
        let value = monthly_value.map(|v| v * fraction);
        cumulative_cost += cost;
        cumulative_value = Band::new(
            cumulative_value.low + value.low,
            cumulative_value.likely + value.likely,
            cumulative_value.high + value.high,
        );
        timeline.push(MonthPoint {
            month,
            cost,
            value,
            cumulative_cost,
            cumulative_value,
        });
    }
    let total_value = cumulative_value;
    let total_cost = cumulative_cost;
    let net_value = total_value.map(|v| v - total_cost);
    let roi = net_value.map(|n| (total_cost > 0.0).then(|| n / total_cost));
    let payback_month = Band::new(
        payback(&timeline, Case::Low),
        payback(&timeline, Case::Likely),
        payback(&timeline, Case::High),
    );
    WhatIfOutputs {
        business_change,
        monthly_value,
        total_value,
        total_cost,
        net_value,
        roi,
        payback_month,
        timeline,
        warnings,
    }
}

/// Why a goal seek has no answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GoalSeekProblem {
    /// The link's slope, the volume or the value per unit is zero: no ML change moves the money.
    NoValueFromMlChange,
    /// The model is not live (deployment takes longer) within the months asked for.
    NotLiveInTime,
    /// The link's slope is zero, so no ML change moves the business metric.
    FlatLink,
}

impl GoalSeekProblem {
    pub fn sentence(&self) -> &'static str {
        match self {
            GoalSeekProblem::NoValueFromMlChange => {
                "No ML change earns anything: the link's slope, the volume or the value per unit \
                 is zero."
            }
            GoalSeekProblem::NotLiveInTime => {
                "The model is not live within that time, so no ML change can break even by then."
            }
            GoalSeekProblem::FlatLink => {
                "The link's slope is zero, so no ML change moves the business metric."
            }
        }
    }
}

/// The ML change (likely case) at which cumulative value equals cumulative cost at the end of
/// month `months`. Value is linear in the ML change, so this is closed form.
pub fn ml_change_to_break_even(inputs: &WhatIfInputs, months: u32) -> Result<f64, GoalSeekProblem> {
    let (inputs, _) = sanitized(inputs);
    let per_unit_change = inputs.slope.likely * inputs.value_per_unit * inputs.volume_per_month;
    if per_unit_change == 0.0 {
        return Err(GoalSeekProblem::NoValueFromMlChange);
    }
    let full_months = full_value_months(months, inputs.deployment_months, inputs.ramp_up_months);
    if full_months <= 0.0 {
        return Err(GoalSeekProblem::NotLiveInTime);
    }
    Ok(cumulative_cost(&inputs, months) / (per_unit_change * full_months))
}

/// The ML change needed to move the business metric by `business_change_needed`, for the
/// link's likely slope and for each end of its interval.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetSeek {
    pub business_change_needed: f64,
    /// With the link's likely slope.
    pub likely: Option<f64>,
    /// The smallest and largest ML change over the link's interval; `None` when the interval
    /// includes a zero slope (then no ML change is sure to reach the target).
    pub range: Option<(f64, f64)>,
}

pub fn ml_change_to_reach(
    slope: Band<f64>,
    business_change_needed: f64,
) -> Result<TargetSeek, GoalSeekProblem> {
    if slope.likely == 0.0 || !slope.likely.is_finite() {
        return Err(GoalSeekProblem::FlatLink);
    }
    let lo = slope.low.min(slope.high).min(slope.likely);
    let hi = slope.low.max(slope.high).max(slope.likely);
    let range = if lo > 0.0 || hi < 0.0 {
        let a = business_change_needed / lo;
        let b = business_change_needed / hi;
        Some((a.min(b), a.max(b)))
    } else {
        None
    };
    Ok(TargetSeek {
        business_change_needed,
        likely: Some(business_change_needed / slope.likely),
        range,
    })
}

/// The assumptions of a scenario, as the UI labels them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Assumption {
    MlChange,
    LinkSlope,
    VolumePerMonth,
    ValuePerUnit,
    EngineeringMonths,
    EngineeringRate,
    CloudCostPerMonth,
    OneOffCosts,
    HorizonMonths,
    DeploymentMonths,
    RampUpMonths,
}

impl Assumption {
    pub const ALL: [Assumption; 11] = [
        Assumption::MlChange,
        Assumption::LinkSlope,
        Assumption::VolumePerMonth,
        Assumption::ValuePerUnit,
        Assumption::EngineeringMonths,
        Assumption::EngineeringRate,
        Assumption::CloudCostPerMonth,
        Assumption::OneOffCosts,
        Assumption::HorizonMonths,
        Assumption::DeploymentMonths,
        Assumption::RampUpMonths,
    ];

    /// The label of the input in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Assumption::MlChange => "ML change",
            Assumption::LinkSlope => "Link slope",
            Assumption::VolumePerMonth => "Volume per month",
            Assumption::ValuePerUnit => "Value per unit",
            Assumption::EngineeringMonths => "Engineering months",
            Assumption::EngineeringRate => "Cost per engineering month",
            Assumption::CloudCostPerMonth => "Cloud cost per month",
            Assumption::OneOffCosts => "One-off costs",
            Assumption::HorizonMonths => "Horizon",
            Assumption::DeploymentMonths => "Deployment time",
            Assumption::RampUpMonths => "Ramp-up time",
        }
    }

    /// The inputs with this assumption multiplied by `factor`.
    pub fn scaled(self, inputs: &WhatIfInputs, factor: f64) -> WhatIfInputs {
        let mut s = inputs.clone();
        match self {
            Assumption::MlChange => s.ml_change *= factor,
            Assumption::LinkSlope => s.slope = s.slope.map(|x| x * factor),
            Assumption::VolumePerMonth => s.volume_per_month *= factor,
            Assumption::ValuePerUnit => s.value_per_unit *= factor,
            Assumption::EngineeringMonths => s.engineering_months *= factor,
            Assumption::EngineeringRate => s.engineering_rate_per_month *= factor,
            Assumption::CloudCostPerMonth => s.cloud_cost_per_month *= factor,
            Assumption::OneOffCosts => s.one_off_costs *= factor,
            Assumption::HorizonMonths => {
                s.horizon_months = (f64::from(s.horizon_months) * factor).round() as u32;
            }
            Assumption::DeploymentMonths => s.deployment_months *= factor,
            Assumption::RampUpMonths => s.ramp_up_months *= factor,
        }
        s
    }
}

/// How the likely ROI moves when one assumption is 20% lower and 20% higher.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitivityBar {
    pub assumption: String,
    pub roi_at_minus_20_pct: Option<f64>,
    pub roi_at_plus_20_pct: Option<f64>,
}

impl SensitivityBar {
    /// How far apart the two ROIs are (0 when either is undefined).
    pub fn swing(&self) -> f64 {
        match (self.roi_at_minus_20_pct, self.roi_at_plus_20_pct) {
            (Some(a), Some(b)) => (a - b).abs(),
            _ => 0.0,
        }
    }
}

/// The share by which each assumption is varied in the sensitivity analysis.
pub const SENSITIVITY_STEP: f64 = 0.2;

/// The likely ROI with each assumption varied by ±20%, largest swing first (a tornado chart).
pub fn roi_sensitivity(inputs: &WhatIfInputs) -> Vec<SensitivityBar> {
    let mut bars: Vec<SensitivityBar> = Assumption::ALL
        .iter()
        .map(|a| {
            let roi = |factor: f64| evaluate(&a.scaled(inputs, factor)).roi.likely;
            SensitivityBar {
                assumption: a.label().to_string(),
                roi_at_minus_20_pct: roi(1.0 - SENSITIVITY_STEP),
                roi_at_plus_20_pct: roi(1.0 + SENSITIVITY_STEP),
            }
        })
        .collect();
    bars.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    bars
}

#[cfg(test)]
mod tests;
