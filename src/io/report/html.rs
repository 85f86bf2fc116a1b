//! The summary as one self-contained HTML page: inline CSS, charts as inline SVG, no scripts,
//! nothing loaded from elsewhere. Every piece of text is escaped.

use super::{Block, Report, Section, Table, charts};
use crate::format::today_iso;

/// Escape text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1d2430; --muted: #566070; --line: #d5dbe3; --accent: #0b5f96;
  --warn: #8a5400; --card: #ffffff; --page: #eef1f4; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 24px auto; padding: 28px 32px; background: var(--card);
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.08); border-radius: 6px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 16px; }
h1 { font-size: 26px; margin: 0 0 4px; }
.lead { font-size: 16px; margin: 0 0 6px; }
.meta { color: var(--muted); font-size: 13px; margin: 0; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; align-items: start; }
section { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0;
  break-inside: avoid; page-break-inside: avoid; }
section.wide { grid-column: 1 / -1; }
#headline { border: 1px solid var(--accent); background: #f1f7fc; }
#headline h2 { font-size: 17px; }
h2 { font-size: 15px; color: var(--accent); margin: 0 0 8px; letter-spacing: 0.01em; }
h3 { font-size: 14px; margin: 10px 0 4px; }
p { margin: 0 0 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 0 0 8px; }
dt { color: var(--muted); }
dd { margin: 0; }
ul { margin: 0 0 8px; padding-left: 18px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 0 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
.note { color: var(--muted); font-style: italic; }
.warning { color: var(--warn); font-weight: 600; }
figure { margin: 4px 0 8px; }
figure svg { display: block; max-width: 100%; height: auto; }
footer { color: var(--muted); font-size: 12px; margin-top: 16px; }
@media screen and (max-width: 760px) {
  main { margin: 0; padding: 16px; border-radius: 0; }
  .grid { grid-template-columns: 1fr; }
}
@media print {
  @page { size: A4; margin: 8mm 9mm; }
  body { background: #fff; font-size: 7.9pt; line-height: 1.25; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  header { margin-bottom: 8px; padding-bottom: 5px; }
  h1 { font-size: 15pt; }
  .lead { font-size: 9.5pt; }
  .meta, footer { font-size: 7.5pt; }
  /* Blocks, not a grid: browsers split blocks across pages cleanly, grid rows less so. */
  .grid { display: block; }
  section { padding: 5px 7px; margin: 0 0 5px; break-inside: auto; page-break-inside: auto; }
  p { margin: 0 0 4px; }
  /* Short sections still pair up, as unbreakable boxes side by side. */
  section:not(.wide) { display: inline-block; width: 49.6%; vertical-align: top;
    break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, dl, li, figure, p { break-inside: avoid; page-break-inside: avoid; }
  h2 { font-size: 9.5pt; margin-bottom: 3px; }
  h3 { font-size: 8.6pt; margin: 4px 0 1px; }
  table { font-size: 7.3pt; margin-bottom: 3px; }
  th, td { padding: 1.5px 4px; }
  dl { gap: 1px 10px; margin-bottom: 4px; }
  figure { margin: 2px 0 4px; }
  figure svg { max-height: 25mm; width: auto; }
  #objectives figure svg { max-height: 22mm; }
  figure.lift svg { max-width: 62%; }
  .grid > section:last-child { margin-bottom: 0; }
  footer { margin-top: 6px; }
}
"#;

pub fn to_html(report: &Report) -> String {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Safe to open from anyone: the page may load nothing and run nothing, whatever it holds.
    html.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; script-src 'none'; form-action 'none'; \
         base-uri 'none'\">\n",
    );
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<meta name=\"generator\" content=\"Throughline\">\n");
    html.push_str(&format!(
        "<title>{} · Throughline summary</title>\n",
        escape(&report.title)
    ));
    html.push_str(&format!(
        "<style>{CSS}{}</style>\n</head>\n<body>\n<main>\n",
        super::experiment_blocks::BADGE_CSS
    ));
    html.push_str("<header>\n");
    html.push_str(&format!("<h1>{}</h1>\n", escape(&report.title)));
    if !report.description.is_empty() {
        html.push_str(&format!(
            "<p class=\"lead\">{}</p>\n",
            escape(&report.description)
        ));
    }
    html.push_str(&format!(
        "<p class=\"meta\">{}</p>\n</header>\n",
        escape(&report.overview)
    ));
    html.push_str("<div class=\"grid\">\n");
    for section in &report.sections {
        section_html(&mut html, section);
    }
    html.push_str("</div>\n");
    html.push_str(&format!(
        "<footer>Exported from Throughline on {}.</footer>\n",
        today_iso()
    ));
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

fn section_html(html: &mut String, section: &Section) {
    let class = if section.wide { " class=\"wide\"" } else { "" };
    html.push_str(&format!(
        "<section id=\"{}\"{class}>\n<h2>{}</h2>\n",
        escape(section.key),
        escape(&section.title)
    ));
    for block in &section.blocks {
        block_html(html, block);
    }
    html.push_str("</section>\n");
}

fn block_html(html: &mut String, block: &Block) {
    match block {
        Block::Heading(text) => html.push_str(&format!("<h3>{}</h3>\n", escape(text))),
        Block::Text(text) => html.push_str(&format!("<p>{}</p>\n", escape(text))),
        Block::Fields(pairs) => {
            html.push_str("<dl>\n");
            for (label, value) in pairs {
                html.push_str(&format!(
                    "<dt>{}</dt><dd>{}</dd>\n",
                    escape(label),
                    escape(value)
                ));
            }
            html.push_str("</dl>\n");
        }
        Block::List(items) => {
            html.push_str("<ul>\n");
            for item in items {
                html.push_str(&format!("<li>{}</li>\n", escape(item)));
            }
            html.push_str("</ul>\n");
        }
        Block::Table(table) => table_html(html, table),
        Block::Chart(chart) => {
            if let Some(svg) = charts::svg(chart) {
                html.push_str(&format!(
                    "<figure class=\"{}\" role=\"img\" aria-label=\"{}\">\n{svg}\n</figure>\n",
                    charts::kind(chart),
                    escape(&charts::title(chart))
                ));
            }
        }
        Block::Note(text) => html.push_str(&format!("<p class=\"note\">{}</p>\n", escape(text))),
        Block::Warning(text) => html.push_str(&format!(
            "<p class=\"warning\">Warning: {}</p>\n",
            escape(text)
        )),
        Block::Decision(d) => super::experiment_blocks::decision_html(html, d, escape),
    }
}

fn table_html(html: &mut String, table: &Table) {
    if table.rows.is_empty() {
        return;
    }
    html.push_str("<table>\n<thead><tr>");
    for h in &table.header {
        html.push_str(&format!("<th>{}</th>", escape(h)));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        html.push_str("<tr>");
        for cell in row {
            html.push_str(&format!("<td>{}</td>", escape(cell)));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
