//! Keyboard and screen-reader access (issue 17, item 3): every control has a name a screen
//! reader can say, the Frame wizard and every page work from the keyboard alone (Tab, Enter,
//! Space, Esc), every plot shows its numbers as a table on request, and the interface zoom
//! (Ctrl+= / Ctrl+- / Ctrl+0) changes and is remembered.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui::Key;
use egui::accesskit::{Action, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use throughline::app::{Command, Settings, ThroughlineApp};
use throughline::model::{EvidenceTab, FrameStep, Page, Project};

type H = Harness<'static, ThroughlineApp>;

fn example(file: &str) -> std::path::PathBuf {
    common::examples_dir().join(file)
}

/// A tall window showing a new project made from an example, all its analyses computed.
fn open_example(tmp: &std::path::Path, file: &str) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), 1400.0);
    h.state_mut().send(Command::NewFromExample(example(file)));
    h.run_ok();
    evidence_fixture::settle(&mut h);
    h
}

fn project(h: &H) -> &Project {
    h.state().project().unwrap()
}

fn show(h: &mut H, change: impl FnOnce(&mut Project)) {
    let doc = h.state_mut().ws.doc.as_mut().unwrap();
    change(&mut doc.project);
    h.run_ok();
    evidence_fixture::settle(h);
}

/// Every clickable or focusable control in the window that has no name for a screen reader:
/// (role, what is around it).
fn unlabelled(h: &H) -> Vec<String> {
    h.root()
        .children_recursive()
        .filter_map(|node| {
            let n = node.accesskit_node();
            let data = n.data();
            let control = data.supports_action(Action::Click)
                || matches!(
                    n.role(),
                    Role::TextInput
                        | Role::MultilineTextInput
                        | Role::ComboBox
                        | Role::Slider
                        | Role::SpinButton
                        | Role::CheckBox
                );
            // Text (a label) is named by what it says; a scroll bar is egui's own and screen
            // readers scroll the content itself.
            if !control || n.is_hidden() || matches!(n.role(), Role::Label | Role::ScrollBar) {
                return None;
            }
            let label = n.label().unwrap_or_default();
            let value = n.value().unwrap_or_default();
            if !label.trim().is_empty() {
                return None;
            }
            let parent = node
                .parent()
                .and_then(|p| p.accesskit_node().label())
                .unwrap_or_default();
            Some(format!(
                "{:?} (value {value:?}, inside {parent:?})",
                n.role()
            ))
        })
        .collect()
}

/// Collects the controls without a label, by place, so one run lists them all.
#[derive(Default)]
struct Missing(Vec<String>);

impl Missing {
    fn check(&mut self, h: &H, place: &str) {
        for m in unlabelled(h) {
            self.0.push(format!("{place}: {m}"));
        }
    }

    fn assert_none(&self) {
        assert!(
            self.0.is_empty(),
            "controls without a label for screen readers: {:#?}",
            self.0
        );
    }
}

#[test]
fn every_control_on_every_page_has_a_label() {
    let tmp = tempfile::tempdir().unwrap();
    let mut missing = Missing::default();
    let mut h = common::harness(common::options(tmp.path()));
    missing.check(&h, "welcome screen");
    let mut h2 = open_example(tmp.path(), "churn-prediction.ron");
    std::mem::swap(&mut h, &mut h2);
    drop(h2);
    for step in FrameStep::ALL {
        show(&mut h, |p| {
            p.view.page = Page::Frame;
            p.view.frame_step = step;
        });
        missing.check(&h, &format!("Frame · {}", step.title()));
    }
    show(&mut h, |p| p.view.page = Page::Data);
    missing.check(&h, "Data");
    for tab in EvidenceTab::ALL {
        show(&mut h, |p| {
            p.view.page = Page::Evidence;
            p.view.evidence.tab = tab;
        });
        missing.check(&h, &format!("Evidence · {}", tab.label()));
        // With its settings open.
        let has_settings = h.query_all_by_label("Settings").next().is_some();
        if has_settings {
            h.get_all_by_label("Settings").next().unwrap().click();
            h.run_ok();
            evidence_fixture::settle(&mut h);
            missing.check(&h, &format!("Evidence · {} · Settings", tab.label()));
        }
    }
    show(&mut h, |p| p.view.page = Page::WhatIf);
    for tab in ["Scenarios", "Compare scenarios", "Classifier threshold"] {
        common::click(&mut h, tab);
        evidence_fixture::settle(&mut h);
        missing.check(&h, &format!("What-if · {tab}"));
    }
    show(&mut h, |p| p.view.page = Page::Summary);
    missing.check(&h, "Summary");
    // The menus, open.
    for menu in ["File", "Edit", "View"] {
        h.get_all_by_label(menu).next().unwrap().click();
        h.run_steps(3);
        missing.check(&h, &format!("{menu} menu"));
        press(&mut h, Key::Escape);
    }
    missing.assert_none();
}

