//! The Data page's side of the app: reading data files on worker threads (preview first, then
//! the figures over the whole file), checking project links, relinking moved files, and the
//! runtime state the page draws from. The reading itself is in `crate::data`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::data::{self, FileStats, LinkStatus, LoadProgress, Preview, SqlDialect, SummaryQuery};
use crate::model::{Dataset, Page};

use super::{Command, ThroughlineApp, Workspace};

/// Rows per page of the scrolling preview table.
pub const ROWS_PAGE: u64 = 500;

/// Pages of rows kept in memory per dataset.
const MAX_PAGES: usize = 20;

/// What the Data page knows about the datasets of the open project (not saved).
pub struct DataRuntime {
    /// Which runtime a finished job belongs to (another project may have been opened since).
    epoch: u64,
    pub views: HashMap<String, DatasetView>,
}

impl Default for DataRuntime {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self {
            epoch: NEXT.fetch_add(1, Ordering::Relaxed),
            views: HashMap::new(),
        }
    }
}

impl DataRuntime {
    pub fn view(&self, id: &str) -> Option<&DatasetView> {
        self.views.get(id)
    }

    fn view_mut(&mut self, id: &str) -> &mut DatasetView {
        self.views.entry(id.to_string()).or_default()
    }
}

/// One dataset as read in this session.
#[derive(Default)]
pub struct DatasetView {
    pub link: Option<LinkStatus>,
    pub preview: Option<Preview>,
    pub stats: Option<FileStats>,
    /// Why the file could not be read (shown on the page; the project keeps the dataset).
    pub error: Option<String>,
    /// Pages of rows beyond the preview, by first row.
    pub pages: BTreeMap<u64, Vec<Vec<Option<String>>>>,
    pub requested_pages: BTreeSet<u64>,
    /// The job reading the start of the file, while it runs.
    pub loading_job: Option<u64>,
    /// The job computing the figures over the whole file, while it runs.
    pub stats_job: Option<u64>,
    /// The user cancelled the figures: do not start them again by themselves.
    pub stats_cancelled: bool,
    /// For a missing file: a file of the same name found near the project.
    pub found_elsewhere: Option<PathBuf>,
    /// The job reading a page of rows (one at a time: scrolling fast asks only for where the
    /// table comes to rest).
    pub page_job: Option<u64>,
}

impl DatasetView {
    /// Whether the page should ask for the file to be read.
    pub fn needs_loading(&self) -> bool {
        self.loading_job.is_none()
            && self.link.is_none()
            && self.preview.is_none()
            && self.error.is_none()
    }

    /// Whether the page should ask for the figures over the whole file.
    pub fn needs_stats(&self) -> bool {
        self.preview.is_some()
            && self.stats.is_none()
            && self.stats_job.is_none()
            && !self.stats_cancelled
            && self.error.is_none()
    }

    /// Row `row` of the file as text cells, if it has been read.
    pub fn row(&self, row: u64) -> Option<&[Option<String>]> {
        if let Some(preview) = &self.preview
            && let Some(r) = preview.rows.get(row as usize)
        {
            return Some(r);
        }
        let first = row - row % ROWS_PAGE;
        self.pages
            .get(&first)
            .and_then(|page| page.get((row - first) as usize))
            .map(Vec::as_slice)
    }

    /// Rows the preview table can scroll through.
    pub fn row_count(&self) -> u64 {
        match (&self.stats, &self.preview) {
            (Some(stats), _) => stats.rows,
            (None, Some(preview)) => preview.rows.len() as u64,
            _ => 0,
        }
    }
}

/// The "summary statistics from my warehouse" helper's fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WarehouseForm {
    pub dialect: SqlDialect,
    pub query: SummaryQuery,
    /// Metric columns as typed, separated by commas.
    pub metrics_text: String,
}

