//! The answers of the later Frame steps: is ML the right tool, the ML task, the ML objective,
//! decoupled objectives, requirements, and process and maturity.

use serde::{Deserialize, Serialize};

use super::*;

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

    /// A short name for tables.
    pub fn short_label(self) -> &'static str {
        match self {
            MlFitCriterion::ComplexPatterns => "Complex patterns",
            MlFitCriterion::DataAvailable => "Data available",
            MlFitCriterion::PredictionsNeeded => "Prediction needed",
            MlFitCriterion::PatternsRepeat => "Patterns repeat",
            MlFitCriterion::MistakesAffordable => "Mistakes affordable",
            MlFitCriterion::AtScale => "At scale",
            MlFitCriterion::PatternsChange => "Patterns change",
        }
    }

    /// One plain sentence on why the question matters.
    pub fn explanation(self) -> &'static str {
        match self {
            MlFitCriterion::ComplexPatterns => {
                "If a few simple rules capture it, write the rules: they are cheaper and easier \
                 to explain."
            }
            MlFitCriterion::DataAvailable => {
                "A model learns only from examples; without them there is nothing to learn from."
            }
            MlFitCriterion::PredictionsNeeded => {
                "ML gives predictions. If the decision needs something else, such as a report, \
                 ML does not help."
            }
            MlFitCriterion::PatternsRepeat => {
                "A model learns from the past; it can only predict what resembles the past."
            }
            MlFitCriterion::MistakesAffordable => {
                "Every model is sometimes wrong. The cost of a wrong prediction must be bearable, \
                 or caught by a person or a safe fallback."
            }
            MlFitCriterion::AtScale => {
                "A model pays off over many decisions; a handful a month is often better left to \
                 people."
            }
            MlFitCriterion::PatternsChange => {
                "Changing patterns make hand-written rules age fast, which favours ML, but the \
                 model will then need monitoring and retraining."
            }
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

impl MlFit {
    /// The answer to one criterion (`Unsure` when the file does not hold it).
    pub fn answer(&self, criterion: MlFitCriterion) -> Answer {
        self.answers
            .iter()
            .find(|a| a.criterion == criterion)
            .map_or(Answer::Unsure, |a| a.answer)
    }

    /// Whether the question of one criterion is answered: yes, partly or no, or "Unsure" with
    /// a note saying why.
    pub fn is_question_answered(&self, criterion: MlFitCriterion) -> bool {
        self.answers.iter().any(|a| {
            a.criterion == criterion && (a.answer != Answer::Unsure || !a.note.trim().is_empty())
        })
    }

    /// How many of the questions are answered.
    pub fn answered_questions(&self) -> usize {
        MlFitCriterion::ALL
            .iter()
            .filter(|c| self.is_question_answered(**c))
            .count()
    }

    /// The entry of one criterion, created if the file did not hold it.
    pub fn entry_mut(&mut self, criterion: MlFitCriterion) -> &mut MlFitAnswer {
        let position = match self.answers.iter().position(|a| a.criterion == criterion) {
            Some(position) => position,
            None => {
                self.answers.push(MlFitAnswer {
                    criterion,
                    ..MlFitAnswer::default()
                });
                self.answers.len() - 1
            }
        };
        &mut self.answers[position]
    }

    /// How many criteria have each answer: (yes, partly, no, not sure).
    pub fn tally(&self) -> (usize, usize, usize, usize) {
        let count = |answer| {
            MlFitCriterion::ALL
                .iter()
                .filter(|c| self.answer(**c) == answer)
                .count()
        };
        (
            count(Answer::Yes),
            count(Answer::Partly),
            count(Answer::No),
            count(Answer::Unsure),
        )
    }

    /// One sentence that reads the answers together (not a verdict: the team writes that).
    pub fn reading(&self) -> String {
        let (yes, partly, no, unsure) = self.tally();
        if yes + partly + no == 0 {
            return "No question answered yet.".to_string();
        }
        // "Patterns change" is not a reason against ML: count the six others for the reading.
        let against: Vec<&str> = MlFitCriterion::ALL
            .iter()
            .filter(|c| **c != MlFitCriterion::PatternsChange && self.answer(**c) == Answer::No)
            .map(|c| c.question())
            .collect();
        let counts = format!("{yes} yes, {partly} partly, {no} no, {unsure} not sure");
        if against.is_empty() && unsure == 0 && partly <= 1 {
            format!("{counts}: ML looks like a good fit.")
        } else if against.is_empty() {
            format!("{counts}: ML may fit; settle the open questions first.")
        } else if against.len() == 1 {
            format!(
                "{counts}: ML may fit only if \"{}\" can be resolved.",
                against.join("")
            )
        } else {
            format!(
                "{counts}: {} questions speak against ML; consider a simpler solution first.",
                against.len()
            )
        }
    }
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

    /// Whether the task predicts one of a set of classes.
    pub fn is_classification(self) -> bool {
        matches!(
            self,
            TaskType::BinaryClassification
                | TaskType::MulticlassClassification
                | TaskType::MultilabelClassification
        )
    }

    /// Whether the task learns from labelled examples.
    pub fn needs_labels(self) -> bool {
        !matches!(self, TaskType::Clustering | TaskType::AnomalyDetection)
    }

    /// Losses commonly used for this task type, most common first.
    pub fn suggested_losses(self) -> &'static [&'static str] {
        match self {
            TaskType::BinaryClassification => &["Log loss", "Focal loss", "Hinge loss"],
            TaskType::MulticlassClassification => &["Cross-entropy", "Focal loss"],
            TaskType::MultilabelClassification => &["Binary cross-entropy per label"],
            TaskType::Regression => &["RMSE", "MAE", "Huber loss"],
            TaskType::Ranking => &[
                "Pairwise logistic loss",
                "LambdaRank",
                "Softmax cross-entropy",
            ],
            TaskType::Clustering => &["Within-cluster sum of squares"],
            TaskType::AnomalyDetection => &["Reconstruction error", "One-class SVM loss"],
        }
    }

    /// Offline metrics commonly used for this task type.
    pub fn suggested_metrics(self) -> &'static [&'static str] {
        match self {
            TaskType::BinaryClassification => {
                &["AUC", "Precision", "Recall", "F1", "Calibration error"]
            }
            TaskType::MulticlassClassification => &["Accuracy", "Top-3 accuracy", "Macro F1"],
            TaskType::MultilabelClassification => &["Micro F1", "Macro F1", "Hamming loss"],
            TaskType::Regression => &["RMSE", "MAE", "MAPE", "R²"],
            TaskType::Ranking => &["NDCG@10", "MRR", "MAP", "Recall@10"],
            TaskType::Clustering => &["Silhouette score", "Cluster stability"],
            TaskType::AnomalyDetection => &["Precision at k", "Recall on known cases"],
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
    /// The answers to the task-type decision guide.
    pub guide: TaskGuide,
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
    /// Why these objectives, how each is modelled, and who tunes the weights.
    pub rationale: String,
}

/// One requirement with a concrete target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Requirement {
    pub description: String,
    pub target: String,
}

