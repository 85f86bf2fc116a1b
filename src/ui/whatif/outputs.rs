//! What a scenario projects: the answer in one sentence, the low/likely/high table, value
//! against cost over time, goal seek, and the sensitivity of the ROI.

use egui::RichText;

use crate::analysis::whatif::{Band, Case};
use crate::format;
use crate::model::{
    MaturityTable, Project, Scenario, ScenarioError, ScenarioOutputs, missing_inputs,
};
use crate::ui::theme;

use super::{plots, widgets};

/// Plain-language explanation of each output, for tooltips.
pub const BUSINESS_CHANGE_TIP: &str = "How much the business metric moves per user or decision \
    once the effect is fully ramped up: ML change × link slope.";
pub const MONTHLY_VALUE_TIP: &str = "Money a month once the effect is fully ramped up: business \
    change × value per unit × volume per month.";
pub const TOTAL_VALUE_TIP: &str =
    "Money earned over the horizon, after deployment and while ramping up.";
pub const TOTAL_COST_TIP: &str = "Engineering, cloud and one-off costs over the horizon.";
pub const NET_VALUE_TIP: &str = "Total value minus total cost.";
pub const ROI_TIP: &str = "Return on investment: net value as a share of total cost. 100% means \
    every unit spent comes back twice; below 0% the project loses money.";
pub const PAYBACK_TIP: &str = "The first month in which the money earned so far covers the money \
    spent so far, counted from the start of the work.";
pub const NPV_TIP: &str = "Net present value: each month's value minus cost, discounted at the \
    scenario's annual rate, summed over the horizon. Money later is worth less than money now.";
pub const DISCOUNTED_PAYBACK_TIP: &str = "The first month in which the discounted money earned so \
    far covers the discounted money spent so far.";

fn case_tip(case: Case) -> &'static str {
    match case {
        Case::Low => "With the least favourable slope in the link's interval: the pessimistic end.",
        Case::Likely => "With the link's measured (or best-guess) slope.",
        Case::High => "With the most favourable slope in the link's interval: the optimistic end.",
    }
}

/// The output column of the scenario view.
pub fn outputs_ui(
    ui: &mut egui::Ui,
    project: &Project,
    scenario: &mut Scenario,
    result: &Result<ScenarioOutputs, ScenarioError>,
    with_headline: bool,
    maturity_table: &mut MaturityTable,
    commands: &mut Vec<crate::app::Command>,
) {
    let missing = missing_inputs(scenario);
    let Ok(o) = result else {
        if with_headline {
            headline_or_error_ui(ui, result, &missing);
        }
        return;
    };
    if !missing.is_empty() {
        if with_headline {
            missing_ui(ui, &missing);
        }
        return;
    }
    if with_headline {
        headline_ui(ui, o);
        ui.add_space(theme::SECTION_GAP / 2.0);
    }
    results_table_ui(ui, o);

    theme::section_title(ui, "Cumulative value and cost");
    let band_from = match o.evidence {
        crate::model::ValueEvidence::ControlledExperiment => "the experiment's interval",
        _ => "the link's interval",
    };
    widgets::explain(
        ui,
        &format!(
            "Value starts once the model is live and grows while it ramps up; the shaded band \
             carries {band_from}. Where the lines cross, the scenario has paid back."
        ),
    );
    plots::cumulative_chart_ui(ui, o, commands);

    theme::section_title(ui, "Realism check");
    super::value::realism_ui(ui, o);

    theme::section_title(ui, "By maturity");
    super::value::by_maturity_ui(ui, o, maturity_table, commands);

    theme::section_title(ui, "Goal seek");
    goal_seek_ui(ui, project, scenario, o);

    theme::section_title(ui, "Sensitivity of ROI");
    sensitivity_ui(ui, o, commands);
}

/// The answer in one sentence, or why there is none.
pub fn headline_or_error_ui(
    ui: &mut egui::Ui,
    result: &Result<ScenarioOutputs, ScenarioError>,
    missing: &[&str],
) {
    match result {
        Ok(_) if !missing.is_empty() => missing_ui(ui, missing),
        Ok(o) => headline_ui(ui, o),
        Err(e) => {
            widgets::card(ui, |ui| {
                widgets::warning(ui, &format!("This scenario cannot be projected yet: {e}."));
            });
        }
    }
}

/// What to fill in before the scenario projects anything.
fn missing_ui(ui: &mut egui::Ui, missing: &[&str]) {
    widgets::card(ui, |ui| {
        ui.label(RichText::new("Fill in to see what this scenario is worth").strong());
        for m in missing {
            ui.label(format!("•  {m}"));
        }
        widgets::explain(
            ui,
            "Together they give the value: ML change × link slope × value per unit × volume per \
             month. Costs and time can stay at zero.",
        );
    });
}

fn headline_ui(ui: &mut egui::Ui, o: &ScenarioOutputs) {
    let dark = ui.visuals().dark_mode;
    let fill = theme::accent_fill(dark);
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, theme::ACCENT))
        .inner_margin(12.0)
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(egui::Label::new(RichText::new(&o.summary).size(16.5).strong()).wrap());
            for w in &o.warnings {
                widgets::warning(ui, w);
            }
        });
}

