//! Notes pinned during a workshop: what the room said about a framing step, an Evidence
//! analysis or a what-if scenario. Saved in the project (left out of the file while there are
//! none, so older files and files without notes keep their exact bytes).

use serde::{Deserialize, Serialize};

use super::{FrameStep, Project, scenario_display_name};

/// What a note is pinned to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoteOn {
    /// A step of the Frame wizard.
    Step(FrameStep),
    /// An Evidence analysis, by id (ids are unique across the kinds of analysis).
    Analysis(String),
    /// A what-if scenario, by id.
    Scenario(String),
}

impl Default for NoteOn {
    fn default() -> Self {
        NoteOn::Step(FrameStep::default())
    }
}

/// One note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Note {
    /// Unique in the project ("note-1", "note-2", …).
    pub id: String,
    pub on: NoteOn,
    pub text: String,
}

impl Project {
    /// The notes pinned to `on`, in the order they were added.
    pub fn notes_on<'a>(&'a self, on: &'a NoteOn) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes.iter().filter(move |n| &n.on == on)
    }

    /// Pin a new, empty note to `on`; returns its id.
    pub fn add_note(&mut self, on: NoteOn) -> String {
        let id = (1..)
            .map(|n| format!("note-{n}"))
            .find(|id| !self.notes.iter().any(|n| &n.id == id))
            .unwrap_or_else(|| "note".to_string());
        self.notes.push(Note {
            id: id.clone(),
            on,
            text: String::new(),
        });
        id
    }

    /// Take a note out of the project; whether there was one with this id.
    pub fn remove_note(&mut self, id: &str) -> bool {
        let before = self.notes.len();
        self.notes.retain(|n| n.id != id);
        self.notes.len() != before
    }

    /// A short name for what a note is pinned to ("Framing · Business problem", "Scenario ·
    /// Pilot"), or `None` when that analysis or scenario is no longer in the project.
    pub fn note_place(&self, on: &NoteOn) -> Option<String> {
        match on {
            NoteOn::Step(step) => Some(format!("Framing · {}", step.title())),
            NoteOn::Analysis(id) => {
                let e = &self.evidence;
                let found = e
                    .experiments
                    .iter()
                    .map(|a| (&a.id, &a.name, "Experiment results"))
                    .chain(e.links.iter().map(|a| (&a.id, &a.name, "ML vs business")))
                    .chain(e.thresholds.iter().map(|a| (&a.id, &a.name, "Threshold")))
                    .chain(e.timelines.iter().map(|a| (&a.id, &a.name, "Over time")))
                    .chain(
                        e.distributions
                            .iter()
                            .map(|a| (&a.id, &a.name, "Distributions")),
                    )
                    .chain(e.metas.iter().map(|a| (&a.id, &a.name, "Past experiments")))
                    .find(|(a, _, _)| *a == id)?;
                let (_, name, kind) = found;
                let name = if name.trim().is_empty() {
                    id.as_str()
                } else {
                    name.trim()
                };
                Some(format!("Evidence · {kind} · {name}"))
            }
            NoteOn::Scenario(id) => self
                .scenarios
                .iter()
                .find(|s| &s.id == id)
                .map(|s| format!("Scenario · {}", scenario_display_name(s))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_added_found_and_removed() {
        let mut p = Project::named("n");
        let a = p.add_note(NoteOn::Step(FrameStep::Task));
        let b = p.add_note(NoteOn::Scenario("s-1".into()));
        assert_eq!((a.as_str(), b.as_str()), ("note-1", "note-2"));
        assert_eq!(p.notes_on(&NoteOn::Step(FrameStep::Task)).count(), 1);
        assert_eq!(
            p.note_place(&NoteOn::Step(FrameStep::Task)).as_deref(),
            Some("Framing · ML task")
        );
        // The scenario is not in the project: no place.
        assert_eq!(p.note_place(&NoteOn::Scenario("s-1".into())), None);
        assert!(p.remove_note(&a));
        assert!(!p.remove_note(&a));
        assert_eq!(p.add_note(NoteOn::default()), "note-1");
    }
}
