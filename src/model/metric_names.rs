//! One name per metric: the display name, unit and direction of each metric column.
//!
//! A metric's name is looked up once, here, and every sentence, axis, table, export and slide
//! reads it (DESIGN.md "One name per metric"). The name comes from, in this order:
//! 1. what the user typed on the Data page (stored in `Project::metric_names`);
//! 2. the framing's business objectives, hypothesised links and offline metrics, where one
//!    matches the column (`rpm_eur` ↔ "Revenue per thousand impressions (RPM)");
//! 3. the column name made readable (`negative_sessions` → "Negative sessions",
//!    `ndcg_at_10` → "NDCG@10", `ctr_pct` → "CTR" in "%").
//!
//! JSON keys and the command line's machine output keep column names (CONTRACT.md).

use serde::{Deserialize, Serialize};

use super::{Direction, Project};

/// What the user set for one metric on the Data page. Empty fields fall back to the framing or
/// the readable column name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricInfo {
    /// The name people use, e.g. "Click-through rate".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The unit, e.g. "%", "€", "€ a month", "seconds"; empty when the metric has none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Whether more of the metric is good; `None`: not said (read as higher is better).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
}

impl MetricInfo {
    /// Whether nothing is set (such an entry is not stored).
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.unit.trim().is_empty() && self.direction.is_none()
    }
}

/// Where a metric's display name came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LabelSource {
    /// Typed by the user on the Data page.
    User,
    /// A business objective, hypothesised link or offline metric of the framing.
    Framing,
    /// The column name made readable.
    #[default]
    Column,
}

/// What kind of number a metric is, which decides how its changes are worded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ValueKind {
    /// Values are percentages (0–100): a change of 1 is one percentage point.
    Percent,
    /// A share between 0 and 1 (a rate: churn, conversion, click-through): a change of 0.01
    /// is one percentage point.
    Rate,
    /// A score between 0 and 1 that is not a share of anything (AUC, NDCG, F1): it changes
    /// "by 0.01", never by percentage points.
    Score,
    /// Money, in the unit's currency.
    Money,
    /// Anything else (counts, seconds, ratios).
    #[default]
    Other,
}

/// A metric's resolved label: what every sentence, axis and table shows for a column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricLabel {
    /// The column (or summary-statistics metric) the label belongs to.
    pub column: String,
    /// The display name, starting with a capital: "Click-through rate", "NDCG@10".
    pub name: String,
    /// The unit, possibly empty: "%", "€", "€ a month".
    pub unit: String,
    pub direction: Direction,
    pub kind: ValueKind,
    pub source: LabelSource,
}

impl MetricLabel {
    /// The name inside a sentence: "click-through rate", but "NDCG@10" and "RPM" keep their
    /// capitals.
    pub fn in_sentence(&self) -> String {
        sentence_case(&self.name)
    }

    /// The name with its unit, for axes and table headings: "Click-through rate (%)".
    pub fn with_unit(&self) -> String {
        if self.unit.trim().is_empty() || self.name.contains(&format!("({})", self.unit.trim())) {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.unit.trim())
        }
    }

    /// Where the user picks columns: "Click-through rate (ctr_pct)"; just the column when the
    /// name is the column's own ("revenue" for "Revenue").
    pub fn picker(&self) -> String {
        let plain = |s: &str| s.replace('_', " ").trim().to_lowercase();
        if self.name.is_empty() || plain(&self.name) == plain(&self.column) {
            self.column.clone()
        } else {
            format!("{} ({})", self.name, self.column)
        }
    }

    /// A step of this metric in words: for a rate (0–1) `0.01` is "+1 pp", for a percentage
    /// `1` is "+1 pp"; a score's `0.01` is "+0.01"; money carries its unit ("+1 €").
    pub fn step_text(&self, step: f64) -> String {
        let sig = crate::format::sig(step.abs(), 2);
        let sign = if step < 0.0 { "−" } else { "+" };
        match self.kind {
            ValueKind::Rate => format!("{sign}{} pp", crate::format::sig(step.abs() * 100.0, 2)),
            ValueKind::Percent => format!("{sign}{sig} pp"),
            _ if !self.unit.trim().is_empty() && is_short_unit(&self.unit) => {
                format!("{sign}{sig} {}", self.unit.trim())
            }
            _ => format!("{sign}{sig}"),
        }
    }

    /// "per percentage point of click-through rate", "per 0.01 of AUC", "per unit of latency".
    /// `step` is the step of the underlying values the slope is multiplied by.
    pub fn per_step(&self, step: f64) -> String {
        let name = self.in_sentence();
        match self.kind {
            ValueKind::Rate if (step - 0.01).abs() < 1e-12 => {
                format!("per percentage point of {name}")
            }
            ValueKind::Percent if (step - 1.0).abs() < 1e-12 => {
                format!("per percentage point of {name}")
            }
            _ if (step - 1.0).abs() < 1e-12 => format!("per unit of {name}"),
            _ => format!("per {} of {name}", crate::format::sig(step, 2)),
        }
    }
}

