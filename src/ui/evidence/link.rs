//! ML vs business: the ML metric and the business metric per experiment side by side (linked x
//! axis and cursor), the scatter of one against the other with the fitted line and its band,
//! and the sentence that says how much the business moved per step of the ML metric. Hovering
//! or clicking a point highlights the same experiment in every plot.

use crate::ui::widgets::{settings_open, settings_salt};
use std::collections::HashMap;
use std::sync::Arc;

use egui_plot::{Corner, Line, Points};

use super::{
    ViewKind, alpha_combo, column_combo, columns_by_role, confidence_label, dataset_combo, new_id,
    open_view, tips,
};
use crate::analysis::LinkResult;
use crate::analysis::series::parse_iso_date;
use crate::analysis::{BandPoint, LineFit};
use crate::app::PageState;
use crate::app::{AnalysisKind, NewAnalysis};
use crate::format;
use crate::model::{ColumnRole, LinkAnalysis, Project};
use crate::ui::PageContext;
use crate::ui::plots::{self, AxisSpec, HoverLabels, PlotLink, PlotPanel, PlotTable, ValueFormat};
use crate::ui::theme;

mod charts;

use charts::plots_ui;

pub fn link_view_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let kind = ViewKind {
        label: "Link",
        new_label: "New link",
        unnamed: "Link",
        empty: "No ML-to-business link yet. A link relates an ML metric (offline accuracy, AUC) \
                to a business metric (revenue per user, retention) across many experiments, \
                models or days: when the model got better, did the business follow, and by how \
                much? Start one with \"New link\" once a data file with one row per experiment \
                is on the Data page.",
        selected: |v| &mut v.link,
        new: new_link,
        kind: AnalysisKind::Link,
        wrap: NewAnalysis::Link,
    };
    let Some(i) = open_view(ui, cx, &kind, settings_ui) else {
        return;
    };
    let project: &Project = cx.project;
    let Some(analysis) = project.evidence.links.get(i) else {
        return;
    };
    let Some(result) = analysis.output().map(|d| &d.result) else {
        return;
    };
    ui.add_space(theme::SECTION_GAP / 2.0);
    results_ui(ui, analysis, result, cx.state, cx.commands);
}

fn new_link(project: &Project) -> LinkAnalysis {
    let id = new_id("link", project.evidence.links.iter().map(|a| a.id.as_str()));
    let mut analysis = LinkAnalysis {
        id,
        name: format!("Link {}", project.evidence.links.len() + 1),
        ..Default::default()
    };
    let has = |d: &crate::model::Dataset, role| d.columns.iter().any(|c| c.role == role);
    let hypothesised = crate::app::defaults::hypothesised_link(project).map(|h| h.0);
    let dataset = project
        .datasets
        .iter()
        .find(|d| hypothesised.as_deref() == Some(d.id.as_str()))
        .or_else(|| {
            project.datasets.iter().find(|d| {
                has(d, ColumnRole::MlMetric)
                    && has(d, ColumnRole::BusinessMetric)
                    && !has(d, ColumnRole::Variant)
            })
        })
        .or_else(|| project.datasets.first());
    if let Some(d) = dataset {
        analysis.spec.dataset_id = d.id.clone();
        let first = |role| {
            d.columns
                .iter()
                .find(|c| c.role == role)
                .map(|c| c.name.clone())
        };
        analysis.spec.x = first(ColumnRole::MlMetric).unwrap_or_default();
        analysis.spec.y = first(ColumnRole::BusinessMetric).unwrap_or_default();
        // The link hypothesised on the Frame page, when its metrics are in this file.
        if let Some((dataset, x, y)) = crate::app::defaults::hypothesised_link(project)
            && dataset == d.id
        {
            (analysis.spec.x, analysis.spec.y) = (x, y);
        }
        analysis.spec.label_column = d
            .columns
            .iter()
            .find(|c| {
                matches!(
                    c.role,
                    ColumnRole::UnitId | ColumnRole::Segment | ColumnRole::Time
                )
            })
            .or_else(|| d.columns.iter().find(|c| c.dtype == "text"))
            .map(|c| c.name.clone());
        let se_of = |metric: &str| {
            d.columns
                .iter()
                .find(|c| {
                    c.role == ColumnRole::StandardError && c.metric.as_deref() == Some(metric)
                })
                .map(|c| c.name.clone())
        };
        analysis.spec.x_se = se_of(&analysis.spec.x);
        analysis.spec.y_se = se_of(&analysis.spec.y);
        if !analysis.spec.x.is_empty() && !analysis.spec.y.is_empty() {
            analysis.name = format!("{} to {}", analysis.spec.x, analysis.spec.y);
        }
    }
    analysis
}

