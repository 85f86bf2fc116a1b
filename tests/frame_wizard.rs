//! The Frame wizard driven through its UI by label: every step answered, skip and revisit,
//! gentle warnings, the live re-ranking, and the summary showing the answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{Document, ThroughlineApp};
use throughline::model::{FrameStep, Page, StepStatus, TaskType};

/// Type into the single- or multi-line text field labelled `label`.
fn type_into(h: &mut Harness<'_, ThroughlineApp>, label: &str, text: &str) {
    let field = h
        .query_by_role_and_label(Role::TextInput, label)
        .or_else(|| h.query_by_role_and_label(Role::MultilineTextInput, label))
        .unwrap_or_else(|| panic!("no text field labelled {label:?}"));
    field.focus();
    field.type_text(text);
    h.run_ok();
}

/// Click the first widget labelled `label`, scrolling it into view first.
fn click_first(h: &mut Harness<'_, ThroughlineApp>, label: &str) {
    h.get_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("no widget labelled {label:?}"))
        .scroll_to_me();
    h.run_ok();
    h.get_all_by_label(label).next().unwrap().click();
    h.run_ok();
}

/// Click the one widget labelled `label`, scrolling it into view first.
fn click(h: &mut Harness<'_, ThroughlineApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    common::click(h, label);
}

fn step(h: &Harness<'_, ThroughlineApp>) -> FrameStep {
    h.state().project().unwrap().view.frame_step
}

fn next(h: &mut Harness<'_, ThroughlineApp>) {
    common::click(h, "Next  ›");
}

fn shows(h: &Harness<'_, ThroughlineApp>, text: &str) {
    assert!(
        h.query_all_by_label(text).next().is_some(),
        "the window does not show {text:?}"
    );
}

/// Open an example at a step, as a document without a file (so no machine-specific path shows
/// in the status bar of a snapshot).
fn open_example(h: &mut Harness<'_, ThroughlineApp>, file: &str, at: FrameStep) {
    let mut project = throughline::io::load_project(&common::examples_dir().join(file)).unwrap();
    project.view.page = Page::Frame;
    project.view.frame_step = at;
    let app = h.state_mut();
    app.ws.doc = Some(Document::new(project, None));
    app.ws.messages.status = None;
    h.run_ok();
}

