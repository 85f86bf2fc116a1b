//! What-if scenarios: an ML change translated into business value, costs, ROI and payback.

use serde::{Deserialize, Serialize};

use super::Maturity;

/// Where the ML-to-business link of a scenario comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LinkSource {
    /// The slope measured on the Evidence page (by link analysis id), with its interval.
    Measured { link_id: String },
    /// A slope the user enters, with a low and high bound.
    Manual { slope: f64, low: f64, high: f64 },
}

impl Default for LinkSource {
    fn default() -> Self {
        LinkSource::Manual {
            slope: 0.0,
            low: 0.0,
            high: 0.0,
        }
    }
}

/// One what-if scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    /// The ML metric that changes.
    pub ml_metric: String,
    /// The change of the ML metric, in its own unit (e.g. 0.5 for +0.5 pp of accuracy).
    pub ml_change: f64,
    /// How the ML change translates into a business change.
    pub link: LinkSource,
    /// The business metric that moves.
    pub business_metric: String,
    /// Users or decisions per month.
    pub volume_per_month: f64,
    /// Value of one unit of the business metric per user or decision, in money.
    pub value_per_unit: f64,
    pub engineering_months: f64,
    pub engineering_rate_per_month: f64,
    pub cloud_cost_per_month: f64,
    pub one_off_costs: f64,
    pub horizon_months: u32,
    /// The organisation's maturity, which sets deployment and ramp-up time.
    pub maturity: Option<Maturity>,
    pub notes: String,
}