fn settings_ui(ui: &mut egui::Ui, project: &mut Project, i: usize) {
    let datasets = project.datasets.clone();
    let Some(analysis) = project.evidence.links.get_mut(i) else {
        return;
    };
    let incomplete = analysis.spec.dataset_id.is_empty()
        || analysis.spec.x.is_empty()
        || analysis.spec.y.is_empty();
    egui::CollapsingHeader::new("Settings")
        .id_salt(settings_salt(ui, ("link-settings", &analysis.id)))
        .default_open(settings_open(ui, incomplete && analysis.result.is_none()))
        .show(ui, |ui| {
            crate::ui::widgets::compact_text_field(
                ui,
                "Name",
                &mut analysis.name,
                "e.g. Accuracy to revenue",
            );
            if dataset_combo(ui, "Data file", &mut analysis.spec.dataset_id, &datasets) {
                analysis.spec.x.clear();
                analysis.spec.y.clear();
                analysis.spec.label_column = None;
                analysis.spec.x_se = None;
                analysis.spec.y_se = None;
                analysis.spec.experiment_column = None;
            }
            let dataset = datasets.iter().find(|d| d.id == analysis.spec.dataset_id);
            let spec = &mut analysis.spec;
            let mut unit_level = spec.experiment_column.is_some();
            if ui
                .checkbox(
                    &mut unit_level,
                    "One row per unit, many experiments in the file",
                )
                .on_hover_text(
                    "Each point is then one experiment's treatment-minus-control difference in \
                     both metrics, with its standard error, and the line allows for that noise.",
                )
                .changed()
            {
                spec.experiment_column = unit_level.then(|| {
                    dataset
                        .and_then(|d| {
                            d.columns
                                .iter()
                                .find(|c| c.role == ColumnRole::Segment)
                                .map(|c| c.name.clone())
                        })
                        .unwrap_or_default()
                });
                if unit_level && spec.variant_column.is_empty() {
                    spec.variant_column = dataset
                        .and_then(|d| d.columns.iter().find(|c| c.role == ColumnRole::Variant))
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                }
            }
            if let Some(experiment) = spec.experiment_column.as_mut() {
                let groups = columns_by_role(dataset, &[ColumnRole::Segment]);
                column_combo(ui, "Experiment column", experiment, &groups, None);
                let variants = columns_by_role(dataset, &[ColumnRole::Variant]);
                column_combo(
                    ui,
                    "Variant column",
                    &mut spec.variant_column,
                    &variants,
                    None,
                );
                crate::ui::widgets::compact_text_field(
                    ui,
                    "Control variant",
                    &mut spec.control,
                    "e.g. control",
                );
            } else {
                let mut label = spec.label_column.clone().unwrap_or_default();
                let all = columns_by_role(
                    dataset,
                    &[ColumnRole::UnitId, ColumnRole::Segment, ColumnRole::Time],
                );
                if column_combo(ui, "Each row is", &mut label, &all, Some("Row number")) {
                    spec.label_column = (!label.is_empty()).then_some(label);
                }
            }
            let ml = columns_by_role(dataset, &[ColumnRole::MlMetric]);
            column_combo(ui, "ML metric", &mut spec.x, &ml, None);
            let business = columns_by_role(dataset, &[ColumnRole::BusinessMetric]);
            column_combo(ui, "Business metric", &mut spec.y, &business, None);
            if spec.experiment_column.is_none() {
                let ses = columns_by_role(dataset, &[ColumnRole::StandardError]);
                for (label, value) in [
                    ("Standard error of the ML metric", &mut spec.x_se),
                    ("Standard error of the business metric", &mut spec.y_se),
                ] {
                    let mut column = value.clone().unwrap_or_default();
                    if column_combo(ui, label, &mut column, &ses, Some("None (no noise)")) {
                        *value = (!column.is_empty()).then_some(column);
                    }
                }
            }
            alpha_combo(ui, &mut spec.alpha);
        });
}

