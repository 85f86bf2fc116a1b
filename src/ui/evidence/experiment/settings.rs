//! The metric settings of an experiment analysis: which metrics (columns and the file's ratio
//! metrics), their part in the ship / don't-ship decision (success, guardrail with its margin,
//! informative), whether lower is better, the pre-experiment value that removes noise (CUPED),
//! and the segment column the results are broken down by.

use super::*;
use crate::model::{ColumnSpec, DataShape, Dataset, DecisionRole, RatioMetric};

/// What can be analysed: a column, or a ratio metric defined on the Data page.
#[derive(Clone)]
struct Candidate {
    column: String,
    denominator: Option<String>,
    label: String,
    role: ColumnRole,
}

impl Candidate {
    fn matches(&self, spec: &MetricSpec) -> bool {
        spec.column == self.column && spec.denominator == self.denominator
    }

    fn shown(&self) -> String {
        if self.denominator.is_some() {
            format!("{} (ratio)", self.label)
        } else {
            crate::ui::labels::picker(&self.column)
        }
    }

    fn spec(&self, dataset: Option<&Dataset>) -> MetricSpec {
        let mut spec = MetricSpec {
            column: self.column.clone(),
            kind: MetricKind::Auto,
            business: self.role != ColumnRole::MlMetric,
            // The metric's direction as the project knows it (the framing's objective, the
            // Data page, or a name such as churn or latency).
            lower_is_better: crate::ui::labels::label(&self.column).direction
                == crate::model::Direction::LowerIsBetter,
            ..MetricSpec::default()
        };
        match &self.denominator {
            Some(den) => {
                spec.denominator = Some(den.clone());
                spec.label = self.label.clone();
            }
            None => spec.covariate = dataset.and_then(|d| covariate_guess(d, &self.column)),
        }
        spec
    }
}

/// The pre-experiment column marked on the Data page for `metric`, if any.
pub(super) fn covariate_guess(dataset: &Dataset, metric: &str) -> Option<String> {
    crate::data::pre_experiment_column(&dataset.columns, metric).map(str::to_string)
}

/// A metric spec for a ratio metric of the Data page.
pub(super) fn ratio_spec(ratio: &RatioMetric) -> MetricSpec {
    MetricSpec {
        column: ratio.numerator.clone(),
        denominator: Some(ratio.denominator.clone()),
        label: ratio.name(),
        business: true,
        ..MetricSpec::default()
    }
}

fn candidates(analysis: &ExperimentAnalysis, dataset: Option<&Dataset>) -> Vec<Candidate> {
    let Some(d) = dataset else {
        return analysis
            .spec
            .metrics
            .iter()
            .map(|m| Candidate {
                column: m.column.clone(),
                denominator: m.denominator.clone(),
                label: m.display_name(),
                role: if m.business {
                    ColumnRole::BusinessMetric
                } else {
                    ColumnRole::MlMetric
                },
            })
            .collect();
    };
    let mut out: Vec<Candidate> = d
        .columns
        .iter()
        .filter(|c| {
            !matches!(
                c.role,
                ColumnRole::Variant
                    | ColumnRole::UnitId
                    | ColumnRole::Time
                    | ColumnRole::Segment
                    | ColumnRole::PreExperiment
            ) && c.name != analysis.spec.variant_column
        })
        .map(|c| Candidate {
            column: c.name.clone(),
            denominator: None,
            label: c.name.clone(),
            role: c.role,
        })
        .collect();
    out.extend(d.ratio_metrics.iter().map(|r| Candidate {
        column: r.numerator.clone(),
        denominator: Some(r.denominator.clone()),
        label: r.name(),
        role: ColumnRole::BusinessMetric,
    }));
    // Metrics of the analysis no longer offered by the file (e.g. a ratio removed on the Data
    // page) stay visible so that they can be switched off.
    for m in &analysis.spec.metrics {
        if !out.iter().any(|c| c.matches(m)) {
            out.push(Candidate {
                column: m.column.clone(),
                denominator: m.denominator.clone(),
                label: m.display_name(),
                role: ColumnRole::BusinessMetric,
            });
        }
    }
    out
}

const ROLE_TIP: &str = "The part this metric plays in the ship / don't-ship decision. A success \
    metric should improve: shipping needs at least one shown better. A guardrail must not get \
    worse than its margin. Informative metrics are reported but do not decide.";
const LOWER_TIP: &str = "Lower values are better (churn, cost, latency): a decrease counts as an \
    improvement in the decision, the chance to win and the expected loss.";
