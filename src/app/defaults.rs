//! Defaults that make a new user's first click give a meaningful result: a new link starts
//! from the link hypothesised on the Frame page when a data file has matching columns.

use crate::data::normalise_name;
use crate::model::{ColumnRole, ColumnSpec, Dataset, Project};

/// The data file and columns of the first link hypothesised on the Frame page (its ML metric
/// and business metric) that a data file without a variant column has: `(dataset id, ML metric
/// column, business metric column)`. Columns match by the words of their names ("Offline
/// accuracy" finds `offline_accuracy`; "Add-on revenue per shopper" finds
/// `revenue_per_user_usd`), ML metrics among the file's ML metric columns and business
/// metrics among its business metric columns.
pub fn hypothesised_link(project: &Project) -> Option<(String, String, String)> {
    let mut best: Option<(usize, (String, String, String))> = None;
    for link in &project.framing.ml_objective.links {
        for d in project
            .datasets
            .iter()
            .filter(|d| !has_role(d, ColumnRole::Variant))
        {
            let Some((x, sx)) = best_column(d, ColumnRole::MlMetric, &link.ml_metric) else {
                continue;
            };
            let Some((y, sy)) = best_column(d, ColumnRole::BusinessMetric, &link.business_metric)
            else {
                continue;
            };
            let score = sx + sy;
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, (d.id.clone(), x.name.clone(), y.name.clone())));
            }
        }
        if best.is_some() {
            // The first hypothesis that the data can show wins.
            break;
        }
    }
    best.map(|(_, found)| found)
}

fn has_role(d: &Dataset, role: ColumnRole) -> bool {
    d.columns.iter().any(|c| c.role == role)
}

/// The column of `role` sharing the most words with `text` (at least one).
fn best_column<'a>(
    d: &'a Dataset,
    role: ColumnRole,
    text: &str,
) -> Option<(&'a ColumnSpec, usize)> {
    let wanted = words(text);
    d.columns
        .iter()
        .filter(|c| c.role == role)
        .map(|c| (c, overlap(&wanted, &words(&c.name))))
        .filter(|(_, score)| *score > 0)
        .max_by_key(|(c, score)| (*score, std::cmp::Reverse(c.name.len())))
}

/// The meaningful words of a name, lower case, with a few synonyms folded together.
fn words(text: &str) -> Vec<String> {
    const SKIP: [&str; 12] = [
        "the", "a", "an", "of", "in", "on", "at", "for", "to", "with", "and", "by",
    ];
    normalise_name(text)
        .split('_')
        .filter(|w| !w.is_empty() && !SKIP.contains(w))
        .map(|w| match w {
            "shopper" | "shoppers" | "customer" | "customers" | "users" | "visitor" => "user",
            "acc" => "accuracy",
            "sessions" => "session",
            "minutes" | "time" | "seconds" => "time",
            other => other,
        })
        .map(str::to_string)
        .collect()
}

fn overlap(a: &[String], b: &[String]) -> usize {
    a.iter().filter(|w| b.contains(w)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HypothesisedLink, Project};

    fn column(name: &str, role: ColumnRole) -> ColumnSpec {
        ColumnSpec {
            name: name.into(),
            role,
            dtype: "number".into(),
            metric: None,
        }
    }

    #[test]
    fn the_frame_pages_link_picks_the_columns() {
        let mut project = Project::default();
        project.framing.ml_objective.links.push(HypothesisedLink {
            ml_metric: "Offline accuracy".into(),
            business_metric: "Add-on revenue per shopper".into(),
            expected_effect: String::new(),
        });
        project.datasets.push(Dataset {
            id: "experiments".into(),
            columns: vec![
                column("offline_auc", ColumnRole::MlMetric),
                column("offline_accuracy", ColumnRole::MlMetric),
                column("users", ColumnRole::BusinessMetric),
                column("revenue_per_user_usd", ColumnRole::BusinessMetric),
                column("retention_d30", ColumnRole::BusinessMetric),
            ],
            ..Default::default()
        });
        assert_eq!(
            hypothesised_link(&project),
            Some((
                "experiments".into(),
                "offline_accuracy".into(),
                "revenue_per_user_usd".into()
            ))
        );
        project.framing.ml_objective.links[0].business_metric = "Net promoter score".into();
        assert_eq!(hypothesised_link(&project), None);
    }
}