/// A short unit that reads after a number ("€", "ms", "%"), not a phrase ("€ a month").
fn is_short_unit(unit: &str) -> bool {
    let u = unit.trim();
    !u.is_empty() && !u.contains(' ') && u.chars().count() <= 4
}

/// The name inside a sentence: the first letter lower-cased unless the first word is an
/// acronym or holds digits ("NDCG@10", "AUC", "F1").
pub fn sentence_case(name: &str) -> String {
    let first_word: String = name
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '@')
        .collect();
    let letters: Vec<char> = first_word.chars().filter(|c| c.is_alphabetic()).collect();
    let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
        || first_word.chars().any(|c| c.is_ascii_digit() || c == '@')
        || letters.iter().skip(1).any(|c| c.is_uppercase());
    if acronym {
        return name.to_string();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Abbreviations written in capitals in readable names.
const ACRONYMS: [&str; 38] = [
    "auc", "ndcg", "map", "mrr", "f1", "rmse", "mae", "mse", "mape", "ctr", "cvr", "roc", "pr",
    "rpm", "cpm", "cpc", "cpa", "roi", "kpi", "ml", "id", "dau", "mau", "wau", "arpu", "ltv",
    "aov", "gmv", "nps", "r2", "ap", "dcg", "hr", "iou", "bleu", "wer", "api", "sla",
];

/// Column-name suffixes that are units: removed from the name and given as the unit.
const UNIT_SUFFIXES: [(&str, &str); 13] = [
    ("pct", "%"),
    ("pp", "pp"),
    ("percent", "%"),
    ("eur", "€"),
    ("usd", "$"),
    ("gbp", "£"),
    ("ms", "ms"),
    ("secs", "s"),
    ("sec", "s"),
    ("seconds", "s"),
    ("minutes", "minutes"),
    ("mins", "minutes"),
    ("bp", "bp"),
];

/// A column name made readable, with the unit its suffix gives: `negative_sessions` →
/// ("Negative sessions", ""), `ndcg_at_10` → ("NDCG@10", ""), `ctr_pct` → ("CTR", "%"),
/// `revenue_per_user_usd` → ("Revenue per user", "$").
pub fn readable_name(column: &str) -> (String, String) {
    let trimmed = column.trim();
    let mut words: Vec<String> = trimmed
        .split(['_', ' ', '-', '.'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return (trimmed.to_string(), String::new());
    }
    let mut unit = String::new();
    if words.len() > 1
        && let Some(last) = words.last()
        && let Some((_, u)) = UNIT_SUFFIXES
            .iter()
            .find(|(s, _)| last.eq_ignore_ascii_case(s))
    {
        unit = (*u).to_string();
        words.pop();
    }
    // "ndcg_at_10" and "ndcg_10" → "NDCG@10".
    let mut joined: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let is_acronym = ACRONYMS.contains(&w.to_lowercase().as_str());
        let number_at = |j: usize| {
            words
                .get(j)
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        };
        if is_acronym
            && words
                .get(i + 1)
                .is_some_and(|a| a.eq_ignore_ascii_case("at"))
        {
            if let Some(n) = number_at(i + 2) {
                joined.push(format!("{}@{n}", w.to_uppercase()));
                i += 3;
                continue;
            }
        } else if is_acronym
            && let Some(n) = number_at(i + 1)
            && w.to_lowercase() != "f1"
        {
            joined.push(format!("{}@{n}", w.to_uppercase()));
            i += 2;
            continue;
        }
        joined.push(w.clone());
        i += 1;
    }
    let shown: Vec<String> = joined
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if w.contains('@') {
                w.clone()
            } else if ACRONYMS.contains(&lower.as_str()) {
                lower.to_uppercase()
            } else if w.chars().any(|c| c.is_lowercase()) && w.chars().any(|c| c.is_uppercase()) {
                // Mixed case as written (camelCase, "iPhone"): keep.
                w.clone()
            } else if let Some(word) = ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == lower)
                .map(|(_, long)| (*long).to_string())
                .or_else(|| period_words(&lower))
            {
                if i == 0 {
                    let mut chars = word.chars();
                    chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default()
                } else {
                    word
                }
            } else if i == 0 {
                let mut chars = lower.chars();
                match chars.next() {
                    Some(c) => c.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            } else {
                lower
            }
        })
        .collect();
    (shown.join(" "), unit)
}