// The headline and its helpers live in the core, shared with the Summary, the report and the
// deck.
use crate::io::report::sentences::{LinkSlope as Slope, is_share, row_noun};

/// "Each +1 pp of accuracy came with +0.16 revenue per user …", with the project's names.
pub fn headline(analysis: &LinkAnalysis, result: &LinkResult) -> Option<String> {
    crate::ui::labels::with_project(|p| {
        crate::io::report::sentences::link_headline(p, analysis, result)
    })
}

/// The engine's verdict on the link without its own slope sentence (the headline above says
/// it per +1 pp or +1 unit): how strong the link is, and whether chance explains it.
fn supporting_verdict(analysis: &LinkAnalysis, result: &LinkResult) -> String {
    if result.slope.is_none() {
        return result.verdict.clone();
    }
    let x = crate::ui::labels::sentence(&analysis.spec.x);
    let y = crate::ui::labels::sentence(&analysis.spec.y);
    if let Some(york) = &result.york {
        return crate::analysis::york::york_verdict(
            result,
            york,
            &x,
            &y,
            None,
            analysis.spec.alpha,
        );
    }
    crate::analysis::verdict::link_verdict(&crate::analysis::verdict::LinkFacts {
        x: &x,
        y: &y,
        n: result.n,
        r: result.pearson_r,
        r_ci: result.pearson_ci_low.zip(result.pearson_ci_high),
        p: result.pearson_p,
        slope: Slope::of(result).slope,
        slope_ci: Slope::of(result).ci,
        x_step: None,
        alpha: analysis.spec.alpha,
    })
}

fn results_ui(
    ui: &mut egui::Ui,
    analysis: &LinkAnalysis,
    result: &LinkResult,
    state: &mut PageState,
    commands: &mut Vec<crate::app::Command>,
) {
    if let Some(sentence) = headline(analysis, result) {
        ui.add(egui::Label::new(egui::RichText::new(sentence).size(19.0).strong()).wrap())
            .on_hover_text(tips::stat(tips::Statistic::Slope));
    }
    let verdict = supporting_verdict(analysis, result);
    if !verdict.is_empty() {
        ui.add(egui::Label::new(verdict).wrap());
    }
    // The headline and the two plots side by side first (they fit a 1280×800 window), then
    // the statistics with their notes, and the fitted scatter.
    let details = |ui: &mut egui::Ui| {
        stats_ui(ui, analysis, result);
        noise_note_ui(ui, result);
        let york_warnings = result.york.iter().flat_map(|y| y.warnings.iter());
        for w in result.warnings.iter().chain(york_warnings) {
            ui.label(egui::RichText::new(format!("•  {w}")).weak());
        }
    };
    if analysis.points().is_empty() {
        details(ui);
        return;
    }
    ui.add_space(theme::SPACE_S);
    plots_ui(ui, analysis, state, commands, details);
}

