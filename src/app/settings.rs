//! Settings kept between sessions in eframe's storage (not in the project).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ZoomStep;

pub const STORAGE_KEY: &str = "throughline-settings";
const MAX_RECENT: usize = 10;

/// The interface zoom levels Ctrl+= and Ctrl+- step through.
pub const ZOOM_LEVELS: [f32; 11] = [0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
    pub dark_mode: bool,
    pub presentation: bool,
    /// Whether the user chose light or dark; until then the theme follows the system's.
    pub theme_chosen: bool,
    /// The interface zoom (Ctrl+= / Ctrl+- / Ctrl+0); 1 is the normal size.
    pub zoom: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent_files: Vec::new(),
            dark_mode: false,
            presentation: false,
            theme_chosen: false,
            zoom: 1.0,
        }
    }
}

impl Settings {
    /// Put `path` first in the recent files.
    pub fn add_recent(&mut self, path: &Path) {
        let path = crate::io::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_files.retain(|p| p != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(MAX_RECENT);
    }

    pub fn forget_recent(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
    }

    /// At start: until the user has chosen a theme, follow the system's (when it is known).
    /// Settings written before the choice was remembered count a dark theme as chosen (it was
    /// never the default).
    pub fn follow_system_theme(&mut self, system_dark: Option<bool>) {
        if self.dark_mode {
            self.theme_chosen = true;
        }
        if !self.theme_chosen
            && let Some(dark) = system_dark
        {
            self.dark_mode = dark;
        }
    }

    /// The user switched between light and dark: remembered from now on.
    pub fn toggle_dark_mode(&mut self) {
        self.dark_mode = !self.dark_mode;
        self.theme_chosen = true;
    }

    /// The zoom to use: a saved value that is not a sensible zoom counts as the normal size.
    pub fn zoom(&self) -> f32 {
        if self.zoom.is_finite()
            && (ZOOM_LEVELS[0]..=ZOOM_LEVELS[ZOOM_LEVELS.len() - 1]).contains(&self.zoom)
        {
            self.zoom
        } else {
            1.0
        }
    }

    /// One step larger or smaller, or the normal size.
    pub fn zoom_step(&mut self, step: ZoomStep) {
        let now = self.zoom();
        self.zoom = match step {
            ZoomStep::Reset => 1.0,
            ZoomStep::In => ZOOM_LEVELS
                .iter()
                .copied()
                .find(|z| *z > now + 1e-3)
                .unwrap_or(now),
            ZoomStep::Out => ZOOM_LEVELS
                .iter()
                .rev()
                .copied()
                .find(|z| *z < now - 1e-3)
                .unwrap_or(now),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_steps_through_the_levels_and_stops_at_the_ends() {
        let mut s = Settings::default();
        s.zoom_step(ZoomStep::In);
        assert_eq!(s.zoom, 1.1);
        s.zoom_step(ZoomStep::Out);
        s.zoom_step(ZoomStep::Out);
        assert_eq!(s.zoom, 0.9);
        for _ in 0..20 {
            s.zoom_step(ZoomStep::Out);
        }
        assert_eq!(s.zoom, 0.67);
        for _ in 0..20 {
            s.zoom_step(ZoomStep::In);
        }
        assert_eq!(s.zoom, 2.5);
        s.zoom_step(ZoomStep::Reset);
        assert_eq!(s.zoom, 1.0);
        // A broken saved value is the normal size.
        s.zoom = f32::NAN;
        assert_eq!(s.zoom(), 1.0);
        s.zoom = 0.0;
        s.zoom_step(ZoomStep::In);
        assert_eq!(s.zoom, 1.1);
    }

    #[test]
    fn the_theme_follows_the_system_until_chosen() {
        let mut s = Settings::default();
        s.follow_system_theme(Some(true));
        assert!(s.dark_mode && !s.theme_chosen);
        // Next start, the system is light again: still following.
        s.dark_mode = false;
        s.follow_system_theme(Some(false));
        assert!(!s.dark_mode);
        s.toggle_dark_mode();
        assert!(s.dark_mode && s.theme_chosen);
        s.follow_system_theme(Some(false));
        assert!(s.dark_mode, "the user's choice wins over the system");
        // Old settings with dark mode on: chosen.
        let mut old = Settings {
            dark_mode: true,
            ..Settings::default()
        };
        old.follow_system_theme(Some(false));
        assert!(old.dark_mode && old.theme_chosen);
        // Unknown system theme: unchanged.
        let mut s = Settings::default();
        s.follow_system_theme(None);
        assert!(!s.dark_mode);
    }

    #[test]
    fn settings_saved_before_zoom_existed_load_with_the_normal_size() {
        let old = "(recent_files: [], dark_mode: false, presentation: false)";
        let s: Settings = ron::from_str(old).unwrap_or_default();
        assert_eq!(s.zoom(), 1.0);
        assert!(!s.theme_chosen);
    }
}
