//! Step 1: the business problem, its owner, and the decision a prediction would drive.

use crate::model::Project;

use super::widgets::{subheading, text_area, text_field};

pub fn problem_ui(ui: &mut egui::Ui, project: &mut Project) {
    text_field(
        ui,
        "Project name",
        &mut project.name,
        "e.g. Churn prediction",
    );
    text_area(
        ui,
        "Description",
        &mut project.description,
        "One or two sentences: what is this project about?",
        2,
    );
    subheading(ui, "The problem");
    let p = &mut project.framing.problem;
    text_area(
        ui,
        "Problem statement",
        &mut p.statement,
        "What goes wrong today, in the business's own words?",
        3,
    );
    text_field(
        ui,
        "Decision the prediction drives",
        &mut p.decision,
        "e.g. each week, which subscribers get a retention offer",
    );
    text_area(
        ui,
        "How it is done today, without ML",
        &mut p.current_baseline,
        "e.g. everyone with a failed payment gets a call; 4.2% cancel each month",
        2,
    );
    text_field(
        ui,
        "Owner",
        &mut p.owner,
        "Who decides whether the project worked?",
    );
    text_field(
        ui,
        "Stakeholders",
        &mut p.stakeholders,
        "Who is affected, who must agree, who builds it?",
    );
}
