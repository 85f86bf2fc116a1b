//! The "Notes" section: what was pinned to framing steps, analyses and scenarios during a
//! workshop, grouped by where it was pinned, in the order of the project (framing steps first).

use super::super::{Block, Section};
use crate::model::{FrameStep, NoteOn, Project};

/// Where a note sorts: framing steps in wizard order, then analyses, then scenarios.
fn order(on: &NoteOn) -> (u8, usize) {
    match on {
        NoteOn::Step(step) => (
            0,
            FrameStep::ALL.iter().position(|s| s == step).unwrap_or(0),
        ),
        NoteOn::Analysis(_) => (1, 0),
        NoteOn::Scenario(_) => (2, 0),
    }
}

/// The notes of the project, or `None` when no note has any text.
pub fn notes_section(project: &Project) -> Option<Section> {
    let mut notes: Vec<_> = project
        .notes
        .iter()
        .filter(|n| !n.text.trim().is_empty())
        .collect();
    if notes.is_empty() {
        return None;
    }
    notes.sort_by_key(|n| order(&n.on));
    let mut blocks = Vec::new();
    let mut places: Vec<(String, Vec<String>)> = Vec::new();
    for note in notes {
        let place = project
            .note_place(&note.on)
            .unwrap_or_else(|| "No longer in the project".to_string());
        let text = note.text.trim().to_string();
        match places.iter_mut().find(|(p, _)| *p == place) {
            Some((_, texts)) => texts.push(text),
            None => places.push((place, vec![text])),
        }
    }
    for (place, texts) in places {
        blocks.push(Block::Heading(place));
        blocks.push(Block::List(texts));
    }
    Some(Section {
        key: "notes",
        title: "Notes".to_string(),
        wide: true,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_grouped_by_place_in_project_order() {
        let mut p = Project::named("n");
        assert_eq!(notes_section(&p), None);
        let a = p.add_note(NoteOn::Scenario("gone".into()));
        let b = p.add_note(NoteOn::Step(FrameStep::Task));
        let c = p.add_note(NoteOn::Step(FrameStep::Problem));
        let d = p.add_note(NoteOn::Step(FrameStep::Task));
        let empty = p.add_note(NoteOn::Step(FrameStep::MlFit));
        for (id, text) in [
            (&a, "orphan"),
            (&b, "task 1"),
            (&c, " problem "),
            (&d, "task 2"),
        ] {
            if let Some(n) = p.notes.iter_mut().find(|n| &n.id == id) {
                n.text = text.to_string();
            }
        }
        let _ = empty;
        let section = notes_section(&p).expect("a section");
        assert_eq!(
            section.blocks,
            vec![
                Block::Heading("Framing · Business problem".into()),
                Block::List(vec!["problem".into()]),
                Block::Heading("Framing · ML task".into()),
                Block::List(vec!["task 1".into(), "task 2".into()]),
                Block::Heading("No longer in the project".into()),
                Block::List(vec!["orphan".into()]),
            ]
        );
    }
}
