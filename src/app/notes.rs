//! Notes pinned to framing steps, analyses and scenarios: adding and deleting one. Each is its
//! own undo step; typing in a note is an edit like any other (merged by the undo history).

use super::{Command, ThroughlineApp};

impl ThroughlineApp {
    pub(super) fn apply_note_command(&mut self, command: Command) {
        let Some(doc) = &mut self.ws.doc else { return };
        match command {
            Command::AddNote(on) => {
                doc.checkpoint();
                let id = doc.project.add_note(on);
                // The new note's field takes the keyboard focus, ready for typing.
                self.ws.pages.focus_note = Some(id);
            }
            Command::DeleteNote(id) => {
                doc.checkpoint();
                if doc.project.remove_note(&id) {
                    self.ws.messages.info("Note deleted. Undo brings it back.");
                }
            }
            _ => {}
        }
    }
}
