//! Keyboard and screen-reader helpers.
//!
//! A clearly visible keyboard focus: once the user moves with Tab (or the arrow keys), the
//! focused control gets a thick accent ring, drawn above everything, in both themes. A click
//! with the pointer hides the ring again (like a browser's `:focus-visible`).

use egui::{Id, Key, LayerId, Order, Stroke, StrokeKind};

use super::theme;

/// How far the ring sits outside the control, and how thick it is.
const RING_GAP: f32 = 2.0;
const RING_WIDTH: f32 = 2.5;

fn keyboard_mode_id() -> Id {
    Id::unique("throughline_keyboard_focus_mode")
}

/// Whether the user is moving around with the keyboard (so the focus ring shows).
pub fn keyboard_mode(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp::<bool>(keyboard_mode_id()))
        .unwrap_or(false)
}

/// Call once per frame, after everything is drawn: follow how the user moves, and ring the
/// focused control while that is the keyboard.
pub fn focus_ring_ui(ctx: &egui::Context) {
    let (keys, pointer) = ctx.input(|i| {
        let keys = [
            Key::Tab,
            Key::ArrowUp,
            Key::ArrowDown,
            Key::ArrowLeft,
            Key::ArrowRight,
        ]
        .iter()
        .any(|k| i.key_pressed(*k));
        (keys, i.pointer.any_pressed())
    });
    let mut on = keyboard_mode(ctx);
    if keys {
        on = true;
    } else if pointer {
        on = false;
    }
    ctx.data_mut(|d| d.insert_temp(keyboard_mode_id(), on));
    if !on {
        return;
    }
    let Some(focused) = ctx.memory(|m| m.focused()) else {
        return;
    };
    let Some(response) = ctx.read_response(focused) else {
        return;
    };
    let colour = if ctx.global_style().visuals.dark_mode {
        egui::Color32::from_rgb(86, 180, 233)
    } else {
        theme::ACCENT
    };
    // The part of the control in view (a control half scrolled away is ringed where it shows).
    let rect = response.interact_rect.expand(RING_GAP);
    let painter = ctx.layer_painter(LayerId::new(Order::Tooltip, Id::unique("focus_ring")));
    painter.rect_stroke(
        rect,
        4.0,
        Stroke::new(RING_WIDTH, colour),
        StrokeKind::Outside,
    );
}

/// Give a control without a visible label of its own (a field in a row, a table cell) the
/// name a screen reader says, e.g. "Offline metric 2".
pub fn name_control(ui: &egui::Ui, response: &egui::Response, name: &str) {
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_label(name);
    });
}

/// Name the column-resize handles of an `egui_extras` table (drawn by the table, with no name
/// of their own): "Resize column revenue". `id_salt` and `ui` are the table's (the `Ui` given
/// to `TableBuilder::new`, and its `id_salt`); `columns` are the column names in order.
pub fn name_table_resize_handles<'a>(
    ui: &egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    columns: impl Iterator<Item = &'a str>,
) {
    let state_id = ui.scope_id().with(egui::IdSalt::new(id_salt));
    for (i, name) in columns.enumerate() {
        let handle = state_id.with("resize_column").with(i);
        ui.ctx().accesskit_node_builder(handle, |node| {
            node.set_label(format!("Resize column {name}"));
        });
    }
}