impl ThroughlineApp {
    /// Read each file's start on a worker and add it to the project (creating a project when
    /// none is open). The preview appears as soon as the start is read.
    pub(super) fn add_data_files(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        // A Throughline project is not data: offer to open it instead of failing to read it.
        let (projects, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")));
        if let Some(project) = projects.into_iter().next_back() {
            self.ws.messages.project_offer = Some(project);
        }
        if paths.is_empty() {
            return;
        }
        if self.ws.doc.is_none() {
            self.ws
                .set_document(super::Document::new(crate::model::Project::default(), None));
        }
        let Some(doc) = &mut self.ws.doc else { return };
        doc.project.view.page = Page::Data;
        let base_dir = doc.base_dir().map(Path::to_path_buf);
        let epoch = self.ws.runtime.data.epoch;
        for path in paths {
            let base_dir = base_dir.clone();
            let name = display_name(&path);
            self.jobs
                .spawn(ctx, format!("Reading {name}"), move |progress| {
                    progress.set_message("first rows");
                    // The fingerprint (which reads the whole file) comes with the figures later.
                    let result = data::import_preview(
                        &path,
                        base_dir.as_deref(),
                        &crate::model::ImportOptions::default(),
                        &[],
                    );
                    Box::new(move |ws: &mut Workspace| {
                        if ws.runtime.data.epoch != epoch {
                            return;
                        }
                        match result {
                            Ok(imported) => add_imported(ws, imported),
                            Err(e) => ws.messages.error(e.to_string()),
                        }
                    })
                });
        }
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Take the columns (and, where unknown, the format and shape) of a file read again, keeping
/// the roles of the columns that are still there. Changes the project only when they differ.
fn update_columns(dataset: &mut Dataset, detected: Dataset) {
    let same_names = dataset.columns.len() == detected.columns.len()
        && dataset
            .columns
            .iter()
            .zip(&detected.columns)
            .all(|(a, b)| a.name == b.name);
    if !same_names {
        let (columns, _gone) = data::merge_roles(&dataset.columns, detected.columns);
        dataset.columns = columns;
    }
    if dataset.format.is_none() {
        dataset.format = detected.format;
    }
    if dataset.shape == crate::model::DataShape::Unknown {
        dataset.shape = detected.shape;
    }
}

/// Put a freshly imported dataset into the project (one undo step) and select it.
fn add_imported(ws: &mut Workspace, imported: data::Imported) {
    let Some(doc) = &mut ws.doc else { return };
    let mut dataset = imported.dataset;
    let taken: Vec<String> = doc.project.datasets.iter().map(|d| d.id.clone()).collect();
    let path_for_id = PathBuf::from(format!("{}.x", dataset.id));
    dataset.id = data::unique_id(&path_for_id, &taken);
    doc.checkpoint();
    let id = dataset.id.clone();
    let name = dataset.name.clone();
    doc.project.datasets.push(dataset);
    doc.project.view.selected_dataset = Some(id.clone());
    doc.project.view.page = Page::Data;
    let view = ws.runtime.data.view_mut(&id);
    view.preview = Some(imported.preview);
    view.link = Some(LinkStatus::Unchanged);
    ws.messages.info(format!("Added \"{name}\"."));
}

/// Commands of the Data page, applied by `ThroughlineApp::apply`.
impl ThroughlineApp {
    pub(super) fn apply_data_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::LoadDataset(id) => self.start_loading(ctx, &id),
            Command::ComputeDataStats(id) => self.compute_stats(ctx, &id),
            Command::AcceptChangedData(id) => self.accept_changed_data(ctx, &id),
            Command::LoadDataRows(id, first_row) => self.load_rows(ctx, &id, first_row),
            Command::LocateDataFileDialog(id) => {
                // Start where the file used to be (no file-system access here: the UI thread
                // never waits on a disk).
                let start = self.ws.doc.as_ref().and_then(|doc| {
                    let dataset = doc.project.dataset(&id)?;
                    data::dataset_path(dataset, doc.base_dir())
                        .parent()
                        .map(Path::to_path_buf)
                        .or_else(|| doc.base_dir().map(Path::to_path_buf))
                });
                self.dialogs.show(
                    ctx,
                    super::DialogKind::LocateDataFile { dataset_id: id },
                    start,
                );
            }
            Command::RelinkDataFile(id, path) => self.relink(ctx, &id, path),
            Command::RemoveDataset(id) => {
                if let Some(doc) = &mut self.ws.doc
                    && let Some(index) = doc.project.datasets.iter().position(|d| d.id == id)
                {
                    doc.checkpoint();
                    let stale: Vec<String> = super::data_use::analyses_using(&doc.project, &id)
                        .iter()
                        .filter(|u| u.has_result)
                        .map(super::data_use::DataUse::describe)
                        .collect();
                    let removed = doc.project.datasets.remove(index);
                    if doc.project.view.selected_dataset.as_deref() == Some(id.as_str()) {
                        doc.project.view.selected_dataset =
                            doc.project.datasets.first().map(|d| d.id.clone());
                    }
                    self.ws.runtime.data.views.remove(&id);
                    let stale = if stale.is_empty() {
                        String::new()
                    } else {
                        format!(" The results of {} are out of date.", stale.join(", "))
                    };
                    self.ws.messages.info(format!(
                        "Removed \"{}\" from the project (the file itself is untouched).{stale} \
                         Undo brings it back.",
                        removed.name
                    ));
                }
            }
            _ => {}
        }
    }

    fn start_loading(&mut self, ctx: &egui::Context, id: &str) {
        let busy = self
            .ws
            .runtime
            .data
            .view(id)
            .is_some_and(|v| v.loading_job.is_some());
        if busy {
            return;
        }
        let Some(doc) = &self.ws.doc else { return };
        let Some(dataset) = doc.project.dataset(id).cloned() else {
            return;
        };
        let base_dir = doc.base_dir().map(Path::to_path_buf);
        let epoch = self.ws.runtime.data.epoch;
        let key = id.to_string();
        let job = self
            .jobs
            .spawn(ctx, format!("Reading {}", dataset.name), move |progress| {
                progress.set_message("checking the file");
                let link = data::check_link(&dataset, base_dir.as_deref());
                let found = match &link {
                    LinkStatus::Missing { .. } => data::find_moved(&dataset, base_dir.as_deref()),
                    _ => None,
                };
                let read = match &link {
                    LinkStatus::Missing { .. } => None,
                    _ => {
                        progress.set_message("first rows");
                        let path = data::dataset_path(&dataset, base_dir.as_deref());
                        Some(data::import_preview(
                            &path,
                            base_dir.as_deref(),
                            &dataset.options,
                            &[],
                        ))
                    }
                };
                Box::new(move |ws: &mut Workspace| {
                    if ws.runtime.data.epoch != epoch {
                        return;
                    }
                    let view = ws.runtime.data.view_mut(&key);
                    view.loading_job = None;
                    view.link = Some(link);
                    view.found_elsewhere = found;
                    match read {
                        Some(Ok(imported)) => {
                            view.preview = Some(imported.preview);
                            view.error = None;
                            // A project written by hand, or a file with new columns: describe
                            // the columns, keeping the roles already chosen.
                            // Learned, not edited: see `Document::learn`.
                            if let Some(doc) = &mut ws.doc {
                                doc.learn(|project| {
                                    if let Some(d) = project.dataset_mut(&key) {
                                        update_columns(d, imported.dataset.clone());
                                    }
                                });
                            }
                        }
                        Some(Err(e)) => {
                            view.error = Some(e.to_string());
                            view.preview = None;
                        }
                        None => {}
                    }
                })
            });
        let view = self.ws.runtime.data.view_mut(id);
        view.loading_job = Some(job);
        view.error = None;
        view.stats = None;
        view.stats_cancelled = false;
        view.pages.clear();
        view.requested_pages.clear();
        view.page_job = None;
    }

    /// The user accepts that the file changed: remember its new fingerprint and read it again.
    /// Cached results keep the old fingerprint, so analyses can tell they are out of date.
    fn accept_changed_data(&mut self, ctx: &egui::Context, id: &str) {
        let Some(LinkStatus::Changed(fp)) =
            self.ws.runtime.data.view(id).and_then(|v| v.link.clone())
        else {
            return;
        };
        let Some(doc) = &mut self.ws.doc else { return };
        if doc.project.dataset(id).is_none() {
            return;
        }
        doc.checkpoint();
        if let Some(d) = doc.project.dataset_mut(id) {
            d.fingerprint = Some(fp);
        }
        self.ws.runtime.data.views.remove(id);
        self.start_loading(ctx, id);
    }

    fn compute_stats(&mut self, ctx: &egui::Context, id: &str) {
        let Some(doc) = &self.ws.doc else { return };
        let Some(dataset) = doc.project.dataset(id).cloned() else {
            return;
        };
        if self
            .ws
            .runtime
            .data
            .view(id)
            .is_some_and(|v| v.stats_job.is_some())
        {
            return;
        }
        let path = data::dataset_path(&dataset, doc.base_dir());
        let epoch = self.ws.runtime.data.epoch;
        let key = id.to_string();
        let job = self
            .jobs
            .spawn(ctx, format!("Counting {}", dataset.name), move |progress| {
                progress.set_message("missing values, minimum and maximum");
                let fingerprint = match &dataset.fingerprint {
                    None => data::fingerprint(&path).ok(),
                    Some(_) => None,
                };
                let result = data::Source::open(&path, &dataset.options).and_then(|source| {
                    data::file_stats(
                        &source,
                        &mut |p: LoadProgress| {
                            if let Some(f) = p.fraction {
                                progress.set_fraction(f);
                            }
                            progress
                                .set_message(format!("{} rows read", data::thousands(p.rows_read)));
                        },
                        progress.cancel_flag(),
                    )
                });
                Box::new(move |ws: &mut Workspace| {
                    if ws.runtime.data.epoch != epoch {
                        return;
                    }
                    if let (Some(fp), Some(doc)) = (fingerprint, &mut ws.doc) {
                        doc.learn(|project| {
                            if let Some(d) = project.dataset_mut(&key)
                                && d.fingerprint.is_none()
                                && d.path == dataset.path
                            {
                                d.fingerprint = Some(fp.clone());
                            }
                        });
                    }
                    let view = ws.runtime.data.view_mut(&key);
                    view.stats_job = None;
                    match result {
                        Ok(stats) => view.stats = Some(stats),
                        Err(e) if e.is_cancelled() => {
                            view.stats_cancelled = true;
                            ws.messages.info(e.to_string());
                        }
                        Err(e) => view.error = Some(e.to_string()),
                    }
                })
            });
        let view = self.ws.runtime.data.view_mut(id);
        view.stats_job = Some(job);
        view.stats_cancelled = false;
    }

    fn load_rows(&mut self, ctx: &egui::Context, id: &str, first_row: u64) {
        let first_row = first_row - first_row % ROWS_PAGE;
        let Some(doc) = &self.ws.doc else { return };
        let Some(dataset) = doc.project.dataset(id).cloned() else {
            return;
        };
        let view = self.ws.runtime.data.view_mut(id);
        if view.page_job.is_some() || !view.requested_pages.insert(first_row) {
            return;
        }
        let path = data::dataset_path(&dataset, doc.base_dir());
        let epoch = self.ws.runtime.data.epoch;
        let key = id.to_string();
        let job = self.jobs.spawn(
            ctx,
            format!("Reading rows of {}", dataset.name),
            move |_progress| {
                let result = data::Source::open(&path, &dataset.options)
                    .and_then(|source| data::rows_page(&source, first_row, ROWS_PAGE as usize));
                Box::new(move |ws: &mut Workspace| {
                    if ws.runtime.data.epoch != epoch {
                        return;
                    }
                    let view = ws.runtime.data.view_mut(&key);
                    view.page_job = None;
                    match result {
                        Ok(rows) => {
                            view.pages.insert(first_row, rows);
                            // Keep the pages nearest to this one.
                            while view.pages.len() > MAX_PAGES {
                                let farthest = view
                                    .pages
                                    .keys()
                                    .copied()
                                    .max_by_key(|p| p.abs_diff(first_row));
                                let Some(farthest) = farthest else { break };
                                view.pages.remove(&farthest);
                                view.requested_pages.remove(&farthest);
                            }
                        }
                        // Not asked again this session (it stays in `requested_pages`).
                        Err(e) => ws.messages.error(e.to_string()),
                    }
                })
            },
        );
        self.ws.runtime.data.view_mut(id).page_job = Some(job);
    }

    /// "Locate file...": read the chosen file on a worker and point the dataset at it. Nothing
    /// in the project changes unless the file can be read.
    fn relink(&mut self, ctx: &egui::Context, id: &str, path: PathBuf) {
        let Some(doc) = &self.ws.doc else { return };
        let base_dir = doc.base_dir().map(Path::to_path_buf);
        let Some(dataset) = doc.project.dataset(id).cloned() else {
            return;
        };
        let epoch = self.ws.runtime.data.epoch;
        let key = id.to_string();
        self.jobs
            .spawn(ctx, format!("Reading {}", display_name(&path)), move |_| {
                let mut updated: Dataset = dataset;
                let result = data::relink(&mut updated, &path, base_dir.as_deref());
                Box::new(move |ws: &mut Workspace| {
                    if ws.runtime.data.epoch != epoch {
                        return;
                    }
                    let Some(doc) = &mut ws.doc else { return };
                    match result {
                        Ok(relinked) => {
                            let message = relinked.message(&updated);
                            if doc.project.dataset(&key).is_none() {
                                return;
                            }
                            doc.checkpoint();
                            if let Some(target) = doc.project.dataset_mut(&key) {
                                *target = updated;
                            }
                            ws.runtime.data.views.insert(
                                key,
                                DatasetView {
                                    link: Some(LinkStatus::Unchanged),
                                    preview: Some(relinked.preview),
                                    ..DatasetView::default()
                                },
                            );
                            ws.messages.info(message);
                        }
                        Err(e) => ws.messages.error(e.to_string()),
                    }
                })
            });
    }
}
