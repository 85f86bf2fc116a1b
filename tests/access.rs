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
use throughline::app::{Command, Document, Settings, ThroughlineApp};
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
    }
    show(&mut h, |p| p.view.page = Page::WhatIf);
    for tab in ["Scenarios", "Compare scenarios", "Classifier threshold"] {
        common::click(&mut h, tab);
        evidence_fixture::settle(&mut h);
        missing.check(&h, &format!("What-if · {tab}"));
    }
    show(&mut h, |p| p.view.page = Page::Summary);
    missing.check(&h, "Summary");
    missing.assert_none();
}
