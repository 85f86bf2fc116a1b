//! The project's data types: everything a `.ron` project file stores.
//!
//! Plain serde types, no egui and no polars. Every struct is `#[serde(default)]` so that a file
//! written by an older build (with fewer fields) still loads; `version` is always the first field.

mod data;
mod evidence;
mod framing;
mod metric_names;
mod notes;
mod scenario;

pub use data::*;
pub use evidence::*;
pub use framing::*;
pub use metric_names::*;
pub use notes::*;
pub use scenario::*;

use serde::{Deserialize, Serialize};

/// The project-file format version this build writes. Files with a larger number are refused,
/// files with a smaller number are migrated (see `io::migrate`).
pub const CURRENT_VERSION: u32 = 1;

/// One Throughline project: the framing, the data it points at, the evidence and the scenarios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Project {
    /// Format version; always first in the file.
    pub version: u32,
    /// Short name shown in the window title and on the summary.
    pub name: String,
    /// One or two sentences about the project.
    pub description: String,
    /// The Frame wizard's answers.
    pub framing: Framing,
    /// Data files attached to the project.
    pub datasets: Vec<Dataset>,
    /// Evidence analyses (settings plus a cache of their results).
    pub evidence: Evidence,
    /// What-if scenarios.
    pub scenarios: Vec<Scenario>,
    /// The ROI-by-maturity assumptions (What-if page); not written while it is the default.
    #[serde(skip_serializing_if = "MaturityTable::is_default")]
    pub maturity_table: MaturityTable,
    /// What the user calls each metric (display name, unit, direction), by column name; set
    /// on the Data page. Not written while empty. Read through [`Project::metric_info`].
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub metric_names: std::collections::BTreeMap<String, MetricInfo>,
    /// Notes pinned to framing steps, analyses and scenarios; not written while there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// How the project was last viewed.
    pub view: ViewSettings,
}

impl Default for Project {
    fn default() -> Self {
        Self {
            version: CURRENT_VERSION,
            name: String::new(),
            description: String::new(),
            framing: Framing::default(),
            datasets: Vec::new(),
            evidence: Evidence::default(),
            scenarios: Vec::new(),
            maturity_table: MaturityTable::default(),
            metric_names: Default::default(),
            notes: Vec::new(),
            view: ViewSettings::default(),
        }
    }
}

impl Project {
    /// A new, empty project with a name.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// The name to show for this project, never empty.
    pub fn display_name(&self) -> &str {
        let name = self.name.trim();
        if name.is_empty() {
            "Untitled project"
        } else {
            name
        }
    }

    /// Whether two projects hold the same content, ignoring how they are viewed (the open page
    /// or step): moving around a project is not an edit.
    pub fn same_content(&self, other: &Project) -> bool {
        let Project {
            version,
            name,
            description,
            framing,
            datasets,
            evidence,
            scenarios,
            maturity_table,
            metric_names,
            notes,
            view: _,
        } = self;
        *version == other.version
            && *name == other.name
            && *description == other.description
            && *framing == other.framing
            && *datasets == other.datasets
            && *evidence == other.evidence
            && *scenarios == other.scenarios
            && *maturity_table == other.maturity_table
            && *metric_names == other.metric_names
            && *notes == other.notes
    }

    /// Find a dataset by its id.
    pub fn dataset(&self, id: &str) -> Option<&Dataset> {
        self.datasets.iter().find(|d| d.id == id)
    }

    /// Find a dataset by its id, mutably.
    pub fn dataset_mut(&mut self, id: &str) -> Option<&mut Dataset> {
        self.datasets.iter_mut().find(|d| d.id == id)
    }

    /// A short, human description of what the project holds (used by `throughline check`).
    pub fn describe(&self) -> String {
        let f = &self.framing;
        let mut lines = vec![format!("Project: {}", self.display_name())];
        if !f.problem.statement.trim().is_empty() {
            lines.push(format!("Problem: {}", f.problem.statement.trim()));
        }
        lines.push(format!(
            "Framing: {} of {} steps answered",
            f.answered_steps(),
            FrameStep::ALL.len()
        ));
        lines.push(format!("Business objectives: {}", f.objectives.len()));
        lines.push(format!("Datasets: {}", self.datasets.len()));
        for d in &self.datasets {
            lines.push(format!("  - {} ({})", d.name, d.path.display()));
        }
        lines.push(format!(
            "Evidence: {} experiment analyses, {} ML-to-business links",
            self.evidence.experiments.len(),
            self.evidence.links.len()
        ));
        lines.push(format!("What-if scenarios: {}", self.scenarios.len()));
        lines.join("\n")
    }
}

/// The pages of the journey, in the order of the left navigation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Page {
    #[default]
    Frame,
    Data,
    Evidence,
    WhatIf,
    Summary,
}

impl Page {
    pub const ALL: [Page; 5] = [
        Page::Frame,
        Page::Data,
        Page::Evidence,
        Page::WhatIf,
        Page::Summary,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Page::Frame => "Frame",
            Page::Data => "Data",
            Page::Evidence => "Evidence",
            Page::WhatIf => "What-if",
            Page::Summary => "Summary",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Page::Frame => "Turn the business problem into an ML task with measurable objectives.",
            Page::Data => {
                "Attach experiment data files and tell Throughline what each column means."
            }
            Page::Evidence => "See whether the ML improvement really moved the business metric.",
            Page::WhatIf => {
                "Project what an ML change is worth, with its uncertainty, ROI and payback."
            }
            Page::Summary => "The whole project on one page, ready to export and share.",
        }
    }
}

/// View settings stored with the project (what the user was looking at).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSettings {
    /// The page that was open when the project was saved.
    pub page: Page,
    /// The Frame wizard step that was open.
    pub frame_step: FrameStep,
    /// The dataset selected on the Data page.
    pub selected_dataset: Option<String>,
    /// The scenario selected on the What-if page.
    pub selected_scenario: Option<String>,
    /// The Evidence page's open view and the analysis selected in each.
    pub evidence: EvidenceViewSettings,
}