/// The four kinds of requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequirementKind {
    Reliability,
    Scalability,
    Maintainability,
    Adaptability,
}

impl RequirementKind {
    pub const ALL: [RequirementKind; 4] = [
        RequirementKind::Reliability,
        RequirementKind::Scalability,
        RequirementKind::Maintainability,
        RequirementKind::Adaptability,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RequirementKind::Reliability => "Reliability",
            RequirementKind::Scalability => "Scalability",
            RequirementKind::Maintainability => "Maintainability",
            RequirementKind::Adaptability => "Adaptability",
        }
    }

    /// What the requirement is about, in a sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            RequirementKind::Reliability => {
                "How it may fail, and how you would notice. Models often fail silently: they \
                 keep answering, just wrongly."
            }
            RequirementKind::Scalability => {
                "How many predictions a day, how many models, and how fast the data grows."
            }
            RequirementKind::Maintainability => {
                "Who owns the model, and whether any prediction can be traced to the model \
                 version and data that made it."
            }
            RequirementKind::Adaptability => {
                "How the world drifts away from the training data, and how often the model must \
                 learn again."
            }
        }
    }

    /// An example target, shown as a hint in an empty field.
    pub fn target_hint(self) -> &'static str {
        match self {
            RequirementKind::Reliability => "e.g. alert within 1 hour when the score mix shifts",
            RequirementKind::Scalability => "e.g. 5 million predictions a day, p99 under 50 ms",
            RequirementKind::Maintainability => "e.g. any prediction reproducible within a day",
            RequirementKind::Adaptability => "e.g. retrain weekly; deploy in under 1 day",
        }
    }
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

impl Requirements {
    pub fn get(&self, kind: RequirementKind) -> &Requirement {
        match kind {
            RequirementKind::Reliability => &self.reliability,
            RequirementKind::Scalability => &self.scalability,
            RequirementKind::Maintainability => &self.maintainability,
            RequirementKind::Adaptability => &self.adaptability,
        }
    }

    pub fn get_mut(&mut self, kind: RequirementKind) -> &mut Requirement {
        match kind {
            RequirementKind::Reliability => &mut self.reliability,
            RequirementKind::Scalability => &mut self.scalability,
            RequirementKind::Maintainability => &mut self.maintainability,
            RequirementKind::Adaptability => &mut self.adaptability,
        }
    }
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

    /// A short label for the loop diagram.
    pub fn short_label(self) -> &'static str {
        match self {
            ProcessStage::Scoping => "Scoping",
            ProcessStage::DataEngineering => "Data",
            ProcessStage::ModelDevelopment => "Model",
            ProcessStage::Deployment => "Deployment",
            ProcessStage::Monitoring => "Monitoring",
            ProcessStage::BusinessAnalysis => "Business analysis",
        }
    }

    /// What happens in the stage, in a sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            ProcessStage::Scoping => {
                "Framing the problem, the objectives and the constraints: this wizard."
            }
            ProcessStage::DataEngineering => {
                "Finding, cleaning and labelling the data, and building the pipelines that feed it."
            }
            ProcessStage::ModelDevelopment => {
                "Training and comparing models offline, and choosing one worth testing."
            }
            ProcessStage::Deployment => {
                "Putting the model in front of real decisions, usually behind an A/B test."
            }
            ProcessStage::Monitoring => {
                "Watching the model in production and retraining it as the world changes."
            }
            ProcessStage::BusinessAnalysis => {
                "Checking whether the business metric moved, and deciding what to do next."
            }
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

    /// The return to expect at this maturity, in the words of a realistic consultant.
    pub fn roi_suggestion(self) -> &'static str {
        match self {
            Maturity::FirstProject => {
                "Expect most of the first year to go into data pipelines, tooling and learning \
                 how to run ML. A first model in production within 6 to 12 months is good \
                 progress; measurable business returns usually come in the second year. \
                 Magically possible, overnight no."
            }
            Maturity::Emerging => {
                "Each new model still takes a few months, most of it data and deployment work. \
                 Expect the first measured effect within two quarters and payback within 12 to \
                 18 months."
            }
            Maturity::Established => {
                "Shared pipelines turn a new model into weeks of work. A measured effect within \
                 a quarter and payback within a year are realistic."
            }
            Maturity::Advanced => {
                "With a platform and automated retraining, improvements ship in days. Returns \
                 come from many small, measured gains; judge the programme by their sum."
            }
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
