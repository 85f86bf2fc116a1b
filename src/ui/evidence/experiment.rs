//! Experiment results: per variant, lift with intervals per treatment and metric (business and
//! ML metrics told apart), plain-language verdicts, the sample-ratio check and Holm's toggle.

use crate::ui::widgets::{settings_open, settings_salt};
use std::collections::HashMap;
use std::sync::Arc;

use egui_plot::{HLine, LineStyle, Points};

use super::{
    ViewKind, alpha_combo, banner_ui, column_combo, columns_by_role, confidence_label,
    dataset_combo, header_ui, new_id, pick_and_refresh, status_ui, tips,
};
use crate::analysis::{Comparison, ExperimentResult, MetricResult, ResolvedKind};
use crate::app::{AnalysisKind, NewAnalysis};
use crate::format;
use crate::io::report::experiment_text::{
    CHANCE_TIP, MDE_TIP, chance_text, loss_text, mde_sentence, mde_text, metric_spec,
    shown_comparisons,
};
use crate::model::{ColumnRole, ExperimentAnalysis, MetricKind, MetricSpec, Project};
use crate::ui::PageContext;
use crate::ui::plots::{
    self, AxisSpec, HoverLabels, PlotPanel, PlotTable, ValueFormat, interval_h,
};
use crate::ui::theme;

mod decision;
mod lift;
mod segments;
mod settings;

pub(crate) use decision::decision_block_ui;
use decision::{cuped_ui, decisions_ui};
use lift::lift_chart_ui;
use segments::segments_ui;
use settings::{metrics_ui, segment_ui};

pub fn experiment_view_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let kind = ViewKind {
        label: "Analysis",
        new_label: "New experiment analysis",
        unnamed: "Experiment analysis",
        empty: "No experiment analysis yet. An experiment analysis compares each variant of an \
                A/B test with the control: did the treatment move each metric, and by how much? \
                Start one with \"New experiment analysis\" once the test's data file is on the \
                Data page.",
        selected: |v| &mut v.experiment,
        new: new_experiment,
        kind: AnalysisKind::Experiment,
        wrap: NewAnalysis::Experiment,
    };
    let Some(i) = pick_and_refresh(ui, cx, &kind) else {
        return;
    };
    // The variants in the data, read on a worker, for the control picker.
    let read_variants = variants_in_data(cx, i);
    settings_ui(ui, cx.project, i, &read_variants);
    let project: &Project = cx.project;
    let Some(analysis) = project.evidence.experiments.get(i) else {
        return;
    };
    status_ui(
        ui,
        analysis,
        project,
        &cx.runtime.evidence,
        cx.jobs,
        cx.commands,
    );
    if let Some(analysis) = cx.project.evidence.experiments.get_mut(i)
        && let Some((_, result)) = &analysis.result
    {
        let summary = format!(
            "{} units in \"{}\"; {} intervals.",
            format::precise(result.rows as f64),
            crate::app::file_label(std::path::Path::new(&result.file)),
            confidence_label(result.alpha)
        );
        ui.add_space(theme::SECTION_GAP / 2.0);
        ui.horizontal(|ui| {
            ui.checkbox(&mut analysis.spec.holm, "Holm-adjusted p-values")
                .on_hover_text(tips::HOLM_TOGGLE);
            ui.label(egui::RichText::new(summary).weak());
        });
        srm_banner_ui(ui, result);
        decisions_ui(ui, result);
        cuped_ui(ui, &mut analysis.spec, result);
    }
    let Some(analysis) = cx.project.evidence.experiments.get(i) else {
        return;
    };
    let Some((_, result)) = &analysis.result else {
        return;
    };
    results_ui(ui, analysis, result, cx.commands);
}

fn new_experiment(project: &Project) -> ExperimentAnalysis {
    let dataset = project
        .datasets
        .iter()
        .find(|d| d.columns.iter().any(|c| c.role == ColumnRole::Variant))
        .or_else(|| project.datasets.first());
    let id = new_id(
        "experiment",
        project.evidence.experiments.iter().map(|a| a.id.as_str()),
    );
    let mut analysis = ExperimentAnalysis {
        id,
        name: format!(
            "Experiment analysis {}",
            project.evidence.experiments.len() + 1
        ),
        ..Default::default()
    };
    if let Some(d) = dataset {
        analysis.spec.dataset_id = d.id.clone();
        analysis.name = d.name.clone();
        if let Some(c) = d.columns.iter().find(|c| c.role == ColumnRole::Variant) {
            analysis.spec.variant_column = c.name.clone();
        }
        analysis.spec.metrics = d
            .columns
            .iter()
            .filter(|c| matches!(c.role, ColumnRole::BusinessMetric | ColumnRole::MlMetric))
            .map(|c| MetricSpec {
                column: c.name.clone(),
                kind: MetricKind::Auto,
                business: c.role == ColumnRole::BusinessMetric,
                covariate: settings::covariate_guess(d, &c.name),
                ..MetricSpec::default()
            })
            .chain(d.ratio_metrics.iter().map(settings::ratio_spec))
            .collect();
    }
    analysis
}

