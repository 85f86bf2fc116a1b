//! The summary as Markdown. User text is escaped so that it cannot become markup (or raw HTML,
//! which many Markdown viewers would otherwise pass through).

use super::{Block, Report, Table};
use crate::format::today_iso;

/// Escape Markdown's punctuation and HTML's angle brackets; keep text on one line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

pub fn to_markdown(report: &Report) -> String {
    let mut md = String::new();
    md.push_str(&format!("# {}\n\n", escape(&report.title)));
    if !report.description.is_empty() {
        md.push_str(&format!("{}\n\n", escape(&report.description)));
    }
    md.push_str(&format!(
        "*{} · exported from Throughline on {}*\n\n",
        escape(&report.overview),
        today_iso()
    ));
    for section in &report.sections {
        md.push_str(&format!("## {}\n\n", escape(&section.title)));
        for block in &section.blocks {
            block_md(&mut md, block);
        }
    }
    md
}

fn block_md(md: &mut String, block: &Block) {
    match block {
        Block::Heading(text) => md.push_str(&format!("### {}\n\n", escape(text))),
        Block::Text(text) => md.push_str(&format!("{}\n\n", escape(text))),
        Block::Fields(pairs) => {
            for (label, value) in pairs {
                md.push_str(&format!("- **{}:** {}\n", escape(label), escape(value)));
            }
            md.push('\n');
        }
        Block::List(items) => {
            for item in items {
                md.push_str(&format!("- {}\n", escape(item)));
            }
            md.push('\n');
        }
        Block::Table(table) => table_md(md, table),
        // The numbers behind every chart are in the tables next to it.
        Block::Chart(_) => {}
        Block::Note(text) => md.push_str(&format!("*{}*\n\n", escape(text))),
        Block::Warning(text) => md.push_str(&format!("> **Warning:** {}\n\n", escape(text))),
        Block::Decision(d) => super::experiment_blocks::decision_md(md, d, escape),
    }
}

fn table_md(md: &mut String, table: &Table) {
    if table.rows.is_empty() {
        return;
    }
    let cells = |row: &[String]| {
        let escaped: Vec<String> = row.iter().map(|c| escape(c)).collect();
        format!("| {} |\n", escaped.join(" | "))
    };
    md.push_str(&cells(&table.header));
    md.push_str(&format!(
        "|{}\n",
        table.header.iter().map(|_| " --- |").collect::<String>()
    ));
    for row in &table.rows {
        md.push_str(&cells(row));
    }
    md.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>a|b</script> *x* [l](u)"),
            "&lt;script&gt;a\\|b&lt;/script&gt; \\*x\\* \\[l\\](u)"
        );
        assert_eq!(escape("two\nlines"), "two lines");
    }
}
