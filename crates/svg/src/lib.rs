//! What every SVG chart of Trappa shares: the plan's dose chart (drawn by the web
//! crate) and the board's report charts (`trappa-reporting`) register the same font to
//! measure their labels, and carry a title and a description for screen readers.
//!
//! The font plotters measures labels with comes from `typst-assets` and is registered
//! once (`register_font`); `accessible` adds the title and description; `escape` does
//! the escaping.

use std::sync::Once;

use plotters::style::FontStyle;

/// Registers the font plotters measures labels with (once; every chart calls it). The
/// browser draws the text itself; the font only measures it.
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // DejaVu Sans Mono from typst-assets: only used to measure label widths.
        if let Some(font) = typst_assets::fonts().find(|f| f.len() > 300_000 && is_dejavu(f)) {
            let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, font);
        }
    });
}

fn is_dejavu(font: &[u8]) -> bool {
    font.windows(7).any(|w| w == b"DejaVuS")
}

/// Gives an SVG document a title and a description for screen readers, with ids
/// `{id}-title` and `{id}-desc` (unique on a page that shows several charts).
pub fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let Some(open) = svg.find("<svg") else {
        return svg.to_owned();
    };
    let Some(close) = svg[open..].find('>').map(|c| open + c) else {
        return svg.to_owned();
    };
    format!(
        "{} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        &svg[..close],
        escape(title),
        escape(desc),
        &svg[close + 1..]
    )
}

/// Escapes text for SVG and XML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_gets_a_title_and_a_description_escaped() {
        let svg = accessible("<svg width=\"1\"><g/></svg>", "c", "Dos & tid", "<v>");
        assert!(
            svg.starts_with("<svg width=\"1\" role=\"img\" aria-labelledby=\"c-title c-desc\">")
        );
        assert!(svg.contains("<title id=\"c-title\">Dos &amp; tid</title>"));
        assert!(svg.contains("<desc id=\"c-desc\">&lt;v&gt;</desc><g/></svg>"));
        assert_eq!(accessible("no svg", "c", "t", "d"), "no svg");
    }

    #[test]
    fn the_measuring_font_is_the_shipped_dejavu() {
        assert!(typst_assets::fonts().any(|f| f.len() > 300_000 && is_dejavu(f)));
    }
}
