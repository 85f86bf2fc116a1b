//! The Frame wizard's answers: from a business problem to an ML task.
//!
//! Besides the answers themselves, this module holds the wizard's plain-language texts, the
//! gentle checks of each step (`validation`), the task-type decision guide (`guide`) and the
//! ranking maths of decoupled objectives (`ranking`). No egui here.

mod guide;
mod later_steps;
mod ranking;
mod validation;

pub use guide::*;
pub use later_steps::*;
pub use ranking::*;

use serde::{Deserialize, Serialize};

/// The steps of the Frame wizard, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FrameStep {
    #[default]
    Problem,
    Objectives,
    MlFit,
    Task,
    MlObjective,
    Decoupled,
    Requirements,
    Process,
}

impl FrameStep {
    pub const ALL: [FrameStep; 8] = [
        FrameStep::Problem,
        FrameStep::Objectives,
        FrameStep::MlFit,
        FrameStep::Task,
        FrameStep::MlObjective,
        FrameStep::Decoupled,
        FrameStep::Requirements,
        FrameStep::Process,
    ];

    pub fn title(self) -> &'static str {
        match self {
            FrameStep::Problem => "Business problem",
            FrameStep::Objectives => "Business objectives",
            FrameStep::MlFit => "Is ML the right tool?",
            FrameStep::Task => "ML task",
            FrameStep::MlObjective => "ML objective",
            FrameStep::Decoupled => "Decoupled objectives",
            FrameStep::Requirements => "Requirements",
            FrameStep::Process => "Process and maturity",
        }
    }

    /// A short title for narrow step lists.
    pub fn short_title(self) -> &'static str {
        match self {
            FrameStep::Problem => "Problem",
            FrameStep::Objectives => "Objectives",
            FrameStep::MlFit => "ML fit",
            FrameStep::Task => "Task",
            FrameStep::MlObjective => "ML objective",
            FrameStep::Decoupled => "Decoupled",
            FrameStep::Requirements => "Requirements",
            FrameStep::Process => "Process",
        }
    }

    /// Two or three plain sentences that explain the idea of the step.
    pub fn explanation(self) -> &'static str {
        match self {
            FrameStep::Problem => {
                "Start from the business, not from the model. Say what goes wrong today, who \
                 owns the problem, and which decision a prediction would change. If no decision \
                 changes, no prediction is worth making."
            }
            FrameStep::Objectives => {
                "A business objective is a number the company already cares about, with a \
                 starting point and a goal. Write down where it is today, where it should be and \
                 by when, and what result would mean the project failed. Without a baseline, \
                 nobody can tell later whether it worked."
            }
            FrameStep::MlFit => {
                "ML learns patterns from examples and then makes predictions at scale; it is not \
                 the answer to everything. Go through the questions honestly: where the answer is \
                 no, a simple rule, a report or a person may serve better."
            }
            FrameStep::Task => {
                "Turn the decision into something a model can predict: what exactly is predicted, \
                 and for which entity. The same problem can often be framed in more than one way, \
                 and the framing decides how much data, compute and retraining you need later."
            }
            FrameStep::MlObjective => {
                "A model is trained to make its loss small and judged offline by ML metrics. \
                 Neither is the business metric. State the link you expect: this ML metric \
                 should move that business metric, by about this much, so the link can be \
                 tested with evidence."
            }
            FrameStep::Decoupled => {
                "Often you want several things at once, such as relevant items that are also of \
                 high quality. Train one model per objective and combine their scores with \
                 weights: the weights can then be tuned by the business, without retraining any \
                 model."
            }
            FrameStep::Requirements => {
                "A model that works in a notebook is not yet a product. Say how it may fail and \
                 how you would notice, how much it must handle, who looks after it, and how \
                 often it must learn again, each with a target someone can check."
            }
            FrameStep::Process => {
                "ML projects go round a loop, from scoping to data, model, deployment, \
                 monitoring and business analysis, and then around again. Where the project \
                 stands, and how experienced the organisation is with ML, set what return to \
                 expect and when: magically possible, overnight no."
            }
        }
    }

    /// 1-based position in the wizard.
    pub fn number(self) -> usize {
        self.index() + 1
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<FrameStep> {
        Self::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<FrameStep> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Self::ALL.get(i).copied())
    }
}

