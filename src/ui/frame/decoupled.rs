//! Step 6: decoupled objectives. Weight sliders, and a live preview of how a small list of
//! items re-ranks as the weights move. Re-weighting separately trained models needs no
//! retraining: that is the point of decoupling.

use egui::{Color32, RichText};

use crate::model::{
    DecoupledObjectives, PreviewItem, WeightedObjective, item_score, weight_shares,
};
use crate::ui::theme;

use super::widgets::{accent_card, explain, subheading, text_area};

pub fn decoupled_ui(ui: &mut egui::Ui, d: &mut DecoupledObjectives) {
    if d.objectives.is_empty() {
        empty_ui(ui, d);
        return;
    }
    subheading(ui, "Objectives and their weights");
    weights_ui(ui, d);
    subheading(ui, "Live preview");
    ranking_ui(ui, d);
    egui::CollapsingHeader::new("Edit the items and their scores")
        .id_salt("decoupled_items")
        .default_open(d.preview_items.is_empty())
        .show(ui, |ui| items_ui(ui, d));
    ui.add_space(theme::SPACE_M);
    accent_card(ui, |ui| {
        ui.add(
            egui::Label::new(
                "Each objective has its own model, trained once. Moving a weight only changes \
                 how their scores are combined, so the business can tune it any day without \
                 retraining anything.",
            )
            .wrap(),
        );
    });
    text_area(
        ui,
        "Why these objectives",
        &mut d.rationale,
        "How each objective is modelled, and who tunes the weights.",
        2,
    );
}

fn empty_ui(ui: &mut egui::Ui, d: &mut DecoupledObjectives) {
    explain(
        ui,
        "Useful whenever the decision balances several goals: relevance and quality in a feed, \
         risk and value in a retention list. If there is only one goal, skip this step.",
    );
    ui.add_space(theme::SPACE_M);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Start with quality and engagement")
            .on_hover_text("Two objectives and five sample posts, to edit.")
            .clicked()
        {
            *d = sample();
        }
        if ui.button("Add an objective").clicked() {
            d.objectives.push(WeightedObjective {
                name: String::new(),
                weight: 0.5,
            });
        }
    });
}

/// A small starting point: two objectives and five posts whose order depends on the weights.
fn sample() -> DecoupledObjectives {
    let item = |name: &str, quality: f64, engagement: f64| PreviewItem {
        name: name.to_string(),
        scores: vec![quality, engagement],
    };
    DecoupledObjectives {
        objectives: vec![
            WeightedObjective {
                name: "Quality".into(),
                weight: 0.5,
            },
            WeightedObjective {
                name: "Engagement".into(),
                weight: 0.5,
            },
        ],
        preview_items: vec![
            item("Clickbait headline", 0.15, 0.95),
            item("In-depth explainer", 0.95, 0.3),
            item("Friend’s photos", 0.8, 0.7),
            item("Viral meme", 0.3, 0.8),
            item("Local news", 0.75, 0.45),
        ],
        rationale: String::new(),
    }
}

fn weights_ui(ui: &mut egui::Ui, d: &mut DecoupledObjectives) {
    let shares = weight_shares(&d.objectives);
    let mut remove = None;
    let name_width = 200.0_f32.min(ui.available_width() * 0.3);
    for (i, objective) in d.objectives.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let field = ui.add_sized(
                [name_width, 26.0],
                egui::TextEdit::singleline(&mut objective.name)
                    .id_salt(("objective_name", i))
                    .hint_text("e.g. Quality"),
            );
            crate::ui::access::name_control(ui, &field, &format!("Objective {} name", i + 1));
            let name = if objective.name.trim().is_empty() {
                format!("objective {}", i + 1)
            } else {
                objective.name.trim().to_string()
            };
            ui.spacing_mut().slider_width = (ui.available_width() - 200.0).clamp(120.0, 300.0);
            ui.add(
                egui::Slider::new(&mut objective.weight, 0.0..=1.0)
                    .step_by(0.05)
                    .fixed_decimals(2),
            )
            .on_hover_text(format!("Weight of {name}"));
            let share = shares.get(i).copied().unwrap_or(0.0);
            ui.label(RichText::new(format!("{:.0}%", share * 100.0)).weak())
                .on_hover_text("Share of the total weight");
            if ui.small_button("Remove").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        d.objectives.remove(i);
        for item in &mut d.preview_items {
            if i < item.scores.len() {
                item.scores.remove(i);
            }
        }
    }
    if ui.button("Add an objective").clicked() {
        d.objectives.push(WeightedObjective {
            name: String::new(),
            weight: 0.5,
        });
    }
}