/// The name of the control that has the keyboard focus, if any.
fn focused(h: &H) -> Option<String> {
    h.root()
        .children_recursive()
        .find(|n| n.accesskit_node().is_focused())
        .map(|n| n.accesskit_node().label().unwrap_or_default())
}

/// Press Tab until the control named `label` has the focus (at most 300 presses).
fn tab_to(h: &mut H, label: &str) {
    for _ in 0..300 {
        if focused(h).as_deref() == Some(label) {
            return;
        }
        h.key_press(Key::Tab);
        h.run_ok();
    }
    panic!(
        "Tab never reached {label:?}; the focus is on {:?}",
        focused(h)
    );
}

fn press(h: &mut H, key: Key) {
    h.key_press(key);
    h.run_ok();
}

fn frame_step(h: &H) -> FrameStep {
    project(h).view.frame_step
}

#[test]
fn the_frame_wizard_by_keyboard_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    // The welcome screen: Tab to "New project", Enter.
    tab_to(&mut h, "New project");
    press(&mut h, Key::Enter);
    assert_eq!(frame_step(&h), FrameStep::Problem);
    // A field is reached with Tab and typed into.
    tab_to(&mut h, "Project name");
    h.get_by_role_and_label(Role::TextInput, "Project name")
        .type_text("Keyboard study");
    h.run_ok();
    assert_eq!(project(&h).name, "Keyboard study");
    // Next with Enter, then with Space; the focus stays on Next, so the whole wizard is a
    // series of presses.
    tab_to(&mut h, "Next  ›");
    press(&mut h, Key::Enter);
    assert_eq!(frame_step(&h), FrameStep::Objectives);
    assert_eq!(
        focused(&h).as_deref(),
        Some("Next  ›"),
        "the focus stays on Next"
    );
    press(&mut h, Key::Space);
    assert_eq!(frame_step(&h), FrameStep::MlFit);
    for expected in [
        FrameStep::Task,
        FrameStep::MlObjective,
        FrameStep::Decoupled,
        FrameStep::Requirements,
        FrameStep::Process,
    ] {
        tab_to(&mut h, "Next  ›");
        press(&mut h, Key::Enter);
        assert_eq!(frame_step(&h), expected);
    }
    // Back, and a step of the step list, by keyboard.
    tab_to(&mut h, "‹  Back");
    press(&mut h, Key::Enter);
    assert_eq!(frame_step(&h), FrameStep::Requirements);
    tab_to(&mut h, "3. Is ML the right tool?");
    press(&mut h, Key::Space);
    assert_eq!(frame_step(&h), FrameStep::MlFit);
    // The last step leads to the Summary.
    show(&mut h, |p| p.view.frame_step = FrameStep::Process);
    tab_to(&mut h, "See the summary  ›");
    press(&mut h, Key::Enter);
    assert_eq!(project(&h).view.page, Page::Summary);
}

#[test]
fn every_page_and_its_tabs_by_keyboard_and_esc_closes_dialogs() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_example(tmp.path(), "churn-prediction.ron");
    for (label, page) in [
        ("2   Data", Page::Data),
        ("3   Evidence", Page::Evidence),
        ("4   What-if", Page::WhatIf),
        ("5   Summary", Page::Summary),
        ("1   Frame", Page::Frame),
    ] {
        tab_to(&mut h, label);
        press(&mut h, Key::Enter);
        assert_eq!(project(&h).view.page, page, "{label}");
    }
    // Evidence: a view chosen with Space.
    show(&mut h, |p| p.view.page = Page::Evidence);
    tab_to(&mut h, "ML vs business");
    press(&mut h, Key::Space);
    assert_eq!(project(&h).view.evidence.tab, EvidenceTab::Link);
    // What-if: the comparison tab with Enter.
    show(&mut h, |p| p.view.page = Page::WhatIf);
    tab_to(&mut h, "Compare scenarios");
    press(&mut h, Key::Enter);
    h.get_by_label("Net value over time");
    // Summary: "Export summary as Markdown…" opens the path prompt; Esc closes it.
    show(&mut h, |p| p.view.page = Page::Summary);
    tab_to(&mut h, "Export summary as Markdown…");
    press(&mut h, Key::Enter);
    assert!(
        h.state().dialogs.prompt.is_some(),
        "Enter opened the prompt"
    );
    press(&mut h, Key::Escape);
    assert!(h.state().dialogs.prompt.is_none(), "Esc closed the prompt");
    // "Save changes?" closes with Esc, as Cancel: nothing is lost.
    common::press_command(&mut h, Key::N);
    assert!(h.state().is_asking_to_save());
    press(&mut h, Key::Escape);
    assert!(!h.state().is_asking_to_save());
    assert_eq!(
        project(&h).view.page,
        Page::Summary,
        "the project is still open"
    );
    // Its buttons are reached with Tab too.
    common::press_command(&mut h, Key::N);
    tab_to(&mut h, "Cancel");
    press(&mut h, Key::Enter);
    assert!(!h.state().is_asking_to_save());
    assert_eq!(project(&h).view.page, Page::Summary);
    // An error message closes with Esc.
    h.state_mut().ws.messages.error("A test message.");
    h.run_ok();
    h.get_by_label("Something went wrong");
    press(&mut h, Key::Escape);
    assert!(h.state().ws.messages.errors.is_empty());
}

