//! Display names in the summary document: the evidence blocks are built from cached results
//! whose sentences name metrics by their columns; here every column an analysis speaks of is
//! replaced by the project's display name (`Project::metric_info`), and chart axes get the
//! name with its unit.

use super::super::{Block, Chart};
use crate::model::Project;

/// `blocks` with each of `columns` written as its display name.
pub(super) fn relabel_blocks(
    project: &Project,
    columns: &[&str],
    blocks: Vec<Block>,
) -> Vec<Block> {
    let text = |t: &str| project.relabel_all(t, columns.iter().copied());
    let axis = |t: &str| {
        if columns.contains(&t) {
            project.metric_info(t).with_unit()
        } else {
            text(t)
        }
    };
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Heading(t) => Block::Heading(text(&t)),
            Block::Text(t) => Block::Text(text(&t)),
            Block::Note(t) => Block::Note(text(&t)),
            Block::Warning(t) => Block::Warning(text(&t)),
            Block::List(items) => Block::List(items.iter().map(|t| text(t)).collect()),
            Block::Fields(fields) => {
                Block::Fields(fields.iter().map(|(k, v)| (text(k), text(v))).collect())
            }
            Block::Table(mut table) => {
                table.header = table.header.iter().map(|t| text(t)).collect();
                for row in &mut table.rows {
                    for cell in row.iter_mut() {
                        *cell = text(cell);
                    }
                }
                Block::Table(table)
            }
            Block::Decision(mut d) => {
                d.reasons = d.reasons.iter().map(|t| text(t)).collect();
                Block::Decision(d)
            }
            Block::Chart(chart) => Block::Chart(match chart {
                Chart::Lift(mut c) => {
                    c.title = text(&c.title);
                    for row in &mut c.rows {
                        row.label = text(&row.label);
                    }
                    Chart::Lift(c)
                }
                Chart::Link(mut c) => {
                    c.title = text(&c.title);
                    c.x_label = axis(&c.x_label);
                    c.y_label = axis(&c.y_label);
                    Chart::Link(c)
                }
                Chart::ThresholdValue(mut c) => {
                    c.title = text(&c.title);
                    Chart::ThresholdValue(c)
                }
                other => other,
            }),
        })
        .collect()
}
