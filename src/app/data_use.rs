//! Which analyses use a data file: asked before the file is taken out of the project, and to
//! mark results whose data file is gone as out of date.

use crate::model::Project;

/// One analysis that reads a data file: its kind ("ML vs business") and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataUse {
    pub kind: &'static str,
    pub name: String,
    /// Whether it has results (they become out of date when the file goes).
    pub has_result: bool,
}

impl DataUse {
    /// "“Offline accuracy to revenue per user” (ML vs business)".
    pub fn describe(&self) -> String {
        format!("\u{201c}{}\u{201d} ({})", self.name, self.kind)
    }
}

/// The analyses that read the dataset `id` (as their data, or as the deployments of an
/// over-time view), in the Evidence page's order.
pub fn analyses_using(project: &Project, id: &str) -> Vec<DataUse> {
    let e = &project.evidence;
    let name = |name: &str, fallback: &str, k: usize| {
        if name.trim().is_empty() {
            format!("{fallback} {}", k + 1)
        } else {
            name.trim().to_string()
        }
    };
    let mut uses = Vec::new();
    for (k, a) in e.experiments.iter().enumerate() {
        if a.spec.dataset_id == id {
            uses.push(DataUse {
                kind: "Experiment results",
                name: name(&a.name, "Experiment analysis", k),
                has_result: a.result.is_some(),
            });
        }
    }
    for (k, a) in e.links.iter().enumerate() {
        if a.spec.dataset_id == id {
            uses.push(DataUse {
                kind: "ML vs business",
                name: name(&a.name, "Link", k),
                has_result: a.result.is_some(),
            });
        }
    }
    for (k, a) in e.timelines.iter().enumerate() {
        if a.spec.dataset_id == id || a.spec.deployment_dataset.as_deref() == Some(id) {
            uses.push(DataUse {
                kind: "Over time",
                name: name(&a.name, "Over time", k),
                has_result: a.result.is_some(),
            });
        }
    }
    for (k, a) in e.distributions.iter().enumerate() {
        if a.spec.dataset_id == id {
            uses.push(DataUse {
                kind: "Distributions",
                name: name(&a.name, "Distribution", k),
                has_result: a.result.is_some(),
            });
        }
    }
    for (k, a) in e.thresholds.iter().enumerate() {
        if a.spec.dataset_id == id {
            uses.push(DataUse {
                kind: "Classifier threshold",
                name: name(&a.name, "Threshold", k),
                has_result: a.result.is_some(),
            });
        }
    }
    uses
}

/// What every page says about results whose data file was removed.
pub const REMOVED_NOTE: &str = crate::io::report::REMOVED_DATA_NOTE;

/// Whether an analysis's results are out of date because its data file is no longer in the
/// project (it was removed): results exist, the file they came from does not. (The report
/// makes the same test.)
pub fn data_file_removed(project: &Project, dataset_id: &str, has_result: bool) -> bool {
    has_result && !dataset_id.is_empty() && project.dataset(dataset_id).is_none()
}
