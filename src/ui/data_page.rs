//! The Data page: add files (button, drop, or already in the project), see each file's preview
//! with its column types, missing values, minimum and maximum, the shape Throughline
//! recognised, and the role of every column (editable). A missing or changed file shows a
//! banner with "Locate file...". At the bottom, the helper that writes the warehouse SQL for
//! a summary-statistics file.
//!
//! Reading happens in jobs (`app::data`); this file only draws from `Runtime::data` and emits
//! commands.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::app::{Command, DatasetView, Jobs, ROWS_PAGE};
use crate::data;
use crate::model::{ColumnRole, DataShape, Dataset, Page};

use super::{PageContext, command_button, theme};

mod experiment_columns;
mod metric_names;
mod warehouse;

use experiment_columns::{pre_experiment_metric_ui, ratio_metrics_ui};
use warehouse::warehouse_ui;

/// Height of the scrolling preview table.
const TABLE_HEIGHT: f32 = 320.0;

pub fn data_page_ui(ui: &mut Ui, cx: &mut PageContext<'_>) {
    theme::page_title(ui, "Data", Page::Data.explanation());
    ui.horizontal_wrapped(|ui| {
        command_button(ui, Command::AddDataFilesDialog, cx.commands);
        ui.label(
            RichText::new(
                "or drop files on the window. CSV, TSV, Parquet, JSON, NDJSON, Arrow and Excel.",
            )
            .weak(),
        );
    });

    // Every dataset is checked (and its first rows read) once per session.
    for dataset in &cx.project.datasets {
        let needs = cx
            .runtime
            .data
            .view(&dataset.id)
            .is_none_or(DatasetView::needs_loading);
        if needs {
            cx.commands.push(Command::LoadDataset(dataset.id.clone()));
        }
    }

    if cx.project.datasets.is_empty() {
        ui.add_space(theme::SECTION_GAP);
        ui.label(RichText::new("No data files yet.").italics().weak());
        ui.add(
            egui::Label::new(
                "Add the results of an experiment (one row per user, per model or per day), a \
                 file of classifier scores with labels, or summary statistics from your \
                 warehouse.",
            )
            .wrap(),
        );
    } else {
        datasets_ui(ui, cx);
    }
    ui.add_space(theme::SECTION_GAP);
    warehouse_ui(ui, cx);
}

/// The width of each data file's tab.
const DATASET_TAB_WIDTH: f32 = 230.0;

fn datasets_ui(ui: &mut Ui, cx: &mut PageContext<'_>) {
    let selected = cx
        .project
        .view
        .selected_dataset
        .clone()
        .filter(|id| cx.project.dataset(id).is_some())
        .or_else(|| cx.project.datasets.first().map(|d| d.id.clone()));
    ui.add_space(theme::SECTION_GAP / 2.0);
    ui.horizontal_wrapped(|ui| {
        for dataset in &cx.project.datasets {
            let problem = cx.runtime.data.view(&dataset.id).is_some_and(|v| {
                v.link.as_ref().is_some_and(|l| l.is_problem()) || v.error.is_some()
            });
            let text = if problem {
                RichText::new(format!("{} (needs attention)", dataset.name))
                    .color(theme::warning_color(ui.visuals().dark_mode))
            } else {
                RichText::new(&dataset.name)
            };
            let is_selected = selected.as_deref() == Some(dataset.id.as_str());
            // A fixed width, so the tabs do not move while a name is edited below them (a long
            // name is cut, the whole name shows on hover).
            if ui
                .add_sized(
                    [DATASET_TAB_WIDTH, ui.spacing().interact_size.y],
                    egui::Button::selectable(is_selected, text).truncate(),
                )
                .on_hover_text(format!("{}\n{}", dataset.name, dataset.path.display()))
                .clicked()
            {
                cx.project.view.selected_dataset = Some(dataset.id.clone());
            }
        }
    });
    let Some(id) = selected else { return };
    let Some(index) = cx.project.datasets.iter().position(|d| d.id == id) else {
        return;
    };
    ui.separator();
    let unread = DatasetView::default();
    let view = cx.runtime.data.view(&id).unwrap_or(&unread);
    let uses = crate::app::data_use::analyses_using(cx.project, &id);
    let labels = cx
        .project
        .datasets
        .get(index)
        .map(|d| metric_names::metric_labels(cx.project, d))
        .unwrap_or_default();
    let names = &mut cx.project.metric_names;
    if let Some(dataset) = cx.project.datasets.get_mut(index) {
        let outside = cx
            .base_dir
            .and_then(|dir| crate::io::outside_folder(&dataset.path, dir));
        dataset_ui(
            ui,
            dataset,
            outside.as_deref(),
            &uses,
            (view, cx.jobs),
            cx.commands,
            (&labels, names),
        );
    }
}