/// The variants known from the saved result (for the control picker).
fn known_variants(analysis: &ExperimentAnalysis) -> Vec<String> {
    let mut variants: Vec<String> = Vec::new();
    if let Some((_, result)) = &analysis.result {
        for v in result.srm.counts.keys() {
            if !variants.contains(v) {
                variants.push(v.clone());
            }
        }
        for m in &result.metrics {
            for v in &m.variants {
                if !variants.contains(&v.variant) {
                    variants.push(v.variant.clone());
                }
            }
        }
    }
    variants
}

fn settings_ui(ui: &mut egui::Ui, project: &mut Project, i: usize, read_variants: &[String]) {
    let datasets = project.datasets.clone();
    let Some(analysis) = project.evidence.experiments.get_mut(i) else {
        return;
    };
    let incomplete = analysis.spec.dataset_id.is_empty()
        || analysis.spec.variant_column.is_empty()
        || analysis.spec.control.is_empty()
        || analysis.spec.metrics.is_empty();
    egui::CollapsingHeader::new("Settings")
        .id_salt(settings_salt(ui, ("experiment-settings", &analysis.id)))
        .default_open(settings_open(ui, incomplete && analysis.result.is_none()))
        .show(ui, |ui| {
            crate::ui::widgets::compact_text_field(
                ui,
                "Name",
                &mut analysis.name,
                "e.g. Bigger model, March test",
            );
            if dataset_combo(ui, "Data file", &mut analysis.spec.dataset_id, &datasets) {
                analysis.spec.variant_column.clear();
                analysis.spec.control.clear();
                analysis.spec.metrics.clear();
            }
            let dataset = datasets.iter().find(|d| d.id == analysis.spec.dataset_id);
            let columns = columns_by_role(dataset, &[ColumnRole::Variant]);
            if column_combo(
                ui,
                "Variant column",
                &mut analysis.spec.variant_column,
                &columns,
                None,
            ) {
                analysis.spec.control.clear();
            }
            control_ui(ui, analysis, read_variants);
            metrics_ui(ui, analysis, dataset);
            segment_ui(ui, analysis, dataset);
            alpha_combo(ui, &mut analysis.spec.alpha);
            split_ui(ui, analysis, read_variants);
        });
}

/// The planned traffic split, for the sample-ratio check: equal unless set here.
fn split_ui(ui: &mut egui::Ui, analysis: &mut ExperimentAnalysis, read_variants: &[String]) {
    let mut variants = known_variants(analysis);
    for v in read_variants {
        if !variants.contains(v) {
            variants.push(v.clone());
        }
    }
    let mut unequal = !analysis.spec.expected_split.is_empty();
    let tip = tips::stat(tips::Statistic::SampleRatioMismatch);
    if ui
        .checkbox(
            &mut unequal,
            "The variants were planned to get unequal shares",
        )
        .on_hover_text(tip)
        .changed()
    {
        analysis.spec.expected_split = if unequal {
            let share = 1.0 / variants.len().max(1) as f64;
            variants.iter().map(|v| (v.clone(), share)).collect()
        } else {
            Vec::new()
        };
    }
    if analysis.spec.expected_split.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (variant, share) in &mut analysis.spec.expected_split {
            let label = ui.label(format!("{variant}:"));
            let mut percent = *share * 100.0;
            let response = ui
                .add(
                    egui::DragValue::new(&mut percent)
                        .range(0.0..=100.0)
                        .speed(0.5)
                        .suffix("%"),
                )
                .labelled_by(label.id);
            if response.changed() {
                *share = percent / 100.0;
            }
            ui.add_space(theme::SPACE_M);
        }
    });
}