/// All answers of the Frame wizard.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Framing {
    pub problem: BusinessProblem,
    pub objectives: Vec<BusinessObjective>,
    pub ml_fit: MlFit,
    pub task: MlTask,
    pub ml_objective: MlObjective,
    pub decoupled: DecoupledObjectives,
    pub requirements: Requirements,
    pub process: Process,
    /// Steps the user chose to skip for now (shown as skipped, not as missing).
    pub skipped: Vec<FrameStep>,
}

impl Framing {
    /// Whether a step holds an answer.
    pub fn is_answered(&self, step: FrameStep) -> bool {
        let filled = |s: &str| !s.trim().is_empty();
        match step {
            FrameStep::Problem => filled(&self.problem.statement),
            FrameStep::Objectives => self.objectives.iter().any(|o| filled(&o.metric)),
            // Answered when every question is: an answer chosen (also "Unsure") or a note.
            FrameStep::MlFit => self.ml_fit.answered_questions() == MlFitCriterion::ALL.len(),
            FrameStep::Task => filled(&self.task.predicted),
            FrameStep::MlObjective => {
                filled(&self.ml_objective.loss) || !self.ml_objective.offline_metrics.is_empty()
            }
            FrameStep::Decoupled => !self.decoupled.objectives.is_empty(),
            FrameStep::Requirements => [
                &self.requirements.reliability,
                &self.requirements.scalability,
                &self.requirements.maintainability,
                &self.requirements.adaptability,
            ]
            .iter()
            .any(|r| filled(&r.description) || filled(&r.target)),
            FrameStep::Process => self.process.stage.is_some() || self.process.maturity.is_some(),
        }
    }

    /// How many steps hold an answer.
    pub fn answered_steps(&self) -> usize {
        FrameStep::ALL
            .iter()
            .filter(|s| self.is_answered(**s))
            .count()
    }

    /// Complete, skipped, or not yet: an answered step counts as complete even if it was
    /// skipped before.
    pub fn status(&self, step: FrameStep) -> StepStatus {
        if self.is_answered(step) {
            StepStatus::Complete
        } else if self.skipped.contains(&step) {
            StepStatus::Skipped
        } else {
            StepStatus::NotYet
        }
    }

    /// Mark a step as skipped for now.
    pub fn skip(&mut self, step: FrameStep) {
        if !self.skipped.contains(&step) {
            self.skipped.push(step);
        }
    }
}

/// Where a step of the wizard stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    Complete,
    Skipped,
    NotYet,
}

impl StepStatus {
    pub fn label(self) -> &'static str {
        match self {
            StepStatus::Complete => "Answered",
            StepStatus::Skipped => "Skipped for now",
            StepStatus::NotYet => "Not answered yet",
        }
    }
}

/// Step 1: the business problem and the decision the prediction drives.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessProblem {
    pub statement: String,
    pub owner: String,
    pub stakeholders: String,
    pub decision: String,
    pub current_baseline: String,
}

/// Whether more or less of a metric is better.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    #[default]
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::HigherIsBetter, Direction::LowerIsBetter];

    pub fn label(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "Higher is better",
            Direction::LowerIsBetter => "Lower is better",
        }
    }
}

/// Step 2: one measurable business objective.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessObjective {
    pub metric: String,
    pub unit: String,
    pub direction: Direction,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub horizon: String,
    pub failure_condition: String,
}

/// An answer to one yes/no question.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Yes,
    Partly,
    No,
    #[default]
    Unsure,
}

impl Answer {
    pub const ALL: [Answer; 4] = [Answer::Yes, Answer::Partly, Answer::No, Answer::Unsure];

    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "Yes",
            Answer::Partly => "Partly",
            Answer::No => "No",
            Answer::Unsure => "Not sure",
        }
    }
}
