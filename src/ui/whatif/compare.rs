//! All scenarios side by side: a table of their outputs and their net value over time.

use egui::RichText;

use crate::format;
use crate::model::{Project, ScenarioOutputs, scenario_display_name, scenario_outputs};
use crate::ui::theme;

use super::{outputs, plots, swatch, widgets};

/// Draw the comparison; returns the id of a scenario the user wants to open.
pub fn compare_ui(
    ui: &mut egui::Ui,
    project: &Project,
    commands: &mut Vec<crate::app::Command>,
) -> Option<String> {
    if project.scenarios.is_empty() {
        widgets::explain(
            ui,
            "No scenarios yet. Add scenarios under Scenarios, then compare them here.",
        );
        return None;
    }
    let mut open = None;
    let results: Vec<_> = project
        .scenarios
        .iter()
        .map(|s| (s, scenario_outputs(project, s)))
        .collect();
    widgets::explain(
        ui,
        "Likely figures, with the low and high ends of the link's interval where they differ. \
         Open a scenario to change it.",
    );
    ui.add_space(theme::SPACE_XS);
    let headers: [(&str, &str); 9] = [
        ("Scenario", EVIDENCE_TIP),
        ("ML change", "The change of the ML metric."),
        ("Business change", outputs::BUSINESS_CHANGE_TIP),
        ("Monthly value", outputs::MONTHLY_VALUE_TIP),
        ("Total cost", outputs::TOTAL_COST_TIP),
        ("Net value", outputs::NET_VALUE_TIP),
        ("ROI", outputs::ROI_TIP),
        ("Payback month", outputs::PAYBACK_TIP),
        ("NPV", outputs::NPV_TIP),
    ];
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::horizontal()
        .id_salt("whatif_compare_table")
        .show(ui, |ui| {
            egui::Grid::new("whatif_compare_grid")
                .num_columns(headers.len())
                .striped(true)
                .spacing([14.0, 8.0])
                .show(ui, |ui| {
                    for (h, tip) in headers {
                        let r = ui.label(RichText::new(h).strong());
                        if !tip.is_empty() {
                            r.on_hover_text(tip);
                        }
                    }
                    ui.end_row();
                    for (i, (s, result)) in results.iter().enumerate() {
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                swatch(ui, theme::series_color(i));
                                if ui
                                    .link(scenario_display_name(s))
                                    .on_hover_text("Open this scenario.")
                                    .clicked()
                                {
                                    open = Some(s.id.clone());
                                }
                            });
                            if let Ok(o) = result {
                                ui.label(
                                    RichText::new(format!("      {}", o.evidence.short()))
                                        .small()
                                        .weak(),
                                )
                                .on_hover_text(EVIDENCE_TIP);
                            }
                        });
                        match result {
                            Ok(o) => row_ui(ui, o, dark),
                            Err(e) => {
                                ui.label(
                                    RichText::new(format!("Cannot be projected: {e}."))
                                        .color(theme::warning_color(dark)),
                                );
                            }
                        }
                        ui.end_row();
                    }
                });
        });
    let ok: Vec<(usize, ScenarioOutputs)> = results
        .into_iter()
        .enumerate()
        .filter_map(|(i, (_, r))| r.ok().map(|o| (i, o)))
        .collect();
    if ok.is_empty() {
        return open;
    }
    let currencies: std::collections::BTreeSet<&str> =
        ok.iter().map(|(_, o)| o.currency.as_str()).collect();
    theme::section_title(ui, "Net value over time");
    widgets::explain(
        ui,
        "Money earned so far minus money spent so far, likely case with the band of each \
         scenario. A line crossing zero is that scenario's payback.",
    );
    if currencies.len() > 1 {
        widgets::warning(
            ui,
            "The scenarios use different currencies, so their amounts are not comparable.",
        );
    }
    plots::compare_chart_ui(ui, &ok, commands);
    open
}

fn row_ui(ui: &mut egui::Ui, o: &ScenarioOutputs, dark: bool) {
    let money = |v: f64| format::money(v, &o.currency);
    let ml = if o.ml_metric.is_empty() {
        format::signed(o.ml_change)
    } else {
        format!(
            "{} {}",
            format::signed(o.ml_change),
            crate::ui::labels::text(&o.ml_metric)
        )
    };
    ui.label(ml);
    ui.label(format::signed(o.business_change.likely));
    ui.label(money(o.monthly_value.likely));
    ui.label(money(o.total_cost));
    let net_color = if o.net_value.likely >= 0.0 {
        theme::good_color(dark)
    } else {
        theme::error_color(dark)
    };
    ui.vertical(|ui| {
        ui.label(
            RichText::new(money(o.net_value.likely))
                .strong()
                .color(net_color),
        );
        if o.net_value.low != o.net_value.high {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "{} to {}",
                        money(o.net_value.low),
                        money(o.net_value.high)
                    ))
                    .small()
                    .weak(),
                )
                .extend(),
            );
        }
    });
    ui.vertical(|ui| {
        ui.label(
            o.roi
                .likely
                .map(format::percent)
                .unwrap_or_else(|| "no cost".to_string()),
        );
        if let (Some(lo), Some(hi)) = (o.roi.low, o.roi.high)
            && lo != hi
        {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "{} to {}",
                        format::percent(lo),
                        format::percent(hi)
                    ))
                    .small()
                    .weak(),
                )
                .extend(),
            );
        }
    });
    ui.label(match o.payback_month.likely {
        Some(m) => format!("month {m}"),
        None => format!("not within {} months", o.horizon_months),
    });
    ui.vertical(|ui| {
        ui.label(
            o.npv
                .likely
                .map(money)
                .unwrap_or_else(|| format::UNDEFINED.to_string()),
        );
        ui.add(
            egui::Label::new(
                RichText::new(format!("at {}", format::percent(o.discount_rate)))
                    .small()
                    .weak(),
            )
            .extend(),
        );
    });
}

/// What the line under a scenario's name says.
const EVIDENCE_TIP: &str = "What the value rests on: a controlled test (an A/B experiment's \
    measured difference), a correlation across experiments (a measured link), or a link entered \
    by hand.";
