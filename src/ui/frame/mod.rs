//! The Frame page: a wizard over the eight framing steps. The step list and Back/Next stay in
//! view; only the step itself scrolls. Every step explains its idea, shows an example's answer
//! as a hint, and checks the answers gently (warnings, never blocks).

mod decoupled;
mod hints;
mod ml_fit;
mod ml_objective;
mod objectives;
mod problem;
mod process;
mod requirements;
mod task;
use crate::ui::widgets;

use egui::{Color32, RichText, Sense};

use crate::app::Command;
use crate::io::report::{Block, framing_step_brief, framing_step_section};
use crate::model::{FrameStep, Framing, Page, Project, StepStatus};

use super::{PageContext, report_view, theme};

/// Below this page width the step list becomes a strip above the step.
const SIDE_LIST_MIN_WIDTH: f32 = 900.0;
const STEP_LIST_WIDTH: f32 = 236.0;

pub fn frame_page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let step = cx.project.view.frame_step;
    if ui.available_width() >= SIDE_LIST_MIN_WIDTH {
        egui::Panel::left("frame_steps")
            .resizable(false)
            .exact_size(STEP_LIST_WIDTH)
            .frame(egui::Frame::NONE.inner_margin(egui::Margin {
                left: 0,
                right: 14,
                top: 6,
                bottom: 6,
            }))
            .show(ui, |ui| step_list_ui(ui, cx.project));
    } else {
        egui::Panel::top("frame_steps_strip")
            .resizable(false)
            .frame(egui::Frame::NONE.inner_margin(egui::Margin::symmetric(0, 6)))
            .show(ui, |ui| step_strip_ui(ui, cx.project));
    }
    // Back/Next sit below the step, but are drawn after it, so that Tab reaches the step's
    // fields before them (egui's Tab order is the drawing order). Their height is that of the
    // last frame (a button row until then).
    egui::CentralPanel::no_frame().show(ui, |ui| {
        let footer_id = ui.scope_id().with("frame_footer_height");
        let footer_height = ui
            .data(|d| d.get_temp::<f32>(footer_id))
            .unwrap_or(ui.spacing().interact_size.y + 12.0);
        let area = ui.available_rect_before_wrap();
        let (body, footer) = area.split_top_bottom_at_y(area.bottom() - footer_height);
        ui.scope_builder(egui::UiBuilder::new().max_rect(body), |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .id_salt(("frame_step", step))
                .show(ui, |ui| {
                    egui::Frame::NONE
                        .inner_margin(egui::Margin {
                            left: 16,
                            right: 16,
                            top: 0,
                            bottom: 16,
                        })
                        .show(ui, |ui| {
                            ui.set_max_width(
                                ui.available_width().min(theme::READABLE_WIDTH + 40.0),
                            );
                            step_ui(ui, cx, step);
                        });
                });
        });
        let drawn = ui
            .scope_builder(egui::UiBuilder::new().max_rect(footer), |ui| {
                ui.painter().hline(
                    footer.x_range(),
                    footer.top(),
                    ui.visuals().widgets.noninteractive.bg_stroke,
                );
                egui::Frame::NONE
                    .inner_margin(egui::Margin {
                        left: 16,
                        right: 4,
                        top: 8,
                        bottom: 2,
                    })
                    .show(ui, |ui| footer_ui(ui, cx));
            })
            .response
            .rect
            .height();
        if (drawn - footer_height).abs() > 0.5 {
            ui.data_mut(|d| d.insert_temp(footer_id, drawn));
            ui.ctx()
                .request_discard("the wizard's footer changed height");
        }
    });
}