const COVARIATE_TIP: &str = "The same metric measured before the experiment (marked on the Data \
    page as \"Pre-experiment value of a metric\"). It removes noise that was there before the test \
    started (CUPED), so the test can see smaller changes; the results without it stay one click \
    away.";
const MARGIN_TIP: &str = "How much worse, relative to the control, this guardrail may get: 1% \
    means the treatment may not lower it (or raise it, when lower is better) by more than 1%.";

pub(super) fn metrics_ui(
    ui: &mut egui::Ui,
    analysis: &mut ExperimentAnalysis,
    dataset: Option<&Dataset>,
) {
    ui.label("Metrics").on_hover_text(tips::BUSINESS);
    let candidates = candidates(analysis, dataset);
    let pre_columns: Vec<&ColumnSpec> = dataset
        .map(|d| {
            d.columns
                .iter()
                .filter(|c| c.role == ColumnRole::PreExperiment)
                .collect()
        })
        .unwrap_or_default();
    egui::ScrollArea::horizontal()
        .id_salt(("metrics-grid-scroll", &analysis.id))
        .show(ui, |ui| {
            egui::Grid::new(("metrics-grid", &analysis.id))
                .num_columns(7)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for (title, tip) in [
                        ("Metric", ""),
                        ("Type", tips::BUSINESS),
                        ("Analysed as", tips::KIND),
                        ("In the decision", ROLE_TIP),
                        ("", ""),
                        ("", ""),
                        ("Pre-experiment value", COVARIATE_TIP),
                    ] {
                        header_ui(ui, title, tip);
                    }
                    ui.end_row();
                    for candidate in &candidates {
                        metric_row_ui(ui, analysis, candidate, dataset, &pre_columns);
                        ui.end_row();
                    }
                });
        });
    if dataset.is_some_and(|d| d.ratio_metrics.is_empty() && d.shape == DataShape::UnitLevel) {
        ui.label(
            egui::RichText::new(
                "Ratio metrics such as revenue per session are defined on the Data page.",
            )
            .weak(),
        );
    }
}

fn metric_row_ui(
    ui: &mut egui::Ui,
    analysis: &mut ExperimentAnalysis,
    candidate: &Candidate,
    dataset: Option<&Dataset>,
    pre_columns: &[&ColumnSpec],
) {
    let name = candidate.shown();
    let position = analysis
        .spec
        .metrics
        .iter()
        .position(|m| candidate.matches(m));
    let mut on = position.is_some();
    if ui.checkbox(&mut on, &name).changed() {
        match position {
            Some(p) if !on => {
                analysis.spec.metrics.remove(p);
            }
            None if on => analysis.spec.metrics.push(candidate.spec(dataset)),
            _ => {}
        }
    }
    let Some(spec) = analysis
        .spec
        .metrics
        .iter_mut()
        .find(|m| candidate.matches(m))
    else {
        for _ in 0..6 {
            ui.label("");
        }
        return;
    };
    let id = (&candidate.column, &candidate.denominator);
    egui::ComboBox::from_id_salt(("metric-business", id))
        .selected_text(if spec.business {
            "Business metric"
        } else {
            "ML metric"
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut spec.business, true, "Business metric");
            ui.selectable_value(&mut spec.business, false, "ML metric");
        })
        .response
        .on_hover_text(tips::BUSINESS);
    if spec.denominator.is_some() {
        ui.label("Ratio (delta method)").on_hover_text(
            "The ratio of the two columns' totals in each variant, compared with the delta \
             method.",
        );
    } else {
        egui::ComboBox::from_id_salt(("metric-kind", id))
            .selected_text(match spec.kind {
                MetricKind::Auto => "Detect",
                MetricKind::Mean => "Mean",
                MetricKind::Proportion => "Proportion",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut spec.kind, MetricKind::Auto, "Detect");
                ui.selectable_value(&mut spec.kind, MetricKind::Mean, "Mean");
                ui.selectable_value(&mut spec.kind, MetricKind::Proportion, "Proportion");
            })
            .response
            .on_hover_text(tips::KIND);
    }
    decision_role_ui(ui, spec, id);
    ui.checkbox(&mut spec.lower_is_better, "Lower is better")
        .on_hover_text(LOWER_TIP);
    if spec.denominator.is_some() {
        ui.label("");
    } else {
        covariate_ui(ui, spec, pre_columns, id);
    }
}

fn role_label(role: DecisionRole) -> &'static str {
    match role {
        DecisionRole::Informative => "Informative",
        DecisionRole::Success => "Success metric",
        DecisionRole::Guardrail { .. } => "Guardrail",
    }
}