fn money_band(o: &ScenarioOutputs, band: Band<f64>) -> Band<String> {
    band.map(|v| format::money(v, &o.currency))
}

fn month_text(m: Option<u32>) -> String {
    match m {
        Some(m) => format!("month {m}"),
        None => "not within horizon".to_string(),
    }
}

fn results_table_ui(ui: &mut egui::Ui, o: &ScenarioOutputs) {
    let npv_label = format!("NPV at {}", format::percent(o.discount_rate));
    let rows: Vec<(&str, &str, Band<String>)> = vec![
        (
            "Business change",
            BUSINESS_CHANGE_TIP,
            o.business_change.map(format::signed),
        ),
        (
            "Monthly value",
            MONTHLY_VALUE_TIP,
            money_band(o, o.monthly_value),
        ),
        ("Total value", TOTAL_VALUE_TIP, money_band(o, o.total_value)),
        (
            "Total cost",
            TOTAL_COST_TIP,
            Band::flat(format::money(o.total_cost, &o.currency)),
        ),
        ("Net value", NET_VALUE_TIP, money_band(o, o.net_value)),
        (
            "ROI",
            ROI_TIP,
            o.roi.map(|r| {
                r.map(format::percent)
                    .unwrap_or_else(|| "no cost".to_string())
            }),
        ),
        (
            "Payback month",
            PAYBACK_TIP,
            o.payback_month.map(month_text),
        ),
        (
            npv_label.as_str(),
            NPV_TIP,
            o.npv.map(|n| {
                n.map(|v| format::money(v, &o.currency))
                    .unwrap_or_else(|| format::UNDEFINED.to_string())
            }),
        ),
        (
            "Discounted payback",
            DISCOUNTED_PAYBACK_TIP,
            o.discounted_payback_month.map(month_text),
        ),
    ];
    let good = theme::good_color(ui.visuals().dark_mode);
    let bad = theme::error_color(ui.visuals().dark_mode);
    egui::Grid::new("whatif_results")
        .num_columns(4)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            for case in Case::ALL {
                right_aligned(ui, |ui| {
                    ui.label(RichText::new(case.label()).strong())
                        .on_hover_text(case_tip(case));
                });
            }
            ui.end_row();
            for (label, tip, values) in rows {
                ui.label(label).on_hover_text(tip);
                for case in Case::ALL {
                    let text = values.get(case).clone();
                    let mut rich = RichText::new(text);
                    if case == Case::Likely {
                        rich = rich.strong();
                    }
                    if label == "Net value" {
                        let v = case.pick(o.net_value);
                        rich = rich.color(if v >= 0.0 { good } else { bad });
                    }
                    if label == npv_label
                        && let Some(v) = case.pick(o.npv)
                    {
                        rich = rich.color(if v >= 0.0 { good } else { bad });
                    }
                    right_aligned(ui, |ui| {
                        ui.label(rich).on_hover_text(tip);
                    });
                }
                ui.end_row();
            }
        });
}

/// Width of a value column of the results table.
const VALUE_COLUMN_WIDTH: f32 = 120.0;

fn right_aligned(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(VALUE_COLUMN_WIDTH, height),
        egui::Layout::right_to_left(egui::Align::Center),
        add,
    );
}

/// Three significant digits, so that a goal-seek result is a number people can type.
fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits - 1 - magnitude);
    (x * factor).round() / factor
}

fn goal_seek_ui(ui: &mut egui::Ui, project: &Project, s: &mut Scenario, o: &ScenarioOutputs) {
    let ml = if o.ml_metric.is_empty() {
        String::new()
    } else {
        format!(" {}", project.metric_text(&o.ml_metric))
    };
    let objectives: Vec<&crate::model::BusinessObjective> = project
        .framing
        .objectives
        .iter()
        .filter(|o| o.baseline.is_some() && o.target.is_some() && !o.metric.trim().is_empty())
        .collect();
    let mut notes: Vec<(bool, String)> = Vec::new();
    widgets::card(ui, |ui| {
        egui::Grid::new("whatif_goal_seek")
            .num_columns(3)
            .spacing([16.0, 10.0])
            .show(ui, |ui| {
                ui.label(RichText::new("Goal").strong());
                ui.label(RichText::new("ML change needed").strong())
                    .on_hover_text("With the link's likely slope.");
                ui.label("");
                ui.end_row();

                break_even_row_ui(ui, s, o, &ml, &mut notes);
                target_row_ui(ui, s, o, &ml, &objectives, &mut notes);
            });
        ui.add_space(theme::SPACE_XS);
        for (is_warning, note) in &notes {
            if *is_warning {
                widgets::warning(ui, note);
            } else {
                widgets::explain(ui, note);
            }
        }
    });
}

