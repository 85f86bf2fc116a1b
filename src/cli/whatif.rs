//! `throughline whatif PROJECT.ron [--scenario NAME] [--json]`: the outputs of a project's what-if
//! scenarios, as the What-if page shows them, without a window.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use super::print_error;
use crate::analysis::whatif::Band;
use crate::format::{self, UNDEFINED, months, number, payback, percent, signed};
use crate::model::{
    Project, Scenario, ScenarioOutputs, ValueEvidence, scenario_display_name, scenario_outputs,
};

#[derive(Serialize)]
struct JsonOutput<'a> {
    project: &'a str,
    scenarios: Vec<ScenarioOutputs>,
}

pub fn whatif(path: &Path, scenario: Option<&str>, json: bool) -> ExitCode {
    let project = match crate::io::load_project(path) {
        Ok(p) => p,
        Err(e) => {
            print_error(&e.to_string());
            return ExitCode::from(1);
        }
    };
    let selected: Vec<&Scenario> = match scenario {
        None => project.scenarios.iter().collect(),
        Some(wanted) => match find_scenario(&project, wanted) {
            Some(s) => vec![s],
            None => {
                print_error(&unknown_scenario_message(&project, path, wanted));
                return ExitCode::from(1);
            }
        },
    };
    let mut outputs = Vec::new();
    let mut failed = false;
    for s in selected {
        match scenario_outputs(&project, s) {
            Ok(o) => outputs.push(o),
            Err(e) => {
                failed = true;
                print_error(&format!(
                    "scenario \"{}\" cannot be projected: {e}",
                    scenario_display_name(s)
                ));
            }
        }
    }
    if json {
        let doc = JsonOutput {
            project: project.display_name(),
            scenarios: outputs,
        };
        match serde_json::to_string_pretty(&doc) {
            Ok(text) => {
                super::print_text(&text);
            }
            Err(e) => {
                print_error(&format!("could not write the JSON output: {e}"));
                return ExitCode::from(1);
            }
        }
    } else if project.scenarios.is_empty() {
        super::print_text(&format!(
            "\"{}\" has no what-if scenarios yet. Add one on the What-if page.",
            project.display_name()
        ));
    } else {
        let texts: Vec<String> = outputs.iter().map(text_report).collect();
        super::print_text(&texts.join("\n\n"));
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A scenario by name (ignoring case and surrounding spaces) or by id.
fn find_scenario<'a>(project: &'a Project, wanted: &str) -> Option<&'a Scenario> {
    let wanted = wanted.trim();
    project
        .scenarios
        .iter()
        .find(|s| s.name.trim() == wanted)
        .or_else(|| {
            project
                .scenarios
                .iter()
                .find(|s| s.name.trim().eq_ignore_ascii_case(wanted))
        })
        .or_else(|| project.scenarios.iter().find(|s| s.id == wanted))
}

fn unknown_scenario_message(project: &Project, path: &Path, wanted: &str) -> String {
    if project.scenarios.is_empty() {
        format!(
            "there is no scenario \"{wanted}\": \"{}\" has no what-if scenarios",
            path.display()
        )
    } else {
        let names: Vec<String> = project
            .scenarios
            .iter()
            .map(|s| format!("\"{}\"", scenario_display_name(s)))
            .collect();
        format!(
            "there is no scenario \"{wanted}\" in \"{}\"\nthe scenarios are: {}",
            path.display(),
            names.join(", ")
        )
    }
}

/// The outputs as a readable block of text.
pub fn text_report(o: &ScenarioOutputs) -> String {
    let mut lines = header_lines(o);
    lines.push(String::new());
    lines.extend(band_rows(o));
    lines.push(String::new());
    lines.push(format!("  {}", o.summary));
    lines.push(format!("  Realism: {}", o.realism.sentence));
    if !o.realism.sources.is_empty() {
        lines.push(format!(
            "    (past changes from: {})",
            o.realism.sources.join("; ")
        ));
    }
    lines.extend(maturity_lines(o));
    lines.extend(goal_lines(o));
    lines.extend(sensitivity_lines(o));
    if !o.warnings.is_empty() {
        lines.push(String::new());
        for w in &o.warnings {
            lines.push(format!("  Warning: {w}"));
        }
    }
    lines.join("\n")
}

/// The scenario's name, its ML change, link and maturity.
fn header_lines(o: &ScenarioOutputs) -> Vec<String> {
    let mut lines = vec![format!("Scenario: {}", o.scenario)];
    let ml = if o.ml_metric.is_empty() {
        "ML metric".to_string()
    } else {
        o.ml_metric.clone()
    };
    let direct = o.evidence == ValueEvidence::ControlledExperiment;
    if !(direct && o.ml_change == 0.0) {
        lines.push(format!("  ML change: {} {ml}", signed(o.ml_change)));
    }
    if !o.business_metric.is_empty() {
        lines.push(format!("  Business metric: {}", o.business_metric));
    }
    if direct {
        lines.push(format!("  Business change {}", o.link));
    } else {
        lines.push(format!(
            "  Link: {}; slope {} (low {}, high {})",
            o.link,
            number(o.link_slope.likely),
            number(o.link_slope.low),
            number(o.link_slope.high)
        ));
    }
    lines.push(format!(
        "  Maturity: {}; {} to deploy, {} to ramp up; horizon {}",
        o.maturity,
        months(o.deployment_months),
        months(o.ramp_up_months),
        months(f64::from(o.horizon_months))
    ));
    lines
}

