//! The business value of a classifier's decision threshold under a value matrix.

use crate::ui::PageContext;

use super::widgets;

pub fn threshold_ui(ui: &mut egui::Ui, _cx: &mut PageContext<'_>) {
    widgets::note(
        ui,
        "Choose a dataset with a score and a label column on the Data page to see which \
         threshold earns the most.",
    );
}
