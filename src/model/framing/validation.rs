//! Gentle checks of each wizard step: warnings in plain words, never blocks. A step that holds
//! no answer yet has no warnings (it shows as "not answered" instead).

use super::{
    Answer, Direction, FrameStep, Framing, LabelAvailability, MlFitCriterion, RequirementKind,
    TaskType, advise,
};

fn filled(s: &str) -> bool {
    !s.trim().is_empty()
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn quoted(s: &str) -> String {
    format!("\u{201c}{}\u{201d}", s.trim())
}

impl Framing {
    /// The warnings of one step, in plain words.
    pub fn warnings(&self, step: FrameStep) -> Vec<String> {
        // The questions of "Is ML the right tool?" are read as soon as one is answered.
        let started = step == FrameStep::MlFit && self.ml_fit.answered_questions() > 0;
        if !self.is_answered(step) && !started {
            return Vec::new();
        }
        match step {
            FrameStep::Problem => self.problem_warnings(),
            FrameStep::Objectives => self.objective_warnings(),
            FrameStep::MlFit => self.ml_fit_warnings(),
            FrameStep::Task => self.task_warnings(),
            FrameStep::MlObjective => self.ml_objective_warnings(),
            FrameStep::Decoupled => self.decoupled_warnings(),
            FrameStep::Requirements => self.requirement_warnings(),
            FrameStep::Process => self.process_warnings(),
        }
    }

    /// Every warning of every step, with its step.
    pub fn all_warnings(&self) -> Vec<(FrameStep, String)> {
        FrameStep::ALL
            .iter()
            .flat_map(|step| self.warnings(*step).into_iter().map(move |w| (*step, w)))
            .collect()
    }

    fn problem_warnings(&self) -> Vec<String> {
        let p = &self.problem;
        let mut out = Vec::new();
        if !filled(&p.decision) {
            out.push(
                "Name the decision the prediction drives: a prediction nobody acts on moves no \
                 business metric."
                    .to_string(),
            );
        }
        if !filled(&p.current_baseline) {
            out.push(
                "Describe how it is done today without ML: that is the baseline any model must \
                 beat."
                    .to_string(),
            );
        }
        if !filled(&p.owner) {
            out.push("Name an owner: someone must decide whether the project worked.".to_string());
        }
        out
    }

    fn objective_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for o in &self.objectives {
            if !filled(&o.metric) {
                if o.baseline.is_some() || o.target.is_some() || filled(&o.horizon) {
                    out.push("One objective has no metric name.".to_string());
                }
                continue;
            }
            let m = quoted(&o.metric);
            match (o.baseline, o.target) {
                (None, Some(_)) => out.push(format!(
                    "{m}: a target without a baseline cannot be measured. Where is it today?"
                )),
                (Some(_), None) => out.push(format!(
                    "{m}: set a target, or nobody can tell whether the project succeeded."
                )),
                (None, None) => out.push(format!(
                    "{m}: add the baseline (today) and the target (the goal)."
                )),
                (Some(baseline), Some(target)) => {
                    let wrong_way = match o.direction {
                        Direction::HigherIsBetter => target < baseline,
                        Direction::LowerIsBetter => target > baseline,
                    };
                    if target == baseline {
                        out.push(format!("{m}: the target equals the baseline."));
                    } else if wrong_way {
                        out.push(format!(
                            "{m}: {} but the target ({target}) is worse than the baseline \
                             ({baseline}).",
                            o.direction.label().to_lowercase()
                        ));
                    }
                }
            }
            if !filled(&o.horizon) {
                out.push(format!(
                    "{m}: add a horizon: by when should the target be met?"
                ));
            }
            if !filled(&o.failure_condition) {
                out.push(format!(
                    "{m}: say what result means the project failed, so it can be stopped in \
                     time."
                ));
            }
        }
        out
    }

    fn ml_fit_warnings(&self) -> Vec<String> {
        let fit = &self.ml_fit;
        let mut out = Vec::new();
        for criterion in MlFitCriterion::ALL {
            let answer = fit.answer(criterion);
            let text = match (criterion, answer) {
                (MlFitCriterion::DataAvailable, Answer::No) => {
                    "There is no data to learn from: plan how to collect it before anything else."
                }
                (MlFitCriterion::PredictionsNeeded, Answer::No) => {
                    "The decision does not need a prediction: a rule or a report may serve better."
                }
                (MlFitCriterion::MistakesAffordable, Answer::No) => {
                    "Wrong predictions are not affordable: plan a human check or a safe fallback \
                     before relying on a model."
                }
                (MlFitCriterion::ComplexPatterns, Answer::No) => {
                    "The patterns are simple: hand-written rules may do as well, for less."
                }
                (MlFitCriterion::PatternsRepeat, Answer::No) => {
                    "Patterns that do not repeat cannot be learned from the past."
                }
                (MlFitCriterion::AtScale, Answer::No) => {
                    "At a small scale, people may decide as well as a model, and more cheaply."
                }
                (MlFitCriterion::PatternsChange, Answer::Yes | Answer::Partly)
                    if !filled(&self.requirements.adaptability.target) =>
                {
                    "The patterns change: plan monitoring and retraining (see Requirements, \
                     adaptability)."
                }
                _ => continue,
            };
            out.push(text.to_string());
        }
        let (_, _, _, unsure) = fit.tally();
        if unsure <= 3 && !filled(&fit.conclusion) {
            out.push("Write the conclusion in a sentence: go, go with conditions, or stop.".into());
        }
        out
    }

    fn task_warnings(&self) -> Vec<String> {
        let task = &self.task;
        let mut out = Vec::new();
        if !filled(&task.entity) {
            out.push(
                "Say for which entity each prediction is made (a subscriber, a payment, a user \
                 in a context)."
                    .to_string(),
            );
        }
        match (task.task_type, task.classes) {
            (TaskType::BinaryClassification, Some(n)) if n != 2 => out.push(format!(
                "Binary classification has two classes, but {n} are given."
            )),
            (TaskType::MulticlassClassification, Some(n)) if n <= 2 => out.push(format!(
                "With {n} classes this is binary classification, not multiclass."
            )),
            (TaskType::MulticlassClassification | TaskType::MultilabelClassification, None) => {
                out.push("How many classes are there?".to_string());
            }
            _ => {}
        }
        let guide = &task.guide;
        if guide.classes_change == Some(true)
            && task.task_type == TaskType::MulticlassClassification
        {
            out.push(
                "The set of classes changes, so a multiclass model must be retrained whenever \
                 one is added. Compare it with scoring each candidate from its features."
                    .to_string(),
            );
        }
        if guide.labels == Some(LabelAvailability::No) && task.task_type.needs_labels() {
            out.push(format!(
                "There are no labels, but {} learns from labelled examples. Plan how to collect \
                 labels, or consider clustering or anomaly detection.",
                task.task_type.label().to_lowercase()
            ));
        }
        if let Some(recommended) = advise(task).recommended
            && recommended != task.task_type
            && guide.labels != Some(LabelAvailability::No)
        {
            out.push(format!(
                "The decision guide suggests {}, and {} is chosen. That can be right: say why in \
                 the alternative framings.",
                recommended.label().to_lowercase(),
                task.task_type.label().to_lowercase()
            ));
        }
        if task.alternatives.iter().filter(|a| a.chosen).count() > 1 {
            out.push("Several framings are marked as chosen: pick one.".to_string());
        }
        out
    }

    fn ml_objective_warnings(&self) -> Vec<String> {
        let o = &self.ml_objective;
        let mut out = Vec::new();
        if !filled(&o.loss) {
            out.push("Name the loss the model is trained to make small.".to_string());
        } else if let Some(mismatch) = loss_mismatch(&o.loss, self.task.task_type) {
            out.push(mismatch);
        }
        if o.offline_metrics.iter().all(|m| !filled(m)) {
            out.push(
                "Add at least one offline metric, to compare models before they reach users."
                    .to_string(),
            );
        }
        if o.links.is_empty() {
            out.push(
                "State the hypothesised link: which ML metric should move which business metric, \
                 and by about how much. It is the line this project tests."
                    .to_string(),
            );
        }
        let objective_names: Vec<&str> = self
            .objectives
            .iter()
            .map(|b| b.metric.as_str())
            .filter(|m| filled(m))
            .collect();
        for link in &o.links {
            if filled(&link.business_metric)
                && !objective_names.is_empty()
                && !objective_names
                    .iter()
                    .any(|m| same(m, &link.business_metric))
            {
                out.push(format!(
                    "{} is not one of the business objectives.",
                    quoted(&link.business_metric)
                ));
            }
            if filled(&link.ml_metric)
                && !o.offline_metrics.iter().any(|m| same(m, &link.ml_metric))
            {
                out.push(format!(
                    "{} is not among the offline metrics.",
                    quoted(&link.ml_metric)
                ));
            }
            if (filled(&link.ml_metric) || filled(&link.business_metric))
                && !filled(&link.expected_effect)
            {
                out.push(
                    "Say by about how much the business metric should move: a rough number can \
                     be tested, a direction hardly."
                        .to_string(),
                );
            }
        }
        out
    }

    fn decoupled_warnings(&self) -> Vec<String> {
        let d = &self.decoupled;
        let mut out = Vec::new();
        if d.objectives.len() == 1 {
            out.push(
                "With one objective there is nothing to balance: add a second (e.g. quality \
                 next to engagement), or skip this step."
                    .to_string(),
            );
        }
        if d.objectives.iter().any(|o| !filled(&o.name)) {
            out.push("One objective has no name.".to_string());
        }
        if !d.objectives.is_empty()
            && d.objectives
                .iter()
                .all(|o| !o.weight.is_finite() || o.weight == 0.0)
        {
            out.push("Every weight is zero, so the ranking says nothing.".to_string());
        }
        for item in &d.preview_items {
            if item.scores.len() < d.objectives.len() {
                out.push(format!(
                    "{} has no score for every objective; a missing score counts as 0.",
                    quoted(&item.name)
                ));
            }
        }
        out
    }

    fn requirement_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for kind in RequirementKind::ALL {
            let r = self.requirements.get(kind);
            let name = kind.label();
            if !filled(&r.description) && !filled(&r.target) {
                out.push(format!("{name} is not described yet."));
            } else if !filled(&r.target) {
                out.push(format!(
                    "{name}: add a concrete target, something someone can check."
                ));
            } else if !is_checkable(&r.target) {
                out.push(format!(
                    "{name}: the target has no number; a number makes it checkable."
                ));
            }
        }
        out
    }

    fn process_warnings(&self) -> Vec<String> {
        let p = &self.process;
        let mut out = Vec::new();
        if p.stage.is_none() {
            out.push("Choose where the project stands in the loop.".to_string());
        }
        if p.maturity.is_none() {
            out.push(
                "Choose the organisation's ML maturity: it sets what return to expect, and when."
                    .to_string(),
            );
        }
        if !filled(&p.roi_expectation) {
            out.push(
                "Write down the return you expect and when, so nobody expects it overnight."
                    .to_string(),
            );
        }
        out
    }
}

