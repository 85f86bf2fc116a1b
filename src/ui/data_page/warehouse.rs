//! The Data page's "Get summary statistics from my warehouse" helper: the SQL that computes the
//! summary-statistics file in the user's own engine, with a copy button.

use egui::{RichText, Ui};

use crate::app::WarehouseForm;
use crate::data::{self, SqlDialect};
use crate::model::{ColumnRole, Dataset};
use crate::ui::{PageContext, theme};

/// "Get summary statistics from my warehouse": the SQL that computes the summary-statistics
/// file in the user's own engine, with a copy button.
pub(super) fn warehouse_ui(ui: &mut Ui, cx: &mut PageContext<'_>) {
    egui::CollapsingHeader::new(RichText::new("Get summary statistics from my warehouse").strong())
        .id_salt("warehouse_sql")
        .show(ui, |ui| {
            ui.set_max_width(theme::READABLE_WIDTH);
            ui.add(
                egui::Label::new(
                    "When the data is too big for this computer, let your warehouse do the \
                     heavy counting: run this query there, save the result as a CSV file and \
                     add it here. Throughline analyses the per-variant counts, means and \
                     standard deviations, and the results are the same as from the full data.",
                )
                .wrap(),
            );
            ui.add_space(theme::SPACE_S);
            let selected = cx
                .project
                .view
                .selected_dataset
                .as_deref()
                .and_then(|id| cx.project.dataset(id));
            warehouse_form_ui(ui, &mut cx.state.warehouse, selected);
        });
}

fn warehouse_form_ui(ui: &mut Ui, form: &mut WarehouseForm, selected: Option<&Dataset>) {
    egui::Grid::new("warehouse_form")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("SQL engine");
            egui::ComboBox::from_id_salt("warehouse_dialect")
                .selected_text(form.dialect.label())
                .width(240.0)
                .show_ui(ui, |ui| {
                    for d in SqlDialect::ALL {
                        ui.selectable_value(&mut form.dialect, d, d.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            for (title, value, hint) in [
                (
                    "Table",
                    &mut form.query.table,
                    "project.dataset.experiment_units",
                ),
                ("Variant column", &mut form.query.variant_column, "variant"),
                (
                    "Metric columns",
                    &mut form.metrics_text,
                    "converted, revenue_usd",
                ),
                (
                    "Only rows where (optional)",
                    &mut form.query.filter,
                    "experiment_id = 'checkout-42'",
                ),
            ] {
                let label = ui.label(title);
                ui.add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            }
        });
    if let Some(dataset) = selected {
        let variant = dataset
            .columns
            .iter()
            .find(|c| c.role == ColumnRole::Variant)
            .map(|c| c.name.clone());
        let metrics: Vec<String> = dataset
            .columns
            .iter()
            .filter(|c| matches!(c.role, ColumnRole::BusinessMetric | ColumnRole::MlMetric))
            .map(|c| c.name.clone())
            .collect();
        if (variant.is_some() || !metrics.is_empty())
            && ui
                .button(format!("Use the columns of \"{}\"", dataset.name))
                .on_hover_text("Fill in the variant and metric columns from this dataset's roles.")
                .clicked()
        {
            if let Some(v) = variant {
                form.query.variant_column = v;
            }
            form.metrics_text = metrics.join(", ");
        }
    }
    form.query.metric_columns = form
        .metrics_text
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    ui.add_space(theme::SPACE_S);
    match data::summary_sql(form.dialect, &form.query) {
        Ok(sql) => {
            ui.add(
                egui::TextEdit::multiline(&mut sql.as_str())
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(8),
            );
            if ui
                .button("Copy SQL")
                .on_hover_text("Copy the query to the clipboard.")
                .clicked()
            {
                ui.ctx().copy_text(sql);
            }
        }
        Err(e) => {
            ui.label(RichText::new(e.to_string()).weak().italics());
        }
    }
}