fn dataset_ui(
    ui: &mut Ui,
    dataset: &mut Dataset,
    outside: Option<&std::path::Path>,
    uses: &[crate::app::data_use::DataUse],
    (view, jobs): (&DatasetView, &Jobs),
    commands: &mut Vec<Command>,
    (labels, names): (
        &[(crate::model::MetricLabel, crate::model::MetricLabel)],
        &mut std::collections::BTreeMap<String, crate::model::MetricInfo>,
    ),
) {
    let dark = ui.visuals().dark_mode;
    let confirm_id = egui::Id::unique(("confirm-remove", &dataset.id));
    let mut asking = ui.data(|d| d.get_temp::<bool>(confirm_id)).unwrap_or(false);
    egui::Sides::new().show(
        ui,
        |ui| {
            let label = ui.label("Name");
            ui.add(egui::TextEdit::singleline(&mut dataset.name).desired_width(260.0))
                .labelled_by(label.id);
        },
        |ui| {
            let remove = Command::RemoveDataset(dataset.id.clone());
            if uses.is_empty() {
                command_button(ui, remove, commands);
            } else if ui
                .add_enabled(!asking, egui::Button::new(remove.label()))
                .on_hover_text(remove.tooltip())
                .clicked()
            {
                // Analyses read this file: ask first.
                asking = true;
            }
        },
    );
    if asking {
        remove_question_ui(ui, dataset, uses, &mut asking, commands);
    }
    ui.data_mut(|d| d.insert_temp(confirm_id, asking));
    match outside {
        Some(full) => outside_path_ui(ui, full),
        None => {
            ui.label(RichText::new(dataset.path.display().to_string()).weak());
        }
    }

    // A missing or changed file.
    if let Some(link) = &view.link
        && let Some(message) = link.message(dataset)
    {
        banner_ui(ui, theme::warning_color(dark), &message, |ui| {
            if let Some(found) = &view.found_elsewhere {
                let text = format!("Use {}", found.display());
                if ui
                    .button(text)
                    .on_hover_text("A file with the same name, found beside the project.")
                    .clicked()
                {
                    commands.push(Command::RelinkDataFile(dataset.id.clone(), found.clone()));
                }
            }
            command_button(
                ui,
                Command::LocateDataFileDialog(dataset.id.clone()),
                commands,
            );
            if matches!(link, data::LinkStatus::Changed(_)) {
                command_button(ui, Command::AcceptChangedData(dataset.id.clone()), commands);
            }
        });
    }
    if let Some(error) = &view.error {
        banner_ui(ui, theme::error_color(dark), error, |ui| {
            command_button(ui, Command::LoadDataset(dataset.id.clone()), commands);
            command_button(
                ui,
                Command::LocateDataFileDialog(dataset.id.clone()),
                commands,
            );
        });
    }

    if view.loading_job.is_some() && view.preview.is_none() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the first rows…");
        });
    }

    if dataset.columns.is_empty() && view.preview.is_none() {
        ui.add_space(theme::SPACE_S);
        ui.label(RichText::new("The columns appear here once the file is read.").weak());
        return;
    }
    facts_ui(ui, dataset, view, jobs, commands);
    options_ui(ui, dataset, view, commands);
    shape_ui(ui, dataset);
    columns_ui(ui, dataset, view, (labels, names));
    ratio_metrics_ui(ui, dataset);
    if view.preview.is_some() {
        preview_table_ui(ui, dataset, view, commands);
    }
    if view.needs_stats() {
        commands.push(Command::ComputeDataStats(dataset.id.clone()));
    }
}

/// The full path of a data file outside the project folder, said so (a project sent by
/// someone else may point anywhere on this computer).
fn outside_path_ui(ui: &mut Ui, full: &std::path::Path) {
    let color = theme::warning_color(ui.visuals().dark_mode);
    ui.label(RichText::new(format!("{}, outside the project folder", full.display())).color(color))
        .on_hover_text(
            "This data file is not in the project's folder or below it. Check that it is the file \
         you expect: a project sent by someone else can point anywhere. Saving keeps the path \
         as it is.",
        );
}

