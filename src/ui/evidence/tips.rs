//! Plain-word explanations of each statistic, shown as tooltips on the Evidence page.

pub const ALPHA: &str = "How much risk of a false alarm you accept. At 0.05, a treatment that \
     truly changes nothing still looks like a win or a loss 1 time in 20. The intervals shown \
     cover the true value 95 % of the time.";
pub const N: &str = "How many units (users, sessions, requests) in this variant had a value for \
     the metric.";
pub const MISSING: &str = "Units left out of this metric because their value was empty or not a \
     number.";
pub const MEAN: &str = "The average of the metric in this variant. For a yes/no metric it is the \
     share of units with \"yes\".";
pub const STD_DEV: &str = "How much the metric varies from unit to unit in this variant (the \
     sample standard deviation).";
pub const CI: &str = "The range in which the true value most likely lies, given how many units \
     were measured and how much they vary.";
pub const DIFF: &str = "The treatment's average minus the control's average, in the metric's own \
     unit, with its interval.";
pub const REL_LIFT: &str = "The difference as a share of the control's average: +5 % means the \
     treatment's average is 5 % higher than the control's.";
pub const P_VALUE: &str = "If the treatment truly changed nothing, how often a difference at least \
     this large would appear by chance alone. Small values (below the significance level) mean \
     the difference is unlikely to be chance.";
pub const P_HOLM: &str = "The p-value adjusted because several treatments were compared with the \
     same control (Holm's method): each extra comparison is another chance of a false alarm, \
     and the adjustment keeps the overall risk at the significance level.";
pub const HOLM_TOGGLE: &str = "Show p-values adjusted for comparing several treatments with the \
     same control (Holm's method). Use it when more than one treatment is tested.";
pub const SRM: &str = "The sample-ratio check compares how many units each variant got with the \
     split that was planned. A large mismatch means the assignment or the logging is broken, and \
     every result of this test is suspect until the cause is found.";
pub const VERDICT: &str = "What the numbers say, in one sentence.";
pub const LIFT_CHART: &str = "Each dot is a treatment's change relative to the control; the \
     whisker is its interval. A whisker that crosses the \"no change\" line means the data is \
     consistent with no effect.";
pub const PEARSON: &str = "How closely the two metrics move together on a straight line, from -1 \
     (opposite) through 0 (unrelated) to +1 (in lockstep).";
pub const SPEARMAN: &str = "Like the correlation, but only about order: does a higher ML metric \
     come with a higher business metric, whether or not on a straight line?";
pub const SLOPE: &str = "How much the business metric changed, on average, per unit of the ML \
     metric, with its interval.";
pub const R_SQUARED: &str = "The share of the differences in the business metric that the ML \
     metric accounts for on a straight line (0 to 1).";
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