/// The header, hint, fields and warnings of one step.
fn step_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>, step: FrameStep) {
    ui.add_space(theme::SPACE_S);
    ui.label(
        RichText::new(format!(
            "Frame · step {} of {}",
            step.number(),
            FrameStep::ALL.len()
        ))
        .weak(),
    );
    super::notes::titled_ui(ui, cx, &crate::model::NoteOn::Step(step), |ui| {
        ui.heading(step.title());
    });
    ui.add_space(theme::SPACE_HAIR);
    ui.add(egui::Label::new(RichText::new(step.explanation()).size(15.5)).wrap());
    if cx.project.framing.status(step) == StepStatus::Skipped {
        ui.add_space(theme::SPACE_XS);
        ui.label(
            RichText::new("You skipped this step for now. Answer it whenever you are ready.")
                .italics()
                .weak(),
        );
    }
    ui.add_space(theme::SPACE_M);
    hint_ui(ui, cx.project, step);
    ui.add_space(theme::SPACE_XS);
    let project = &mut *cx.project;
    match step {
        FrameStep::Problem => problem::problem_ui(ui, project),
        FrameStep::Objectives => objectives::objectives_ui(ui, &mut project.framing),
        FrameStep::MlFit => ml_fit::ml_fit_ui(ui, &mut project.framing.ml_fit),
        FrameStep::Task => task::task_ui(ui, &mut project.framing.task),
        FrameStep::MlObjective => ml_objective::ml_objective_ui(ui, &mut project.framing),
        FrameStep::Decoupled => decoupled::decoupled_ui(ui, &mut project.framing.decoupled),
        FrameStep::Requirements => {
            requirements::requirements_ui(ui, &mut project.framing.requirements);
        }
        FrameStep::Process => process::process_ui(ui, &mut project.framing.process),
    }
    widgets::warnings_ui(ui, &cx.project.framing.warnings(step));
}

/// The example's answer to this step, in a quiet box that can be hidden.
fn hint_ui(ui: &mut egui::Ui, project: &Project, step: FrameStep) {
    let examples = hints::examples();
    if examples.is_empty() {
        return;
    }
    let open_id = egui::Id::unique("frame_hint_open");
    let example_id = egui::Id::unique("frame_hint_example");
    let full_id = egui::Id::unique("frame_hint_full");
    let mut open = ui.data_mut(|d| *d.get_persisted_mut_or(open_id, true));
    let mut full = ui.data_mut(|d| *d.get_persisted_mut_or(full_id, false));
    let mut chosen = ui
        .data_mut(|d| d.get_persisted::<usize>(example_id))
        .filter(|i| *i < examples.len())
        .unwrap_or_else(|| hints::default_example(&project.name));
    if !open {
        if ui
            .link(RichText::new("Show an example answer").weak())
            .clicked()
        {
            ui.data_mut(|d| d.insert_persisted(open_id, true));
        }
        return;
    }
    let fill = theme::quiet_fill(ui.visuals().dark_mode);
    egui::Frame::new()
        .fill(fill)
        .inner_margin(egui::Margin::symmetric(14, 10))
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(theme::READABLE_WIDTH));
            ui.horizontal(|ui| {
                let label = ui.label(RichText::new("Example from").weak());
                let name = |i: usize| {
                    examples
                        .get(i)
                        .map(|e| e.display_name().to_string())
                        .unwrap_or_default()
                };
                egui::ComboBox::from_id_salt("frame_hint_combo")
                    .selected_text(name(chosen))
                    .show_ui(ui, |ui| {
                        for i in 0..examples.len() {
                            ui.selectable_value(&mut chosen, i, name(i));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .link(RichText::new("Hide").weak())
                        .on_hover_text("Hide the example answers; show them again at any time.")
                        .clicked()
                    {
                        open = false;
                    }
                    let more = if full { "Show less" } else { "Show all of it" };
                    if ui.link(RichText::new(more).weak()).clicked() {
                        full = !full;
                    }
                });
            });
            ui.data_mut(|d| {
                d.insert_persisted(example_id, chosen);
                d.insert_persisted(open_id, open);
                d.insert_persisted(full_id, full);
            });
            if let Some(example) = examples.get(chosen) {
                // The gist by default; the whole answer (without charts) on request.
                let blocks: Vec<Block> = if full {
                    framing_step_section(example, step)
                        .blocks
                        .into_iter()
                        .filter(|b| !matches!(b, Block::Chart(_)))
                        .collect()
                } else {
                    framing_step_brief(example, step)
                };
                ui.add_space(theme::SPACE_HAIR);
                ui.scope(|ui| {
                    ui.style_mut().override_text_style = Some(egui::TextStyle::Small);
                    ui.style_mut()
                        .text_styles
                        .insert(egui::TextStyle::Small, egui::FontId::proportional(13.5));
                    report_view::blocks_ui(ui, &blocks, "frame_hint");
                });
            }
        });
}

