//! The six kinds of analysis: what each needs before it can run, and its computation, one
//! call of the core (`data::aggregate::run_*`), the same call the command line makes, so the
//! window and the command line read a file the same way and report the same warnings and
//! errors. This module only connects the worker's progress and cancel to the reader.

use std::path::Path;
use std::sync::Arc;

use super::{
    EvidenceRuntime, EvidenceSpec, JobFiles, MAX_CACHED_TIMELINE_POINTS, MAX_PICKER_VALUES,
    PreparedTimeline, Progress,
};
use crate::analysis::meta::MetaResult;
use crate::analysis::{ExperimentResult, ThresholdResult};
use crate::data::aggregate::{
    ReadControl, RunError, distinct_values, run_distribution, run_experiment, run_link, run_meta,
    run_threshold, run_timeline,
};
use crate::model::{
    Analysis, CacheStamp, DistributionChart, DistributionData, DistributionSpec, ExperimentSpec,
    ImportOptions, LinkData, LinkSpec, MetaSpec, Project, ThresholdSpec, TimelineData,
    TimelineSpec,
};

/// Runs `read` with the worker's progress and cancel; errors become the user's message.
fn with_progress<T>(
    progress: &Progress,
    read: impl FnOnce(&ReadControl<'_>) -> Result<T, RunError>,
) -> Result<T, String> {
    let report = |done: u64, total: u64| {
        if total > 0 {
            progress.set_fraction(done as f32 / total as f32);
        }
    };
    let control = ReadControl {
        cancel: Some(progress.cancel_flag()),
        progress: Some(&report),
        ..ReadControl::default()
    };
    read(&control).map_err(|e| e.to_string())
}

/// The distinct values of a column as text, in order of first appearance (for the pickers).
pub(super) fn distinct_text(
    path: &Path,
    options: &ImportOptions,
    column: &str,
    progress: &Progress,
) -> Result<Vec<String>, String> {
    with_progress(progress, |control| {
        Ok(distinct_values(
            path,
            options,
            column,
            MAX_PICKER_VALUES,
            control,
        )?)
    })
}

/// `EvidenceSpec::keep` for a kind whose result is kept as computed (its output is its result).
macro_rules! kept_whole {
    () => {
        fn keep(
            _id: &str,
            _stamp: &CacheStamp,
            output: Self::Output,
            _runtime: &mut EvidenceRuntime,
        ) -> Option<Self::Result> {
            Some(output)
        }
    };
}

/// `EvidenceSpec::all` and `all_mut` for a kind kept in `project.evidence.$field`.
macro_rules! listed_in {
    ($field:ident) => {
        fn all(project: &Project) -> &[Analysis<Self, Self::Result>] {
            &project.evidence.$field
        }
        fn all_mut(project: &mut Project) -> &mut Vec<Analysis<Self, Self::Result>> {
            &mut project.evidence.$field
        }
    };
}

impl EvidenceSpec for ExperimentSpec {
    type Result = ExperimentResult;
    type Output = ExperimentResult;
    const KIND: &'static str = "Experiment results";

    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn computed_part(&self) -> Self {
        Self {
            // Holm only changes which p-value is shown, not what is computed.
            holm: false,
            // Nor does the CUPED toggle: both sets of comparisons are always computed.
            show_unadjusted: false,
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file of the experiment.".into())
        } else if self.variant_column.is_empty() {
            Some("Choose the column that names each unit's variant.".into())
        } else if self.control.is_empty() {
            Some("Choose the control variant.".into())
        } else if self.metrics.is_empty() {
            Some("Choose at least one metric.".into())
        } else {
            None
        }
    }
    fn compute(&self, files: &JobFiles<'_>, progress: &Progress) -> Result<Self::Output, String> {
        let mut result = with_progress(progress, |control| {
            run_experiment(files.path, &files.dataset.options, self, control)
        })?;
        // The project keeps the file's name, not a path on this machine.
        result.file = files.dataset.name.clone();
        Ok(result)
    }
    kept_whole!();
    listed_in!(experiments);
}

impl EvidenceSpec for LinkSpec {
    type Result = LinkData;
    type Output = LinkData;
    const KIND: &'static str = "ML vs business";

    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file with one row per experiment, model or day.".into())
        } else if self.x.is_empty() {
            Some("Choose the ML metric.".into())
        } else if self.y.is_empty() {
            Some("Choose the business metric.".into())
        } else if self.experiment_column.is_some() && self.variant_column.is_empty() {
            Some("Choose the column that names each unit's variant.".into())
        } else if self.experiment_column.is_some() && self.control.is_empty() {
            Some("Choose the control variant.".into())
        } else {
            None
        }
    }
    fn compute(&self, files: &JobFiles<'_>, progress: &Progress) -> Result<Self::Output, String> {
        with_progress(progress, |control| {
            run_link(files.path, &files.dataset.options, self, control)
        })
    }
    kept_whole!();
    listed_in!(links);
}