#[test]
fn zoom_keys_change_the_zoom_and_it_is_remembered() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    let zoom = |h: &H| h.ctx.zoom_factor();
    assert_eq!(zoom(&h), 1.0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Equals);
    h.run_ok();
    h.run_ok();
    assert_eq!(h.state().settings.zoom, 1.1);
    assert!((zoom(&h) - 1.1).abs() < 1e-6);
    common::press_command(&mut h, Key::Equals);
    common::press_command(&mut h, Key::Minus);
    common::press_command(&mut h, Key::Minus);
    common::press_command(&mut h, Key::Minus);
    h.run_ok();
    assert_eq!(h.state().settings.zoom, 0.9);
    assert!((zoom(&h) - 0.9).abs() < 1e-6);
    // Remembered: the settings eframe stores carry the zoom, and a new start uses it.
    let saved: Settings = h.state().settings.clone();
    let mut again = common::harness_with_settings(common::options(tmp.path()), saved);
    again.run_ok();
    assert!((zoom(&again) - 0.9).abs() < 1e-6);
    common::press_command(&mut again, Key::Num0);
    again.run_ok();
    assert_eq!(again.state().settings.zoom, 1.0);
    assert!((zoom(&again) - 1.0).abs() < 1e-6);
    // The View menu has the same, with the shortcuts beside them.
    again.get_by_label("View").click();
    again.run_steps(3);
    again.get_by_label_contains("Zoom in").click();
    again.run_ok();
    again.run_ok();
    assert_eq!(again.state().settings.zoom, 1.1);
}

/// Add a note with the "Add note" button shown now, and type `text` into it (the new note's
/// field has the focus).
fn add_note(h: &mut H, text: &str) {
    let before = project(h).notes.len();
    common::click(h, "Add note");
    h.run_ok();
    assert_eq!(project(h).notes.len(), before + 1, "Add note added a note");
    let field = h
        .get_all_by_role_and_label(Role::MultilineTextInput, "Note")
        .last()
        .expect("the new note's field");
    assert!(
        field.accesskit_node().is_focused(),
        "the new note has the focus"
    );
    field.type_text(text);
    h.run_ok();
}

fn note_texts(h: &H) -> Vec<String> {
    project(h).notes.iter().map(|n| n.text.clone()).collect()
}