#[test]
fn walk_every_step_by_label_and_see_the_answers_on_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    click(&mut h, "New project");

    // 1. Business problem.
    assert_eq!(step(&h), FrameStep::Problem);
    h.get_by_label("Business problem");
    type_into(&mut h, "Project name", "Churn study");
    type_into(
        &mut h,
        "Problem statement",
        "Too many subscribers cancel in month two",
    );
    type_into(
        &mut h,
        "Decision the prediction drives",
        "Who gets a retention offer each week",
    );
    type_into(
        &mut h,
        "How it is done today, without ML",
        "Everyone with a failed payment gets a call",
    );
    type_into(&mut h, "Owner", "Head of Retention");
    type_into(&mut h, "Stakeholders", "Retention team, Finance");
    next(&mut h);

    // 2. Business objectives.
    assert_eq!(step(&h), FrameStep::Objectives);
    click(&mut h, "Add a business objective");
    type_into(&mut h, "Metric", "Monthly churn");
    type_into(&mut h, "Unit", "%");
    click(&mut h, "Lower is better");
    type_into(&mut h, "Target", "3,6");
    // Gentle validation: a warning, nothing blocked.
    h.get_by_label_contains("a target without a baseline cannot be measured");
    type_into(&mut h, "Baseline (today)", "4.2");
    assert!(
        h.query_by_label_contains("a target without a baseline")
            .is_none()
    );
    type_into(&mut h, "Horizon", "6 months");
    type_into(&mut h, "Counts as a failure if", "Churn above 4% in June");
    let objective = h.state().project().unwrap().framing.objectives[0].clone();
    assert_eq!(objective.baseline, Some(4.2));
    assert_eq!(objective.target, Some(3.6));
    next(&mut h);

    // 3. Is ML the right tool?
    assert_eq!(step(&h), FrameStep::MlFit);
    // The step counts as answered only once each of its seven questions is.
    click_first(&mut h, "Yes");
    assert!(
        !h.state()
            .project()
            .unwrap()
            .framing
            .is_answered(FrameStep::MlFit)
    );
    for k in 1..7 {
        h.get_all_by_label("Yes").nth(k).unwrap().scroll_to_me();
        h.run_ok();
        h.get_all_by_label("Yes").nth(k).unwrap().click();
        h.run_ok();
    }
    h.get_by_label("All 7 questions answered.");
    type_into(&mut h, "Conclusion", "Go, with a hold-out group");
    next(&mut h);

    // 4. ML task, with the decision guide.
    assert_eq!(step(&h), FrameStep::Task);
    type_into(
        &mut h,
        "What is predicted",
        "Will this subscriber cancel within 30 days?",
    );
    type_into(&mut h, "For which entity", "Subscriber");
    click(&mut h, "A category");
    type_into(&mut h, "How many categories are there?", "2");
    click(&mut h, "Yes, for most cases");
    h.get_by_label_contains("Two categories (yes or no)");
    click(&mut h, "Compare the suggested framings");
    assert_eq!(
        h.state().project().unwrap().framing.task.alternatives.len(),
        2
    );
    h.get_by_label("Framing 2");
    click_first(&mut h, "Choose this");
    let task = &h.state().project().unwrap().framing.task;
    assert_eq!(task.task_type, TaskType::BinaryClassification);
    assert!(task.alternatives[0].chosen);
    next(&mut h);

    // 5. ML objective and the hypothesised link.
    assert_eq!(step(&h), FrameStep::MlObjective);
    type_into(&mut h, "Loss", "Log loss");
    click(&mut h, "AUC");
    click(&mut h, "Add a link");
    type_into(
        &mut h,
        "By about how much",
        "+0.02 AUC should lower churn by 0.1 pp",
    );
    let link = h.state().project().unwrap().framing.ml_objective.links[0].clone();
    assert_eq!(link.ml_metric, "AUC");
    assert_eq!(link.business_metric, "Monthly churn");
    next(&mut h);

    // 6. Decoupled objectives.
    assert_eq!(step(&h), FrameStep::Decoupled);
    click(&mut h, "Start with quality and engagement");
    h.get_by_label("Live preview");
    next(&mut h);

    // 7. Requirements.
    assert_eq!(step(&h), FrameStep::Requirements);
    type_into(
        &mut h,
        "Reliability",
        "Check the weekly list before it goes out",
    );
    type_into(
        &mut h,
        "Reliability target",
        "Delivered by 08:00 in 99% of weeks",
    );
    next(&mut h);

    // 8. Process and maturity.
    assert_eq!(step(&h), FrameStep::Process);
    click(&mut h, "Scoping");
    click(&mut h, "First ML project");
    click(&mut h, "Use this text");
    let framing = &h.state().project().unwrap().framing;
    assert!(framing.process.roi_expectation.contains("overnight no"));
    assert_eq!(framing.answered_steps(), 8, "every step is answered");
    for s in FrameStep::ALL {
        assert_eq!(framing.status(s), StepStatus::Complete, "{s:?}");
    }

    // On to the summary, which shows the answers.
    click(&mut h, "See the summary  ›");
    assert_eq!(h.state().project().unwrap().view.page, Page::Summary);
    for text in [
        "Too many subscribers cancel in month two",
        "Who gets a retention offer each week",
        "Head of Retention",
        "Monthly churn (lower is better)",
        "4.2%",
        "3.6%",
        "Churn above 4% in June",
        "Go, with a hold-out group",
        "Will this subscriber cancel within 30 days?",
        "Binary classification (2 classes)",
        "Log loss",
        "AUC › Monthly churn: +0.02 AUC should lower churn by 0.1 pp",
        "Check the weekly list before it goes out",
        "Delivered by 08:00 in 99% of weeks",
        "Scoping",
        "First ML project",
        "8 of 8 framing steps answered · 0 data files · 0 analyses · 0 what-if scenarios",
    ] {
        shows(&h, text);
    }
    h.get_by_label("Export summary as HTML…");
    h.get_by_label("Export summary as Markdown…");

    // The wizard's edits are undoable like any other.
    common::wait_secs(&mut h, 1.0);
    let before = h.state().project().unwrap().clone();
    common::press_command(&mut h, egui::Key::Z);
    assert_ne!(
        h.state().project().unwrap(),
        &before,
        "undo reverts the last change"
    );
}

#[test]
fn a_step_can_be_skipped_and_revisited() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    click(&mut h, "New project");
    click(&mut h, "Skip for now");
    assert_eq!(step(&h), FrameStep::Objectives);
    let framing = &h.state().project().unwrap().framing;
    assert_eq!(framing.status(FrameStep::Problem), StepStatus::Skipped);
    assert_eq!(framing.status(FrameStep::Objectives), StepStatus::NotYet);

    // Free navigation: straight to step 5 and back to step 1 from the step list.
    click(&mut h, "5. ML objective");
    assert_eq!(step(&h), FrameStep::MlObjective);
    click(&mut h, "1. Business problem");
    h.get_by_label_contains("You skipped this step for now");
    type_into(&mut h, "Problem statement", "Fraud losses grew");
    assert_eq!(
        h.state()
            .project()
            .unwrap()
            .framing
            .status(FrameStep::Problem),
        StepStatus::Complete
    );
    // Back is disabled on the first step; Next moves on.
    click(&mut h, "‹  Back");
    assert_eq!(step(&h), FrameStep::Problem);
    next(&mut h);
    assert_eq!(step(&h), FrameStep::Objectives);
}

