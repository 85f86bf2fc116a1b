//! The application icon (window and taskbar), embedded in the binary so that it needs no file
//! beside the executable. The same picture is installed for the desktop entry by the Debian
//! package (`packaging/`).

/// The icon as PNG bytes (256×256, drawn by `packaging/make_icon.sh`).
pub const ICON_PNG: &[u8] = include_bytes!("../../packaging/throughline.png");

/// The icon decoded for the window, or `None` if it cannot be decoded (the window then opens
/// with the system's default icon rather than not at all).
pub fn window_icon() -> Option<egui::IconData> {
    let image = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png).ok()?;
    let rgba = image.to_rgba8();
    let (width, height) = rgba.dimensions();
    Some(egui::IconData {
        rgba: rgba.into_raw(),
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_icon_decodes_to_a_square_picture_with_its_colours() {
        let icon = window_icon().expect("the embedded icon decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // The centre-left of the rounded square is the accent blue, fully opaque; a corner is
        // transparent (the square's corners are rounded).
        let at = |x: usize, y: usize| &icon.rgba[(y * 256 + x) * 4..(y * 256 + x) * 4 + 4];
        assert_eq!(at(20, 128), &[0, 114, 178, 255]);
        assert_eq!(at(0, 0)[3], 0);
    }
}