#[test]
fn notes_on_a_step_an_analysis_and_a_scenario_are_saved_and_summarised() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_example(tmp.path(), "churn-prediction.ron");
    show(&mut h, |p| {
        p.view.page = Page::Frame;
        p.view.frame_step = FrameStep::Problem;
    });
    add_note(&mut h, "The room: churn means 30 days without a login.");
    show(&mut h, |p| {
        p.view.page = Page::Evidence;
        p.view.evidence.tab = EvidenceTab::Link;
    });
    add_note(&mut h, "Finance doubts the slope; ask for Q3 data.");
    show(&mut h, |p| p.view.page = Page::WhatIf);
    add_note(&mut h, "Try a smaller discount next.");
    assert_eq!(
        note_texts(&h),
        [
            "The room: churn means 30 days without a login.",
            "Finance doubts the slope; ask for Q3 data.",
            "Try a smaller discount next."
        ]
    );
    assert!(unlabelled(&h).is_empty(), "{:?}", unlabelled(&h));

    // Delete, then Undo brings the note back with its text.
    common::wait_secs(&mut h, 1.0);
    common::click(&mut h, "Delete note");
    assert_eq!(project(&h).notes.len(), 2);
    common::press_command(&mut h, Key::Z);
    assert_eq!(
        note_texts(&h).last().unwrap(),
        "Try a smaller discount next."
    );

    // Saved in the project file and read back.
    let path = tmp.path().join("with-notes.ron");
    h.state_mut().send(Command::SaveAs(path.clone()));
    h.run_ok();
    let saved = throughline::io::load_project(&path).unwrap();
    assert_eq!(saved.notes, project(&h).notes);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("notes: ["), "{text}");

    // Reopened: the notes show in place and on the Summary, under where they were pinned.
    let mut again = evidence_fixture::tall_harness(common::options(tmp.path()), 1400.0);
    again.state_mut().send(Command::OpenProject(path.clone()));
    again.run_ok();
    evidence_fixture::settle(&mut again);
    show(&mut again, |p| p.view.page = Page::WhatIf);
    assert!(
        again
            .query_all_by_value("Try a smaller discount next.")
            .any(|n| n.accesskit_node().role() == Role::MultilineTextInput),
        "the note shows in place, editable"
    );
    show(&mut again, |p| p.view.page = Page::Summary);
    again.get_by_label("Notes");
    again.get_by_label("Framing · Business problem");
    again.get_by_label("The room: churn means 30 days without a login.");
    again.get_by_label_contains("Scenario · ");
    again.get_by_label("Try a smaller discount next.");
    again.get_by_label_contains("Evidence · ML vs business · ");

    // And in the exported report, Markdown and HTML.
    let project = again.state().project().unwrap().clone();
    let md =
        throughline::io::report::render(&project, throughline::io::report::ReportFormat::Markdown);
    assert!(md.contains("## Notes"), "{md}");
    assert!(
        md.contains("- Finance doubts the slope; ask for Q3 data."),
        "{md}"
    );
    let html =
        throughline::io::report::render(&project, throughline::io::report::ReportFormat::Html);
    assert!(html.contains("Try a smaller discount next."));
}

#[test]
fn a_project_without_notes_keeps_its_exact_bytes() {
    // Every example: saved without a `notes` field while it has none, so files written before
    // notes existed and files without notes read and write the same bytes.
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::examples_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let project = throughline::io::load_project(&path).unwrap();
        assert!(project.notes.is_empty());
        let copy = tmp.path().join("copy.ron");
        throughline::io::save_project(&project, &copy).unwrap();
        let first = std::fs::read_to_string(&copy).unwrap();
        assert!(!first.contains("\n    notes:"), "{}", path.display());
        let again = throughline::io::load_project(&copy).unwrap();
        throughline::io::save_project(&again, &copy).unwrap();
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), first);
    }
    // The oldest layout (version 0) migrates with no notes.
    let v0 = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project_v0.ron");
    assert!(throughline::io::load_project(&v0).unwrap().notes.is_empty());
    // A notes field written by this version reads back.
    let mut project = throughline::io::load_project(&example("churn-prediction.ron")).unwrap();
    let id = project.add_note(throughline::model::NoteOn::Step(FrameStep::Task));
    project.notes[0].text = "A \"quoted\" note\nover two lines".into();
    let path = tmp.path().join("noted.ron");
    throughline::io::save_project(&project, &path).unwrap();
    let back = throughline::io::load_project(&path).unwrap();
    assert_eq!(back.notes, project.notes);
    assert_eq!(back.notes[0].id, id);
}

#[test]
fn every_plot_can_show_its_numbers_as_a_table() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_example(tmp.path(), "churn-prediction.ron");
    for tab in EvidenceTab::ALL {
        show(&mut h, |p| {
            p.view.page = Page::Evidence;
            p.view.evidence.tab = tab;
        });
        let toggles = h
            .query_all_by_label(throughline::ui::plots::SHOW_AS_TABLE)
            .count();
        let plots = h.query_all_by_role(Role::Figure).count();
        assert_eq!(toggles, plots, "{}: one toggle per plot", tab.label());
    }
    // The Summary's charts too.
    show(&mut h, |p| p.view.page = Page::Summary);
    let toggles = h
        .query_all_by_label(throughline::ui::plots::SHOW_AS_TABLE)
        .count();
    let charts = h.query_all_by_label_contains("Chart: ").count();
    assert!(charts > 0);
    assert_eq!(toggles, charts, "Summary: one toggle per chart");
    h.get_all_by_label(throughline::ui::plots::SHOW_AS_TABLE)
        .next()
        .unwrap()
        .click();
    h.run_ok();
    h.get_by_label("Target versus today: the numbers");
    h.get_by_label("−14.3% (lower is better)");
    show(&mut h, |p| {
        p.view.page = Page::Evidence;
        p.view.evidence.tab = EvidenceTab::Link;
    });
    let first = h
        .get_all_by_label(throughline::ui::plots::SHOW_AS_TABLE)
        .next()
        .unwrap();
    first.click();
    h.run_ok();
    h.run_ok();
    let title = h
        .get_all_by_label_contains(": the numbers")
        .next()
        .expect("the table's title")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(!title.is_empty());
    assert!(unlabelled(&h).is_empty(), "{:?}", unlabelled(&h));
    // Off again.
    h.get_all_by_label(throughline::ui::plots::SHOW_AS_TABLE)
        .next()
        .unwrap()
        .click();
    h.run_ok();
    assert!(h.query_by_label_contains(": the numbers").is_none());
}