/// The distinct values of the analysis' variant column (empty until read).
fn variants_in_data(cx: &mut PageContext<'_>, i: usize) -> Vec<String> {
    let Some(analysis) = cx.project.evidence.experiments.get(i) else {
        return Vec::new();
    };
    if analysis.spec.variant_column.is_empty()
        || cx.project.dataset(&analysis.spec.dataset_id).is_none()
    {
        return Vec::new();
    }
    cx.wanted
        .column_values(&analysis.spec.dataset_id, &analysis.spec.variant_column);
    cx.runtime
        .evidence
        .column_values(&analysis.spec.dataset_id, &analysis.spec.variant_column)
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

/// The variant most likely to be the control: "control", "baseline", … or else the first.
pub fn guess_control(variants: &[String]) -> Option<&String> {
    const NAMES: [&str; 8] = [
        "control", "baseline", "base", "current", "old", "default", "champion", "a",
    ];
    NAMES
        .iter()
        .find_map(|name| {
            variants
                .iter()
                .find(|v| v.trim().eq_ignore_ascii_case(name))
        })
        .or_else(|| {
            variants
                .iter()
                .find(|v| v.to_lowercase().contains("control"))
        })
        .or_else(|| variants.first())
}

fn control_ui(ui: &mut egui::Ui, analysis: &mut ExperimentAnalysis, read_variants: &[String]) {
    let mut variants = known_variants(analysis);
    for v in read_variants {
        if !variants.contains(v) {
            variants.push(v.clone());
        }
    }
    if analysis.spec.control.is_empty()
        && let Some(guess) = guess_control(&variants)
    {
        analysis.spec.control = guess.clone();
    }
    ui.horizontal(|ui| {
        let label = ui.label("Control variant").on_hover_text(
            "The variant the others are compared with: usually today's model or no model.",
        );
        if variants.is_empty() {
            ui.add(
                egui::TextEdit::singleline(&mut analysis.spec.control)
                    .hint_text("e.g. control")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        } else {
            let shown = if analysis.spec.control.is_empty() {
                "Choose…".to_string()
            } else {
                analysis.spec.control.clone()
            };
            egui::ComboBox::from_id_salt("control-variant")
                .selected_text(shown)
                .width(200.0)
                .show_ui(ui, |ui| {
                    for v in &variants {
                        ui.selectable_value(&mut analysis.spec.control, v.clone(), v);
                    }
                })
                .response
                .labelled_by(label.id);
        }
    });
}

/// Whether a metric is a business metric, from the analysis settings.
fn is_business(analysis: &ExperimentAnalysis, metric: &str) -> bool {
    metric_spec(&analysis.spec, metric).is_some_and(|m| m.business)
}

/// The metrics in the order they are shown: business metrics first.
fn ordered_metrics<'a>(
    analysis: &ExperimentAnalysis,
    result: &'a ExperimentResult,
) -> Vec<(&'a MetricResult, bool)> {
    let mut metrics: Vec<(&MetricResult, bool)> = result
        .metrics
        .iter()
        .map(|m| (m, is_business(analysis, &m.metric)))
        .collect();
    metrics.sort_by_key(|(_, business)| !business);
    metrics
}

fn srm_banner_ui(ui: &mut egui::Ui, result: &ExperimentResult) {
    if let Some(warning) = &result.srm.warning {
        ui.add_space(theme::SECTION_GAP / 2.0);
        banner_ui(
            ui,
            "Do not trust these results yet",
            &format!(
                "{warning} Find the cause (assignment, logging, bots) before deciding anything \
                 on this test."
            ),
            tips::stat(tips::Statistic::SampleRatioMismatch),
        );
    }
}

fn results_ui(
    ui: &mut egui::Ui,
    analysis: &ExperimentAnalysis,
    result: &ExperimentResult,
    commands: &mut Vec<crate::app::Command>,
) {
    verdicts_ui(ui, analysis, result);
    ui.add_space(theme::SECTION_GAP / 2.0);
    lift_chart_ui(ui, analysis, result, commands);
    ui.add_space(theme::SECTION_GAP);
    for (metric, business) in ordered_metrics(analysis, result) {
        metric_tables_ui(ui, analysis, result, metric, business);
        ui.add_space(theme::SECTION_GAP / 2.0);
    }
    segments_ui(ui, analysis, result, commands);
    ui.add_space(theme::SECTION_GAP / 2.0);
    if !result.warnings.is_empty() {
        egui::CollapsingHeader::new(format!("Notes on the data ({})", result.warnings.len()))
            .id_salt(("experiment-notes", &analysis.id))
            .show(ui, |ui| {
                for w in &result.warnings {
                    ui.label(format!("•  {w}"));
                }
            });
    }
}

fn verdicts_ui(ui: &mut egui::Ui, analysis: &ExperimentAnalysis, result: &ExperimentResult) {
    let metrics = ordered_metrics(analysis, result);
    for business in [true, false] {
        let group: Vec<&MetricResult> = metrics
            .iter()
            .filter(|(_, b)| *b == business)
            .map(|(m, _)| *m)
            .collect();
        if group.is_empty() {
            continue;
        }
        theme::section_title(
            ui,
            if business {
                "Business metrics"
            } else {
                "ML metrics"
            },
        );
        for metric in group {
            for c in shown_comparisons(&analysis.spec, metric) {
                let text = if c.verdict.is_empty() {
                    format!("{} vs {}: no verdict.", c.treatment, result.control)
                } else {
                    crate::ui::labels::relabel_all(
                        &c.verdict,
                        std::iter::once(metric.metric.as_str()).chain(metric.covariate.as_deref()),
                    )
                };
                // "No significant change" is not "no change": say how large a change this
                // test could have seen.
                let mde = c
                    .p_value
                    .is_some_and(|p| p >= result.alpha)
                    .then(|| mde_sentence(metric.kind, c))
                    .flatten();
                ui.horizontal(|ui| {
                    ui.set_max_width(ui.available_width().min(theme::READABLE_WIDTH * 1.3));
                    plots::marker_icon_ui(ui, business, ui.visuals().text_color());
                    ui.vertical(|ui| {
                        let rich = egui::RichText::new(text);
                        let rich = if business { rich.strong() } else { rich };
                        ui.add(egui::Label::new(rich).wrap());
                        if let Some(mde) = mde {
                            ui.add(egui::Label::new(egui::RichText::new(mde).weak()).wrap())
                                .on_hover_text(MDE_TIP);
                        }
                    });
                });
            }
        }
    }
}

fn opt_text(value: Option<f64>, f: impl Fn(f64) -> String) -> String {
    value.map(f).unwrap_or_else(|| "–".to_string())
}

/// A metric value for a table: a share for proportions, a number otherwise (4 significant
/// digits).
fn value_text(kind: ResolvedKind, v: f64) -> String {
    match kind {
        ResolvedKind::Proportion => format::percent(v),
        ResolvedKind::Mean | ResolvedKind::Ratio => format::number(v),
    }
}

/// A difference: percentage points for proportions, the metric's unit otherwise.
fn diff_text(kind: ResolvedKind, v: f64) -> String {
    match kind {
        ResolvedKind::Proportion => format::points(v),
        ResolvedKind::Mean | ResolvedKind::Ratio => format::signed(v),
    }
}

/// A relative change for a table: "+5.02 %".
fn lift_text(v: f64) -> String {
    format::percent_change(v)
}

fn interval_text(lo: Option<f64>, hi: Option<f64>, f: impl Fn(f64) -> String) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} to {}", f(lo), f(hi)),
        _ => "–".to_string(),
    }
}