/// A coloured frame with a message and some buttons.
fn banner_ui(ui: &mut Ui, color: egui::Color32, message: &str, buttons: impl FnOnce(&mut Ui)) {
    ui.add_space(theme::SPACE_S);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, color))
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_max_width(theme::READABLE_WIDTH);
            ui.add(egui::Label::new(RichText::new(message).color(color)).wrap());
            ui.horizontal(buttons);
        });
}

fn facts_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    view: &DatasetView,
    jobs: &Jobs,
    commands: &mut Vec<Command>,
) {
    ui.add_space(theme::SPACE_S);
    ui.horizontal_wrapped(|ui| {
        let format = dataset.format.map_or("Unknown format", |f| f.label());
        ui.label(RichText::new(format).strong());
        if let Some(preview) = &view.preview {
            if let Some(dialect) = &preview.dialect {
                ui.label(RichText::new(format!("({dialect})")).weak());
            }
            ui.separator();
            let rows = match &view.stats {
                Some(stats) => format!("{} rows", data::thousands(stats.rows)),
                None => preview.total_rows.describe(),
            };
            ui.label(rows);
            ui.separator();
            ui.label(format!("{} columns", preview.columns.len()));
            ui.separator();
            ui.label(size_words(preview.size_bytes));
        }
        if let Some(job) = view.stats_job {
            ui.separator();
            let status = jobs.status().into_iter().find(|s| s.id == job);
            let fraction = status.as_ref().and_then(|s| s.fraction);
            ui.label("Counting missing values");
            match fraction {
                Some(f) => {
                    ui.add(
                        egui::ProgressBar::new(f)
                            .desired_width(140.0)
                            .show_percentage(),
                    );
                }
                None => {
                    ui.spinner();
                }
            }
            if ui
                .small_button("Cancel")
                .on_hover_text("Stop reading the whole file; the preview stays.")
                .clicked()
            {
                commands.push(Command::CancelJob(job));
            }
        } else if view.stats_cancelled {
            ui.separator();
            command_button(ui, Command::ComputeDataStats(dataset.id.clone()), commands);
        }
    });
}