/// Whether a target holds something checkable: a number or a cadence ("weekly").
fn is_checkable(target: &str) -> bool {
    const CADENCES: [&str; 8] = [
        "hourly",
        "daily",
        "weekly",
        "monthly",
        "quarterly",
        "yearly",
        "annually",
        "every release",
    ];
    let lower = target.to_lowercase();
    target.chars().any(|c| c.is_ascii_digit()) || CADENCES.iter().any(|c| lower.contains(c))
}

/// A regression loss on a classifier, in words; `None` when it looks fine. (A classification
/// loss on a regression is fine: regressing a probability with log loss is common.)
fn loss_mismatch(loss: &str, task_type: TaskType) -> Option<String> {
    let loss_l = loss.to_lowercase();
    let regression_loss = [
        "rmse",
        "mse",
        "mae",
        "squared error",
        "absolute error",
        "huber",
    ]
    .iter()
    .any(|k| loss_l.contains(k));
    let classification_loss = [
        "log loss",
        "cross-entropy",
        "cross entropy",
        "hinge",
        "logistic",
    ]
    .iter()
    .any(|k| loss_l.contains(k));
    if task_type.is_classification() && regression_loss && !classification_loss {
        Some(format!(
            "{} is a loss for regression, but the task is {}.",
            quoted(loss),
            task_type.label().to_lowercase()
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

    fn objective(metric: &str, baseline: Option<f64>, target: Option<f64>) -> BusinessObjective {
        BusinessObjective {
            metric: metric.into(),
            unit: "%".into(),
            direction: Direction::LowerIsBetter,
            baseline,
            target,
            horizon: "6 months".into(),
            failure_condition: "Churn above 4%".into(),
        }
    }

    #[test]
    fn unanswered_steps_have_no_warnings() {
        let f = Framing::default();
        assert!(f.all_warnings().is_empty());
    }

    #[test]
    fn a_target_without_a_baseline_cannot_be_measured() {
        let f = Framing {
            objectives: vec![objective("Monthly churn", None, Some(3.5))],
            ..Framing::default()
        };
        let w = f.warnings(FrameStep::Objectives);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("a target without a baseline cannot be measured"));
    }

    #[test]
    fn a_target_on_the_wrong_side_is_noticed() {
        let f = Framing {
            objectives: vec![objective("Monthly churn", Some(4.2), Some(5.0))],
            ..Framing::default()
        };
        let w = f.warnings(FrameStep::Objectives);
        assert!(w[0].contains("worse than the baseline"), "{w:?}");
        let ok = Framing {
            objectives: vec![objective("Monthly churn", Some(4.2), Some(3.6))],
            ..Framing::default()
        };
        assert!(ok.warnings(FrameStep::Objectives).is_empty());
    }

    #[test]
    fn link_to_an_unknown_business_metric_is_flagged() {
        let f = Framing {
            objectives: vec![objective("Monthly churn", Some(4.2), Some(3.6))],
            ml_objective: MlObjective {
                loss: "Log loss".into(),
                offline_metrics: vec!["AUC".into()],
                links: vec![HypothesisedLink {
                    ml_metric: "auc".into(),
                    business_metric: "Revenue".into(),
                    expected_effect: "+0.01 AUC, -0.1 pp churn".into(),
                }],
            },
            ..Framing::default()
        };
        let w = f.warnings(FrameStep::MlObjective);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("Revenue"));
    }

    #[test]
    fn regression_loss_on_a_classifier_is_flagged() {
        let mut f = Framing::default();
        f.ml_objective.loss = "RMSE".into();
        f.ml_objective.offline_metrics = vec!["AUC".into()];
        f.task.task_type = TaskType::BinaryClassification;
        let w = f.warnings(FrameStep::MlObjective);
        assert!(w.iter().any(|w| w.contains("loss for regression")), "{w:?}");
        f.ml_objective.loss = "Log loss".into();
        let w = f.warnings(FrameStep::MlObjective);
        assert!(!w.iter().any(|w| w.contains("loss for")), "{w:?}");
    }

    #[test]
    fn multiclass_with_changing_classes_warns_about_retraining() {
        let mut f = Framing::default();
        f.task.predicted = "Next app".into();
        f.task.entity = "User and context".into();
        f.task.task_type = TaskType::MulticlassClassification;
        f.task.classes = Some(40);
        f.task.guide = TaskGuide {
            output: Some(PredictionOutput::Category),
            several_per_item: Some(false),
            classes_change: Some(true),
            labels: Some(LabelAvailability::Yes),
        };
        let w = f.warnings(FrameStep::Task);
        assert!(w.iter().any(|w| w.contains("retrained")), "{w:?}");
        assert!(
            w.iter().any(|w| w.contains("decision guide suggests")),
            "{w:?}"
        );
    }

    #[test]
    fn requirements_need_checkable_targets() {
        let mut f = Framing::default();
        f.requirements.reliability = Requirement {
            description: "Alert on drift".into(),
            target: "quickly".into(),
        };
        let w = f.warnings(FrameStep::Requirements);
        assert!(w.iter().any(|w| w.contains("no number")));
        assert!(w.iter().any(|w| w.contains("Scalability is not described")));
    }

    #[test]
    fn ml_fit_reads_no_answers_gently() {
        let mut f = Framing::default();
        f.ml_fit
            .entry_mut(MlFitCriterion::MistakesAffordable)
            .answer = Answer::No;
        let w = f.warnings(FrameStep::MlFit);
        assert!(w.iter().any(|w| w.contains("safe fallback")));
        assert!(f.ml_fit.reading().contains("only if"));
    }

    #[test]
    fn status_prefers_answers_over_skips() {
        let mut f = Framing::default();
        f.skip(FrameStep::Problem);
        f.skip(FrameStep::Problem);
        assert_eq!(f.skipped.len(), 1);
        assert_eq!(f.status(FrameStep::Problem), StepStatus::Skipped);
        f.problem.statement = "Too many cancel".into();
        assert_eq!(f.status(FrameStep::Problem), StepStatus::Complete);
        assert_eq!(f.status(FrameStep::Task), StepStatus::NotYet);
    }
}