fn shown_p(analysis: &ExperimentAnalysis, c: &Comparison) -> Option<f64> {
    if analysis.spec.holm {
        c.p_value_holm
    } else {
        c.p_value
    }
}

fn metric_tables_ui(
    ui: &mut egui::Ui,
    analysis: &ExperimentAnalysis,
    result: &ExperimentResult,
    metric: &MetricResult,
    business: bool,
) {
    let kind_text = match metric.kind {
        ResolvedKind::Mean => "mean",
        ResolvedKind::Ratio => "ratio",
        ResolvedKind::Proportion => "proportion",
    };
    let role = if business {
        "business metric"
    } else {
        "ML metric"
    };
    let mut title = format!(
        "{} · {role} · {kind_text}",
        crate::ui::labels::name(&metric.metric)
    );
    if let Some(spec) = metric_spec(&analysis.spec, &metric.metric) {
        match spec.role {
            crate::model::DecisionRole::Success => title.push_str(" · success metric"),
            crate::model::DecisionRole::Guardrail { margin } => title.push_str(&format!(
                " · guardrail (may worsen by {})",
                format::percent(margin)
            )),
            crate::model::DecisionRole::Informative => {}
        }
        if spec.lower_is_better {
            title.push_str(" · lower is better");
        }
    }
    theme::section_title(ui, &title);
    let ci = confidence_label(result.alpha);
    // Tables may be wider than the page in presentation mode: they scroll sideways.
    egui::ScrollArea::horizontal()
        .id_salt(("variants", "scroll", &analysis.id, &metric.metric))
        .show(ui, |ui| {
            egui::Grid::new(("variants", &analysis.id, &metric.metric))
                .striped(true)
                .num_columns(6)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    header_ui(ui, "Variant", "");
                    header_ui(ui, "Units", tips::stat(tips::Statistic::N));
                    header_ui(ui, "Missing", tips::stat(tips::Statistic::Missing));
                    header_ui(
                        ui,
                        if metric.kind == ResolvedKind::Proportion {
                            "Share"
                        } else {
                            "Mean"
                        },
                        tips::stat(tips::Statistic::Mean),
                    );
                    header_ui(ui, "Std dev", tips::stat(tips::Statistic::StdDev));
                    header_ui(
                        ui,
                        &format!("{ci} interval"),
                        tips::stat(tips::Statistic::VariantCi),
                    );
                    ui.end_row();
                    for v in &metric.variants {
                        let name = if v.variant == result.control {
                            format!("{} (control)", v.variant)
                        } else {
                            v.variant.clone()
                        };
                        ui.label(name);
                        ui.label(format::precise(v.n as f64));
                        ui.label(format::precise(v.missing as f64));
                        ui.label(opt_text(v.mean, |x| value_text(metric.kind, x)));
                        ui.label(opt_text(v.std_dev, format::number));
                        ui.label(interval_text(v.ci_low, v.ci_high, |x| {
                            value_text(metric.kind, x)
                        }));
                        ui.end_row();
                    }
                });
        });
    let comparisons = shown_comparisons(&analysis.spec, metric);
    if comparisons.is_empty() {
        return;
    }
    ui.add_space(theme::SPACE_S);
    let p_header = if analysis.spec.holm {
        "p-value (Holm)"
    } else {
        "p-value"
    };
    let p_tip = if analysis.spec.holm {
        tips::stat(tips::Statistic::PValueHolm)
    } else {
        tips::stat(tips::Statistic::PValue)
    };
    // Tables may be wider than the page in presentation mode: they scroll sideways.
    egui::ScrollArea::horizontal()
        .id_salt(("comparisons", "scroll", &analysis.id, &metric.metric))
        .show(ui, |ui| {
            egui::Grid::new(("comparisons", &analysis.id, &metric.metric))
                .striped(true)
                .num_columns(9)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    header_ui(
                        ui,
                        "Treatment",
                        "Each treatment is compared with the control.",
                    );
                    header_ui(ui, "Difference", tips::stat(tips::Statistic::Diff));
                    header_ui(
                        ui,
                        &format!("{ci} interval"),
                        tips::stat(tips::Statistic::DiffCi),
                    );
                    header_ui(ui, "Relative lift", tips::stat(tips::Statistic::RelLift));
                    header_ui(
                        ui,
                        &format!("{ci} interval"),
                        tips::stat(tips::Statistic::RelLiftCi),
                    );
                    header_ui(ui, p_header, p_tip);
                    header_ui(ui, "Detectable change", MDE_TIP);
                    header_ui(ui, "Chance to win", CHANCE_TIP);
                    header_ui(ui, "Expected loss", CHANCE_TIP);
                    ui.end_row();
                    for c in comparisons {
                        ui.label(&c.treatment);
                        ui.label(opt_text(c.diff, |x| diff_text(metric.kind, x)));
                        ui.label(interval_text(c.diff_ci_low, c.diff_ci_high, |x| {
                            diff_text(metric.kind, x)
                        }));
                        ui.label(opt_text(c.rel_lift, lift_text));
                        ui.label(interval_text(c.rel_ci_low, c.rel_ci_high, lift_text));
                        ui.label(opt_text(shown_p(analysis, c), format::p_bare));
                        ui.label(mde_text(metric.kind, c).unwrap_or_else(|| "–".into()))
                            .on_hover_text(MDE_TIP);
                        ui.label(opt_text(c.chance_to_win, chance_text))
                            .on_hover_text(CHANCE_TIP);
                        ui.label(opt_text(c.expected_loss, |x| loss_text(metric.kind, x)))
                            .on_hover_text(CHANCE_TIP);
                        ui.end_row();
                    }
                });
        });
}
