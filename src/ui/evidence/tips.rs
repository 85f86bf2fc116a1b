//! Plain-word explanations shown as tooltips on the Evidence page: each statistic's sentence
//! comes from the analysis core (`analysis::explain`); the texts here explain the views.

pub use crate::analysis::Statistic;

/// The tooltip of a statistic.
pub fn stat(statistic: Statistic) -> &'static str {
    crate::analysis::explain(statistic)
}

pub const HOLM_TOGGLE: &str = "Show p-values adjusted for comparing several treatments with the \
     same control (Holm's method). Use it when more than one treatment is tested.";
pub const LIFT_CHART: &str = "Each dot is a treatment's change relative to the control; the \
     whisker is its interval. A whisker that crosses the \"no change\" line means the data is \
     consistent with no effect.";
pub const BAND: &str = "The shaded band is where the fitted line most likely lies; it widens where \
     there are fewer experiments.";
pub const KIND: &str = "A proportion is a yes/no metric (converted, churned, clicked); a mean is \
     any number (revenue, minutes). Auto picks proportion when every value is 0 or 1.";
pub const BUSINESS: &str = "Business metrics are what the company cares about (revenue, \
     retention); ML metrics are what the model optimises (accuracy, AUC). They are shown apart.";
pub const BOX_PLOT: &str = "The box spans the middle half of the units (from the first to the \
     third quartile), the line inside is the median, and the whiskers reach the furthest values \
     within 1.5 box lengths; values beyond are outliers.";
pub const HISTOGRAM: &str = "How many units fall in each range of the metric, as a share of the \
     variant's units so variants of different sizes compare fairly.";

/// The York fit.
pub const YORK: &str = "The noise-aware slope (York et al. 2004): it weighs each point by its \
    standard errors in both metrics. When the ML metric's changes are about as large as their \
    noise, the plain least-squares slope is pulled toward zero; this one is not.";

/// The reliability of x.
pub const RELIABILITY: &str = "1 − (average squared standard error of the ML metric) / (its \
    variance across points): the share of the spread in the ML metric that is real. Below 0.8, \
    the plain least-squares slope understates the real slope by about the missing share.";

/// The forest plot and shrinkage.
pub const FOREST: &str = "Each row is one past experiment: its measured effect with its \
    interval, and its shrunken effect (pulled toward the pooled effect by as much as its noise \
    warrants). The band is the pooled effect's interval.";
