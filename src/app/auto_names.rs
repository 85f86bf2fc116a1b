//! Automatic names that follow what an analysis shows: "revenue (USD) per variant" becomes
//! "converted per variant" when the metric changes (links: "offline accuracy to revenue per
//! user"; experiment analyses and over-time views: their data file), until the user types a
//! name of their own; and no two analyses of a kind share a name ("… (2)").

use std::collections::HashMap;

use crate::model::Project;
use crate::ui::evidence::readable;

/// The names given automatically, by analysis id: the name and the automatic name its settings
/// gave then. The first pass over a project only records them (opening a project never changes
/// it).
#[derive(Debug, Default)]
pub struct AutoNames {
    seeded: bool,
    given: HashMap<String, (String, String)>,
}

/// Keep automatic names in step with the analyses' metrics, and unique within their kind.
/// An analysis's name is automatic while it is empty, equals the name given last time, or
/// (first seen) equals the name its settings would give.
pub fn follow(project: &mut Project, given: &mut AutoNames) {
    let files: HashMap<String, String> = project
        .datasets
        .iter()
        .map(|d| (d.id.clone(), d.name.trim().to_string()))
        .collect();
    // Experiment analyses and over-time views are named after their data file.
    let file_forms = |id: &str| -> Vec<String> {
        files
            .get(id)
            .filter(|n| !n.is_empty())
            .map(|n| vec![n.clone()])
            .unwrap_or_default()
    };
    let e = &mut project.evidence;
    let experiments: Vec<(String, &mut String, Vec<String>)> = e
        .experiments
        .iter_mut()
        .map(|a| {
            (
                format!("experiment/{}", a.id),
                &mut a.name,
                file_forms(&a.spec.dataset_id),
            )
        })
        .collect();
    follow_kind(experiments, given);
    let timelines: Vec<(String, &mut String, Vec<String>)> = e
        .timelines
        .iter_mut()
        .map(|a| {
            (
                format!("timeline/{}", a.id),
                &mut a.name,
                file_forms(&a.spec.dataset_id),
            )
        })
        .collect();
    follow_kind(timelines, given);
    let distributions: Vec<(String, &mut String, Vec<String>)> = e
        .distributions
        .iter_mut()
        .map(|d| {
            let metric = d.spec.metric.trim();
            let forms = if metric.is_empty() {
                Vec::new()
            } else {
                vec![
                    format!("{} per variant", readable(metric)),
                    format!("{metric} per variant"),
                ]
            };
            (format!("distribution/{}", d.id), &mut d.name, forms)
        })
        .collect();
    follow_kind(distributions, given);
    let links: Vec<(String, &mut String, Vec<String>)> = e
        .links
        .iter_mut()
        .map(|l| {
            let (x, y) = (l.spec.x.trim(), l.spec.y.trim());
            let forms = if x.is_empty() || y.is_empty() {
                Vec::new()
            } else {
                vec![
                    format!("{} to {}", readable(x), readable(y)),
                    format!("{x} to {y}"),
                ]
            };
            (format!("link/{}", l.id), &mut l.name, forms)
        })
        .collect();
    follow_kind(links, given);
    given.seeded = true;
}

/// One kind of analysis: `(id, name, [automatic name, other forms it may have been given])`.
fn follow_kind(mut items: Vec<(String, &mut String, Vec<String>)>, names: &mut AutoNames) {
    let seeded = names.seeded;
    // Which names are automatic, and which must change (the settings changed, or the
    // analysis is new), before any is changed.
    let plan: Vec<(bool, bool)> = items
        .iter()
        .map(|(id, name, forms)| {
            let name = name.trim();
            let Some(base) = forms.first() else {
                return (false, false);
            };
            match names.given.get(id.as_str()) {
                Some((given, was)) if given == name || name.is_empty() => {
                    (true, was != base || name.is_empty())
                }
                Some(_) => (false, false),
                None => {
                    let looks_automatic = name.is_empty() || forms.iter().any(|f| f == name);
                    (looks_automatic, looks_automatic && seeded)
                }
            }
        })
        .collect();
    let mut taken: Vec<String> = items
        .iter()
        .zip(&plan)
        .filter(|(_, (_, change))| !change)
        .map(|((_, name, _), _)| name.trim().to_lowercase())
        .collect();
    for ((id, name, forms), (automatic, change)) in items.iter_mut().zip(plan) {
        let Some(base) = forms.first() else {
            continue;
        };
        if !automatic {
            names.given.remove(id.as_str());
            continue;
        }
        if change {
            let unique = (1..)
                .map(|k| {
                    if k == 1 {
                        base.clone()
                    } else {
                        format!("{base} ({k})")
                    }
                })
                .find(|candidate| !taken.contains(&candidate.to_lowercase()))
                .unwrap_or_else(|| base.clone());
            taken.push(unique.to_lowercase());
            if **name != unique {
                **name = unique;
            }
        }
        names
            .given
            .insert(id.clone(), (name.trim().to_string(), base.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DistributionView;

    fn view(id: &str, name: &str, metric: &str) -> DistributionView {
        let mut v = DistributionView {
            id: id.into(),
            name: name.into(),
            ..Default::default()
        };
        v.spec.metric = metric.into();
        v
    }

    #[test]
    fn names_follow_the_metric_until_renamed_and_never_repeat() {
        let mut project = Project::default();
        project
            .evidence
            .distributions
            .push(view("d1", "converted per variant", "converted"));
        let mut given = AutoNames::default();
        follow(&mut project, &mut given);
        assert_eq!(
            project.evidence.distributions[0].name,
            "converted per variant"
        );
        project.evidence.distributions[0].spec.metric = "revenue_usd".into();
        follow(&mut project, &mut given);
        assert_eq!(
            project.evidence.distributions[0].name,
            "revenue (USD) per variant"
        );
        // A second view of the same metric gets a name of its own.
        project
            .evidence
            .distributions
            .push(view("d2", "", "revenue_usd"));
        follow(&mut project, &mut given);
        assert_eq!(
            project.evidence.distributions[1].name,
            "revenue (USD) per variant (2)"
        );
        // Renamed by the user: the name stays when the metric changes.
        project.evidence.distributions[0].name = "Spend of buyers".into();
        follow(&mut project, &mut given);
        project.evidence.distributions[0].spec.metric = "converted".into();
        follow(&mut project, &mut given);
        assert_eq!(project.evidence.distributions[0].name, "Spend of buyers");
    }
}
