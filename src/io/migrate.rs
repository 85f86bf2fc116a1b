//! Migration of project files written in older format versions.
//!
//! Each old version keeps a typed description of its layout here, so that an old file is read
//! with the same care (and the same line/column errors) as a current one, then converted step by
//! step to the current `Project`.
//!
//! Version 0 is the draft layout written before files carried a `version` field: the project's
//! name was `title` and its description `notes`; everything else matched version 1.

use serde::Deserialize;

use crate::model::{CURRENT_VERSION, Dataset, Evidence, Framing, Project, Scenario, ViewSettings};

#[derive(Deserialize, Default)]
#[serde(default, rename = "Project")]
struct ProjectV0 {
    title: String,
    notes: String,
    framing: Framing,
    datasets: Vec<Dataset>,
    evidence: Evidence,
    scenarios: Vec<Scenario>,
    view: ViewSettings,
}

impl From<ProjectV0> for Project {
    fn from(old: ProjectV0) -> Self {
        Project {
            version: 1,
            name: old.title,
            description: old.notes,
            framing: old.framing,
            datasets: old.datasets,
            evidence: old.evidence,
            scenarios: old.scenarios,
            maturity_table: crate::model::MaturityTable::default(),
            metric_names: Default::default(),
            notes: Vec::new(),
            view: old.view,
        }
    }
}

/// Read `text`, written in format `version` (older than the current one), as a current project.
pub(crate) fn migrate(text: &str, version: u32) -> Result<Project, ron::error::SpannedError> {
    let mut project: Project = match version {
        0 => ron::from_str::<ProjectV0>(text)?.into(),
        // Versions between 1 and CURRENT_VERSION read directly; later migrations chain here.
        _ => ron::from_str::<Project>(text)?,
    };
    project.version = CURRENT_VERSION;
    Ok(project)
}