/// How the file is read, for when the detection got it wrong. A change reads the file again.
fn options_ui(ui: &mut Ui, dataset: &mut Dataset, view: &DatasetView, commands: &mut Vec<Command>) {
    let before = dataset.options.clone();
    let options = &mut dataset.options;
    let text_file = matches!(
        dataset.format,
        Some(crate::model::FileFormat::Csv | crate::model::FileFormat::Tsv)
    );
    let sheets = view
        .preview
        .as_ref()
        .map_or(&[][..], |p| p.sheets.as_slice());
    egui::CollapsingHeader::new("Reading options")
        .id_salt(("reading_options", &dataset.id))
        .show(ui, |ui| {
            egui::Grid::new(("options_grid", &dataset.id))
                .num_columns(2)
                .spacing([10.0, 6.0])
                .show(ui, |ui| {
                    if text_file {
                        let label = ui.label("Delimiter");
                        let name = |d: Option<char>| match d {
                            None => "Detect".to_string(),
                            Some(',') => "Comma ,".into(),
                            Some(';') => "Semicolon ;".into(),
                            Some('\t') => "Tab".into(),
                            Some('|') => "Pipe |".into(),
                            Some(c) => format!("'{c}'"),
                        };
                        egui::ComboBox::from_id_salt(("delimiter", &dataset.id))
                            .selected_text(name(options.delimiter))
                            .show_ui(ui, |ui| {
                                for d in [None, Some(','), Some(';'), Some('\t'), Some('|')] {
                                    ui.selectable_value(&mut options.delimiter, d, name(d));
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                        tri_state_ui(
                            ui,
                            "Decimal comma (1,5)",
                            &mut options.decimal_comma,
                            &dataset.id,
                        );
                        tri_state_ui(
                            ui,
                            "First row holds column names",
                            &mut options.has_header,
                            &dataset.id,
                        );
                    }
                    if sheets.is_empty()
                        && let Some(sheet) = options.sheet.clone()
                    {
                        // The workbook could not be read with this sheet: offer the way back.
                        ui.label("Sheet");
                        if ui
                            .button(format!("\"{sheet}\": use the first sheet instead"))
                            .clicked()
                        {
                            options.sheet = None;
                        }
                        ui.end_row();
                    }
                    if !sheets.is_empty() {
                        let label = ui.label("Sheet");
                        egui::ComboBox::from_id_salt(("sheet", &dataset.id))
                            .selected_text(options.sheet.as_deref().unwrap_or("First with data"))
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut options.sheet, None, "First with data");
                                for sheet in sheets {
                                    ui.selectable_value(
                                        &mut options.sheet,
                                        Some(sheet.clone()),
                                        sheet,
                                    );
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                });
            ui.checkbox(
                &mut options.skip_bad_rows,
                "Count text in number columns as missing",
            )
            .on_hover_text(
                "Instead of stopping at a value like \"n/a\" or \"12 USD\" in a column of numbers, \
                 leave it out of the analysis and count it as missing.",
            );
        });
    let reread = options.delimiter != before.delimiter
        || options.decimal_comma != before.decimal_comma
        || options.has_header != before.has_header
        || options.sheet != before.sheet;
    if reread {
        commands.push(Command::LoadDataset(dataset.id.clone()));
    }
}

/// Detect / Yes / No for an `Option<bool>` reading option.
fn tri_state_ui(ui: &mut Ui, title: &str, value: &mut Option<bool>, id: &str) {
    let label = ui.label(title);
    let name = |v: Option<bool>| match v {
        None => "Detect",
        Some(true) => "Yes",
        Some(false) => "No",
    };
    egui::ComboBox::from_id_salt((title, id))
        .selected_text(name(*value))
        .show_ui(ui, |ui| {
            for v in [None, Some(true), Some(false)] {
                ui.selectable_value(value, v, name(v));
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
}

fn size_words(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b >= 1024.0 * MB {
        format!("{:.1} GB", b / (1024.0 * MB))
    } else if b >= MB {
        format!("{:.1} MB", b / MB)
    } else if b >= 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

fn shape_ui(ui: &mut Ui, dataset: &mut Dataset) {
    ui.add_space(theme::SPACE_S);
    ui.horizontal(|ui| {
        let label = ui.label("Shape");
        egui::ComboBox::from_id_salt(("shape", &dataset.id))
            .selected_text(dataset.shape.label())
            .width(380.0)
            .show_ui(ui, |ui| {
                for shape in [
                    DataShape::UnitLevel,
                    DataShape::Aggregated,
                    DataShape::SummaryStatistics,
                    DataShape::Unknown,
                ] {
                    ui.selectable_value(&mut dataset.shape, shape, shape.label());
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(shape_explanation(dataset.shape));
    });
}

fn shape_explanation(shape: DataShape) -> &'static str {
    match shape {
        DataShape::UnitLevel => {
            "Each row is one user, session or request of an experiment, with its variant and \
             its metric values."
        }
        DataShape::Aggregated => {
            "Each row is one model, experiment or day, with ML and business metric values: what \
             the ML-to-business link is measured on."
        }
        DataShape::SummaryStatistics => {
            "Each row is one variant with its number of units and, per metric, the mean and \
             standard deviation (or sum and sum of squares), as a warehouse query returns them."
        }
        DataShape::Unknown => "Throughline could not tell; choose the shape that fits.",
    }
}

fn role_explanation(role: ColumnRole) -> &'static str {
    match role {
        ColumnRole::Ignore => "Not used in any analysis.",
        ColumnRole::Variant => {
            "Which arm of the experiment the row belongs to (control, treatment, …)."
        }
        ColumnRole::UnitId => "Identifies the user, session or request; not analysed itself.",
        ColumnRole::Time => "When the row happened; used for metrics over time.",
        ColumnRole::MlMetric => "An offline model metric such as accuracy, AUC or log loss.",
        ColumnRole::BusinessMetric => {
            "A business outcome such as conversion, revenue or retention."
        }
        ColumnRole::Segment => "A group to split results by (country, platform, model, …).",
        ColumnRole::Score => "A classifier's score or probability, for the threshold analysis.",
        ColumnRole::Label => "The true outcome (0/1) the score predicts.",
        ColumnRole::Count => "Summary statistics: the number of units.",
        ColumnRole::Mean => "Summary statistics: the mean of a metric.",
        ColumnRole::StdDev => "Summary statistics: the standard deviation of a metric.",
        ColumnRole::Sum => "Summary statistics: the sum of a metric.",
        ColumnRole::SumOfSquares => "Summary statistics: the sum of squares of a metric.",
        ColumnRole::StandardError => {
            "The standard error of a metric measured with noise (such as an experiment's \
             effect): the ML-to-business link then accounts for that noise."
        }
        ColumnRole::PreExperiment => {
            "The same metric measured before the experiment started (e.g. last month's revenue \
             of each user). Experiment analyses use it to remove noise from that metric's \
             comparison (CUPED), which makes the test more sensitive."
        }
    }
}

fn columns_ui(
    ui: &mut Ui,
    dataset: &mut Dataset,
    view: &DatasetView,
    (labels, names): (
        &[(crate::model::MetricLabel, crate::model::MetricLabel)],
        &mut std::collections::BTreeMap<String, crate::model::MetricInfo>,
    ),
) {
    theme::section_title(ui, "Columns");
    ui.label(
        RichText::new(
            "Throughline guessed what each column means. Change a role if the guess is wrong; \
             roles are saved with the project.",
        )
        .weak(),
    );
    ui.add_space(theme::SPACE_XS);
    let summary = dataset.shape == DataShape::SummaryStatistics;
    // The "Metric" column: for summary statistics, and for pre-experiment values (CUPED).
    let metric_column = summary
        || dataset
            .columns
            .iter()
            .any(|c| c.role == ColumnRole::PreExperiment);
    let metric_names: Vec<String> = dataset
        .columns
        .iter()
        .filter(|c| matches!(c.role, ColumnRole::BusinessMetric | ColumnRole::MlMetric))
        .map(|c| c.name.clone())
        .collect();
    egui::Grid::new(("columns", &dataset.id))
        .striped(true)
        .num_columns(9)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for title in ["Column", "Type", "Role"] {
                ui.label(RichText::new(title).strong());
            }
            ui.label(RichText::new("Name").strong())
                .on_hover_text(metric_names::NAMES_TIP);
            ui.label(RichText::new("Unit").strong())
                .on_hover_text(metric_names::UNIT_TIP);
            for title in ["Missing", "Minimum", "Maximum"] {
                ui.label(RichText::new(title).strong());
            }
            if metric_column {
                ui.label(RichText::new("Metric").strong());
            }
            ui.end_row();
            for spec in &mut dataset.columns {
                let stats = view
                    .stats
                    .as_ref()
                    .and_then(|s| s.columns.iter().find(|c| c.name == spec.name));
                let preview_column = view
                    .preview
                    .as_ref()
                    .and_then(|p| p.columns.iter().find(|c| c.name == spec.name));
                let name = ui.label(&spec.name);
                if let Some(c) = preview_column {
                    name.clone().on_hover_text(values_words(c));
                }
                let dtype = stats.map_or(spec.dtype.as_str(), |s| s.dtype.as_str());
                ui.label(RichText::new(dtype).weak());
                let fits = data::role_fits(spec.role, dtype);
                egui::ComboBox::from_id_salt(("role", &dataset.id, &spec.name))
                    .selected_text(if fits {
                        RichText::new(spec.role.label())
                    } else {
                        RichText::new(format!("{} (needs numbers)", spec.role.label()))
                            .color(theme::warning_color(ui.visuals().dark_mode))
                    })
                    .width(170.0)
                    .show_ui(ui, |ui| {
                        for role in ColumnRole::ALL {
                            ui.selectable_value(&mut spec.role, role, role.label())
                                .on_hover_text(role_explanation(role));
                        }
                    })
                    .response
                    .labelled_by(name.id)
                    .on_hover_text(if fits {
                        role_explanation(spec.role)
                    } else {
                        "This role needs numbers, but the column holds other values."
                    });
                let metric = metric_names::row_metric(spec).map(str::to_string);
                metric_names::name_cells_ui(ui, name.id, metric.as_deref(), labels, names);
                match stats {
                    Some(s) => {
                        let missing = if s.non_finite > 0 {
                            format!(
                                "{} (+{} NaN/inf)",
                                data::thousands(s.missing),
                                data::thousands(s.non_finite)
                            )
                        } else {
                            data::thousands(s.missing)
                        };
                        ui.label(missing);
                        ui.label(s.min.as_deref().unwrap_or("–"));
                        ui.label(s.max.as_deref().unwrap_or("–"));
                    }
                    None => {
                        for _ in 0..3 {
                            ui.label(RichText::new("…").weak());
                        }
                    }
                }
                if spec.role == ColumnRole::PreExperiment {
                    pre_experiment_metric_ui(ui, spec, &metric_names, name.id);
                } else if summary {
                    let mut metric = spec.metric.clone().unwrap_or_default();
                    if ui
                        .add(egui::TextEdit::singleline(&mut metric).desired_width(120.0))
                        .labelled_by(name.id)
                        .on_hover_text("The metric this column's statistic belongs to")
                        .changed()
                    {
                        spec.metric =
                            (!metric.trim().is_empty()).then(|| metric.trim().to_string());
                    }
                } else if metric_column {
                    ui.label("");
                }
                ui.end_row();
            }
        });
}

/// "3 different values in the first rows: control, bigger_model, reranker".
fn values_words(column: &data::PreviewColumn) -> String {
    let mut text = format!(
        "{} different values in the first rows",
        data::thousands(column.distinct_in_preview as u64)
    );
    if !column.examples.is_empty() {
        text.push_str(": ");
        text.push_str(&column.examples.join(", "));
        if column.distinct_in_preview > column.examples.len() {
            text.push_str(", …");
        }
    }
    text.push('.');
    text
}

fn preview_table_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    view: &DatasetView,
    commands: &mut Vec<Command>,
) {
    let Some(preview) = &view.preview else { return };
    theme::section_title(ui, "Preview");
    let total = view.row_count();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut wanted_pages: Vec<u64> = Vec::new();
    egui::ScrollArea::horizontal()
        .id_salt(("preview_h", &dataset.id))
        .show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt(("preview", &dataset.id))
                .striped(true)
                .resizable(true)
                .vscroll(true)
                .max_scroll_height(TABLE_HEIGHT)
                .min_scrolled_height(TABLE_HEIGHT.min(row_height * (total as f32 + 1.0)))
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::auto().at_least(50.0));
            for _ in &preview.columns {
                table = table.column(Column::auto().at_least(70.0).clip(true));
            }
            table
                .header(row_height, |mut header| {
                    header.col(|ui| {
                        ui.label(RichText::new("Row").weak());
                    });
                    for column in &preview.columns {
                        header.col(|ui| {
                            ui.label(RichText::new(&column.name).strong())
                                .on_hover_text(&column.dtype);
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, total as usize, |mut row| {
                        let index = row.index() as u64;
                        let cells = view.row(index);
                        if cells.is_none() {
                            let page = index - index % ROWS_PAGE;
                            if !wanted_pages.contains(&page) {
                                wanted_pages.push(page);
                            }
                        }
                        row.col(|ui| {
                            ui.label(RichText::new((index + 1).to_string()).weak());
                        });
                        for (c, column) in preview.columns.iter().enumerate() {
                            row.col(|ui| match cells.map(|r| r.get(c)) {
                                Some(Some(Some(text))) => {
                                    if column.numeric {
                                        ui.with_layout(
                                            egui::Layout::right_to_left(egui::Align::Center),
                                            |ui| ui.label(text),
                                        );
                                    } else {
                                        ui.label(text);
                                    }
                                }
                                Some(_) => {
                                    ui.label(RichText::new("missing").weak().italics());
                                }
                                None => {
                                    ui.label(RichText::new("…").weak());
                                }
                            });
                        }
                    });
                });
            let columns =
                std::iter::once("Row").chain(preview.columns.iter().map(|c| c.name.as_str()));
            super::access::name_table_resize_handles(ui, ("preview", &dataset.id), columns);
        });
    // One page at a time, the first one on screen that is not read yet.
    if view.page_job.is_none()
        && let Some(page) = wanted_pages
            .into_iter()
            .find(|p| !view.requested_pages.contains(p))
    {
        commands.push(Command::LoadDataRows(dataset.id.clone(), page));
    }
}

/// "Remove “x.csv”? 2 analyses use it: …": removing a file that analyses read asks first,
/// names them, and says their results will be out of date.
fn remove_question_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    uses: &[crate::app::data_use::DataUse],
    asking: &mut bool,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    let names: Vec<String> = uses.iter().map(|u| u.describe()).collect();
    let count = if uses.len() == 1 {
        "1 analysis uses it".to_string()
    } else {
        format!("{} analyses use it", uses.len())
    };
    let text = format!(
        "Remove \u{201c}{}\u{201d} from the project? {count}: {}. Their results will be \
         marked as out of date on the Evidence and Summary pages and in the report, until they \
         get another data file. The file itself is not touched, and Undo brings it back.",
        dataset.name,
        names.join(", ")
    );
    egui::Frame::new()
        .fill(theme::warning_fill(dark))
        .stroke(egui::Stroke::new(1.0, theme::warning_color(dark)))
        .inner_margin(10.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(text).strong()).wrap());
            ui.horizontal(|ui| {
                if ui.button("Remove anyway").clicked() {
                    commands.push(Command::RemoveDataset(dataset.id.clone()));
                    *asking = false;
                }
                if ui.button("Keep it").clicked() {
                    *asking = false;
                }
            });
        });
}
