//! One plain sentence per statistic, for tooltips: what the number means to someone who decides
//! with it, not how it is computed.

/// Every figure the Evidence and What-if views show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Statistic {
    /// Rows with a value of the metric.
    N,
    /// Rows whose value of the metric was empty or unreadable.
    Missing,
    Mean,
    Proportion,
    StdDev,
    /// Interval of a variant's mean or proportion.
    VariantCi,
    Diff,
    DiffCi,
    RelLift,
    RelLiftCi,
    /// t of Welch's test or z of the two-proportion test.
    TestStatistic,
    DegreesOfFreedom,
    PValue,
    PValueHolm,
    Alpha,
    SampleRatioMismatch,
    PearsonR,
    PearsonCi,
    SpearmanRho,
    Slope,
    SlopeCi,
    Intercept,
    RSquared,
    SampleSize,
    Power,
    MinimumDetectableEffect,
    Threshold,
    ThresholdValue,
    Precision,
    Recall,
    F1,
    /// p-value of the relative lift (delta method).
    RelPValue,
    /// The smallest change this comparison could have detected (80% power).
    DetectableChange,
    ChanceToWin,
    ExpectedLoss,
    /// CUPED: the share of the noise the pre-experiment covariate removed.
    VarianceReduction,
    /// Cochran's Q and I² across segments.
    Heterogeneity,
    /// Ship / don't ship / inconclusive / sample-ratio problem.
    Decision,
}

impl Statistic {
    /// Every statistic, for tests and help screens.
    pub const ALL: [Statistic; 38] = [
        Statistic::N,
        Statistic::Missing,
        Statistic::Mean,
        Statistic::Proportion,
        Statistic::StdDev,
        Statistic::VariantCi,
        Statistic::Diff,
        Statistic::DiffCi,
        Statistic::RelLift,
        Statistic::RelLiftCi,
        Statistic::TestStatistic,
        Statistic::DegreesOfFreedom,
        Statistic::PValue,
        Statistic::PValueHolm,
        Statistic::Alpha,
        Statistic::SampleRatioMismatch,
        Statistic::PearsonR,
        Statistic::PearsonCi,
        Statistic::SpearmanRho,
        Statistic::Slope,
        Statistic::SlopeCi,
        Statistic::Intercept,
        Statistic::RSquared,
        Statistic::SampleSize,
        Statistic::Power,
        Statistic::MinimumDetectableEffect,
        Statistic::Threshold,
        Statistic::ThresholdValue,
        Statistic::Precision,
        Statistic::Recall,
        Statistic::F1,
        Statistic::RelPValue,
        Statistic::DetectableChange,
        Statistic::ChanceToWin,
        Statistic::ExpectedLoss,
        Statistic::VarianceReduction,
        Statistic::Heterogeneity,
        Statistic::Decision,
    ];

    /// A short label for a column header or a legend.
    pub fn label(self) -> &'static str {
        match self {
            Statistic::N => "n",
            Statistic::Missing => "Missing",
            Statistic::Mean => "Mean",
            Statistic::Proportion => "Rate",
            Statistic::StdDev => "Std dev",
            Statistic::VariantCi => "Interval",
            Statistic::Diff => "Difference",
            Statistic::DiffCi => "Difference interval",
            Statistic::RelLift => "Lift",
            Statistic::RelLiftCi => "Lift interval",
            Statistic::TestStatistic => "Test statistic",
            Statistic::DegreesOfFreedom => "df",
            Statistic::PValue => "p-value",
            Statistic::PValueHolm => "Adjusted p",
            Statistic::Alpha => "Alpha",
            Statistic::SampleRatioMismatch => "Sample ratio check",
            Statistic::PearsonR => "Correlation r",
            Statistic::PearsonCi => "r interval",
            Statistic::SpearmanRho => "Rank correlation",
            Statistic::Slope => "Slope",
            Statistic::SlopeCi => "Slope interval",
            Statistic::Intercept => "Intercept",
            Statistic::RSquared => "R²",
            Statistic::SampleSize => "Sample size",
            Statistic::Power => "Power",
            Statistic::MinimumDetectableEffect => "Smallest effect",
            Statistic::Threshold => "Threshold",
            Statistic::ThresholdValue => "Value",
            Statistic::Precision => "Precision",
            Statistic::Recall => "Recall",
            Statistic::F1 => "F1",
            Statistic::RelPValue => "p of the lift",
            Statistic::DetectableChange => "Detectable change",
            Statistic::ChanceToWin => "Chance to win",
            Statistic::ExpectedLoss => "Expected loss",
            Statistic::VarianceReduction => "Noise removed",
            Statistic::Heterogeneity => "Differs by segment",
            Statistic::Decision => "Decision",
        }
    }
}