/// Goal seek's first row: the ML change that breaks even within the months asked for.
fn break_even_row_ui(
    ui: &mut egui::Ui,
    s: &mut Scenario,
    o: &ScenarioOutputs,
    ml: &str,
    notes: &mut Vec<(bool, String)>,
) {
    ui.horizontal(|ui| {
        let label = ui.label("Break even within");
        ui.add(
            egui::DragValue::new(&mut s.break_even_months)
                .range(1..=600)
                .speed(0.2)
                .suffix(" months"),
        )
        .labelled_by(label.id)
        .on_hover_text("Counted from the start of the work, like the payback month.");
    });
    let be = &o.ml_change_to_break_even;
    goal_value_ui(ui, s, be.ml_change, ml);
    ui.end_row();
    match &be.note {
        Some(note) => notes.push((true, note.clone())),
        None => notes.push((
            false,
            format!(
                "Break even: with this ML change, the money earned by the end of \
                 month {} covers everything spent by then.",
                be.within_months
            ),
        )),
    }
}

/// Goal seek's second row: the ML change that reaches the chosen objective's target.
fn target_row_ui(
    ui: &mut egui::Ui,
    s: &mut Scenario,
    o: &ScenarioOutputs,
    ml: &str,
    objectives: &[&crate::model::BusinessObjective],
    notes: &mut Vec<(bool, String)>,
) {
    match &o.ml_change_to_reach_target {
        None => {
            ui.label("Reach the business target");
            ui.label(RichText::new("no target").weak());
            ui.label("");
            ui.end_row();
            notes.push((
                false,
                "Give a business objective a baseline and a target on the Frame \
                 page to see which ML change reaches it."
                    .to_string(),
            ));
        }
        Some(goal) => {
            let unit = if goal.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", goal.unit)
            };
            ui.horizontal(|ui| {
                let label = ui.label("Reach the target of");
                if objectives.len() > 1 {
                    egui::ComboBox::from_id_salt("whatif_target_objective")
                        .selected_text(&goal.objective)
                        .show_ui(ui, |ui| {
                            for obj in objectives {
                                if ui
                                    .selectable_label(
                                        goal.objective == obj.metric.trim(),
                                        &obj.metric,
                                    )
                                    .clicked()
                                {
                                    s.objective = obj.metric.trim().to_string();
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                } else {
                    ui.label(RichText::new(&goal.objective).strong());
                }
                ui.label(format!(
                    "({} to {}{unit})",
                    format::number(goal.baseline),
                    format::number(goal.target)
                ));
            });
            goal_value_ui(ui, s, goal.ml_change, ml);
            ui.end_row();
            if let (Some(lo), Some(hi)) = (goal.ml_change_low, goal.ml_change_high) {
                notes.push((
                    false,
                    format!(
                        "Target: between {} and {}{ml} over the link's interval. \
                         Assumes the link's business metric is measured like the \
                         objective ({}{}).",
                        format::signed(lo),
                        format::signed(hi),
                        goal.objective,
                        if goal.unit.is_empty() {
                            String::new()
                        } else {
                            format!(", in {}", goal.unit)
                        }
                    ),
                ));
            }
            if let Some(note) = &goal.note {
                notes.push((true, note.clone()));
            }
        }
    }
}

/// The ML change a goal needs, with a button that puts it into the scenario.
fn goal_value_ui(ui: &mut egui::Ui, s: &mut Scenario, value: Option<f64>, ml: &str) {
    // Only a number can go into the scenario (a project holding NaN or infinity would not
    // open again).
    match value.filter(|x| x.is_finite()) {
        Some(x) => {
            ui.label(RichText::new(format!("{}{ml}", format::signed(x))).strong());
            let rounded = round_significant(x, 3);
            if ui
                .small_button("Use it")
                .on_hover_text(format!(
                    "Set this scenario's ML change to {}.",
                    format::signed(rounded)
                ))
                .clicked()
            {
                s.ml_change = rounded;
            }
        }
        None => {
            ui.label("none");
            ui.label("");
        }
    }
}

fn sensitivity_ui(ui: &mut egui::Ui, o: &ScenarioOutputs, commands: &mut Vec<crate::app::Command>) {
    let Some(base) = o.roi.likely else {
        widgets::explain(
            ui,
            "The ROI needs costs: enter what the change costs to see which assumption moves it \
             most.",
        );
        return;
    };
    let moving: Vec<_> = o
        .sensitivity_of_roi
        .iter()
        .filter(|b| b.swing() > 1e-12)
        .cloned()
        .collect();
    let still: Vec<&str> = o
        .sensitivity_of_roi
        .iter()
        .filter(|b| b.swing() <= 1e-12)
        .map(|b| b.assumption.as_str())
        .collect();
    widgets::explain(
        ui,
        &format!(
            "The likely ROI ({}) when one assumption at a time is 20% lower or higher. The \
             longest bars are the assumptions worth checking first. ML change, link slope, \
             volume and value per unit multiply together, so they move the ROI alike.",
            format::percent(base)
        ),
    );
    if moving.is_empty() {
        widgets::explain(ui, "No assumption moves the ROI.");
    } else {
        let title = format!("{}: sensitivity of ROI", o.scenario);
        plots::tornado_ui(ui, &moving, base, &title, commands);
    }
    if !still.is_empty() {
        widgets::explain(ui, &format!("No effect: {}.", still.join(", ")));
    }
}
