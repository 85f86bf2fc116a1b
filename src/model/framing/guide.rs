//! The task-type decision guide: a few plain questions that recommend a task type, with
//! alternative framings and their trade-offs.

use serde::{Deserialize, Serialize};

use super::{AlternativeFraming, MlTask, TaskType};

/// "What does the prediction give back?"
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PredictionOutput {
    /// One (or several) of a set of categories.
    Category,
    /// A number.
    Number,
    /// An order of items.
    Order,
    /// Groups of similar items, with no right answer known.
    Groups,
    /// Rare, unusual cases.
    Unusual,
}

impl PredictionOutput {
    pub const ALL: [PredictionOutput; 5] = [
        PredictionOutput::Category,
        PredictionOutput::Number,
        PredictionOutput::Order,
        PredictionOutput::Groups,
        PredictionOutput::Unusual,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PredictionOutput::Category => "A category",
            PredictionOutput::Number => "A number",
            PredictionOutput::Order => "An order of items",
            PredictionOutput::Groups => "Groups of similar items",
            PredictionOutput::Unusual => "Rare, unusual cases",
        }
    }

    pub fn example(self) -> &'static str {
        match self {
            PredictionOutput::Category => "will cancel or not; which app is opened next",
            PredictionOutput::Number => "revenue next month; minutes watched",
            PredictionOutput::Order => "which posts to show first",
            PredictionOutput::Groups => "customer segments nobody has named yet",
            PredictionOutput::Unusual => "fraudulent payments; failing machines",
        }
    }
}

/// "Do you learn the right answer for past cases?"
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelAvailability {
    /// For most past cases.
    Yes,
    /// Only for a few (or only after a long delay).
    Few,
    No,
}

impl LabelAvailability {
    pub const ALL: [LabelAvailability; 3] = [
        LabelAvailability::Yes,
        LabelAvailability::Few,
        LabelAvailability::No,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LabelAvailability::Yes => "Yes, for most cases",
            LabelAvailability::Few => "Only for a few",
            LabelAvailability::No => "No",
        }
    }
}

/// The answers to the decision guide. `None` is "not answered".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskGuide {
    pub output: Option<PredictionOutput>,
    /// Can one item belong to several categories at once?
    pub several_per_item: Option<bool>,
    /// Does the set of categories change over time?
    pub classes_change: Option<bool>,
    pub labels: Option<LabelAvailability>,
}

impl TaskGuide {
    /// Whether any question is answered.
    pub fn is_started(&self) -> bool {
        self.output.is_some()
            || self.several_per_item.is_some()
            || self.classes_change.is_some()
            || self.labels.is_some()
    }
}

/// What the guide recommends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskAdvice {
    /// The recommended task type, once enough is answered.
    pub recommended: Option<TaskType>,
    /// Why, in plain words (or which question to answer next).
    pub reason: String,
    /// Ways to frame the problem, to compare side by side.
    pub framings: Vec<AlternativeFraming>,
}

fn framing(task_type: TaskType, description: &str, pros: &str, cons: &str) -> AlternativeFraming {
    AlternativeFraming {
        task_type,
        description: description.to_string(),
        pros: pros.to_string(),
        cons: cons.to_string(),
        chosen: false,
    }
}