fn status_hover(framing: &Framing, step: FrameStep) -> String {
    let warnings = framing.warnings(step).len();
    let mut text = framing.status(step).label().to_string();
    if warnings > 0 {
        text.push_str(&format!(
            "; {warnings} {} worth a second look",
            if warnings == 1 { "point" } else { "points" }
        ));
    }
    text
}

fn step_list_ui(ui: &mut egui::Ui, project: &mut Project) {
    let framing = &project.framing;
    let answered = framing.answered_steps();
    ui.add_space(theme::SPACE_M);
    ui.label(
        RichText::new(format!(
            "{answered} of {} steps answered",
            FrameStep::ALL.len()
        ))
        .weak(),
    );
    ui.add(
        egui::ProgressBar::new(answered as f32 / FrameStep::ALL.len() as f32)
            .desired_height(6.0)
            .fill(theme::good_color(ui.visuals().dark_mode)),
    );
    ui.add_space(theme::SPACE_M);
    let mut go_to = None;
    for step in FrameStep::ALL {
        let selected = project.view.frame_step == step;
        let response = step_item_ui(ui, framing, step, selected, false)
            .on_hover_text(status_hover(framing, step));
        if response.clicked() {
            go_to = Some(step);
        }
    }
    if let Some(step) = go_to {
        project.view.frame_step = step;
    }
}

fn step_strip_ui(ui: &mut egui::Ui, project: &mut Project) {
    let framing = &project.framing;
    let mut go_to = None;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(4.0, 4.0);
        for step in FrameStep::ALL {
            let selected = project.view.frame_step == step;
            let response = step_item_ui(ui, framing, step, selected, true).on_hover_text(format!(
                "{}: {}",
                step.title(),
                status_hover(framing, step)
            ));
            if response.clicked() {
                go_to = Some(step);
            }
        }
    });
    if let Some(step) = go_to {
        project.view.frame_step = step;
    }
}

