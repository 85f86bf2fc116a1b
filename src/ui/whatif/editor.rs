//! The inputs of one scenario, grouped as an analyst thinks of them: the ML change, the link to
//! the business, what the business metric is worth, the costs, and time.

use crate::analysis::whatif::Assumption;
use crate::format;
use crate::model::{
    LinkSource, Maturity, MaturityTable, Project, Scenario, experiment_display_name,
    link_display_name, maturity_short_label,
};

use super::widgets::{self, NumberKind};

/// A measured link the scenario may use.
pub struct LinkChoice {
    pub id: String,
    pub name: String,
    /// "slope −5.2 (95% interval −8.1 to −2.3), from 14 points", or why there is none.
    pub description: String,
    pub ml_metric: String,
    pub business_metric: String,
}

/// A treatment's measured difference in one metric of an experiment analysis, which a scenario
/// may take as its business change.
pub struct ExperimentChoice {
    pub experiment_id: String,
    pub metric: String,
    pub treatment: String,
    /// "Offer test: model_targeting in churned_30d, −0.012 (95% CI −0.02 to −0.004)".
    pub name: String,
    pub business: bool,
}

/// What the form needs from the rest of the project.
pub struct EditorContext {
    pub links: Vec<LinkChoice>,
    pub experiments: Vec<ExperimentChoice>,
    pub project_maturity: Option<Maturity>,
    pub maturity_table: MaturityTable,
}

impl EditorContext {
    pub fn new(project: &Project) -> Self {
        let links = project
            .evidence
            .links
            .iter()
            .map(|l| {
                let description = match &l.result {
                    None => "Not computed yet: open it on the Evidence page.".to_string(),
                    Some((_, r)) => match r.result.line().slope {
                        None => "No slope could be measured.".to_string(),
                        Some(slope) => {
                            let level = format::confidence_level(l.spec.alpha);
                            let line = r.result.line();
                            let interval = match (line.slope_ci_low, line.slope_ci_high) {
                                (Some(lo), Some(hi)) => format!(
                                    " ({level}% interval {} to {})",
                                    format::number(lo),
                                    format::number(hi)
                                ),
                                _ => String::new(),
                            };
                            format!(
                                "Slope {}{interval}, from {} points: each unit of {} went with \
                                 {} units of {}.",
                                format::number(slope),
                                r.result.n,
                                project.metric_info(&l.spec.x).in_sentence(),
                                format::number(slope),
                                project.metric_info(&l.spec.y).in_sentence()
                            )
                        }
                    },
                };
                LinkChoice {
                    id: l.id.clone(),
                    name: link_display_name(l),
                    description,
                    ml_metric: project.metric_name(&l.spec.x),
                    business_metric: project.metric_name(&l.spec.y),
                }
            })
            .collect();
        Self {
            links,
            experiments: experiment_choices(project),
            project_maturity: project.framing.process.maturity,
            maturity_table: project.maturity_table.clone(),
        }
    }
}

/// Every computed treatment-vs-control difference of the project's experiment analyses,
/// business metrics first.
fn experiment_choices(project: &Project) -> Vec<ExperimentChoice> {
    let mut choices = Vec::new();
    for e in &project.evidence.experiments {
        let Some(result) = e.output() else { continue };
        let name = experiment_display_name(e);
        for m in &result.metrics {
            let business = e
                .spec
                .metrics
                .iter()
                .any(|spec| spec.column == m.metric && spec.business);
            for c in &m.comparisons {
                let Some(diff) = c.diff.filter(|d| d.is_finite()) else {
                    continue;
                };
                let interval = match (c.diff_ci_low, c.diff_ci_high) {
                    (Some(lo), Some(hi)) => format!(
                        " ({}% CI {} to {})",
                        format::confidence_level(result.alpha),
                        format::signed(lo),
                        format::signed(hi)
                    ),
                    _ => String::new(),
                };
                choices.push(ExperimentChoice {
                    experiment_id: e.id.clone(),
                    metric: m.metric.clone(),
                    treatment: c.treatment.clone(),
                    name: format!(
                        "{name}: {} in {}, {}{interval}",
                        c.treatment,
                        project.metric_info(&m.metric).in_sentence(),
                        format::signed(diff)
                    ),
                    business,
                });
            }
        }
    }
    choices.sort_by_key(|c| !c.business);
    choices
}