/// Recommend a task type from the guide's answers and the number of classes.
pub fn advise(task: &MlTask) -> TaskAdvice {
    let guide = &task.guide;
    let Some(output) = guide.output else {
        return TaskAdvice {
            reason: "Answer the first question: what does the prediction give back?".into(),
            ..TaskAdvice::default()
        };
    };
    let labels = guide.labels;
    let no_labels = labels == Some(LabelAvailability::No);
    match output {
        PredictionOutput::Groups => groups_advice(),
        PredictionOutput::Unusual => unusual_advice(labels),
        _ if no_labels => TaskAdvice {
            recommended: None,
            reason: "Without labels a model cannot learn to predict this. Collect labels first \
                     (outcomes observed later, or people labelling a sample), or look for \
                     structure with clustering."
                .into(),
            framings: vec![
                framing(
                    TaskType::Clustering,
                    "Look for groups in the data while labels are collected.",
                    "Can start today, without labels.",
                    "Does not predict what the decision needs.",
                ),
                supervised_framing(output),
            ],
        },
        PredictionOutput::Number => TaskAdvice {
            recommended: Some(TaskType::Regression),
            reason: "The prediction is a number, so this is regression.".into(),
            framings: vec![
                framing(
                    TaskType::Regression,
                    "Predict the number itself.",
                    "Keeps all the information; easy to turn into money.",
                    "Sensitive to outliers; an exact number may promise more precision than \
                     there is.",
                ),
                framing(
                    TaskType::MulticlassClassification,
                    "Predict a band instead (low, medium, high).",
                    "Robust to outliers and easy to act on.",
                    "Loses detail; the band edges are arbitrary and hard to change later.",
                ),
            ],
        },
        PredictionOutput::Order => TaskAdvice {
            recommended: Some(TaskType::Ranking),
            reason: "What matters is the order of items, so this is ranking. Several goals \
                     (relevance, quality) can be combined as decoupled objectives."
                .into(),
            framings: vec![
                framing(
                    TaskType::Ranking,
                    "Learn the order directly from which items users preferred.",
                    "Optimises what the user sees: the top of the list.",
                    "Harder to train and explain; needs comparisons or click logs.",
                ),
                framing(
                    TaskType::Regression,
                    "Score each item on its own (e.g. the chance of a click), then sort by score.",
                    "Simple, reuses standard models; scores can be combined with weights.",
                    "Optimises each item, not the order as a whole.",
                ),
            ],
        },
        PredictionOutput::Category => category_advice(task),
    }
}

/// Advice when the prediction should find groups nobody knows in advance.
fn groups_advice() -> TaskAdvice {
    TaskAdvice {
        recommended: Some(TaskType::Clustering),
        reason: "Nobody knows the right groups in advance, so the model must find them: \
             clustering needs no labels."
            .into(),
        framings: vec![
            framing(
                TaskType::Clustering,
                "Group items by similarity, then name the groups with the business.",
                "No labels needed; can reveal groups nobody thought of.",
                "The groups can be hard to interpret, and success is hard to measure.",
            ),
            framing(
                TaskType::MulticlassClassification,
                "Agree on a few named groups, label a sample by hand, and train a classifier.",
                "Groups mean what the business says; accuracy can be measured.",
                "Labelling takes time, and groups outside the list are never found.",
            ),
        ],
    }
}

/// Advice when the prediction should flag unusual cases: a classifier when past cases are
/// labelled, anomaly detection when they are not.
fn unusual_advice(labels: Option<LabelAvailability>) -> TaskAdvice {
    let labelled = labels == Some(LabelAvailability::Yes);
    let framings = vec![
        framing(
            TaskType::BinaryClassification,
            "Learn from past cases confirmed as unusual (e.g. charge-backs) and score \
             each new case.",
            "Precise on the kinds of cases seen before; the score's threshold can be \
             tuned to the cost of mistakes.",
            "Needs labels, which arrive late; heavy class imbalance; misses new kinds of \
             cases.",
        ),
        framing(
            TaskType::AnomalyDetection,
            "Learn what normal looks like and flag what is far from it.",
            "Works without labels and can catch kinds of cases never seen before.",
            "Flags the unusual, not the harmful: more false alarms, harder to tune.",
        ),
    ];
    if labelled {
        TaskAdvice {
            recommended: Some(TaskType::BinaryClassification),
            reason: "Past cases are labelled, so a classifier can learn what the unusual \
                     cases look like; keep anomaly detection in mind for new patterns."
                .into(),
            framings,
        }
    } else if labels.is_none() {
        TaskAdvice {
            reason: "Are past cases labelled? That decides between a classifier and \
                     anomaly detection."
                .into(),
            framings,
            ..TaskAdvice::default()
        }
    } else {
        TaskAdvice {
            recommended: Some(TaskType::AnomalyDetection),
            reason: "With few or no labelled cases, learn what normal looks like and \
                     flag what is far from it."
                .into(),
            framings,
        }
    }
}