fn ranking_ui(ui: &mut egui::Ui, d: &DecoupledObjectives) {
    let ranking = d.ranking();
    if ranking.is_empty() {
        explain(
            ui,
            "Add a few items below to see how the weights order them.",
        );
        return;
    }
    let reference = d
        .objectives
        .first()
        .map(|o| o.name.trim())
        .filter(|n| !n.is_empty())
        .unwrap_or("the first objective");
    explain(
        ui,
        &format!(
            "Items ordered by the weighted score; arrows show the move against ranking by \
             {reference} alone."
        ),
    );
    ui.add_space(theme::SPACE_XS);
    let dark = ui.visuals().dark_mode;
    egui::Grid::new("decoupled_ranking")
        .num_columns(4)
        .spacing([14.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            ui.label(RichText::new("Rank").weak());
            ui.label(RichText::new("Item").weak());
            ui.label(RichText::new("Weighted score").weak());
            ui.label(RichText::new(format!("vs. {reference} alone")).weak());
            ui.end_row();
            for r in &ranking {
                let Some(item) = d.preview_items.get(r.item) else {
                    continue;
                };
                ui.label(RichText::new(r.rank.to_string()).strong());
                ui.label(item.name.as_str());
                score_bar_ui(ui, r.score);
                movement_ui(ui, r.places_up(), dark);
                ui.end_row();
            }
        });
}

fn score_bar_ui(ui: &mut egui::Ui, score: f64) {
    // The bar and its number in one allocation (grid cells take one widget each).
    let (whole, _) = ui.allocate_exact_size(egui::vec2(200.0, 18.0), egui::Sense::hover());
    let rect = egui::Rect::from_min_size(whole.min, egui::vec2(160.0, whole.height()));
    let painter = ui.painter();
    painter.rect_filled(rect, 3.0, ui.visuals().extreme_bg_color);
    let fraction = score.clamp(0.0, 1.0) as f32;
    let mut filled = rect;
    filled.set_width(rect.width() * fraction);
    painter.rect_filled(filled, 3.0, theme::series_color(0));
    painter.text(
        rect.right_center() + egui::vec2(6.0, 0.0),
        egui::Align2::LEFT_CENTER,
        format!("{score:.2}"),
        egui::FontId::proportional(13.0),
        ui.visuals().text_color(),
    );
}

/// "▲ 2" in green, "▼ 1" in orange, or "same"; the triangles are drawn, not typed.
fn movement_ui(ui: &mut egui::Ui, places_up: i64, dark: bool) {
    if places_up == 0 {
        ui.label(RichText::new("same").weak());
        return;
    }
    let up = places_up > 0;
    let colour: Color32 = if up {
        theme::good_color(dark)
    } else {
        theme::warning_color(dark)
    };
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        let c = rect.center();
        let points = if up {
            vec![
                c + egui::vec2(0.0, -5.0),
                c + egui::vec2(5.5, 4.5),
                c + egui::vec2(-5.5, 4.5),
            ]
        } else {
            vec![
                c + egui::vec2(0.0, 5.0),
                c + egui::vec2(-5.5, -4.5),
                c + egui::vec2(5.5, -4.5),
            ]
        };
        ui.painter().add(egui::Shape::convex_polygon(
            points,
            colour,
            egui::Stroke::NONE,
        ));
        let text = if up {
            format!("up {places_up}")
        } else {
            format!("down {}", -places_up)
        };
        ui.label(RichText::new(text).color(colour));
    });
}

fn items_ui(ui: &mut egui::Ui, d: &mut DecoupledObjectives) {
    explain(
        ui,
        "Each item gets a score between 0 and 1 for every objective, as its model would give it.",
    );
    let names: Vec<String> = d
        .objectives
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if o.name.trim().is_empty() {
                format!("Objective {}", i + 1)
            } else {
                o.name.trim().to_string()
            }
        })
        .collect();
    let mut remove = None;
    egui::Grid::new("decoupled_items_grid")
        .num_columns(names.len() + 2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Item").weak());
            for name in &names {
                ui.label(RichText::new(name).weak());
            }
            ui.label("");
            ui.end_row();
            for (i, item) in d.preview_items.iter_mut().enumerate() {
                let field = ui.add(
                    egui::TextEdit::singleline(&mut item.name)
                        .id_salt(("item_name", i))
                        .desired_width(220.0),
                );
                crate::ui::access::name_control(ui, &field, &format!("Item {} name", i + 1));
                for j in 0..names.len() {
                    // A missing score shows as 0 and is stored only once edited.
                    let mut score = item_score(item, j);
                    let response = ui.add(
                        egui::DragValue::new(&mut score)
                            .range(0.0..=1.0)
                            .speed(0.01)
                            .fixed_decimals(2),
                    );
                    if response.changed() {
                        if item.scores.len() <= j {
                            item.scores.resize(j + 1, 0.0);
                        }
                        if let Some(slot) = item.scores.get_mut(j) {
                            *slot = score;
                        }
                    }
                }
                if ui.small_button("Remove").clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        d.preview_items.remove(i);
    }
    if ui.button("Add an item").clicked() {
        d.preview_items.push(PreviewItem {
            name: format!("Item {}", d.preview_items.len() + 1),
            scores: vec![0.5; d.objectives.len()],
        });
    }
}
