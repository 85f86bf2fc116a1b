//! Errors of the analysis core: inputs that cannot be analysed at all. Figures that are merely
//! undefined (zero variance, n < 2, ...) are not errors: they are `None` with a warning.

use thiserror::Error;

/// Why an analysis could not run.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum AnalysisError {
    #[error("alpha must be between 0 and 1 (exclusive), not {0}")]
    BadAlpha(f64),

    #[error(
        "an experiment needs at least two variants, but the column \"{column}\" holds {}",
        describe_variants(found)
    )]
    TooFewVariants { column: String, found: Vec<String> },

    #[error(
        "the control \"{control}\" does not occur in the column \"{column}\"; the variants found are: {}",
        list(found)
    )]
    UnknownControl {
        control: String,
        column: String,
        found: Vec<String>,
    },

    #[error("expected split (--weights): {0}")]
    BadWeights(String),

    #[error(
        "the metric \"{metric}\" has values other than 0 and 1 (for example {example}), so it \
         cannot be analysed as a proportion; use --kind mean or --kind auto"
    )]
    NotBinary { metric: String, example: String },

    #[error("{0}")]
    BadInput(String),
}

fn list(values: &[String]) -> String {
    if values.is_empty() {
        return "(none)".to_owned();
    }
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_variants(found: &[String]) -> String {
    match found.len() {
        0 => "no values at all".to_owned(),
        1 => format!("only one: {}", list(found)),
        _ => list(found),
    }
}
