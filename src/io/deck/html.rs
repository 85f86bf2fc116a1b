//! The deck as one self-contained HTML page to send after the workshop: inline CSS and script,
//! charts as inline SVG, nothing loaded from elsewhere. One slide fills the window; the arrow
//! keys, Page Up / Page Down and Space move between slides, "d" opens the details. Every piece
//! of text is escaped; the live slide's values are precomputed (the page does no maths).

use std::path::{Path, PathBuf};

use super::{Deck, Figure, LiveSlide, Slide, SlideKind};
use crate::format::today_iso;
use crate::io::report::BADGE_CSS;
use crate::io::report::html::{block_html, escape};

const CSS: &str = r#"
:root { --ink: #1d2430; --muted: #566070; --line: #d5dbe3; --accent: #0b5f96;
  --warn: #8a5400; --page: #ffffff; --band: #eef1f4; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: var(--page); color: var(--ink);
  font: 2.1vh/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.slide { display: none; position: relative; width: 100vw; height: 100vh; padding: 5vh 6vw 8vh;
  overflow: auto; flex-direction: column; }
.slide.current { display: flex; }
.eyebrow { color: var(--accent); font-weight: 700; text-transform: uppercase;
  letter-spacing: 0.06em; font-size: 1.9vh; margin: 0 0 1vh; }
h1 { font-size: 5vh; line-height: 1.15; margin: 0 0 3vh; }
.title h1 { font-size: 8vh; margin-top: 22vh; }
.headline { font-size: 3vh; line-height: 1.35; margin: 0 0 2vh; max-width: 60em; }
.cols { display: flex; gap: 4vw; align-items: flex-start; }
.cols > .text { flex: 1 1 40%; min-width: 0; }
.cols > figure { flex: 1 1 60%; margin: 0; min-width: 0; }
figure svg { display: block; width: 100%; height: auto; max-height: 62vh; }
@media (max-aspect-ratio: 4/3) { .cols { flex-direction: column; } }
.figures { display: flex; flex-wrap: wrap; gap: 2vw; margin: 1vh 0 3vh; }
.figure { background: var(--band); border-radius: 10px; padding: 1.6vh 1.6vw; min-width: 14vw; }
.figure .label { color: var(--muted); font-size: 1.9vh; }
.figure .value { font-size: 5vh; font-weight: 700; }
.figure .note { color: var(--muted); font-size: 1.7vh; }
h3 { font-size: 2.3vh; margin: 2vh 0 0.6vh; }
p { margin: 0 0 1vh; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5vh 1.2vw; margin: 0 0 1.5vh; }
dt { color: var(--muted); }
dd { margin: 0; }
ul { margin: 0 0 1.5vh; padding-left: 1.3em; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1.5vh; font-size: 1.8vh; }
th, td { text-align: left; vertical-align: top; padding: 0.5vh 0.6vw;
  border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
.note { color: var(--muted); font-style: italic; }
.warning { color: var(--warn); font-weight: 600; }
details { margin-top: 2vh; border-top: 1px solid var(--line); padding-top: 1vh; font-size: 1.9vh; }
summary { cursor: pointer; color: var(--accent); font-weight: 600; }
.decision p { font-size: 2.8vh; }
.decision .badge { font-size: 3.2vh; padding: 0.3vh 1vw; border-radius: 8px; }
.live { margin: 1vh 0 3vh; font-size: 2.6vh; }
.live input { width: 60vw; height: 3vh; vertical-align: middle; }
.live output { font-weight: 700; margin-left: 1vw; }
.number { position: absolute; right: 3vw; bottom: 2.5vh; color: var(--muted); font-size: 2vh; }
.help { position: absolute; left: 6vw; bottom: 2.5vh; color: var(--muted); font-size: 1.6vh; }
nav.buttons { position: fixed; right: 8vw; bottom: 1.6vh; }
nav.buttons button { font: inherit; font-size: 1.8vh; padding: 0.4vh 1vw; margin-left: 0.4vw; }
@media print {
  .slide { display: flex; page-break-after: always; height: auto; min-height: 100vh; }
  nav.buttons, .help { display: none; }
}
"#;

/// The page's script: keyboard and buttons move between slides; the live slide's slider shows
/// the precomputed values. It reads only this page.
const SCRIPT: &str = r#"
(function () {
  var slides = document.querySelectorAll('.slide');
  var current = 0;
  function show(i) {
    if (i < 0 || i >= slides.length) { return; }
    slides[current].classList.remove('current');
    current = i;
    slides[current].classList.add('current');
    if (history.replaceState) { history.replaceState(null, '', '#' + (current + 1)); }
  }
  var start = parseInt((location.hash || '#1').slice(1), 10);
  show(isNaN(start) ? 0 : Math.min(Math.max(start - 1, 0), slides.length - 1));
  document.addEventListener('keydown', function (e) {
    if (e.target && e.target.tagName === 'INPUT') { return; }
    switch (e.key) {
      case 'ArrowRight': case 'ArrowDown': case 'PageDown': case ' ': case 'Spacebar':
        show(current + 1); e.preventDefault(); break;
      case 'ArrowLeft': case 'ArrowUp': case 'PageUp':
        show(current - 1); e.preventDefault(); break;
      case 'Home': show(0); e.preventDefault(); break;
      case 'End': show(slides.length - 1); e.preventDefault(); break;
      case 'd': case 'D':
        var d = slides[current].querySelector('details');
        if (d) { d.open = !d.open; }
        break;
    }
  });
  var prev = document.getElementById('previous');
  var next = document.getElementById('next');
  if (prev) { prev.addEventListener('click', function () { show(current - 1); }); }
  if (next) { next.addEventListener('click', function () { show(current + 1); }); }
  var data = document.getElementById('live-data');
  var slider = document.getElementById('live-slider');
  if (data && slider) {
    var steps = JSON.parse(data.textContent);
    slider.addEventListener('input', function () {
      var s = steps[parseInt(slider.value, 10)];
      if (!s) { return; }
      document.getElementById('live-change').textContent = s.change;
      document.getElementById('live-summary').textContent = s.summary;
      var values = document.querySelectorAll('#live-figures .value');
      var notes = document.querySelectorAll('#live-figures .note');
      for (var i = 0; i < s.figures.length && i < values.length; i++) {
        values[i].textContent = s.figures[i][1];
        notes[i].textContent = s.figures[i][2];
      }
    });
  }
})();
"#;

/// The deck as one HTML page.
pub fn to_html(deck: &Deck) -> String {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // The page loads nothing from anywhere; its only script is the one written here.
    html.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'; \
         form-action 'none'; base-uri 'none'\">\n",
    );
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<meta name=\"generator\" content=\"Throughline\">\n");
    html.push_str(&format!(
        "<title>{} · Throughline workshop</title>\n",
        escape(&deck.title)
    ));
    html.push_str(&format!(
        "<style>{CSS}{BADGE_CSS}</style>\n</head>\n<body>\n"
    ));
    let total = deck.slides.len();
    for (i, slide) in deck.slides.iter().enumerate() {
        slide_html(&mut html, slide, i, total);
    }
    html.push_str(
        "<nav class=\"buttons\"><button id=\"previous\" type=\"button\">Previous</button>\
         <button id=\"next\" type=\"button\">Next</button></nav>\n",
    );
    html.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    html
}