/// Short words of column names written out.
const ABBREVIATIONS: [(&str, &str); 8] = [
    ("prev", "previous"),
    ("avg", "average"),
    ("num", "number"),
    ("cnt", "count"),
    ("qty", "quantity"),
    ("amt", "amount"),
    ("pred", "predicted"),
    ("perc", "%"),
];

/// "30d" → "in 30 days", "24h" → "in 24 hours", "2w" → "in 2 weeks".
fn period_words(word: &str) -> Option<String> {
    let (number, unit) = word.split_at(word.len().checked_sub(1)?);
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let unit = match unit {
        "d" => "day",
        "h" => "hour",
        "w" => "week",
        _ => return None,
    };
    let plural = if number == "1" { "" } else { "s" };
    Some(format!("in {number} {unit}{plural}"))
}

/// Words that say nothing about which metric is meant.
const STOPWORDS: [&str; 20] = [
    "a", "an", "the", "of", "on", "in", "at", "by", "for", "per", "with", "to", "and", "from",
    "who", "this", "that", "is", "or", "as",
];

/// Content words of a name for matching: lower case, "20,000" and "20k" → "20000", a plural
/// "s" dropped, stopwords removed.
fn tokens(text: &str, drop_units: bool) -> Vec<String> {
    let mut cleaned = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        // Thousands separators inside a number: "20,000".
        if *c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            continue;
        }
        cleaned.push(if c.is_alphanumeric() { *c } else { ' ' });
    }
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let count = words.len();
    words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let lower = w.to_lowercase();
            if STOPWORDS.contains(&lower.as_str()) {
                return None;
            }
            if drop_units
                && count > 1
                && i == count - 1
                && UNIT_SUFFIXES.iter().any(|(s, _)| *s == lower)
            {
                return None;
            }
            let number = lower
                .strip_suffix('k')
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                .map(|n| format!("{n}000"));
            // Periods: "30d" and "monthly" are both a month.
            let period = match lower.as_str() {
                "1d" | "daily" | "day" | "days" => Some("day"),
                "7d" | "weekly" | "week" | "weeks" => Some("week"),
                "28d" | "30d" | "monthly" | "month" | "months" => Some("month"),
                "365d" | "yearly" | "annual" | "year" | "years" => Some("year"),
                _ => None,
            };
            if let Some(period) = period {
                return Some(period.to_string());
            }
            Some(number.unwrap_or_else(|| {
                if lower.len() > 3 && lower.ends_with('s') && !lower.ends_with("ss") {
                    lower[..lower.len() - 1].to_string()
                } else if lower.len() > 5 && lower.ends_with("ed") {
                    // "churned" is "churn", "clicked" is "click".
                    lower[..lower.len() - 2].to_string()
                } else {
                    lower
                }
            }))
        })
        .collect()
}

/// Abbreviations a framing name offers: the words in brackets ("… (RPM)") and the initials
/// of its words ("Click-through rate" → "ctr").
fn abbreviations(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else { break };
        out.extend(
            after[..close]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 2)
                .map(str::to_lowercase),
        );
        rest = &after[close + 1..];
    }
    let before_bracket = name.split('(').next().unwrap_or(name);
    let initials: String = before_bracket
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    if initials.chars().count() >= 2 {
        out.push(initials);
    }
    out
}