/// Tab goes through a step's fields before Back, Skip and Next, as in any form: from the last
/// field of the first step, Tab reaches "Skip for now" (Back is disabled there), then Next.
/// (Before, the buttons were drawn before the step and came right after the step list.)
#[test]
fn tab_reaches_the_fields_before_back_and_next() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    click(&mut h, "New project");
    assert_eq!(step(&h), FrameStep::Problem);
    h.get_by_label("Stakeholders").focus();
    h.run();
    assert!(h.get_by_label("Stakeholders").is_focused());
    h.key_press(egui::Key::Tab);
    h.run();
    assert!(
        h.get_by_label("Skip for now").is_focused(),
        "the buttons come right after the last field"
    );
    h.key_press(egui::Key::Tab);
    h.run();
    assert!(h.get_by_label("Next  ›").is_focused());
    // From the step list, Tab goes into the step, not to the buttons.
    h.get_by_label("8. Process and maturity").focus();
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    assert!(!h.get_by_label("8. Process and maturity").is_focused());
    assert!(!h.get_by_label("Skip for now").is_focused());
    assert!(!h.get_by_label("Next  ›").is_focused());
}

#[test]
fn the_example_hint_shows_another_example_and_can_be_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    open_example(&mut h, "churn-prediction.ron", FrameStep::Task);
    // The churn project's own answers would be a poor hint: another example is shown.
    h.get_by_label("Example from");
    shows(
        &h,
        "The probability that this payment is fraud (confirmed by a charge-back within 90 days)",
    );
    click(&mut h, "Hide");
    assert!(h.query_by_label("Example from").is_none());
    click(&mut h, "Show an example answer");
    h.get_by_label("Example from");
}

#[test]
fn the_ranking_preview_follows_the_weights() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    open_example(&mut h, "newsfeed-ranking.ron", FrameStep::Decoupled);
    let top = |h: &Harness<'_, ThroughlineApp>, label: &str| {
        h.get_all_by_label(label)
            .map(|n| n.rect().top())
            .fold(f32::INFINITY, f32::min)
    };
    let clickbait = "Celebrity gossip, clickbait title";
    let explainer = "In-depth science explainer";
    assert!(top(&h, explainer) < top(&h, clickbait));
    // All weight on engagement: the clickbait rises above the explainer. No retraining.
    {
        let objectives = &mut h
            .state_mut()
            .ws
            .doc
            .as_mut()
            .unwrap()
            .project
            .framing
            .decoupled
            .objectives;
        objectives[0].weight = 0.0;
        objectives[1].weight = 1.0;
        objectives[2].weight = 0.0;
    }
    h.run_ok();
    assert!(top(&h, clickbait) < top(&h, explainer));
    assert!(
        h.get_all_by_label_contains("without retraining anything")
            .next()
            .is_some()
    );
}

#[test]
fn the_step_list_becomes_a_strip_in_presentation_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    open_example(&mut h, "newsfeed-ranking.ron", FrameStep::Problem);
    // Large text (View menu); F5 opens the deck.
    h.state_mut()
        .send(throughline::app::Command::TogglePresentation);
    h.run_ok();
    // Same accessible names, short titles on screen.
    click(&mut h, "4. ML task");
    assert_eq!(step(&h), FrameStep::Task);
    h.get_by_role_and_label(Role::TextInput, "What is predicted");
}

#[test]
fn snapshot_task_step_with_decision_guide() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    open_example(&mut h, "next-app-recommendation.ron", FrameStep::Task);
    click(&mut h, "Hide");
    h.get_by_label("How many categories are there?")
        .scroll_to_me();
    h.run_ok();
    h.remove_cursor();
    h.run_ok();
    h.snapshot("frame_task_step");
}

#[test]
fn snapshot_decoupled_step() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    open_example(&mut h, "newsfeed-ranking.ron", FrameStep::Decoupled);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("frame_decoupled_step");
}

#[test]
fn snapshot_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    open_example(&mut h, "churn-prediction.ron", FrameStep::Problem);
    click(&mut h, "5   Summary");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("summary");
}