fn slide_html(html: &mut String, slide: &Slide, index: usize, total: usize) {
    let class = match slide.kind {
        SlideKind::Title => "slide title",
        _ => "slide",
    };
    let current = if index == 0 { " current" } else { "" };
    html.push_str(&format!(
        "<section class=\"{class}{current}\" id=\"{}\" aria-label=\"Slide {} of {total}\">\n",
        escape(&slide.key),
        index + 1
    ));
    if !slide.eyebrow.is_empty() {
        html.push_str(&format!(
            "<p class=\"eyebrow\">{}</p>\n",
            escape(&slide.eyebrow)
        ));
    }
    html.push_str(&format!("<h1>{}</h1>\n", escape(&slide.title)));
    html.push_str("<div class=\"cols\">\n<div class=\"text\">\n");
    // The answer slide leads with the decisions; the others with their headline.
    let body_first = slide.kind == SlideKind::Answer;
    if body_first {
        for block in &slide.body {
            block_html(html, block);
        }
    }
    for (i, sentence) in slide.headline.iter().enumerate() {
        let id = if slide.live.is_some() && i == 0 {
            " id=\"live-summary\""
        } else {
            ""
        };
        html.push_str(&format!(
            "<p class=\"headline\"{id}>{}</p>\n",
            escape(sentence)
        ));
    }
    if let Some(live) = &slide.live {
        live_html(html, live);
    }
    if !slide.figures_caption.is_empty() {
        html.push_str(&format!(
            "<p class=\"note\">{}</p>\n",
            escape(&slide.figures_caption)
        ));
    }
    figures_html(html, &slide.figures, slide.live.is_some());
    if !body_first {
        for block in &slide.body {
            block_html(html, block);
        }
    }
    html.push_str("</div>\n");
    if let Some(chart) = &slide.chart {
        block_html(html, &crate::io::report::Block::Chart(chart.clone()));
    }
    html.push_str("</div>\n");
    if !slide.details.is_empty() {
        html.push_str("<details>\n<summary>Details</summary>\n");
        for block in &slide.details {
            block_html(html, block);
        }
        html.push_str("</details>\n");
    }
    if slide.kind == SlideKind::Title {
        html.push_str(&format!(
            "<p class=\"help\">Exported from Throughline on {}. Arrow keys, Space or Page Down \
             for the next slide; d for details.</p>\n",
            today_iso()
        ));
    }
    html.push_str(&format!(
        "<p class=\"number\">{} / {total}</p>\n</section>\n",
        index + 1
    ));
}