fn decision_role_ui(ui: &mut egui::Ui, spec: &mut MetricSpec, id: (&String, &Option<String>)) {
    let margin = match spec.role {
        DecisionRole::Guardrail { margin } => margin,
        _ => 0.01,
    };
    egui::ComboBox::from_id_salt(("metric-role", id))
        .selected_text(role_label(spec.role))
        .show_ui(ui, |ui| {
            for role in [
                DecisionRole::Informative,
                DecisionRole::Success,
                DecisionRole::Guardrail { margin },
            ] {
                let selected = std::mem::discriminant(&spec.role) == std::mem::discriminant(&role);
                if ui.selectable_label(selected, role_label(role)).clicked() && !selected {
                    spec.role = role;
                }
            }
        })
        .response
        .on_hover_text(ROLE_TIP);
    if let DecisionRole::Guardrail { margin } = &mut spec.role {
        ui.horizontal(|ui| {
            let label = ui.label("may worsen by").on_hover_text(MARGIN_TIP);
            let mut percent = *margin * 100.0;
            let response = ui
                .add(
                    egui::DragValue::new(&mut percent)
                        .range(0.0..=100.0)
                        .speed(0.1)
                        .max_decimals(2)
                        .suffix("%"),
                )
                .labelled_by(label.id)
                .on_hover_text(MARGIN_TIP);
            if response.changed() {
                *margin = percent / 100.0;
            }
        });
    } else {
        ui.label("");
    }
}

fn covariate_ui(
    ui: &mut egui::Ui,
    spec: &mut MetricSpec,
    pre_columns: &[&ColumnSpec],
    id: (&String, &Option<String>),
) {
    if pre_columns.is_empty() && spec.covariate.is_none() {
        ui.label(egui::RichText::new("none marked").weak())
            .on_hover_text(COVARIATE_TIP);
        return;
    }
    let mut choices: Vec<&ColumnSpec> = pre_columns.to_vec();
    // The one marked for this metric first.
    choices.sort_by_key(|c| c.metric.as_deref() != Some(spec.column.as_str()));
    egui::ComboBox::from_id_salt(("metric-covariate", id))
        .selected_text(spec.covariate.clone().unwrap_or_else(|| "None".into()))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut spec.covariate, None, "None");
            for c in choices {
                ui.selectable_value(&mut spec.covariate, Some(c.name.clone()), &c.name);
            }
        })
        .response
        .on_hover_text(COVARIATE_TIP);
}

/// "Break results down by": a column with the Segment role, and how many of its values.
pub(super) fn segment_ui(
    ui: &mut egui::Ui,
    analysis: &mut ExperimentAnalysis,
    dataset: Option<&Dataset>,
) {
    let columns: Vec<String> = dataset
        .map(|d| {
            d.columns
                .iter()
                .filter(|c| c.role == ColumnRole::Segment)
                .map(|c| c.name.clone())
                .collect()
        })
        .unwrap_or_default();
    const TIP: &str = "Compare the variants separately within each value of this column (country, \
        platform, plan, …): a forest plot shows the effect in each, with p-values adjusted for \
        looking at several segments, and a sentence says whether the effect really differs \
        between them. Columns with the Segment role on the Data page are offered.";
    ui.horizontal(|ui| {
        let label = ui.label("Break results down by").on_hover_text(TIP);
        let shown = analysis
            .spec
            .segment
            .clone()
            .unwrap_or_else(|| "No breakdown".into());
        egui::ComboBox::from_id_salt(("segment-column", &analysis.id))
            .selected_text(shown)
            .width(200.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut analysis.spec.segment, None, "No breakdown");
                for c in &columns {
                    ui.selectable_value(&mut analysis.spec.segment, Some(c.clone()), c);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(TIP);
        if analysis.spec.segment.is_some() {
            ui.add_space(theme::SPACE_M);
            let label = ui.label("most frequent values shown").on_hover_text(
                "The other values are pooled as \"other\", so that each segment keeps enough \
                 units to say something.",
            );
            ui.add(egui::DragValue::new(&mut analysis.spec.max_segments).range(2..=50))
                .labelled_by(label.id);
        }
    });
    if columns.is_empty() && analysis.spec.segment.is_none() {
        ui.label(
            egui::RichText::new(
                "No column has the Segment role: give one that role on the Data page to break \
                 the results down by it.",
            )
            .weak(),
        );
    }
}
