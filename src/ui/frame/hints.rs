//! The example projects, built into the app, whose answers the wizard shows as hints. They are
//! the same files as in `projects/`, so a hint always matches an example the user can open.

use std::sync::OnceLock;

use crate::model::Project;

const SOURCES: [(&str, &str); 5] = [
    (
        "churn-prediction.ron",
        include_str!("../../../projects/churn-prediction.ron"),
    ),
    (
        "card-fraud-detection.ron",
        include_str!("../../../projects/card-fraud-detection.ron"),
    ),
    (
        "next-app-recommendation.ron",
        include_str!("../../../projects/next-app-recommendation.ron"),
    ),
    (
        "newsfeed-ranking.ron",
        include_str!("../../../projects/newsfeed-ranking.ron"),
    ),
    (
        "ad-click-through-rate.ron",
        include_str!("../../../projects/ad-click-through-rate.ron"),
    ),
];

/// The built-in examples that parse (all of them, as a test checks).
pub fn examples() -> &'static [Project] {
    static EXAMPLES: OnceLock<Vec<Project>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(name, text)| {
                crate::io::parse_project(text, std::path::Path::new(name)).ok()
            })
            .collect()
    })
}

/// The example to show by default: the first whose name differs from the open project's (an
/// example's own answers make a poor hint for itself).
pub fn default_example(project_name: &str) -> usize {
    examples()
        .iter()
        .position(|e| e.name.trim() != project_name.trim())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_example_parses_and_is_complete() {
        assert_eq!(examples().len(), SOURCES.len());
        for example in examples() {
            assert_eq!(
                example.framing.answered_steps(),
                crate::model::FrameStep::ALL.len(),
                "{}",
                example.name
            );
        }
        assert_eq!(default_example("Churn prediction"), 1);
        assert_eq!(default_example("Something else"), 0);
    }
}