/// A window of the usual size showing an example project (an unsaved copy) at `page`.
fn snapshot_window(tmp: &std::path::Path, file: &str, height: f32) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), height);
    h.state_mut().send(Command::NewFromExample(example(file)));
    h.run_ok();
    evidence_fixture::settle(&mut h);
    h
}

fn settled_snapshot(h: &mut H, name: &str) {
    h.state_mut().ws.messages.status = None;
    h.remove_cursor();
    h.run_ok();
    evidence_fixture::settle(h);
    h.snapshot(name);
}

#[test]
fn snapshot_note_on_a_framing_step() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = snapshot_window(tmp.path(), "churn-prediction.ron", 800.0);
    show(&mut h, |p| {
        p.view.page = Page::Frame;
        p.view.frame_step = FrameStep::Objectives;
    });
    add_note(
        &mut h,
        "Finance: the €320,000 target assumes the Q3 price rise. Check with Marta before the \
         steering meeting.",
    );
    settled_snapshot(&mut h, "access_note_frame_step");
}

#[test]
fn snapshot_note_on_a_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = snapshot_window(tmp.path(), "churn-prediction.ron", 800.0);
    show(&mut h, |p| p.view.page = Page::WhatIf);
    add_note(
        &mut h,
        "The room thinks 10 engineering months is optimistic; try 14.",
    );
    settled_snapshot(&mut h, "access_note_scenario");
}

#[test]
fn snapshot_chart_as_table() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = snapshot_window(tmp.path(), "churn-prediction.ron", 1100.0);
    show(&mut h, |p| {
        p.view.page = Page::Evidence;
        p.view.evidence.tab = EvidenceTab::Link;
    });
    h.get_all_by_label(throughline::ui::plots::SHOW_AS_TABLE)
        .next()
        .unwrap()
        .click();
    h.run_ok();
    let table = h.get_all_by_label_contains(": the numbers").next().unwrap();
    table.scroll_to_me();
    h.run_ok();
    settled_snapshot(&mut h, "access_chart_as_table");
}

#[test]
fn the_focus_ring_shows_while_moving_by_keyboard() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = snapshot_window(tmp.path(), "churn-prediction.ron", 800.0);
    show(&mut h, |p| {
        p.view.page = Page::Frame;
        p.view.frame_step = FrameStep::MlFit;
    });
    assert!(!throughline::ui::access::keyboard_mode(&h.ctx));
    tab_to(&mut h, "Next  ›");
    assert!(throughline::ui::access::keyboard_mode(&h.ctx));
    settled_snapshot(&mut h, "access_focus_ring");
    // A click with the pointer hides it again.
    h.get_by_label("‹  Back").click();
    h.run_ok();
    assert!(!throughline::ui::access::keyboard_mode(&h.ctx));
}

#[test]
fn the_theme_follows_the_system_on_the_first_start_then_the_choice_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let start = |settings: Settings| {
        let options = common::options(tmp.path());
        let mut h = Harness::builder()
            .with_size(common::SIZE)
            .build_eframe(move |cc| ThroughlineApp::with_settings(&cc.egui_ctx, options, settings));
        h.input_mut().system_theme = Some(egui::Theme::Dark);
        h.run_ok();
        h.run_ok();
        h
    };
    // First start on a dark system: dark.
    let mut h = start(Settings::default());
    assert!(h.state().settings.dark_mode);
    assert!(h.ctx.global_style().visuals.dark_mode);
    // The user switches to light: kept on the next start, whatever the system says.
    h.state_mut().send(Command::ToggleDarkMode);
    h.run_ok();
    let chosen = h.state().settings.clone();
    assert!(!chosen.dark_mode && chosen.theme_chosen);
    let h = start(chosen);
    assert!(!h.state().settings.dark_mode);
    assert!(!h.ctx.global_style().visuals.dark_mode);
}
