//! The left navigation: the journey from framing to summary.

use crate::app::Command;
use crate::model::{Page, Project};

use super::theme;

pub fn nav_ui(ui: &mut egui::Ui, project: &Project, commands: &mut Vec<Command>) {
    egui::Panel::left("nav")
        .resizable(false)
        .exact_size(theme::NAV_WIDTH)
        .show(ui, |ui| {
            ui.add_space(theme::SPACE_L);
            ui.add(
                egui::Label::new(
                    egui::RichText::new(project.display_name())
                        .strong()
                        .size(16.0),
                )
                .wrap(),
            );
            ui.add_space(theme::SPACE_L);
            for (i, page) in Page::ALL.into_iter().enumerate() {
                let selected = project.view.page == page;
                let text = egui::RichText::new(format!("{}   {}", i + 1, page.label())).size(16.0);
                let button = egui::Button::selectable(selected, (text, egui::Atom::grow()))
                    .min_size(egui::vec2(ui.available_width(), 34.0));
                let response = ui.add(button).on_hover_text(page.explanation());
                if response.clicked() && !selected {
                    commands.push(Command::ShowPage(page));
                }
            }
        });
}
