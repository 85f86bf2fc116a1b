//! The Frame wizard's answers: from a business problem to an ML task.

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
            FrameStep::MlFit => self
                .ml_fit
                .answers
                .iter()
                .any(|a| a.answer != Answer::Unsure),
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

/// The criteria of "is ML the right tool?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MlFitCriterion {
    ComplexPatterns,
    DataAvailable,
    PredictionsNeeded,
    PatternsRepeat,
    MistakesAffordable,
    AtScale,
    PatternsChange,
}

impl MlFitCriterion {
    pub const ALL: [MlFitCriterion; 7] = [
        MlFitCriterion::ComplexPatterns,
        MlFitCriterion::DataAvailable,
        MlFitCriterion::PredictionsNeeded,
        MlFitCriterion::PatternsRepeat,
        MlFitCriterion::MistakesAffordable,
        MlFitCriterion::AtScale,
        MlFitCriterion::PatternsChange,
    ];

    pub fn question(self) -> &'static str {
        match self {
            MlFitCriterion::ComplexPatterns => "Are there complex patterns to learn?",
            MlFitCriterion::DataAvailable => "Does the data exist, or can it be collected?",
            MlFitCriterion::PredictionsNeeded => "Is a prediction what the decision needs?",
            MlFitCriterion::PatternsRepeat => "Do the patterns repeat?",
            MlFitCriterion::MistakesAffordable => "Are wrong predictions affordable?",
            MlFitCriterion::AtScale => "Is the problem at scale (many decisions)?",
            MlFitCriterion::PatternsChange => "Do the patterns change over time?",
        }
    }
}

/// One answered criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlFitAnswer {
    pub criterion: MlFitCriterion,
    pub answer: Answer,
    pub note: String,
}

impl Default for MlFitAnswer {
    fn default() -> Self {
        Self {
            criterion: MlFitCriterion::ComplexPatterns,
            answer: Answer::Unsure,
            note: String::new(),
        }
    }
}

/// Step 3: is ML the right tool?
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlFit {
    pub answers: Vec<MlFitAnswer>,
    pub conclusion: String,
}

impl Default for MlFit {
    fn default() -> Self {
        Self {
            answers: MlFitCriterion::ALL
                .iter()
                .map(|c| MlFitAnswer {
                    criterion: *c,
                    ..MlFitAnswer::default()
                })
                .collect(),
            conclusion: String::new(),
        }
    }
}

/// The kind of ML task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskType {
    #[default]
    BinaryClassification,
    MulticlassClassification,
    MultilabelClassification,
    Regression,
    Ranking,
    Clustering,
    AnomalyDetection,
}

impl TaskType {
    pub const ALL: [TaskType; 7] = [
        TaskType::BinaryClassification,
        TaskType::MulticlassClassification,
        TaskType::MultilabelClassification,
        TaskType::Regression,
        TaskType::Ranking,
        TaskType::Clustering,
        TaskType::AnomalyDetection,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TaskType::BinaryClassification => "Binary classification",
            TaskType::MulticlassClassification => "Multiclass classification",
            TaskType::MultilabelClassification => "Multilabel classification",
            TaskType::Regression => "Regression",
            TaskType::Ranking => "Ranking",
            TaskType::Clustering => "Clustering",
            TaskType::AnomalyDetection => "Anomaly detection",
        }
    }
}

/// An alternative way to frame the same problem, with its trade-offs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlternativeFraming {
    pub task_type: TaskType,
    pub description: String,
    pub pros: String,
    pub cons: String,
    pub chosen: bool,
}

/// Step 4: the ML task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlTask {
    /// What is predicted ("will this subscriber cancel in the next 30 days").
    pub predicted: String,
    /// For which entity (subscriber, transaction, user and context).
    pub entity: String,
    pub task_type: TaskType,
    /// Number of classes, for classification.
    pub classes: Option<u32>,
    pub alternatives: Vec<AlternativeFraming>,
}

/// The hypothesised link: "this ML metric should move that business metric, by about this much".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HypothesisedLink {
    pub ml_metric: String,
    pub business_metric: String,
    pub expected_effect: String,
}

/// Step 5: the ML objective.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlObjective {
    pub loss: String,
    pub offline_metrics: Vec<String>,
    pub links: Vec<HypothesisedLink>,
}

/// One objective with a weight in a decoupled ranking.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeightedObjective {
    pub name: String,
    pub weight: f64,
}

/// An item of the live re-ranking preview, with one score per objective.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreviewItem {
    pub name: String,
    pub scores: Vec<f64>,
}

/// Step 6: decoupled objectives.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecoupledObjectives {
    pub objectives: Vec<WeightedObjective>,
    pub preview_items: Vec<PreviewItem>,
}

/// One requirement with a concrete target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Requirement {
    pub description: String,
    pub target: String,
}

/// Step 7: the four requirements.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Requirements {
    pub reliability: Requirement,
    pub scalability: Requirement,
    pub maintainability: Requirement,
    pub adaptability: Requirement,
}

/// Where the project stands in the iterative ML process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProcessStage {
    Scoping,
    DataEngineering,
    ModelDevelopment,
    Deployment,
    Monitoring,
    BusinessAnalysis,
}

impl ProcessStage {
    pub const ALL: [ProcessStage; 6] = [
        ProcessStage::Scoping,
        ProcessStage::DataEngineering,
        ProcessStage::ModelDevelopment,
        ProcessStage::Deployment,
        ProcessStage::Monitoring,
        ProcessStage::BusinessAnalysis,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ProcessStage::Scoping => "Scoping",
            ProcessStage::DataEngineering => "Data engineering",
            ProcessStage::ModelDevelopment => "Model development",
            ProcessStage::Deployment => "Deployment",
            ProcessStage::Monitoring => "Monitoring and continual learning",
            ProcessStage::BusinessAnalysis => "Business analysis",
        }
    }
}

/// The organisation's ML maturity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Maturity {
    /// No ML in production yet.
    FirstProject,
    /// A few models in production, built by hand.
    Emerging,
    /// Shared tooling and pipelines for many models.
    Established,
    /// ML platform, automated retraining and monitoring.
    Advanced,
}

impl Maturity {
    pub const ALL: [Maturity; 4] = [
        Maturity::FirstProject,
        Maturity::Emerging,
        Maturity::Established,
        Maturity::Advanced,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Maturity::FirstProject => "First ML project",
            Maturity::Emerging => "Emerging (a few models, built by hand)",
            Maturity::Established => "Established (shared pipelines)",
            Maturity::Advanced => "Advanced (ML platform, automated retraining)",
        }
    }
}

/// Step 8: process and maturity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Process {
    pub stage: Option<ProcessStage>,
    pub maturity: Option<Maturity>,
    pub roi_expectation: String,
}
