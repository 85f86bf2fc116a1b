//! The workshop deck in the window (F5 or "Present"): one slide at a time, full window, no
//! menus or side panels, large type. The slides come from `io::deck`, the same ones the HTML
//! export writes. Arrow keys, Page Up / Page Down and Space move; Esc leaves; D shows the
//! details of the slide.

mod slide;

use std::collections::HashSet;

use egui::{Key, Modifiers, RichText};

use crate::app::{AnalysisKind, Command, ThroughlineApp, Wanted};
use crate::io::deck::{Deck, build_screen_deck};
use crate::model::Project;

use super::theme;

/// What the deck remembers while it is shown (not saved in the project).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeckView {
    /// The slide shown, from 0.
    pub slide: usize,
    /// The slides whose details are open, by key.
    pub details: HashSet<String>,
    /// The ML change the presenter dragged the live slide to (`None`: the scenario's own).
    /// The project is not changed.
    pub live_change: Option<f64>,
    /// The live slide's slider, as drawn in the last frame: while it has the keyboard focus,
    /// the arrow keys move it instead of the slides.
    pub live_slider: Option<egui::Id>,
    /// The status message when the deck opened: only newer ones (an export) show in the deck.
    pub quiet_status: Option<String>,
}

impl DeckView {
    /// The deck at its first slide; `status` is the message on screen when it opens.
    pub fn opened(status: Option<String>) -> Self {
        Self {
            quiet_status: status,
            ..Self::default()
        }
    }
}

/// How large the deck's type is: 1 at 1920×1080, smaller on smaller windows.
fn scale(ui: &egui::Ui) -> f32 {
    let size = ui.ctx().content_rect().size();
    (size.x / 1920.0).min(size.y / 1080.0).clamp(0.55, 1.6)
}

/// The whole window while the deck is shown.
pub fn deck_window_ui(
    ui: &mut egui::Ui,
    app: &mut ThroughlineApp,
    commands: &mut Vec<Command>,
    wanted: &mut Wanted,
) {
    let Some(doc) = app.ws.doc.as_ref() else {
        return;
    };
    let project = &doc.project;
    want_every_analysis(project, wanted);
    let deck = build_screen_deck(project);
    // Keys belong to a question or a path prompt while one is open.
    let keys_free = app.dialogs.prompt.is_none()
        && app.ws.messages.errors.is_empty()
        && !app.is_asking_to_save();
    // Work in progress (an export) and messages newer than the deck show in its bottom bar.
    let busy: Vec<String> = app.jobs.status().into_iter().map(|j| j.label).collect();
    let Some(view) = app.deck.as_mut() else {
        return;
    };
    let news = match (&app.ws.messages.status, &view.quiet_status) {
        (Some(now), Some(then)) if now == then => None,
        (now, _) => now.clone(),
    };
    let note = if busy.is_empty() {
        news
    } else {
        Some(format!("{}…", busy.join(", ")))
    };
    if keys_free {
        handle_keys(ui.ctx(), view, &deck, commands);
    }
    view.live_slider = None;
    view.slide = view.slide.min(deck.slides.len().saturating_sub(1));
    let s = scale(ui);
    let dark = ui.visuals().dark_mode;
    let fill = if dark {
        egui::Color32::from_gray(24)
    } else {
        egui::Color32::WHITE
    };
    let margin = egui::Margin::symmetric((56.0 * s) as i8, (28.0 * s) as i8);
    egui::CentralPanel::default()
        .frame(egui::Frame::new().fill(fill).inner_margin(margin))
        .show(ui, |ui| {
            let Some(current) = deck.slides.get(view.slide) else {
                return;
            };
            let bar_height = slide::px(48.0, s);
            let body = ui.available_height() - bar_height;
            ui.allocate_ui(egui::vec2(ui.available_width(), body), |ui| {
                egui::ScrollArea::vertical()
                    .id_salt(("deck-slide", view.slide))
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        slide::slide_ui(ui, project, current, view, s, body);
                    });
            });
            bottom_bar_ui(ui, &deck, view, note.as_deref(), s, commands);
        });
}

/// The deck keeps every analysis up to date, so its slides show results, not "not computed".
fn want_every_analysis(project: &Project, wanted: &mut Wanted) {
    let e = &project.evidence;
    for a in &e.experiments {
        wanted.analysis(AnalysisKind::Experiment, &a.id);
    }
    for a in &e.links {
        wanted.analysis(AnalysisKind::Link, &a.id);
    }
    for a in &e.thresholds {
        wanted.analysis(AnalysisKind::Threshold, &a.id);
    }
    for a in &e.metas {
        wanted.analysis(AnalysisKind::Meta, &a.id);
    }
}