/// One entry of the step list: a status circle (a check when answered, a dash when skipped,
/// the step's number otherwise) and the title. Its accessible name is "N. Title".
fn step_item_ui(
    ui: &mut egui::Ui,
    framing: &Framing,
    step: FrameStep,
    selected: bool,
    compact: bool,
) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let status = framing.status(step);
    let has_warnings = !framing.warnings(step).is_empty();
    let title = if compact {
        step.short_title()
    } else {
        step.title()
    };
    let text_colour = if selected {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    };
    let font = egui::FontId::proportional(15.0);
    let galley = ui
        .painter()
        .layout_no_wrap(title.to_string(), font, text_colour);
    let diameter = 24.0;
    let pad = egui::vec2(8.0, 7.0);
    let height = if compact { 36.0 } else { 42.0 };
    let width = if compact {
        pad.x * 2.0 + diameter + 8.0 + galley.size().x + if has_warnings { 12.0 } else { 0.0 }
    } else {
        ui.available_width()
    };
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), Sense::click());
    let label = format!("{}. {}", step.number(), step.title());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, selected, label.clone())
    });
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let painter = ui.painter();
    let visuals = ui.visuals();
    if selected {
        painter.rect_filled(rect, 6.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 6.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let centre = egui::pos2(rect.left() + pad.x + diameter / 2.0, rect.center().y);
    let radius = diameter / 2.0;
    let weak = visuals.weak_text_color();
    match status {
        StepStatus::Complete => {
            // The light theme's deep green in both themes: a white tick stays readable on it.
            painter.circle_filled(centre, radius, theme::good_color(false));
            let tick = [
                centre + egui::vec2(-5.5, 0.5),
                centre + egui::vec2(-1.5, 4.5),
                centre + egui::vec2(6.0, -4.5),
            ];
            let stroke = egui::Stroke::new(2.4, Color32::WHITE);
            painter.line_segment([tick[0], tick[1]], stroke);
            painter.line_segment([tick[1], tick[2]], stroke);
        }
        StepStatus::Skipped => {
            painter.circle_stroke(centre, radius - 1.0, egui::Stroke::new(1.5, weak));
            painter.line_segment(
                [centre - egui::vec2(5.0, 0.0), centre + egui::vec2(5.0, 0.0)],
                egui::Stroke::new(2.4, weak),
            );
        }
        StepStatus::NotYet => {
            painter.circle_stroke(centre, radius - 1.0, egui::Stroke::new(1.5, weak));
            painter.text(
                centre,
                egui::Align2::CENTER_CENTER,
                step.number().to_string(),
                egui::FontId::proportional(13.0),
                visuals.text_color(),
            );
        }
    }
    // A skipped step says so under its title (in the side list; the strip has no room).
    let subtitle = (status == StepStatus::Skipped && !compact).then(|| {
        painter.layout_no_wrap(
            "skipped for now".to_string(),
            egui::FontId::proportional(11.5),
            weak,
        )
    });
    let text_height = galley.size().y + subtitle.as_ref().map_or(0.0, |g| g.size().y - 2.0);
    let text_pos = egui::pos2(centre.x + radius + 8.0, rect.center().y - text_height / 2.0);
    let text_right = text_pos.x + galley.size().x;
    let title_height = galley.size().y;
    painter.galley(text_pos, galley, text_colour);
    if let Some(subtitle) = subtitle {
        painter.galley(
            text_pos + egui::vec2(0.0, title_height - 2.0),
            subtitle,
            weak,
        );
    }
    if has_warnings {
        let dot_x = if compact {
            text_right + 8.0
        } else {
            rect.right() - 12.0
        };
        painter.circle_filled(
            egui::pos2(dot_x, rect.center().y),
            4.0,
            theme::warning_color(dark),
        );
    }
    response
}

/// Back, skip, and Next (or, on the last step, the way on to the summary).
fn footer_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let step = cx.project.view.frame_step;
    let status = cx.project.framing.status(step);
    let mut go_back = None;
    let mut go_next = None;
    let mut skip = false;
    let mut to_summary = false;
    egui::Sides::new().show(
        ui,
        |ui| {
            let back = ui.add_enabled(step.previous().is_some(), egui::Button::new("‹  Back"));
            let back = match step.previous() {
                Some(previous) => back.on_hover_text(format!("Back to {}", previous.title())),
                None => back,
            };
            if back.clicked() {
                go_back = step.previous();
            }
            if status == StepStatus::NotYet
                && ui
                    .button("Skip for now")
                    .on_hover_text(
                        "Mark this step as skipped and go on; come back to it at any time.",
                    )
                    .clicked()
            {
                skip = true;
            }
        },
        |ui| match step.next() {
            Some(next) => {
                let button = egui::Button::new(RichText::new("Next  ›").strong())
                    .fill(theme::ACCENT.gamma_multiply(0.18));
                if ui
                    .add(button)
                    .on_hover_text(format!("On to {}", next.title()))
                    .clicked()
                {
                    go_next = Some(next);
                }
            }
            None => {
                to_summary = ui
                    .button(RichText::new("See the summary  ›").strong())
                    .on_hover_text(Page::Summary.explanation())
                    .clicked();
            }
        },
    );
    if skip {
        cx.project.framing.skip(step);
        go_next = step.next();
    }
    if let Some(step) = go_back.or(go_next) {
        cx.project.view.frame_step = step;
    }
    if to_summary {
        cx.commands.push(Command::ShowPage(Page::Summary));
    }
}
