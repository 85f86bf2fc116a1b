//! Notes pinned during a workshop: a small "Add note" button beside the title of a framing
//! step, an analysis or a scenario, and the notes themselves in place below it, editable, each
//! with "Delete note". Adding and deleting go through commands (own undo steps); typing edits
//! the project like any field.

use egui::RichText;

use crate::app::Command;
use crate::model::NoteOn;

use super::{PageContext, theme};

/// The fill of a note: a quiet yellow, like a sticky note, readable in both themes.
fn note_fill(dark: bool) -> egui::Color32 {
    if dark {
        egui::Color32::from_rgb(52, 48, 28)
    } else {
        egui::Color32::from_rgb(255, 250, 222)
    }
}

/// The small "Add note" button; whether it was clicked (the caller sends `Command::AddNote`).
pub fn add_note_button(ui: &mut egui::Ui) -> bool {
    let command = Command::AddNote(NoteOn::default());
    let button = egui::Button::new(RichText::new(command.label()).small());
    ui.add(button).on_hover_text(command.tooltip()).clicked()
}

/// A title with the "Add note" button beside it, then the notes pinned there.
pub fn titled_ui(
    ui: &mut egui::Ui,
    cx: &mut PageContext<'_>,
    on: &NoteOn,
    title: impl FnOnce(&mut egui::Ui),
) {
    ui.horizontal(|ui| {
        title(ui);
        ui.add_space(theme::SPACE_M);
        if add_note_button(ui) {
            cx.commands.push(Command::AddNote(on.clone()));
        }
    });
    pinned_notes_ui(ui, cx, on);
}

/// The notes pinned to `on`, each an editable field with "Delete note". Nothing when there is
/// none.
pub fn pinned_notes_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>, on: &NoteOn) {
    if !cx.project.notes.iter().any(|n| &n.on == on) {
        return;
    }
    let fill = note_fill(ui.visuals().dark_mode);
    let border = theme::warning_color(ui.visuals().dark_mode).gamma_multiply(0.5);
    let width = ui.available_width().min(theme::READABLE_WIDTH);
    for note in cx.project.notes.iter_mut().filter(|n| &n.on == on) {
        ui.add_space(theme::SPACE_XS);
        egui::Frame::new()
            .fill(fill)
            .stroke(egui::Stroke::new(1.0, border))
            .inner_margin(egui::Margin::symmetric(10, 6))
            .corner_radius(6.0)
            .show(ui, |ui| {
                ui.set_width(width - 20.0);
                let mut label = None;
                ui.horizontal(|ui| {
                    label = Some(ui.label(RichText::new("Note").small().strong()));
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let delete = Command::DeleteNote(note.id.clone());
                        if ui
                            .add(egui::Button::new(RichText::new(delete.label()).small()))
                            .on_hover_text(delete.tooltip())
                            .clicked()
                        {
                            cx.commands.push(delete);
                        }
                    });
                });
                let mut field = ui.add(
                    egui::TextEdit::multiline(&mut note.text)
                        .id_salt(("note", &note.id))
                        .hint_text("What the room said, a question to follow up…")
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                );
                if let Some(label) = label {
                    field = field.labelled_by(label.id);
                }
                if cx.state.focus_note.as_deref() == Some(note.id.as_str()) {
                    field.request_focus();
                    cx.state.focus_note = None;
                }
            });
    }
    ui.add_space(theme::SPACE_XS);
}
