//! One slide of the deck: the small label, the title, the headline in large type, the big
//! figures, the body (badges, lists, tables), the chart beside them, and the details on
//! request. The live slide adds the slider that moves the scenario's ML change.

use egui::{FontId, RichText, TextStyle};

use super::DeckView;
use crate::format;
use crate::io::deck::{Figure, LiveSlide, Slide, SlideKind, live_step};
use crate::io::report::{Block, DecisionBadge};
use crate::model::Project;
use crate::ui::{report_view, theme};

/// Draw `slide`; `s` scales the type (1 at 1920×1080); `height` is the space the slide has.
pub fn slide_ui(
    ui: &mut egui::Ui,
    project: &Project,
    slide: &Slide,
    view: &mut DeckView,
    s: f32,
    height: f32,
) {
    large_type(ui, s);
    let dark = ui.visuals().dark_mode;
    if slide.kind == SlideKind::Title {
        ui.add_space(height * 0.22);
    }
    if !slide.eyebrow.is_empty() {
        ui.label(
            RichText::new(slide.eyebrow.to_uppercase())
                .size(px(22.0, s))
                .strong()
                .color(theme::ACCENT),
        );
        ui.add_space(px(6.0, s));
    }
    let title_size = if slide.kind == SlideKind::Title {
        84.0
    } else {
        52.0
    };
    ui.add(
        egui::Label::new(
            RichText::new(screen(&slide.title))
                .size(px(title_size, s))
                .strong()
                .color(theme::heading_color(dark)),
        )
        .wrap(),
    );
    ui.add_space(px(22.0, s));
    match &slide.chart {
        Some(chart) => {
            // The headline and the chart side by side.
            let chart_height = (height * 0.55).max(220.0).round();
            ui.columns(2, |columns| {
                if let [left, right] = columns {
                    // Left-aligned text, not stretched to the column's width.
                    left.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        main_ui(ui, project, slide, view, s);
                    });
                    report_view::sized_chart_ui(
                        right,
                        chart,
                        right.scope_id().with(("deck-chart", &slide.key)),
                        Some(chart_height),
                    );
                }
            });
        }
        None => {
            ui.scope(|ui| {
                ui.set_max_width(px(1500.0, s));
                main_ui(ui, project, slide, view, s);
            });
        }
    }
    if view.details.contains(&slide.key) && !slide.details.is_empty() {
        ui.add_space(px(18.0, s));
        ui.separator();
        ui.label(
            RichText::new("Details")
                .size(px(24.0, s))
                .strong()
                .color(theme::heading_color(dark)),
        );
        ui.add_space(px(6.0, s));
        report_view::blocks_ui(ui, &slide.details, &format!("deck-details-{}", slide.key));
    }
}

/// The type of the deck: body text 26 points at 1920×1080.
fn large_type(ui: &mut egui::Ui, s: f32) {
    let style = ui.style_mut();
    for (text_style, size) in [
        (TextStyle::Body, 26.0),
        (TextStyle::Button, 22.0),
        (TextStyle::Small, 19.0),
        (TextStyle::Heading, 32.0),
        (TextStyle::Monospace, 22.0),
    ] {
        let family = style
            .text_styles
            .get(&text_style)
            .map(|f| f.family.clone())
            .unwrap_or(egui::FontFamily::Proportional);
        style
            .text_styles
            .insert(text_style, FontId::new(px(size, s), family));
    }
    style.spacing.item_spacing = egui::vec2(px(10.0, s), px(8.0, s));
    style.spacing.interact_size.y = px(30.0, s);
    style.spacing.icon_width = px(20.0, s);
    style.spacing.icon_width_inner = px(12.0, s);
    style.spacing.icon_spacing = px(8.0, s);
}

/// A length scaled by `s`, in whole points.
pub(super) fn px(x: f32, s: f32) -> f32 {
    (x * s).round()
}

/// Text for the screen: egui's built-in fonts have no arrows.
fn screen(text: &str) -> String {
    text.replace('→', "›")
}

/// The headline, the live slider, the figures and the body.
fn main_ui(ui: &mut egui::Ui, project: &Project, slide: &Slide, view: &mut DeckView, s: f32) {
    let mut headline = slide.headline.clone();
    let mut figures = slide.figures.clone();
    if let Some(live) = &slide.live {
        let change = live_slider_ui(ui, live, view, s);
        if let Some(step) = live_step(project, &live.scenario_id, change) {
            headline = vec![step.summary];
            figures = step.figures;
        }
    }
    // The answer slide leads with the decisions; the others with their headline.
    let body_first = slide.kind == SlideKind::Answer;
    if body_first {
        body_ui(ui, slide, s);
    }
    for sentence in &headline {
        ui.add(egui::Label::new(RichText::new(screen(sentence)).size(px(34.0, s))).wrap());
        ui.add_space(px(10.0, s));
    }
    if !figures.is_empty() {
        ui.add_space(px(8.0, s));
        if !slide.figures_caption.is_empty() {
            ui.label(RichText::new(&slide.figures_caption).weak());
        }
        figures_ui(ui, &figures, s);
    }
    if !body_first {
        body_ui(ui, slide, s);
    }
}