fn stats_ui(ui: &mut egui::Ui, analysis: &LinkAnalysis, result: &LinkResult) {
    let ci = confidence_label(analysis.spec.alpha);
    let opt = |v: Option<f64>| v.map(format::number).unwrap_or_else(|| "–".to_string());
    let interval = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!(
            " ({ci} interval {} to {})",
            format::number(lo),
            format::number(hi)
        ),
        _ => String::new(),
    };
    ui.add_space(theme::SPACE_XS);
    // Correlations read best with two significant digits.
    let two = |v: Option<f64>| {
        v.map(|v| format::sig(v, 2))
            .unwrap_or_else(|| "–".to_string())
    };
    let interval2 = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!(
            " ({ci} interval {} to {})",
            format::sig(lo, 2),
            format::sig(hi, 2)
        ),
        _ => String::new(),
    };
    let value_width = (ui.available_width() - 220.0).max(200.0);
    egui::Grid::new(("link-stats", &analysis.id))
        .num_columns(2)
        .spacing([18.0, 3.0])
        .max_col_width(value_width)
        .show(ui, |ui| {
            let fit = Slope::of(result);
            ui.label(if fit.noise_aware {
                "Slope (noise-aware)"
            } else {
                "Slope"
            })
            .on_hover_text(if fit.noise_aware {
                tips::YORK
            } else {
                tips::stat(tips::Statistic::Slope)
            });
            let x = crate::ui::labels::label(&analysis.spec.x);
            let step = if is_share(analysis.points()) {
                0.01
            } else {
                1.0
            };
            let per = x.per_step(step);
            let scaled = |v: Option<f64>| v.map(|v| v * step);
            ui.label(format!(
                "{} {} {per}{}",
                opt(scaled(fit.slope)),
                crate::ui::labels::sentence(&analysis.spec.y),
                interval(scaled(fit.ci.map(|c| c.0)), scaled(fit.ci.map(|c| c.1))),
            ));
            ui.end_row();
            if let Some(york) = &result.york {
                ui.label("Plain least-squares slope").on_hover_text(
                    "The ordinary fit, which treats the ML metric as measured without noise: \
                     with noisy points it understates the slope.",
                );
                ui.label(format!(
                    "{} {} {per}{}",
                    opt(scaled(result.slope)),
                    crate::ui::labels::sentence(&analysis.spec.y),
                    interval(scaled(result.slope_ci_low), scaled(result.slope_ci_high)),
                ));
                ui.end_row();
                ui.label("Reliability of the ML metric")
                    .on_hover_text(tips::RELIABILITY);
                ui.label(york.reliability_x.map_or_else(
                    || "–".to_string(),
                    |r| {
                        format!(
                            "{} (the share of its spread that is not measurement noise)",
                            format::sig(r, 2)
                        )
                    },
                ));
                ui.end_row();
            }
            ui.label("Correlation (Pearson r)")
                .on_hover_text(tips::stat(tips::Statistic::PearsonR));
            ui.label(format!(
                "{}{}{}",
                two(result.pearson_r),
                interval2(result.pearson_ci_low, result.pearson_ci_high),
                result
                    .pearson_p
                    .map(|p| format!(", {}", format::p_value(p)))
                    .unwrap_or_default()
            ));
            ui.end_row();
            ui.label("Rank correlation (Spearman ρ)")
                .on_hover_text(tips::stat(tips::Statistic::SpearmanRho));
            ui.label(format!(
                "{}{}",
                two(result.spearman_rho),
                result
                    .spearman_p
                    .map(|p| format!(", {}", format::p_value(p)))
                    .unwrap_or_default()
            ));
            ui.end_row();
            ui.label("Explained share (R²)")
                .on_hover_text(tips::stat(tips::Statistic::RSquared));
            ui.label(two(result.r_squared));
            ui.end_row();
            ui.label("Points")
                .on_hover_text("How many experiments, models or days the link is measured on.");
            ui.label(format!("{} {}", result.n, row_noun(analysis)));
            ui.end_row();
        });
}

/// Which fit the page shows and why: the York fit with standard errors, else a note that the
/// plain fit ignores measurement noise.
fn noise_note_ui(ui: &mut egui::Ui, result: &LinkResult) {
    let text = if result.york.is_some() {
        "The line is the York fit: it allows for each point's measurement noise in both \
         metrics (the error bars), which the plain least-squares line ignores."
    } else {
        "This fit ignores measurement noise: when each point is itself a measured effect, \
         give the link the standard-error columns (Settings) so the slope is not understated."
    };
    ui.label(egui::RichText::new(text).weak());
}