/// The whole form.
pub fn scenario_editor_ui(ui: &mut egui::Ui, s: &mut Scenario, cx: &EditorContext) {
    widgets::group_heading(ui, "Scenario");
    let label = ui
        .label("Scenario name")
        .on_hover_text("A short name to tell scenarios apart.");
    ui.add(
        egui::TextEdit::singleline(&mut s.name)
            .hint_text("e.g. AUC +0.02")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);

    widgets::group_heading(ui, "ML change");
    form_grid("ml").show(ui, |ui| {
        widgets::text_row(
            ui,
            "ML metric",
            "The offline ML metric that improves.",
            &mut s.ml_metric,
            "e.g. AUC",
        );
        widgets::number_row(
            ui,
            Assumption::MlChange.label(),
            "How much the ML metric changes, in the unit the link uses: for an AUC measured \
             from 0 to 1, +0.02.",
            &mut s.ml_change,
            NumberKind::Signed,
        );
    });

    widgets::group_heading(ui, "Link to the business metric");
    link_ui(ui, s, cx);

    widgets::group_heading(ui, "Business value");
    business_ui(ui, s);

    widgets::group_heading(ui, "Costs");
    costs_ui(ui, s);

    widgets::group_heading(ui, "Time");
    time_ui(ui, s, cx);

    widgets::group_heading(ui, "Notes");
    let label = ui.label("Notes");
    ui.add(
        egui::TextEdit::multiline(&mut s.notes)
            .hint_text("Where the numbers come from, what is assumed.")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
}

/// A two-column form grid (labels, fields) of the editor.
fn form_grid(id: &str) -> egui::Grid {
    egui::Grid::new(("whatif_form", id))
        .num_columns(2)
        .spacing([12.0, 8.0])
        .min_col_width(widgets::LABEL_WIDTH)
}

/// What the business metric is worth: the metric, the volume, the value per unit, the currency.
fn business_ui(ui: &mut egui::Ui, s: &mut Scenario) {
    let currency = s.currency.clone();
    form_grid("business").show(ui, |ui| {
        widgets::text_row(
            ui,
            "Business metric",
            "The business metric the ML change moves.",
            &mut s.business_metric,
            "e.g. Monthly churn (pp)",
        );
        widgets::number_row(
            ui,
            Assumption::VolumePerMonth.label(),
            "Users, customers or decisions the model affects each month.",
            &mut s.volume_per_month,
            NumberKind::Count,
        );
        widgets::number_row(
            ui,
            Assumption::ValuePerUnit.label(),
            "What one unit of the business metric is worth, per user or decision and month. \
             Negative when more of it is worse: if each extra percentage point of churn costs \
             1.50 per subscriber a month, enter −1.5.",
            &mut s.value_per_unit,
            NumberKind::Money(&currency),
        );
        widgets::text_row(
            ui,
            "Currency",
            "Shown with every amount, e.g. $, € or CHF.",
            &mut s.currency,
            "e.g. $",
        );
    });
}

/// What the change costs: engineering, cloud and one-off costs.
fn costs_ui(ui: &mut egui::Ui, s: &mut Scenario) {
    let currency = s.currency.clone();
    form_grid("costs").show(ui, |ui| {
        widgets::number_row(
            ui,
            Assumption::EngineeringMonths.label(),
            "Person-months of work to build, test and deploy the change (spread over the \
             deployment time).",
            &mut s.engineering_months,
            NumberKind::Count,
        );
        widgets::number_row(
            ui,
            Assumption::EngineeringRate.label(),
            "What one person-month of engineering costs, all in.",
            &mut s.engineering_rate_per_month,
            NumberKind::Cost(&currency),
        );
        widgets::number_row(
            ui,
            Assumption::CloudCostPerMonth.label(),
            "Training, serving and storage each month, from go-live.",
            &mut s.cloud_cost_per_month,
            NumberKind::Cost(&currency),
        );
        widgets::number_row(
            ui,
            Assumption::OneOffCosts.label(),
            "Paid once at the start: licences, labelling, hardware.",
            &mut s.one_off_costs,
            NumberKind::Cost(&currency),
        );
    });
}

fn link_ui(ui: &mut egui::Ui, s: &mut Scenario, cx: &EditorContext) {
    let measured = matches!(s.link, LinkSource::Measured { .. });
    let direct = matches!(s.link, LinkSource::Experiment { .. });
    let manual = matches!(s.link, LinkSource::Manual { .. });
    ui.horizontal_wrapped(|ui| {
        let can_measure = !cx.links.is_empty();
        let response = ui
            .add_enabled(
                can_measure,
                egui::RadioButton::new(measured, "Measured link"),
            )
            .on_hover_text(
                "Use the slope and interval measured across experiments on the Evidence page \
                 (a correlation, not a controlled test).",
            )
            .on_disabled_hover_text(
                "No link measured yet: relate an ML metric to a business metric on the \
                 Evidence page.",
            );
        if response.clicked()
            && !measured
            && let Some(first) = cx.links.first()
        {
            s.link = LinkSource::Measured {
                link_id: first.id.clone(),
            };
        }
        let response = ui
            .add_enabled(
                !cx.experiments.is_empty(),
                egui::RadioButton::new(direct, "Experiment result"),
            )
            .on_hover_text(
                "Take the business change straight from an A/B experiment: a treatment's \
                 measured difference, with its interval. The most direct evidence.",
            )
            .on_disabled_hover_text(
                "No experiment analysed yet: analyse an A/B test on the Evidence page.",
            );
        if response.clicked()
            && !direct
            && let Some(first) = cx.experiments.first()
        {
            s.link = LinkSource::Experiment {
                experiment_id: first.experiment_id.clone(),
                metric: first.metric.clone(),
                treatment: first.treatment.clone(),
            };
        }
        if ui
            .radio(manual, "Entered by hand")
            .on_hover_text("Enter a slope you believe, with a low and a high value.")
            .clicked()
            && !manual
        {
            s.link = LinkSource::Manual {
                slope: 0.0,
                low: 0.0,
                high: 0.0,
            };
        }
    });
    match &mut s.link {
        LinkSource::Measured { link_id } => {
            let current = cx.links.iter().find(|l| &l.id == link_id);
            let label = ui.label("Measured link");
            let selected_text = current
                .map(|l| l.name.clone())
                .unwrap_or_else(|| format!("{link_id} (missing)"));
            let mut chosen = None;
            egui::ComboBox::from_id_salt("whatif_measured_link")
                .selected_text(selected_text)
                .width(320.0)
                .show_ui(ui, |ui| {
                    for l in &cx.links {
                        if ui.selectable_label(&l.id == link_id, &l.name).clicked() {
                            chosen = Some(l);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            if let Some(l) = chosen {
                *link_id = l.id.clone();
                if s.ml_metric.trim().is_empty() {
                    s.ml_metric = l.ml_metric.clone();
                }
                if s.business_metric.trim().is_empty() {
                    s.business_metric = l.business_metric.clone();
                }
            }
            match cx
                .links
                .iter()
                .find(|l| matches!(&s.link, LinkSource::Measured { link_id } if &l.id == link_id))
            {
                Some(l) => widgets::explain(ui, &l.description),
                None => widgets::warning(
                    ui,
                    "This link is no longer in the project. Choose another one, or enter a link \
                     by hand.",
                ),
            }
        }
        LinkSource::Experiment {
            experiment_id,
            metric,
            treatment,
        } => {
            let is_current = |c: &ExperimentChoice| {
                &c.experiment_id == experiment_id
                    && &c.metric == metric
                    && &c.treatment == treatment
            };
            let current = cx.experiments.iter().find(|c| is_current(c));
            let label = ui.label("Measured difference");
            let selected_text = current
                .map(|c| c.name.clone())
                .unwrap_or_else(|| format!("{experiment_id}: {treatment} in {metric} (missing)"));
            let mut chosen = None;
            egui::ComboBox::from_id_salt("whatif_experiment_effect")
                .selected_text(selected_text)
                .width(340.0)
                .show_ui(ui, |ui| {
                    for c in &cx.experiments {
                        if ui.selectable_label(is_current(c), &c.name).clicked() {
                            chosen = Some(c);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            if let Some(c) = chosen {
                *experiment_id = c.experiment_id.clone();
                *metric = c.metric.clone();
                *treatment = c.treatment.clone();
            }
            if current.is_some() || chosen.is_some() {
                widgets::explain(
                    ui,
                    "The business change per user or decision is the treatment's measured \
                     difference; its interval gives low and high. The ML change above only \
                     describes what the treatment changed.",
                );
            } else {
                widgets::warning(
                    ui,
                    "This experiment result is no longer in the project. Choose another one, or \
                     enter a link by hand.",
                );
            }
        }
        LinkSource::Manual { slope, low, high } => {
            egui::Grid::new(("whatif_form", "manual_link"))
                .num_columns(2)
                .spacing([12.0, 8.0])
                .min_col_width(widgets::LABEL_WIDTH)
                .show(ui, |ui| {
                    widgets::number_row(
                        ui,
                        Assumption::LinkSlope.label(),
                        "Business change per unit of ML change, your best guess.",
                        slope,
                        NumberKind::Plain,
                    );
                    widgets::number_row(
                        ui,
                        "Link slope low",
                        "The least favourable slope you find plausible.",
                        low,
                        NumberKind::Plain,
                    );
                    widgets::number_row(
                        ui,
                        "Link slope high",
                        "The most favourable slope you find plausible.",
                        high,
                        NumberKind::Plain,
                    );
                });
            widgets::explain(
                ui,
                "Business change per unit of ML change. Low and high carry your uncertainty into \
                 every result.",
            );
        }
    }
}

fn time_ui(ui: &mut egui::Ui, s: &mut Scenario, cx: &EditorContext) {
    let project_maturity = cx.project_maturity;
    let effective = s
        .maturity
        .or(project_maturity)
        .unwrap_or(crate::model::DEFAULT_MATURITY);
    let (deploy_default, ramp_default) = cx.maturity_table.times(effective);
    egui::Grid::new(("whatif_form", "time"))
        .num_columns(2)
        .spacing([12.0, 8.0])
        .min_col_width(widgets::LABEL_WIDTH)
        .show(ui, |ui| {
            let label = widgets::form_label(
                ui,
                Assumption::HorizonMonths.label(),
                "How far ahead to count value and cost, from the start of the work.",
            );
            ui.add_sized(
                [widgets::FIELD_WIDTH, 24.0],
                egui::DragValue::new(&mut s.horizon_months)
                    .range(1..=600)
                    .speed(0.2)
                    .suffix(" months"),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = widgets::form_label(
                ui,
                "Maturity",
                "How experienced the organisation is at putting ML into production; it sets \
                 the assumed deployment and ramp-up times.",
            );
            let project_text = match project_maturity {
                Some(m) => format!("As the project ({})", maturity_short_label(m)),
                None => format!(
                    "As the project (not set: {})",
                    maturity_short_label(crate::model::DEFAULT_MATURITY)
                ),
            };
            let selected_text = match s.maturity {
                Some(m) => maturity_short_label(m).to_string(),
                None => project_text.clone(),
            };
            egui::ComboBox::from_id_salt("whatif_maturity")
                .selected_text(selected_text)
                .width(widgets::FIELD_WIDTH)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut s.maturity, None, project_text);
                    for m in Maturity::ALL {
                        ui.selectable_value(&mut s.maturity, Some(m), maturity_short_label(m))
                            .on_hover_text(m.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            override_row(
                ui,
                Assumption::DeploymentMonths.label(),
                "Months from the start of the work until the model is live and earning.",
                &mut s.deployment_months,
                deploy_default,
            );
            override_row(
                ui,
                Assumption::RampUpMonths.label(),
                "Months from go-live until the full effect: users adopt it, teams trust it.",
                &mut s.ramp_up_months,
                ramp_default,
            );
            discount_rate_row(ui, s);
        });
    widgets::explain(
        ui,
        &format!(
            "Assumed for {}: {} to deploy and {} to ramp up to the full effect. These are typical \
             figures, not measurements; change them if you know better.",
            maturity_phrase(effective),
            format::months(deploy_default),
            format::months(ramp_default)
        ),
    );
}

fn maturity_phrase(m: Maturity) -> &'static str {
    match m {
        Maturity::FirstProject => "a first ML project",
        Maturity::Emerging => "an emerging ML team",
        Maturity::Established => "an established ML team",
        Maturity::Advanced => "an advanced ML team with a platform",
    }
}

/// A months field whose value defaults to an assumption until the user changes it.
fn override_row(
    ui: &mut egui::Ui,
    label: &str,
    tooltip: &str,
    value: &mut Option<f64>,
    default: f64,
) {
    let label_response = widgets::form_label(ui, label, tooltip);
    ui.horizontal(|ui| {
        let mut shown = value.unwrap_or(default);
        let response = widgets::number_field(ui, &mut shown, NumberKind::Months)
            .labelled_by(label_response.id)
            .on_hover_text(tooltip);
        if response.changed() {
            *value = Some(shown);
        }
        if value.is_some() {
            if ui
                .small_button("Reset")
                .on_hover_text(format!(
                    "Use the maturity's assumption ({}).",
                    format::months(default)
                ))
                .clicked()
            {
                *value = None;
            }
        } else {
            ui.label(egui::RichText::new("assumed").weak());
        }
    });
    ui.end_row();
}

/// The annual discount rate, entered in percent.
fn discount_rate_row(ui: &mut egui::Ui, s: &mut Scenario) {
    let tooltip = "What money later is worth against money now, per year: the NPV and the \
                   discounted payback use it. 8% is a common cost of capital; 0% gives the \
                   undiscounted figures.";
    let label = widgets::form_label(ui, "Discount rate", tooltip);
    let mut percent = if s.discount_rate.is_finite() {
        s.discount_rate * 100.0
    } else {
        0.0
    };
    let response = ui
        .add_sized(
            [widgets::FIELD_WIDTH, 24.0],
            egui::DragValue::new(&mut percent)
                .range(-99.0..=1000.0)
                // A rate of −100% or less read from a file stays visible (with the warning in
                // the headline) until the user changes it; it is not silently rewritten.
                .clamp_existing_to_range(false)
                .speed(0.1)
                .max_decimals(2)
                .suffix(" % a year"),
        )
        .labelled_by(label.id)
        .on_hover_text(tooltip);
    if response.changed() {
        s.discount_rate = percent / 100.0;
    }
    ui.end_row();
}