impl EvidenceSpec for ThresholdSpec {
    type Result = ThresholdResult;
    type Output = ThresholdResult;
    const KIND: &'static str = "Classifier threshold";

    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file with the classifier's scores and labels.".into())
        } else if self.score_column.is_empty() {
            Some("Choose the column with the classifier's score.".into())
        } else if self.label_column.is_empty() {
            Some("Choose the column with what really happened (the label).".into())
        } else {
            None
        }
    }
    fn compute(&self, files: &JobFiles<'_>, progress: &Progress) -> Result<Self::Output, String> {
        with_progress(progress, |control| {
            run_threshold(files.path, &files.dataset.options, self, control)
        })
    }
    kept_whole!();
    listed_in!(thresholds);
}

/// The output of an over-time view: the series (kept in the project when small) and the same
/// series prepared for drawing (built on the worker).
pub type TimelineOutput = (TimelineData, PreparedTimeline);

impl EvidenceSpec for TimelineSpec {
    type Result = TimelineData;
    type Output = TimelineOutput;
    const KIND: &'static str = "Over time";

    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn computed_part(&self) -> Self {
        Self {
            // Typed deployment dates are drawn as they are; no need to read the data again.
            deployments: Vec::new(),
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file with one row per day (and model).".into())
        } else if self.time_column.is_empty() {
            Some("Choose the date column.".into())
        } else if self.metrics.is_empty() {
            Some("Choose at least one metric.".into())
        } else {
            None
        }
    }
    fn needs_data_when_fresh(result: Option<&TimelineData>) -> bool {
        // A series too large for the project file was not kept: read it again.
        result.is_none()
    }
    fn extra_dataset_ids(&self) -> Vec<String> {
        self.deployment_dataset.iter().cloned().collect()
    }
    fn worth_remembering((data, _): &Self::Output) -> bool {
        data.series.iter().map(|s| s.points.len()).sum::<usize>() <= MAX_CACHED_TIMELINE_POINTS
    }
    fn compute(&self, files: &JobFiles<'_>, progress: &Progress) -> Result<Self::Output, String> {
        let data = with_progress(progress, |control| {
            run_timeline(
                files.path,
                &files.dataset.options,
                self,
                files.extra,
                control,
            )
        })?;
        progress.set_message("Preparing the series for drawing");
        let prepared = PreparedTimeline::new(CacheStamp::default(), &data);
        Ok((data, prepared))
    }
    fn keep(
        id: &str,
        stamp: &CacheStamp,
        (data, mut prepared): Self::Output,
        runtime: &mut EvidenceRuntime,
    ) -> Option<Self::Result> {
        let points: usize = data.series.iter().map(|s| s.points.len()).sum();
        prepared.stamp = stamp.clone();
        runtime.timelines.insert(id.to_string(), Arc::new(prepared));
        (points <= MAX_CACHED_TIMELINE_POINTS).then_some(data)
    }
    listed_in!(timelines);
}

impl EvidenceSpec for DistributionSpec {
    type Result = DistributionData;
    type Output = DistributionData;
    const KIND: &'static str = "Distributions";

    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn computed_part(&self) -> Self {
        Self {
            // Histogram or box plot: both are computed, the chart only picks one.
            chart: DistributionChart::Histogram,
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file of the experiment.".into())
        } else if self.variant_column.is_empty() {
            Some("Choose the column that names each unit's variant.".into())
        } else if self.metric.is_empty() {
            Some("Choose the metric.".into())
        } else {
            None
        }
    }
    fn compute(&self, files: &JobFiles<'_>, progress: &Progress) -> Result<Self::Output, String> {
        with_progress(progress, |control| {
            run_distribution(files.path, &files.dataset.options, self, control)
        })
    }
    kept_whole!();
    listed_in!(distributions);
}

impl EvidenceSpec for MetaSpec {
    type Result = MetaResult;
    type Output = MetaResult;
    const KIND: &'static str = "Past experiments";

    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn missing_setting(&self) -> Option<String> {
        let unit_level = self.experiment_column.is_some();
        if self.dataset_id.is_empty() {
            Some("Choose the data file of the past experiments.".into())
        } else if self.effect_column.is_empty() {
            Some(if unit_level {
                "Choose the metric whose effects to pool.".into()
            } else {
                "Choose the column with each experiment's measured effect.".into()
            })
        } else if !unit_level && self.se_column.is_empty() {
            Some("Choose the column with the standard error of each effect.".into())
        } else if unit_level && self.variant_column.is_empty() {
            Some("Choose the column that names each unit's variant.".into())
        } else if unit_level && self.control.is_empty() {
            Some("Choose the control variant.".into())
        } else {
            None
        }
    }
    fn compute(&self, files: &JobFiles<'_>, progress: &Progress) -> Result<Self::Output, String> {
        with_progress(progress, |control| {
            run_meta(files.path, &files.dataset.options, self, control)
        })
    }
    kept_whole!();
    listed_in!(metas);
}