fn supervised_framing(output: PredictionOutput) -> AlternativeFraming {
    let task_type = match output {
        PredictionOutput::Number => TaskType::Regression,
        PredictionOutput::Order => TaskType::Ranking,
        _ => TaskType::BinaryClassification,
    };
    framing(
        task_type,
        "Collect labels first, then train the model the decision needs.",
        "Predicts exactly what the decision needs.",
        "Weeks or months before enough labels exist.",
    )
}

fn category_advice(task: &MlTask) -> TaskAdvice {
    let guide = &task.guide;
    if guide.several_per_item == Some(true) {
        return TaskAdvice {
            recommended: Some(TaskType::MultilabelClassification),
            reason: "One item can belong to several categories at once, so this is multilabel \
                     classification: one yes/no per category."
                .into(),
            framings: vec![
                framing(
                    TaskType::MultilabelClassification,
                    "One model with a yes/no output per category.",
                    "One model to run and maintain; categories share what they learn.",
                    "All categories retrain together; rare categories get little attention.",
                ),
                framing(
                    TaskType::BinaryClassification,
                    "One binary classifier per category.",
                    "Each category can be tuned, retrained and owned on its own.",
                    "Many models to run and monitor.",
                ),
            ],
        };
    }
    let Some(classes) = task.classes else {
        return TaskAdvice {
            reason: "How many categories are there? (Set the number of classes.)".into(),
            ..TaskAdvice::default()
        };
    };
    if classes <= 2 {
        return TaskAdvice {
            recommended: Some(TaskType::BinaryClassification),
            reason: "Two categories (yes or no), so this is binary classification. Consider \
                     predicting a score and choosing the threshold as a business decision."
                .into(),
            framings: vec![
                framing(
                    TaskType::BinaryClassification,
                    "Predict yes or no directly.",
                    "Simple to train, evaluate and explain.",
                    "The cut-off is baked in; changing the balance of mistakes means retraining.",
                ),
                framing(
                    TaskType::Regression,
                    "Predict a score (like a spam score) and act above a threshold.",
                    "The threshold becomes a business choice, tuned to the cost of each kind of \
                     mistake without retraining (see the What-if page).",
                    "The score must be well calibrated, and someone must own the threshold.",
                ),
            ],
        };
    }
    if guide.classes_change == Some(true) {
        return TaskAdvice {
            recommended: Some(TaskType::Regression),
            reason: format!(
                "There are {classes} categories and the set changes. A multiclass model has one \
                 output per category and must be retrained whenever one is added; scoring each \
                 candidate from its features needs no retraining."
            ),
            framings: vec![
                framing(
                    TaskType::MulticlassClassification,
                    &format!("Predict which of the {classes} categories it is."),
                    "One prediction gives a probability for every category; simple to train.",
                    "Retrain whenever a category is added or removed; new categories have no \
                     data at first.",
                ),
                framing(
                    TaskType::Regression,
                    "Score each (entity, context, candidate) pair from their features, e.g. the \
                     chance the candidate is chosen, and pick the highest.",
                    "New candidates are scored at once from their features: no retraining.",
                    "One prediction per candidate (more compute); needs good features for each \
                     candidate.",
                ),
            ],
        };
    }
    TaskAdvice {
        recommended: Some(TaskType::MulticlassClassification),
        reason: format!(
            "One of {classes} categories, and the set does not change: multiclass \
             classification."
        ),
        framings: vec![
            framing(
                TaskType::MulticlassClassification,
                &format!("Predict which of the {classes} categories it is."),
                "One model gives a probability for every category.",
                "Retrain if the set of categories ever changes.",
            ),
            framing(
                TaskType::BinaryClassification,
                "One yes/no classifier per category (one versus the rest).",
                "Each category can be tuned and retrained on its own.",
                "Many models; their scores are not directly comparable.",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(guide: TaskGuide, classes: Option<u32>) -> MlTask {
        MlTask {
            guide,
            classes,
            ..MlTask::default()
        }
    }

    #[test]
    fn nothing_answered_asks_the_first_question() {
        let advice = advise(&MlTask::default());
        assert_eq!(advice.recommended, None);
        assert!(advice.reason.contains("first question"));
    }

    #[test]
    fn two_classes_recommend_binary_with_a_score_alternative() {
        let guide = TaskGuide {
            output: Some(PredictionOutput::Category),
            labels: Some(LabelAvailability::Yes),
            ..TaskGuide::default()
        };
        let advice = advise(&task(guide, Some(2)));
        assert_eq!(advice.recommended, Some(TaskType::BinaryClassification));
        assert!(
            advice
                .framings
                .iter()
                .any(|f| f.task_type == TaskType::Regression && f.description.contains("score"))
        );
    }

    #[test]
    fn changing_classes_recommend_scoring_candidates() {
        let guide = TaskGuide {
            output: Some(PredictionOutput::Category),
            several_per_item: Some(false),
            classes_change: Some(true),
            labels: Some(LabelAvailability::Yes),
        };
        let advice = advise(&task(guide.clone(), Some(40)));
        assert_eq!(advice.recommended, Some(TaskType::Regression));
        assert!(advice.framings[0].cons.contains("Retrain"));
        assert!(advice.framings[1].pros.contains("no retraining"));
        let stable = TaskGuide {
            classes_change: Some(false),
            ..guide
        };
        assert_eq!(
            advise(&task(stable, Some(40))).recommended,
            Some(TaskType::MulticlassClassification)
        );
    }

    #[test]
    fn several_categories_per_item_is_multilabel() {
        let guide = TaskGuide {
            output: Some(PredictionOutput::Category),
            several_per_item: Some(true),
            ..TaskGuide::default()
        };
        assert_eq!(
            advise(&task(guide, Some(12))).recommended,
            Some(TaskType::MultilabelClassification)
        );
    }

    #[test]
    fn unknown_class_count_asks_for_it() {
        let guide = TaskGuide {
            output: Some(PredictionOutput::Category),
            ..TaskGuide::default()
        };
        let advice = advise(&task(guide, None));
        assert_eq!(advice.recommended, None);
        assert!(advice.reason.contains("How many"));
    }

    #[test]
    fn no_labels_cannot_be_supervised() {
        let guide = TaskGuide {
            output: Some(PredictionOutput::Number),
            labels: Some(LabelAvailability::No),
            ..TaskGuide::default()
        };
        let advice = advise(&task(guide, None));
        assert_eq!(advice.recommended, None);
        assert!(advice.reason.contains("Without labels"));
    }

    #[test]
    fn other_outputs() {
        let with = |output, labels| {
            advise(&task(
                TaskGuide {
                    output: Some(output),
                    labels,
                    ..TaskGuide::default()
                },
                None,
            ))
            .recommended
        };
        let yes = Some(LabelAvailability::Yes);
        assert_eq!(
            with(PredictionOutput::Number, yes),
            Some(TaskType::Regression)
        );
        assert_eq!(with(PredictionOutput::Order, yes), Some(TaskType::Ranking));
        assert_eq!(
            with(PredictionOutput::Groups, None),
            Some(TaskType::Clustering)
        );
        assert_eq!(
            with(PredictionOutput::Unusual, yes),
            Some(TaskType::BinaryClassification)
        );
        assert_eq!(
            with(PredictionOutput::Unusual, Some(LabelAvailability::Few)),
            Some(TaskType::AnomalyDetection)
        );
        assert_eq!(with(PredictionOutput::Unusual, None), None);
    }
}