/// How well a framing name fits a column (0: not at all; 1: exactly).
fn match_score(column: &str, name: &str) -> f64 {
    let col = tokens(column, true);
    let cand = tokens(name, false);
    if col.is_empty() || cand.is_empty() {
        return 0.0;
    }
    if col == cand {
        return 1.0;
    }
    if col.len() == 1 && abbreviations(name).contains(&col[0]) {
        return 1.0;
    }
    let shared = col.iter().filter(|t| cand.contains(t)).count() as f64;
    let of_column = shared / col.len() as f64;
    let of_name = shared / cand.len() as f64;
    if shared >= 1.0 && of_column >= 0.66 && of_name >= 0.5 {
        of_column * of_name
    } else {
        0.0
    }
}

/// What the framing says of a metric: its name, unit and direction where given.
struct FramingName<'a> {
    name: &'a str,
    unit: &'a str,
    direction: Option<Direction>,
}

/// Whether a metric's name says lower is better (losses, errors, latency, churn).
fn lower_is_better(text: &str) -> bool {
    let t = tokens(text, false);
    const LOWER: [&str; 14] = [
        "loss", "los", "error", "rmse", "mae", "mse", "mape", "latency", "churn", "churned",
        "negative", "decline", "fraud", "cost",
    ];
    t.iter().any(|w| LOWER.contains(&w.as_str()))
}

/// The kind of number a metric is, from its column, name and unit.
fn kind_of(column: &str, name: &str, unit: &str) -> ValueKind {
    let u = unit.trim().to_lowercase();
    if u.starts_with('%') || u.starts_with("percent") || u.starts_with("pp") {
        return ValueKind::Percent;
    }
    const MONEY: [&str; 9] = ["€", "$", "£", "¥", "eur", "usd", "gbp", "chf", "jpy"];
    if MONEY.iter().any(|m| u.starts_with(m)) {
        return ValueKind::Money;
    }
    let mut words = tokens(column, false);
    words.extend(tokens(name, false));
    const SCORES: [&str; 16] = [
        "auc",
        "ndcg",
        "map",
        "mrr",
        "f1",
        "score",
        "ap",
        "dcg",
        "r2",
        "gini",
        "calibration",
        "iou",
        "bleu",
        "logloss",
        "log",
        "roc",
    ];
    const RATES: [&str; 17] = [
        "rate",
        "share",
        "churn",
        "convert",
        "conversion",
        "converted",
        "click",
        "clicked",
        "ctr",
        "cvr",
        "retention",
        "retain",
        "bounce",
        "fraction",
        "accuracy",
        "precision",
        "recall",
    ];
    if words.iter().any(|w| SCORES.contains(&w.as_str())) {
        return ValueKind::Score;
    }
    if words.iter().any(|w| RATES.contains(&w.as_str())) {
        return ValueKind::Rate;
    }
    ValueKind::Other
}