/// Low, likely and high of each figure, one row each.
fn band_rows(o: &ScenarioOutputs) -> Vec<String> {
    let money = |x: f64| format::money(x, &o.currency);
    let mut lines = Vec::new();
    let row = |label: &str, band: Band<String>| {
        format!(
            "  {label:<18}{:>16}{:>16}{:>16}",
            band.low, band.likely, band.high
        )
    };
    lines.push(row(
        "",
        Band::new("Low".into(), "Likely".into(), "High".into()),
    ));
    lines.push(row("Business change", o.business_change.map(signed)));
    lines.push(row("Monthly value", o.monthly_value.map(money)));
    lines.push(row("Total value", o.total_value.map(money)));
    lines.push(row("Total cost", Band::flat(money(o.total_cost))));
    lines.push(row("Net value", o.net_value.map(money)));
    lines.push(row(
        "ROI",
        o.roi
            .map(|r| r.map(percent).unwrap_or_else(|| UNDEFINED.to_string())),
    ));
    let month = |m: Option<u32>| match m {
        Some(m) => m.to_string(),
        None => "never".to_string(),
    };
    lines.push(row("Payback month", o.payback_month.map(month)));
    let rate = format!("at {}", percent(o.discount_rate));
    lines.push(row(
        &format!("NPV {rate}"),
        o.npv
            .map(|n| n.map(money).unwrap_or_else(|| UNDEFINED.to_string())),
    ));
    lines.push(row("Disc. payback", o.discounted_payback_month.map(month)));
    lines
}

/// The same scenario at every maturity stage.
fn maturity_lines(o: &ScenarioOutputs) -> Vec<String> {
    if o.by_maturity.is_empty() {
        return Vec::new();
    }
    let money = |x: f64| format::money(x, &o.currency);
    let month = |m: Option<u32>| m.map_or_else(|| "never".to_string(), |m| m.to_string());
    let mut lines = vec![
        String::new(),
        format!(
            "  By maturity (likely case):{:>10}{:>16}{:>10}{:>12}",
            "ROI", "NPV", "Payback", "Disc. pb."
        ),
    ];
    for r in &o.by_maturity {
        let stage = if r.current {
            format!("{} *", r.stage)
        } else {
            r.stage.clone()
        };
        lines.push(format!(
            "    {stage:<24}{:>10}{:>16}{:>10}{:>12}",
            r.roi.map(percent).unwrap_or_else(|| UNDEFINED.to_string()),
            r.npv.map(money).unwrap_or_else(|| UNDEFINED.to_string()),
            month(r.payback_month),
            month(r.discounted_payback_month)
        ));
    }
    lines.push("    (* this scenario's stage)".to_string());
    lines
}

/// Payback, and the ML change that breaks even or reaches the target.
fn goal_lines(o: &ScenarioOutputs) -> Vec<String> {
    let mut lines = Vec::new();
    if o.payback_month.likely.is_none() {
        lines.push(format!(
            "  Payback: {} ({} months).",
            payback(None),
            o.horizon_months
        ));
    }
    let be = &o.ml_change_to_break_even;
    match (be.ml_change, &be.note) {
        (Some(x), _) => lines.push(format!(
            "  ML change to break even in {} months: {}",
            be.within_months,
            signed(x)
        )),
        (None, Some(note)) => lines.push(format!(
            "  ML change to break even in {} months: none. {note}",
            be.within_months
        )),
        (None, None) => {}
    }
    if let Some(t) = &o.ml_change_to_reach_target {
        let mut line = format!(
            "  ML change to reach the target ({} from {} to {}{}): ",
            t.objective,
            number(t.baseline),
            number(t.target),
            if t.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", t.unit)
            }
        );
        match t.ml_change {
            Some(x) => line.push_str(&signed(x)),
            None => line.push_str("none"),
        }
        if let (Some(lo), Some(hi)) = (t.ml_change_low, t.ml_change_high) {
            line.push_str(&format!(
                " (between {} and {} over the link's interval)",
                signed(lo),
                signed(hi)
            ));
        }
        if let Some(note) = &t.note {
            line.push_str(&format!(". {note}"));
        }
        lines.push(line);
    }
    lines
}

/// How much the ROI moves when each assumption moves by 20%.
fn sensitivity_lines(o: &ScenarioOutputs) -> Vec<String> {
    let mut lines = Vec::new();
    let moving: Vec<_> = o
        .sensitivity_of_roi
        .iter()
        .filter(|b| b.swing() > 0.0)
        .collect();
    if !moving.is_empty() {
        lines.push(String::new());
        lines.push("  Sensitivity of ROI (each assumption −20% / +20%):".to_string());
        for b in moving {
            let roi = |r: Option<f64>| r.map(percent).unwrap_or_else(|| UNDEFINED.to_string());
            lines.push(format!(
                "    {:<28}{:>10}{:>10}",
                b.assumption,
                roi(b.roi_at_minus_20_pct),
                roi(b.roi_at_plus_20_pct)
            ));
        }
    }
    lines
}
