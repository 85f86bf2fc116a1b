//! Decoupled objectives: combining per-objective scores with weights, and the ranking that
//! follows. Pure functions, so the live preview and the report agree.

use super::{DecoupledObjectives, PreviewItem, WeightedObjective};

/// One item of the ranking preview.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedItem {
    /// Position of the item in `preview_items`.
    pub item: usize,
    /// The weighted score: Σ wᵢ·sᵢ / Σ |wᵢ| (0 when every weight is 0).
    pub score: f64,
    /// 1-based rank with the current weights.
    pub rank: usize,
    /// 1-based rank by the first objective alone (the usual single-objective ranking).
    pub reference_rank: usize,
}

impl RankedItem {
    /// How many places the item moved up compared with the reference ranking (negative: down).
    pub fn places_up(&self) -> i64 {
        self.reference_rank as i64 - self.rank as i64
    }
}

fn finite_or_zero(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// An item's score for objective `i`; a missing or non-finite score counts as 0.
pub fn item_score(item: &PreviewItem, i: usize) -> f64 {
    item.scores.get(i).copied().map_or(0.0, finite_or_zero)
}

/// The weights as shares of their absolute sum (all 0 when every weight is 0).
pub fn weight_shares(objectives: &[WeightedObjective]) -> Vec<f64> {
    let total: f64 = objectives
        .iter()
        .map(|o| finite_or_zero(o.weight).abs())
        .sum();
    objectives
        .iter()
        .map(|o| {
            if total > 0.0 {
                finite_or_zero(o.weight) / total
            } else {
                0.0
            }
        })
        .collect()
}

/// The weighted score of one item.
pub fn combined_score(objectives: &[WeightedObjective], item: &PreviewItem) -> f64 {
    weight_shares(objectives)
        .iter()
        .enumerate()
        .map(|(i, share)| share * item_score(item, i))
        .sum()
}

/// Ranks (1-based) of the items by `key`, highest first; ties keep the list order.
fn ranks_by(keys: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|a, b| keys[*b].total_cmp(&keys[*a]).then(a.cmp(b)));
    let mut ranks = vec![0; keys.len()];
    for (position, item) in order.iter().enumerate() {
        ranks[*item] = position + 1;
    }
    ranks
}

impl DecoupledObjectives {
    /// The preview items ranked by their weighted score, best first, each with its rank by
    /// the first objective alone.
    pub fn ranking(&self) -> Vec<RankedItem> {
        let scores: Vec<f64> = self
            .preview_items
            .iter()
            .map(|item| combined_score(&self.objectives, item))
            .collect();
        let first: Vec<f64> = self
            .preview_items
            .iter()
            .map(|item| item_score(item, 0))
            .collect();
        let ranks = ranks_by(&scores);
        let reference = ranks_by(&first);
        let mut ranked: Vec<RankedItem> = (0..scores.len())
            .map(|i| RankedItem {
                item: i,
                score: scores[i],
                rank: ranks[i],
                reference_rank: reference[i],
            })
            .collect();
        ranked.sort_by_key(|r| r.rank);
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objectives(weights: &[f64]) -> Vec<WeightedObjective> {
        weights
            .iter()
            .enumerate()
            .map(|(i, w)| WeightedObjective {
                name: format!("objective {i}"),
                weight: *w,
            })
            .collect()
    }

    fn items() -> Vec<PreviewItem> {
        [
            ("clickbait", [0.9, 0.1]),
            ("long read", [0.4, 0.9]),
            ("friend's photo", [0.7, 0.6]),
        ]
        .iter()
        .map(|(name, scores)| PreviewItem {
            name: name.to_string(),
            scores: scores.to_vec(),
        })
        .collect()
    }

    fn order(d: &DecoupledObjectives) -> Vec<String> {
        d.ranking()
            .iter()
            .map(|r| d.preview_items[r.item].name.clone())
            .collect()
    }

    #[test]
    fn weights_reorder_the_items() {
        let mut d = DecoupledObjectives {
            objectives: objectives(&[1.0, 0.0]),
            preview_items: items(),
            rationale: String::new(),
        };
        assert_eq!(order(&d), ["clickbait", "friend's photo", "long read"]);
        d.objectives[1].weight = 1.0;
        // 0.5, 0.65, 0.65: the tie keeps the list order.
        assert_eq!(order(&d), ["long read", "friend's photo", "clickbait"]);
        d.objectives[0].weight = 0.0;
        assert_eq!(order(&d), ["long read", "friend's photo", "clickbait"]);
    }

    #[test]
    fn scores_are_weighted_means_and_moves_are_counted() {
        let d = DecoupledObjectives {
            objectives: objectives(&[0.75, 0.25]),
            preview_items: items(),
            rationale: String::new(),
        };
        let ranking = d.ranking();
        let photo = ranking.iter().find(|r| r.item == 2).unwrap();
        assert!((photo.score - (0.75 * 0.7 + 0.25 * 0.6)).abs() < 1e-12);
        let long_read = ranking.iter().find(|r| r.item == 1).unwrap();
        // 0.525 vs clickbait 0.7 and photo 0.675: still last, as by the first objective.
        assert_eq!(long_read.rank, 3);
        assert_eq!(long_read.places_up(), 0);
        let scaled = DecoupledObjectives {
            objectives: objectives(&[3.0, 1.0]),
            ..d.clone()
        };
        assert_eq!(
            scaled.ranking(),
            ranking,
            "only the ratio of weights matters"
        );
    }

    #[test]
    fn missing_and_bad_values_count_as_zero() {
        let d = DecoupledObjectives {
            objectives: objectives(&[f64::NAN, 1.0, 1.0]),
            preview_items: vec![
                PreviewItem {
                    name: "short".into(),
                    scores: vec![1.0],
                },
                PreviewItem {
                    name: "inf".into(),
                    scores: vec![0.0, f64::INFINITY, 0.2],
                },
            ],
            rationale: String::new(),
        };
        let ranking = d.ranking();
        assert!(ranking.iter().all(|r| r.score.is_finite()));
        assert_eq!(order(&d), ["inf", "short"]);
        assert_eq!(weight_shares(&d.objectives), [0.0, 0.5, 0.5]);
    }

    #[test]
    fn zero_weights_and_empty_lists() {
        let d = DecoupledObjectives {
            objectives: objectives(&[0.0, 0.0]),
            preview_items: items(),
            rationale: String::new(),
        };
        assert!(d.ranking().iter().all(|r| r.score == 0.0));
        assert_eq!(order(&d), ["clickbait", "long read", "friend's photo"]);
        assert!(DecoupledObjectives::default().ranking().is_empty());
    }

    #[test]
    fn a_negative_weight_penalises() {
        let d = DecoupledObjectives {
            objectives: objectives(&[1.0, -1.0]),
            preview_items: items(),
            rationale: String::new(),
        };
        assert_eq!(order(&d)[0], "clickbait");
        assert_eq!(weight_shares(&d.objectives), [0.5, -0.5]);
    }
}