impl Project {
    /// The framing's name that best fits `column`, if any fits well enough. Objectives come
    /// before links and offline metrics when they fit equally well.
    fn framing_name(&self, column: &str) -> Option<FramingName<'_>> {
        let f = &self.framing;
        let mut candidates: Vec<FramingName<'_>> = f
            .objectives
            .iter()
            .filter(|o| !o.metric.trim().is_empty())
            .map(|o| FramingName {
                name: o.metric.trim(),
                unit: o.unit.trim(),
                direction: Some(o.direction),
            })
            .collect();
        for link in &f.ml_objective.links {
            for name in [&link.business_metric, &link.ml_metric] {
                candidates.push(FramingName {
                    name: name.trim(),
                    unit: "",
                    direction: None,
                });
            }
        }
        for name in &f.ml_objective.offline_metrics {
            candidates.push(FramingName {
                name: name.trim(),
                unit: "",
                direction: None,
            });
        }
        let mut best: Option<(f64, FramingName<'_>)> = None;
        for c in candidates {
            if c.name.is_empty() {
                continue;
            }
            let score = match_score(column, c.name);
            if score > 0.0 && best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, c));
            }
        }
        best.map(|(_, c)| c)
    }

    /// The display name, unit, direction and kind of a metric column (or of a
    /// summary-statistics metric): what the user set on the Data page, else the framing's
    /// matching objective or link, else the column name made readable. Never empty.
    pub fn metric_info(&self, column: &str) -> MetricLabel {
        self.resolve_metric(column, true)
    }

    /// What a metric is called when the user has not named it: the framing's matching name,
    /// else the readable column name (the hint of the Data page's name field).
    pub fn metric_info_default(&self, column: &str) -> MetricLabel {
        self.resolve_metric(column, false)
    }

    fn resolve_metric(&self, column: &str, with_user: bool) -> MetricLabel {
        let (readable, readable_unit) = readable_name(column);
        let user = with_user
            .then(|| self.metric_names.get(column.trim()))
            .flatten();
        let framing = self.framing_name(column);
        let (name, source) = match (user, &framing) {
            (Some(u), _) if !u.name.trim().is_empty() => {
                (u.name.trim().to_string(), LabelSource::User)
            }
            (_, Some(f)) => (f.name.to_string(), LabelSource::Framing),
            _ => (readable, LabelSource::Column),
        };
        let unit = match (user, &framing) {
            (Some(u), _) if !u.unit.trim().is_empty() => u.unit.trim().to_string(),
            (_, Some(f)) if !f.unit.is_empty() => f.unit.to_string(),
            _ => readable_unit,
        };
        let direction = user
            .and_then(|u| u.direction)
            .or(framing.as_ref().and_then(|f| f.direction))
            .unwrap_or(if lower_is_better(column) || lower_is_better(&name) {
                Direction::LowerIsBetter
            } else {
                Direction::HigherIsBetter
            });
        let kind = kind_of(column, &name, &unit);
        MetricLabel {
            column: column.trim().to_string(),
            name: if name.is_empty() {
                column.to_string()
            } else {
                name
            },
            unit,
            direction,
            kind,
            source,
        }
    }

    /// Whether `name` is a column (or summary-statistics metric) of one of the project's data
    /// files.
    pub fn is_column(&self, name: &str) -> bool {
        let name = name.trim();
        !name.is_empty()
            && self.datasets.iter().any(|d| {
                d.columns
                    .iter()
                    .any(|c| c.name == name || c.metric.as_deref() == Some(name))
            })
    }

    /// A metric named in free text (a scenario's "ML metric"): its display name when the text
    /// is one of the project's columns, else the text as typed.
    pub fn metric_text(&self, text: &str) -> String {
        if self.is_column(text) {
            self.metric_name(text)
        } else {
            text.trim().to_string()
        }
    }

    /// A metric's display name, e.g. "Click-through rate" for `ctr_pct`.
    pub fn metric_name(&self, column: &str) -> String {
        self.metric_info(column).name
    }

    /// Set (or, with an empty `info`, clear) what the user calls a metric.
    pub fn set_metric_info(&mut self, column: &str, info: MetricInfo) {
        let key = column.trim().to_string();
        if info.is_empty() {
            self.metric_names.remove(&key);
        } else {
            self.metric_names.insert(key, info);
        }
    }

    /// `text` (a sentence the analysis engine wrote with column names) with the metric
    /// `column` replaced by its display name: "the average revenue_eur" → "the average
    /// revenue". Whole words only; a name at the start of a sentence keeps its capital.
    pub fn relabel(&self, text: &str, column: &str) -> String {
        let label = self.metric_info(column);
        relabel_with(text, column, &label)
    }

    /// `text` with every one of `columns` replaced by its display name (e.g. a decision's
    /// reasons, which name several metrics).
    pub fn relabel_all<'a>(
        &self,
        text: &str,
        columns: impl IntoIterator<Item = &'a str>,
    ) -> String {
        let mut columns: Vec<&str> = columns.into_iter().collect();
        // Longer names first, so `revenue_eur_prev` is replaced before `revenue_eur`.
        columns.sort_by_key(|c| std::cmp::Reverse(c.len()));
        columns.dedup();
        columns
            .into_iter()
            .fold(text.to_string(), |t, c| self.relabel(&t, c))
    }
}

