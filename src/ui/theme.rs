//! Design tokens: sizes, spacing and colours in one place.

use egui::{Color32, FontFamily, FontId, TextStyle};

/// How much presentation mode enlarges everything.
pub const PRESENTATION_ZOOM: f32 = 1.5;

/// Width of the left navigation.
pub const NAV_WIDTH: f32 = 210.0;
/// Widest a page's text column grows, for readable line lengths.
pub const READABLE_WIDTH: f32 = 760.0;
/// Space between sections of a page.
pub const SECTION_GAP: f32 = 18.0;

/// Spacing steps, in points, for `ui.add_space` and margins: every gap on a page is one of
/// these, so pages keep one rhythm.
pub const SPACE_HAIR: f32 = 2.0;
/// Between a label and its field, or lines that belong together.
pub const SPACE_XS: f32 = 4.0;
/// Above a title; between a heading and what it heads.
pub const SPACE_S: f32 = 6.0;
/// Between items of a list or rows of controls.
pub const SPACE_M: f32 = 8.0;
/// Between blocks inside a section.
pub const SPACE_L: f32 = 10.0;
/// Between side-by-side columns or cards.
pub const SPACE_XL: f32 = 12.0;
/// Between the welcome page's title and its choices.
pub const SPACE_XXL: f32 = 20.0;
/// Between groups of controls laid out side by side.
pub const SPACE_COLUMN: f32 = 24.0;
/// Above the welcome page's title.
pub const SPACE_PAGE_TOP: f32 = 36.0;

/// The accent colour (buttons, selection), chosen to read well on light and dark backgrounds.
pub const ACCENT: Color32 = Color32::from_rgb(0, 114, 178);

/// Okabe–Ito: a palette that colour-blind readers can tell apart, in light and dark themes.
pub const SERIES: [Color32; 7] = [
    Color32::from_rgb(0, 114, 178),   // blue
    Color32::from_rgb(230, 159, 0),   // orange
    Color32::from_rgb(0, 158, 115),   // bluish green
    Color32::from_rgb(204, 121, 167), // reddish purple
    Color32::from_rgb(86, 180, 233),  // sky blue
    Color32::from_rgb(213, 94, 0),    // vermillion
    Color32::from_rgb(240, 228, 66),  // yellow
];

/// Colour of the n-th series.
pub fn series_color(index: usize) -> Color32 {
    SERIES[index % SERIES.len()]
}

/// Warning text/background, readable in both themes.
pub fn warning_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 196, 82)
    } else {
        Color32::from_rgb(156, 96, 0)
    }
}

/// Error text, readable in both themes.
pub fn error_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 128, 110)
    } else {
        Color32::from_rgb(178, 34, 20)
    }
}

/// Positive outcome text, readable in both themes.
pub fn good_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(98, 204, 150)
    } else {
        Color32::from_rgb(0, 120, 80)
    }
}

/// The fill of a card that stands out (a recommendation, the headline of a scenario).
pub fn accent_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(16, 40, 60)
    } else {
        Color32::from_rgb(236, 245, 252)
    }
}

/// The fill of a box of warnings.
pub fn warning_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(48, 38, 16)
    } else {
        Color32::from_rgb(255, 247, 230)
    }
}

/// The fill of a quiet panel (the step brief of the Frame wizard).
pub fn quiet_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(38)
    } else {
        Color32::from_rgb(246, 247, 249)
    }
}

/// Headings of the Summary's cards.
pub fn heading_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(120, 190, 240)
    } else {
        Color32::from_rgb(11, 95, 150)
    }
}

/// Grid lines of plots.
pub fn grid_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(90)
    } else {
        Color32::from_gray(150)
    }
}

/// Reference lines of plots (zero, "no change").
pub fn reference_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(170)
    } else {
        Color32::from_gray(90)
    }
}

/// Strong neutral lines (the likely ROI, break-even) that must read on a projector.
pub fn ink_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(200)
    } else {
        Color32::from_gray(60)
    }
}

/// The dimmed backdrop behind a modal prompt.
pub const BACKDROP: Color32 = Color32::from_black_alpha(170);

/// Text sizes and spacing for both themes.
pub fn install(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(22.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(14.5, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(14.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(12.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(13.5, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 7.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
        // Selection: a light accent with dark text in the light theme, a deep accent with
        // light text in the dark theme, so selected items and selected text stay readable.
        // Secondary text stays readable on a projector (WCAG AA contrast on the panel colour).
        style.visuals.weak_text_color = Some(if style.visuals.dark_mode {
            Color32::from_gray(165)
        } else {
            Color32::from_gray(95)
        });
        if !style.visuals.dark_mode {
            // Outline inactive widgets (text fields, buttons) so they are visible on white.
            style.visuals.widgets.inactive.bg_stroke =
                egui::Stroke::new(1.0, Color32::from_gray(200));
        }
        if style.visuals.dark_mode {
            style.visuals.selection.bg_fill = Color32::from_rgb(0, 84, 140);
            style.visuals.selection.stroke.color = Color32::WHITE;
        } else {
            style.visuals.selection.bg_fill = Color32::from_rgb(176, 214, 240);
            style.visuals.selection.stroke.color = Color32::from_rgb(0, 40, 80);
        }
        style.visuals.hyperlink_color = if style.visuals.dark_mode {
            Color32::from_rgb(86, 180, 233)
        } else {
            ACCENT
        };
    });
}

/// A title for a page.
pub fn page_title(ui: &mut egui::Ui, title: &str, explanation: &str) {
    ui.add_space(SPACE_S);
    ui.heading(title);
    ui.label(egui::RichText::new(explanation).weak());
    ui.add_space(SECTION_GAP / 2.0);
}

/// A section heading inside a page.
pub fn section_title(ui: &mut egui::Ui, title: &str) {
    ui.add_space(SECTION_GAP / 2.0);
    ui.label(egui::RichText::new(title).strong().size(16.5));
}

/// The fill of a decision badge (white text on it reads in both themes): Ship green, Don't ship
/// red, a sample-ratio problem amber, Inconclusive grey. `key` is the decision's JSON value.
pub fn decision_fill(key: &str) -> Color32 {
    match key {
        "ship" => Color32::from_rgb(0, 120, 80),
        "do_not_ship" => Color32::from_rgb(178, 34, 20),
        "srm_failure" => Color32::from_rgb(150, 90, 0),
        _ => Color32::from_gray(96),
    }
}
