//! ROI by ML maturity: one table in which each maturity stage sets the deployment and ramp-up
//! times and multipliers on engineering months and cloud cost (CONTRACT.md, `whatif`
//! second-wave additions). The defaults and the reasoning behind them are in docs/MATURITY.md;
//! a project may override them (What-if page, "Maturity table").
//!
//! The multipliers are relative: a scenario's engineering months and cloud cost are what its
//! own stage needs, and another stage's figures are those times `multiplier(other) /
//! multiplier(own)`. So a scenario's own figures never change with the table's multipliers, and
//! the by-maturity comparison shows what the same model would cost and earn elsewhere.

use serde::{Deserialize, Serialize};

use crate::model::Maturity;

/// What one maturity stage assumes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaturityStage {
    pub stage: Maturity,
    /// Months from the start until the model is live.
    pub deployment_months: f64,
    /// Months from going live until the full effect.
    pub ramp_up_months: f64,
    /// Engineering months needed, relative to an established team (1.0).
    pub engineering_multiplier: f64,
    /// Cloud cost, relative to an established team (1.0).
    pub cloud_multiplier: f64,
}

impl Default for MaturityStage {
    fn default() -> Self {
        default_stage(Maturity::Established)
    }
}

/// The default assumptions of one stage (docs/MATURITY.md gives the reasoning).
pub fn default_stage(stage: Maturity) -> MaturityStage {
    let (deployment_months, ramp_up_months, engineering_multiplier, cloud_multiplier) = match stage
    {
        Maturity::FirstProject => (4.0, 3.0, 1.5, 1.3),
        Maturity::Emerging => (3.0, 2.0, 1.25, 1.15),
        Maturity::Established => (2.0, 1.0, 1.0, 1.0),
        Maturity::Advanced => (1.0, 1.0, 0.75, 0.85),
    };
    MaturityStage {
        stage,
        deployment_months,
        ramp_up_months,
        engineering_multiplier,
        cloud_multiplier,
    }
}

/// The maturity table of a project: one row per stage, in the order of [`Maturity::ALL`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaturityTable {
    pub stages: Vec<MaturityStage>,
}

impl Default for MaturityTable {
    fn default() -> Self {
        Self {
            stages: Maturity::ALL.iter().map(|m| default_stage(*m)).collect(),
        }
    }
}

impl MaturityTable {
    /// Whether this is the documented default table (then the project file does not store it).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The row of a stage, usable whatever the file held: a stage missing from the table takes
    /// its default, and a value that is not a number or is negative takes the default's.
    pub fn stage(&self, stage: Maturity) -> MaturityStage {
        let default = default_stage(stage);
        let Some(row) = self.stages.iter().find(|s| s.stage == stage) else {
            return default;
        };
        let times = |x: f64, d: f64| if x.is_finite() && x >= 0.0 { x } else { d };
        let factor = |x: f64, d: f64| if x.is_finite() && x > 0.0 { x } else { d };
        MaturityStage {
            stage,
            deployment_months: times(row.deployment_months, default.deployment_months),
            ramp_up_months: times(row.ramp_up_months, default.ramp_up_months),
            engineering_multiplier: factor(
                row.engineering_multiplier,
                default.engineering_multiplier,
            ),
            cloud_multiplier: factor(row.cloud_multiplier, default.cloud_multiplier),
        }
    }

    /// Deployment and ramp-up months of a stage.
    pub fn times(&self, stage: Maturity) -> (f64, f64) {
        let s = self.stage(stage);
        (s.deployment_months, s.ramp_up_months)
    }

    /// A mutable row of a stage, added with its default when missing (for the editor).
    pub fn stage_mut(&mut self, stage: Maturity) -> &mut MaturityStage {
        let index = match self.stages.iter().position(|s| s.stage == stage) {
            Some(i) => i,
            None => {
                self.stages.push(default_stage(stage));
                self.stages.len() - 1
            }
        };
        &mut self.stages[index]
    }

    /// Rows that differ from their default, by stage (for a note on the page and report).
    pub fn overridden(&self) -> Vec<Maturity> {
        Maturity::ALL
            .iter()
            .copied()
            .filter(|m| self.stage(*m) != default_stage(*m))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_keep_the_old_times_and_grow_cheaper_with_maturity() {
        let t = MaturityTable::default();
        assert_eq!(t.times(Maturity::FirstProject), (4.0, 3.0));
        assert_eq!(t.times(Maturity::Emerging), (3.0, 2.0));
        assert_eq!(t.times(Maturity::Established), (2.0, 1.0));
        assert_eq!(t.times(Maturity::Advanced), (1.0, 1.0));
        let eng: Vec<f64> = Maturity::ALL
            .iter()
            .map(|m| t.stage(*m).engineering_multiplier)
            .collect();
        assert!(eng.windows(2).all(|w| w[0] > w[1]));
        assert!(t.is_default());
        assert!(t.overridden().is_empty());
    }

    #[test]
    fn bad_or_missing_rows_fall_back_to_defaults() {
        let mut t = MaturityTable { stages: Vec::new() };
        assert_eq!(
            t.stage(Maturity::Advanced),
            default_stage(Maturity::Advanced)
        );
        let row = t.stage_mut(Maturity::Advanced);
        row.deployment_months = f64::NAN;
        row.engineering_multiplier = 0.0;
        row.cloud_multiplier = 2.0;
        let s = t.stage(Maturity::Advanced);
        assert_eq!(s.deployment_months, 1.0);
        assert_eq!(s.engineering_multiplier, 0.75);
        assert_eq!(s.cloud_multiplier, 2.0);
        assert_eq!(t.overridden(), vec![Maturity::Advanced]);
    }
}