/// `text` with whole-word occurrences of `column` replaced by the label's name (in sentence
/// case, except at the start of a sentence).
pub fn relabel_with(text: &str, column: &str, label: &MetricLabel) -> String {
    let column = column.trim();
    if column.is_empty() || label.name == column {
        return text.to_string();
    }
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = String::new();
    while let Some(pos) = rest.find(column) {
        let before = rest[..pos]
            .chars()
            .next_back()
            .or(consumed.chars().next_back());
        let after = rest[pos + column.len()..].chars().next();
        let bounded = !before.is_some_and(word_char) && !after.is_some_and(word_char);
        out.push_str(&rest[..pos]);
        if bounded {
            let so_far = format!("{consumed}{}", &rest[..pos]);
            let start = so_far.trim_end().is_empty()
                || so_far.trim_end().ends_with(['.', '!', '?', ':'])
                    && so_far.ends_with(char::is_whitespace);
            out.push_str(&if start {
                label.name.clone()
            } else {
                label.in_sentence()
            });
        } else {
            out.push_str(column);
        }
        consumed.push_str(&rest[..pos + column.len()]);
        rest = &rest[pos + column.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BusinessObjective, HypothesisedLink};

    #[test]
    fn column_names_are_made_readable() {
        let r = |c: &str| readable_name(c);
        assert_eq!(
            r("negative_sessions"),
            ("Negative sessions".into(), "".into())
        );
        assert_eq!(r("ndcg_at_10"), ("NDCG@10".into(), "".into()));
        assert_eq!(r("quality_ndcg_10"), ("Quality NDCG@10".into(), "".into()));
        assert_eq!(r("auc"), ("AUC".into(), "".into()));
        assert_eq!(r("ctr_pct"), ("CTR".into(), "%".into()));
        assert_eq!(r("rpm_eur"), ("RPM".into(), "€".into()));
        assert_eq!(
            r("revenue_per_user_usd"),
            ("Revenue per user".into(), "$".into())
        );
        assert_eq!(r("latency_ms"), ("Latency".into(), "ms".into()));
        assert_eq!(r("log_loss"), ("Log loss".into(), "".into()));
        assert_eq!(r("f1_score"), ("F1 score".into(), "".into()));
        assert_eq!(r("hit_rate_at_4"), ("Hit rate at 4".into(), "".into()));
        assert_eq!(r("user_id"), ("User ID".into(), "".into()));
        assert_eq!(r("eur"), ("Eur".into(), "".into()));
        assert_eq!(r(""), ("".into(), "".into()));
        assert_ne!(r("ndcg_at_10").0, "Ndcg at 10");
    }

    #[test]
    fn names_inside_sentences_keep_acronyms() {
        assert_eq!(sentence_case("Click-through rate"), "click-through rate");
        assert_eq!(sentence_case("NDCG@10"), "NDCG@10");
        assert_eq!(sentence_case("AUC"), "AUC");
        assert_eq!(sentence_case("F1 score"), "F1 score");
        assert_eq!(
            sentence_case("Revenue per thousand impressions (RPM)"),
            "revenue per thousand impressions (RPM)"
        );
    }

    fn framed() -> Project {
        let mut p = Project::default();
        p.framing.objectives = vec![
            BusinessObjective {
                metric: "Revenue per thousand impressions (RPM)".into(),
                unit: "€".into(),
                ..Default::default()
            },
            BusinessObjective {
                metric: "Click-through rate".into(),
                unit: "%".into(),
                ..Default::default()
            },
            BusinessObjective {
                metric: "Sessions with a negative action".into(),
                unit: "%".into(),
                direction: Direction::LowerIsBetter,
                ..Default::default()
            },
            BusinessObjective {
                metric: "Monthly churn".into(),
                unit: "%".into(),
                direction: Direction::LowerIsBetter,
                ..Default::default()
            },
            BusinessObjective {
                metric: "Revenue kept by retention offers".into(),
                unit: "€ a month".into(),
                ..Default::default()
            },
        ];
        p.framing.ml_objective.links = vec![
            HypothesisedLink {
                ml_metric: "Quality-weighted NDCG@10".into(),
                business_metric: "Sessions with a negative action".into(),
                ..Default::default()
            },
            HypothesisedLink {
                ml_metric: "NDCG@10 on engagement".into(),
                business_metric: "Daily active users".into(),
                ..Default::default()
            },
            HypothesisedLink {
                ml_metric: "Recall in the top 20,000".into(),
                business_metric: "Click-through rate".into(),
                ..Default::default()
            },
        ];
        p
    }

    #[test]
    fn framing_names_fill_matching_columns() {
        let p = framed();
        let name = |c: &str| p.metric_info(c).name;
        assert_eq!(name("rpm_eur"), "Revenue per thousand impressions (RPM)");
        assert_eq!(p.metric_info("rpm_eur").unit, "€");
        assert_eq!(p.metric_info("rpm_eur").kind, ValueKind::Money);
        assert_eq!(name("ctr_pct"), "Click-through rate");
        assert_eq!(p.metric_info("ctr_pct").kind, ValueKind::Percent);
        assert_eq!(
            name("negative_session_pct"),
            "Sessions with a negative action"
        );
        assert_eq!(
            p.metric_info("negative_session_pct").direction,
            Direction::LowerIsBetter
        );
        assert_eq!(name("quality_ndcg_10"), "Quality-weighted NDCG@10");
        assert_eq!(name("engagement_ndcg_10"), "NDCG@10 on engagement");
        assert_eq!(p.metric_info("engagement_ndcg_10").kind, ValueKind::Score);
        assert_eq!(name("daily_active_pct"), "Daily active users");
        assert_eq!(name("recall_top_20k"), "Recall in the top 20,000");
        assert_eq!(name("revenue_kept_eur"), "Revenue kept by retention offers");
        assert_eq!(name("churned_30d"), "Monthly churn");
        assert_eq!(name("revenue_next_month_eur"), "Revenue next month");
        assert_eq!(name("sessions_30d"), "Sessions in 30 days");
        assert_eq!(name("revenue_prev_month_eur"), "Revenue previous month");
        // Not a match: one shared word of four.
        assert_eq!(name("revenue_eur"), "Revenue");
        assert_eq!(p.metric_info("revenue_eur").source, LabelSource::Column);
        assert_eq!(name("log_loss"), "Log loss");
        assert_eq!(
            p.metric_info("log_loss").direction,
            Direction::LowerIsBetter
        );
    }

    #[test]
    fn the_users_name_wins_and_clearing_it_falls_back() {
        let mut p = framed();
        p.set_metric_info(
            "ctr_pct",
            MetricInfo {
                name: "Clicks per 100 ads".into(),
                ..Default::default()
            },
        );
        let label = p.metric_info("ctr_pct");
        assert_eq!(label.name, "Clicks per 100 ads");
        assert_eq!(
            label.unit, "%",
            "the framing's unit stays when only the name is set"
        );
        assert_eq!(label.source, LabelSource::User);
        p.set_metric_info("ctr_pct", MetricInfo::default());
        assert!(p.metric_names.is_empty());
        assert_eq!(p.metric_info("ctr_pct").name, "Click-through rate");
    }

    #[test]
    fn percentage_points_only_for_rates_and_percentages() {
        let p = framed();
        let rate = p.metric_info("converted");
        assert_eq!(rate.kind, ValueKind::Rate);
        assert_eq!(rate.step_text(0.01), "+1 pp");
        assert_eq!(rate.per_step(0.01), "per percentage point of converted");
        let pct = p.metric_info("ctr_pct");
        assert_eq!(pct.step_text(1.0), "+1 pp");
        assert_eq!(
            pct.per_step(1.0),
            "per percentage point of click-through rate"
        );
        let score = p.metric_info("auc");
        assert_eq!(score.kind, ValueKind::Score);
        assert_eq!(score.step_text(0.01), "+0.01");
        assert_eq!(score.per_step(0.01), "per 0.01 of AUC");
        let ndcg = p.metric_info("ndcg_at_10");
        assert_eq!(ndcg.step_text(0.01), "+0.01");
        let money = p.metric_info("rpm_eur");
        assert_eq!(money.step_text(1.0), "+1 €");
    }

    #[test]
    fn verdicts_written_with_columns_are_relabelled() {
        let p = framed();
        assert_eq!(
            p.relabel(
                "treatment raised the average rpm_eur from 2.1 to 2.2 (+4%).",
                "rpm_eur"
            ),
            "treatment raised the average revenue per thousand impressions (RPM) from 2.1 to \
             2.2 (+4%)."
        );
        assert_eq!(
            p.relabel("ctr_pct or rpm_eur does not vary.", "ctr_pct"),
            "Click-through rate or rpm_eur does not vary."
        );
        // Whole words only.
        assert_eq!(
            p.relabel("ctr_pct_model changed ctr_pct.", "ctr_pct"),
            "ctr_pct_model changed click-through rate."
        );
    }
}