/// The body: decision badges at the deck's size, the other blocks as the Summary draws them.
fn body_ui(ui: &mut egui::Ui, slide: &Slide, s: f32) {
    if slide.body.is_empty() {
        return;
    }
    ui.add_space(px(12.0, s));
    for (i, block) in slide.body.iter().enumerate() {
        match block {
            // The decision is what the room came for: a large badge.
            Block::Decision(d) => decision_ui(ui, d, s),
            other => report_view::blocks_ui(
                ui,
                std::slice::from_ref(other),
                &format!("deck-body-{}-{i}", slide.key),
            ),
        }
    }
    ui.add_space(px(8.0, s));
}

/// A decision badge in the deck's size, with its comparison and reasons.
fn decision_ui(ui: &mut egui::Ui, d: &DecisionBadge, s: f32) {
    ui.add_space(px(6.0, s));
    ui.horizontal(|ui| {
        egui::Frame::new()
            .fill(theme::decision_fill(d.key))
            .corner_radius(px(8.0, s))
            .inner_margin(egui::Margin::symmetric(px(16.0, s) as i8, px(6.0, s) as i8))
            .show(ui, |ui| {
                ui.label(
                    RichText::new(&d.label)
                        .strong()
                        .size(px(34.0, s))
                        .color(egui::Color32::WHITE),
                );
            });
        ui.add_space(px(8.0, s));
        ui.label(RichText::new(screen(&d.title)).size(px(30.0, s)).strong());
    });
    ui.add_space(px(4.0, s));
    for reason in &d.reasons {
        ui.horizontal_top(|ui| {
            ui.label("•");
            ui.add(egui::Label::new(screen(reason)).wrap());
        });
    }
    ui.add_space(px(8.0, s));
}

/// The slider of the live slide; returns the ML change to show.
fn live_slider_ui(ui: &mut egui::Ui, live: &LiveSlide, view: &mut DeckView, s: f32) -> f64 {
    let mut change = view.live_change.unwrap_or(live.start);
    ui.horizontal(|ui| {
        let label = ui.label(
            RichText::new(format!("ML change ({})", live.ml_metric.trim())).size(px(26.0, s)),
        );
        ui.spacing_mut().slider_width = px(620.0, s);
        let slider = egui::Slider::new(&mut change, live.min..=live.max)
            .custom_formatter(|x, _| crate::io::deck::change_label(x, ""))
            .text("");
        let response = ui.add(slider).labelled_by(label.id).on_hover_text(format!(
            "Drag to try another ML change; the scenario \"{}\" itself is not changed.",
            live.scenario
        ));
        view.live_slider = Some(response.id);
        if response.changed() {
            view.live_change = Some(change);
        }
        if view.live_change.is_some()
            && ui
                .button("Reset")
                .on_hover_text(format!(
                    "Back to the scenario's own change ({}).",
                    format::number(live.start)
                ))
                .clicked()
        {
            view.live_change = None;
            change = live.start;
        }
    });
    ui.add_space(px(14.0, s));
    change
}

/// The big numbers, as cards side by side.
fn figures_ui(ui: &mut egui::Ui, figures: &[Figure], s: f32) {
    let fill = theme::quiet_fill(ui.visuals().dark_mode);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(px(18.0, s), px(18.0, s));
        for f in figures {
            egui::Frame::new()
                .fill(fill)
                .corner_radius(10.0 * s)
                .inner_margin(egui::Margin::symmetric((20.0 * s) as i8, (14.0 * s) as i8))
                .show(ui, |ui| {
                    ui.set_min_width(px(230.0, s));
                    ui.vertical(|ui| {
                        ui.label(RichText::new(&f.label).size(px(20.0, s).max(15.0)).weak());
                        ui.label(RichText::new(&f.value).size(px(52.0, s)).strong());
                        // An empty note keeps the cards the same height.
                        ui.label(RichText::new(&f.note).size(px(18.0, s).max(14.0)).weak());
                    });
                });
        }
    });
    ui.add_space(px(8.0, s));
}
