//! What an experiment analysis adds to the summary beyond its table: a decision badge per
//! treatment with its reasons, the CUPED note, and the segment sentence; and how the badges are
//! written in Markdown and HTML.

use super::experiment_text::{cuped_note, segment_sentences};
use super::{Block, DecisionBadge};
use crate::analysis::ExperimentResult;

/// The decision badges of an experiment result (none when no metric has a decision role).
pub(super) fn decision_blocks(result: &ExperimentResult) -> Vec<Block> {
    result
        .decisions
        .iter()
        .map(|d| {
            Block::Decision(DecisionBadge {
                key: d.decision.key(),
                label: d.decision.label().to_string(),
                title: format!("{} vs {}", d.treatment, result.control),
                reasons: d.reasons.iter().map(|r| r.trim().to_string()).collect(),
            })
        })
        .collect()
}

/// The CUPED notes and the segment sentences of an experiment result, as one list (none when
/// the analysis used neither).
pub(super) fn cuped_and_segment_blocks(result: &ExperimentResult, unadjusted: bool) -> Vec<Block> {
    let mut items: Vec<String> = result.metrics.iter().filter_map(cuped_note).collect();
    if !items.is_empty() && unadjusted {
        items.push(
            "The table shows the results without the pre-experiment adjustment, as chosen in the \
             analysis."
                .to_string(),
        );
    }
    items.extend(segment_sentences(result));
    if items.is_empty() {
        Vec::new()
    } else {
        vec![Block::List(items)]
    }
}

/// A badge in Markdown: "**Ship** — model_targeting vs control: reasons…".
pub(super) fn decision_md(md: &mut String, d: &DecisionBadge, escape: fn(&str) -> String) {
    md.push_str(&format!(
        "**{}** — {}\n\n",
        escape(&d.label),
        escape(&d.title)
    ));
    for r in &d.reasons {
        md.push_str(&format!("- {}\n", escape(r)));
    }
    md.push('\n');
}

/// A badge in HTML: a coloured pill, the comparison and the reasons.
pub(super) fn decision_html(html: &mut String, d: &DecisionBadge, escape: fn(&str) -> String) {
    html.push_str(&format!(
        "<div class=\"decision\"><p><span class=\"badge {}\">{}</span> <strong>{}</strong></p>\n",
        d.key,
        escape(&d.label),
        escape(&d.title)
    ));
    if !d.reasons.is_empty() {
        html.push_str("<ul>\n");
        for r in &d.reasons {
            html.push_str(&format!("<li>{}</li>\n", escape(r)));
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</div>\n");
}

/// The style of the badges (the window's colours, white text).
pub(crate) const BADGE_CSS: &str = r#"
.decision { margin: 4px 0 8px; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 6px; color: #fff;
  font-weight: 700; background: #606060; }
.badge.ship { background: #007850; }
.badge.do_not_ship { background: #b22214; }
.badge.srm_failure { background: #965a00; }
@media print { .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;