fn handle_keys(ctx: &egui::Context, view: &mut DeckView, deck: &Deck, commands: &mut Vec<Command>) {
    let last = deck.slides.len().saturating_sub(1);
    let slider_focused = view
        .live_slider
        .is_some_and(|id| ctx.memory(|m| m.has_focus(id)));
    // Every listed key is consumed (not only the first), so none reaches a widget.
    let pressed = |keys: &[Key]| {
        ctx.input_mut(|i| {
            let mut any = false;
            for k in keys {
                any |= i.consume_key(Modifiers::NONE, *k);
            }
            any
        })
    };
    // A button reached with Tab takes Space as a click, as everywhere else; arrows and Page
    // Down still move on.
    let button_focused = ctx
        .memory(|m| m.focused())
        .is_some_and(|id| Some(id) != view.live_slider);
    let (next, previous): (&[Key], &[Key]) = if slider_focused {
        (&[Key::PageDown, Key::Space], &[Key::PageUp])
    } else if button_focused {
        (
            &[Key::ArrowRight, Key::ArrowDown, Key::PageDown],
            &[Key::ArrowLeft, Key::ArrowUp, Key::PageUp],
        )
    } else {
        (
            &[Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::Space],
            &[Key::ArrowLeft, Key::ArrowUp, Key::PageUp],
        )
    };
    if pressed(next) {
        view.slide = (view.slide + 1).min(last);
    }
    if pressed(previous) {
        view.slide = view.slide.saturating_sub(1);
    }
    if pressed(&[Key::Home]) {
        view.slide = 0;
    }
    if pressed(&[Key::End]) {
        view.slide = last;
    }
    if pressed(&[Key::D])
        && let Some(slide) = deck.slides.get(view.slide)
    {
        toggle_details(view, &slide.key);
    }
    if pressed(&[Key::Escape]) {
        commands.push(Command::LeaveDeck);
    }
}

fn toggle_details(view: &mut DeckView, key: &str) {
    if !view.details.remove(key) {
        view.details.insert(key.to_string());
    }
}

/// Previous / Next, the slide number, the details toggle, export and leave.
fn bottom_bar_ui(
    ui: &mut egui::Ui,
    deck: &Deck,
    view: &mut DeckView,
    note: Option<&str>,
    s: f32,
    commands: &mut Vec<Command>,
) {
    let total = deck.slides.len();
    let key = deck
        .slides
        .get(view.slide)
        .map(|slide| slide.key.clone())
        .unwrap_or_default();
    let has_details = deck
        .slides
        .get(view.slide)
        .is_some_and(|slide| !slide.details.is_empty());
    let text = |t: &str| RichText::new(t).size(slide::px(20.0, s).max(15.0));
    ui.add_space(slide::px(theme::SPACE_S, s));
    ui.horizontal(|ui| {
        ui.spacing_mut().button_padding = egui::vec2(slide::px(12.0, s), slide::px(6.0, s));
        if ui
            .add_enabled(view.slide > 0, egui::Button::new(text("Previous")))
            .on_hover_text("The previous slide (← or Page Up)")
            .clicked()
        {
            view.slide = view.slide.saturating_sub(1);
        }
        if ui
            .add_enabled(view.slide + 1 < total, egui::Button::new(text("Next")))
            .on_hover_text("The next slide (→, Space or Page Down)")
            .clicked()
        {
            view.slide = (view.slide + 1).min(total.saturating_sub(1));
        }
        ui.add_space(slide::px(16.0, s));
        let open = view.details.contains(&key);
        if has_details
            && ui
                .add(egui::Button::new(text("Details")).selected(open))
                .on_hover_text("Show the numbers behind this slide (D)")
                .clicked()
        {
            toggle_details(view, &key);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .add(egui::Button::new(text("Leave")))
                .on_hover_text(Command::LeaveDeck.tooltip())
                .clicked()
            {
                commands.push(Command::LeaveDeck);
            }
            if ui
                .add(egui::Button::new(text(Command::ExportDeckDialog.label())))
                .on_hover_text(Command::ExportDeckDialog.tooltip())
                .clicked()
            {
                commands.push(Command::ExportDeckDialog);
            }
            ui.add_space(slide::px(24.0, s));
            ui.label(
                RichText::new(format!("{} / {total}", view.slide + 1))
                    .size(slide::px(24.0, s))
                    .weak(),
            );
            if let Some(note) = note {
                ui.add_space(slide::px(24.0, s));
                ui.add(egui::Label::new(RichText::new(note).weak()).truncate());
            }
        });
    });
}