fn figures_html(html: &mut String, figures: &[Figure], live: bool) {
    if figures.is_empty() {
        return;
    }
    let id = if live { " id=\"live-figures\"" } else { "" };
    html.push_str(&format!("<div class=\"figures\"{id}>\n"));
    for f in figures {
        html.push_str(&format!(
            "<div class=\"figure\"><div class=\"label\">{}</div><div class=\"value\">{}</div>\
             <div class=\"note\">{}</div></div>\n",
            escape(&f.label),
            escape(&f.value),
            escape(&f.note)
        ));
    }
    html.push_str("</div>\n");
}

/// The slider and the precomputed values, as JSON whose `<` are escaped so no text can end
/// the script element.
fn live_html(html: &mut String, live: &LiveSlide) {
    let start = live
        .steps
        .iter()
        .position(|s| s.ml_change == live.start)
        .unwrap_or(0);
    let start_label = live
        .steps
        .get(start)
        .map(|s| s.change_label.clone())
        .unwrap_or_default();
    html.push_str(&format!(
        "<div class=\"live\"><label for=\"live-slider\">ML change ({})</label> \
         <input id=\"live-slider\" type=\"range\" min=\"0\" max=\"{}\" step=\"1\" value=\"{start}\">\
         <output id=\"live-change\">{}</output></div>\n",
        escape(&live.ml_metric),
        live.steps.len().saturating_sub(1),
        escape(&start_label)
    ));
    let steps: Vec<serde_json::Value> = live
        .steps
        .iter()
        .map(|s| {
            serde_json::json!({
                "change": s.change_label,
                "summary": s.summary,
                "figures": s.figures.iter()
                    .map(|f| [f.label.as_str(), f.value.as_str(), f.note.as_str()])
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let json = serde_json::Value::Array(steps)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    html.push_str(&format!(
        "<script type=\"application/json\" id=\"live-data\">{json}</script>\n"
    ));
}

/// Why the deck could not be written.
#[derive(Debug, thiserror::Error)]
#[error("Could not write the deck to \"{path}\": {source}.")]
pub struct DeckWriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// `path` with `.html` added when it ends in neither `.html` nor `.htm`.
pub fn with_html_extension(path: PathBuf) -> PathBuf {
    let is_html = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if is_html {
        path
    } else {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".html");
        path.with_file_name(name)
    }
}

/// Write `html` to `path` (temporary file, then rename, so a half-written deck never replaces
/// a good one).
pub fn write_deck(html: &str, path: &Path) -> Result<(), DeckWriteError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, html.as_bytes()).and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        DeckWriteError {
            path: path.to_path_buf(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::deck::build_deck;
    use crate::model::Project;

    #[test]
    fn the_page_loads_nothing_and_escapes_the_title() {
        let mut project = Project::named("<b>Churn</b> & \"friends\"");
        project.description = "</script><script>alert(1)</script>".into();
        let html = to_html(&build_deck(&project));
        assert!(html.contains("&lt;b&gt;Churn&lt;/b&gt; &amp; &quot;friends&quot;"));
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("src=\"http"));
        assert!(!html.contains("<link"));
        assert!(html.contains("1 / 2"));
    }

    #[test]
    fn html_is_added_when_missing() {
        assert_eq!(
            with_html_extension(PathBuf::from("a/deck")),
            PathBuf::from("a/deck.html")
        );
        assert_eq!(
            with_html_extension(PathBuf::from("deck.HTM")),
            PathBuf::from("deck.HTM")
        );
    }
}
