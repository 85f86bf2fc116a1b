//! Drawing: one file per page or panel, functions named `*_ui`, drawing from state and emitting
//! commands. Nothing here reads files or computes statistics.

pub mod access;
mod data_page;
pub(crate) mod evidence;
mod frame;
pub mod labels;
pub mod modals;
mod nav;
mod notes;
pub mod plots;
mod report_view;
mod status_bar;
mod summary_page;
pub mod theme;
mod top_bar;
mod welcome;
mod whatif;
pub(crate) mod widgets;

use std::path::Path;

use crate::app::{Command, Jobs, PageState, Runtime, ThroughlineApp, Wanted};
use crate::model::{Page, Project};

/// What a page may read and change. Pages draw from state and emit commands; the app applies
/// the commands after the frame and does what the pages want (`Wanted`). A page never starts,
/// cancels or restarts a job, and never adds or removes analyses or scenarios itself.
pub struct PageContext<'a> {
    /// The open project: the fields a page edits (settings, names, the page shown). Every
    /// change is a document edit, with undo.
    pub project: &'a mut Project,
    /// The folder of the project file, which data paths are relative to.
    pub base_dir: Option<&'a Path>,
    /// What was read and computed this session (previews, run states, prepared series).
    pub runtime: &'a Runtime,
    /// The background jobs, for their progress.
    pub jobs: &'a Jobs,
    /// The pages' own memory between frames (the point under the pointer, a form's fields).
    pub state: &'a mut PageState,
    /// What the user asked for while the page was drawn.
    pub commands: &'a mut Vec<Command>,
    /// What the page needs the app to keep ready (analyses on screen, values of a column).
    pub wanted: &'a mut Wanted,
}

/// The whole window: top bar, navigation, status bar, and the page (or the welcome screen).
pub fn app_ui(
    ui: &mut egui::Ui,
    app: &mut ThroughlineApp,
    commands: &mut Vec<Command>,
    wanted: &mut Wanted,
) {
    top_bar::top_bar_ui(ui, app, commands);
    status_bar::status_bar_ui(ui, app, commands);
    let ws = &mut app.ws;
    let Some(doc) = ws.doc.as_mut() else {
        egui::CentralPanel::default().show(ui, |ui| {
            welcome::welcome_ui(ui, &app.settings, &app.examples, commands);
        });
        drop_hint_ui(ui);
        return;
    };
    nav::nav_ui(ui, &doc.project, commands);
    let (project, base_dir) = doc.parts_mut();
    let mut cx = PageContext {
        project,
        base_dir,
        runtime: &ws.runtime,
        jobs: &app.jobs,
        state: &mut ws.pages,
        commands,
        wanted,
    };
    egui::CentralPanel::default().show(ui, |ui| page_ui(ui, &mut cx));
    drop_hint_ui(ui);
}

/// The page the project shows (`project.view.page`), filling the space it is given.
pub fn page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    labels::set_project(cx.project);
    let page = cx.project.view.page;
    // The Frame wizard keeps its step list and Back/Next in view and scrolls only the step.
    if page == Page::Frame {
        frame::frame_page_ui(ui, cx);
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .id_salt(("page", page))
        .show(ui, |ui| match page {
            Page::Frame => {}
            Page::Data => data_page::data_page_ui(ui, cx),
            Page::Evidence => evidence::evidence_page_ui(ui, cx),
            Page::WhatIf => whatif::whatif_page_ui(ui, cx),
            Page::Summary => summary_page::summary_page_ui(ui, cx),
        });
}

/// While files are dragged over the window, say what dropping them does.
fn drop_hint_ui(ui: &mut egui::Ui) {
    let hovering: Vec<String> = ui.ctx().input(|i| {
        i.raw
            .hovered_files
            .iter()
            .filter_map(|f| f.path.as_ref())
            .map(|p| p.display().to_string())
            .collect()
    });
    let any_hovered = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    if !any_hovered {
        return;
    }
    let projects = hovering.iter().filter(|p| p.ends_with(".ron")).count();
    let text = if projects > 0 {
        "Drop to open the project"
    } else {
        "Drop to add the data files to the project"
    };
    let screen = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop_hint"),
    ));
    painter.rect_filled(screen, 0.0, theme::BACKDROP);
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        text,
        egui::FontId::proportional(26.0),
        egui::Color32::WHITE,
    );
}

/// A button that sends `command`, with its tooltip and shortcut.
pub fn command_button(ui: &mut egui::Ui, command: Command, commands: &mut Vec<Command>) -> bool {
    let mut text = command.tooltip().to_string();
    if let Some(shortcut) = command.shortcut() {
        text = format!("{text} ({})", ui.ctx().format_shortcut(&shortcut));
    }
    let clicked = ui.button(command.label()).on_hover_text(text).clicked();
    if clicked {
        commands.push(command);
    }
    clicked
}