/// One sentence explaining a statistic to someone who decides with it.
pub fn explain(stat: Statistic) -> &'static str {
    match stat {
        Statistic::N => "How many users (rows) in this variant have a value for the metric.",
        Statistic::Missing => {
            "How many rows had no usable value for this metric and were left out of it."
        }
        Statistic::Mean => "The average value of the metric per user (row) in this variant.",
        Statistic::Proportion => {
            "The share of users in this variant for whom the yes/no metric was yes, such as the \
             share who converted."
        }
        Statistic::StdDev => {
            "How much the metric typically varies from one user to the next; the larger it is, \
             the more users an experiment needs."
        }
        Statistic::VariantCi => {
            "The range that, given how many users were measured, most plausibly holds this \
             variant's true average if the experiment ran forever."
        }
        Statistic::Diff => {
            "How much higher (or lower) the variant's average is than the control's, in the \
             metric's own unit."
        }
        Statistic::DiffCi => {
            "The range of differences that fit the data at the chosen confidence level: \
             intervals made this way contain the true difference in, say, 95 of 100 \
             experiments, so one that excludes zero means chance alone is an unlikely \
             explanation, not that the difference is certain or exactly this size."
        }
        Statistic::RelLift => {
            "The difference as a percentage of the control's average: +3% means 3% more than \
             the control."
        }
        Statistic::RelLiftCi => {
            "The range of percentage changes that fit the data; the narrower it is, the more \
             precisely the experiment measured the change."
        }
        Statistic::TestStatistic => {
            "The difference measured in units of its own uncertainty; values beyond about ±2 \
             are rarely produced by chance alone."
        }
        Statistic::DegreesOfFreedom => {
            "How much independent information the test's uncertainty rests on; with many users \
             it is large and does not matter."
        }
        Statistic::PValue => {
            "How often a difference at least this large would appear by pure chance if the \
             variant truly changed nothing; small values (below alpha) mean chance is an \
             unlikely explanation."
        }
        Statistic::PValueHolm => {
            "The p-value corrected for comparing several variants with the same control, so \
             that one lucky variant among many is not mistaken for a real effect."
        }
        Statistic::Alpha => {
            "The significance level: how often you accept a false alarm, that is a variant that \
             truly changes nothing still passing as a difference; 0.05 means about one such \
             variant in twenty."
        }
        Statistic::SampleRatioMismatch => {
            "Checks that each variant received the share of users it was meant to; a failed \
             check usually means a bug in assignment or logging, which can bias every result."
        }
        Statistic::PearsonR => {
            "How closely the two metrics move together along a straight line, from −1 (exactly \
             opposite) through 0 (unrelated) to +1 (in lockstep)."
        }
        Statistic::PearsonCi => {
            "The range of correlations that fit the data; with few points it is wide, so a high \
             r alone can mislead."
        }
        Statistic::SpearmanRho => {
            "Like the correlation r, but only asks whether a higher value of one metric goes \
             with a higher value of the other, so a few extreme points sway it less."
        }
        Statistic::Slope => {
            "How much the business metric changes, on average, for each one-unit increase in \
             the ML metric."
        }
        Statistic::SlopeCi => {
            "The range of slopes that fit the data; use its ends as the pessimistic and \
             optimistic case when projecting a business change from an ML change."
        }
        Statistic::Intercept => {
            "Where the fitted line crosses zero on the ML metric; often far outside the data and \
             not meant to be read on its own."
        }
        Statistic::RSquared => {
            "The share of the variation in the business metric that the straight-line link to \
             the ML metric accounts for, from 0 to 1."
        }
        Statistic::SampleSize => {
            "How many users each variant needs so that a real change of the chosen size is \
             likely to be detected."
        }
        Statistic::Power => {
            "The chance that the experiment detects a real change of the chosen size; 0.8 means \
             it misses such a change one time in five."
        }
        Statistic::MinimumDetectableEffect => {
            "The smallest change worth detecting; smaller changes need many more users \
             (halving it needs about four times as many)."
        }
        Statistic::Threshold => {
            "The score at or above which the model's prediction is acted upon (for example, a \
             transaction is flagged)."
        }
        Statistic::ThresholdValue => {
            "The total business value of acting on the model at this threshold, adding up the \
             value of every correct and incorrect decision."
        }
        Statistic::Precision => {
            "Of the cases the model flags at this threshold, the share that are truly positive."
        }
        Statistic::Recall => {
            "Of the truly positive cases, the share the model flags at this threshold."
        }
        Statistic::F1 => {
            "A single score balancing precision and recall; it ignores what each kind of \
             mistake costs, which the value curve takes into account."
        }
        Statistic::RelPValue => {
            "The p-value of the percentage change itself, on the same scale as the lift's \
             interval: below alpha exactly when that interval excludes no change."
        }
        Statistic::DetectableChange => {
            "The smallest true change this comparison had an 80% chance of detecting; a change \
             smaller than this could easily go unnoticed, so no difference found is not proof \
             of no effect."
        }
        Statistic::ChanceToWin => {
            "The probability that the variant is truly better than the control, under a flat \
             prior and a normal approximation (a Bayesian reading of the same data)."
        }
        Statistic::ExpectedLoss => {
            "What shipping the variant would cost on average, in the metric's own unit, over \
             the cases where it is in fact worse (flat prior, normal approximation)."
        }
        Statistic::VarianceReduction => {
            "The share of the noise removed by adjusting for each unit's pre-experiment value \
             (CUPED), which narrows intervals as if the experiment had more users."
        }
        Statistic::Heterogeneity => {
            "Whether the effect differs between segments more than chance would explain \
             (Cochran's Q), and the share of the spread that is real rather than noise (I²)."
        }
        Statistic::Decision => {
            "Ship when a success metric improved clearly and no guardrail got worse than its \
             margin, don't ship when one clearly got worse, otherwise inconclusive; a broken \
             traffic split blocks any decision."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_alpha_are_explained_correctly() {
        let ci = explain(Statistic::DiffCi);
        assert!(!ci.contains("really differs"), "{ci}");
        assert!(ci.contains("not that the difference is certain"), "{ci}");
        let alpha = explain(Statistic::Alpha);
        assert!(!alpha.contains("calling a result real"), "{alpha}");
        assert!(alpha.contains("truly changes nothing"), "{alpha}");
    }

    #[test]
    fn every_statistic_has_one_sentence_and_a_label() {
        for stat in Statistic::ALL {
            let text = explain(stat);
            assert!(text.ends_with('.'), "{stat:?}");
            assert_eq!(
                text.matches(". ").count(),
                0,
                "{stat:?} has more than one sentence"
            );
            assert!(!stat.label().is_empty());
        }
    }
}
