//! Text on a PDF page: the embedded fonts, widths measured from the fonts' own glyph
//! advances (skrifa, which krilla already uses), and lines broken to fit a width — so a
//! table cell, a heading or a paragraph is wrapped, never cut or run off the page.

use std::sync::OnceLock;

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The regular and bold faces, for drawing (krilla) and for measuring (their bytes).
pub(super) struct Fonts {
    pub(super) regular: Font,
    pub(super) bold: Font,
    regular_data: &'static [u8],
    bold_data: &'static [u8],
}

/// The embedded fonts, loaded once.
pub(super) fn fonts() -> anyhow::Result<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut all = typst_assets::fonts();
            let (regular_data, bold_data) = (all.next()?, all.next()?);
            Some(Fonts {
                regular: Font::new(regular_data.into(), 0)?,
                bold: Font::new(bold_data.into(), 0)?,
                regular_data,
                bold_data,
            })
        })
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("embedded font could not be loaded"))
}

impl Fonts {
    /// The width of `text` set in one line at `size` points.
    pub(super) fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let data = if bold {
            self.bold_data
        } else {
            self.regular_data
        };
        let Ok(font) = FontRef::from_index(data, 0) else {
            // Unreadable metrics: a generous estimate rather than a panic.
            return text.chars().count() as f32 * size * 0.6;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(size * 0.6)
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width` at `size` points: at spaces, and
    /// inside a word only when the word alone is wider. Each line of `text` starts a new
    /// line; an empty text gives one empty line.
    pub(super) fn lines(&self, text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let fits = |s: &str| self.width(s, size, bold) <= width;
        let mut out = Vec::new();
        for raw in text.lines() {
            let mut line = String::new();
            for word in raw.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if fits(&candidate) {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                // A word wider than the column: as many characters as fit on each line.
                for c in word.chars() {
                    line.push(c);
                    if !fits(&line) && line.chars().count() > 1 {
                        line.pop();
                        out.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            out.push(line);
        }
        if out.is_empty() {
            out.push(String::new());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_their_width_keep_every_word_and_break_long_words() {
        let f = fonts().unwrap();
        assert!(f.width("WWWW", 10.0, false) > f.width("iiii", 10.0, false));
        assert!(f.width("abc", 10.0, true) > 0.0);
        let text = "4 tabletter Stesolid 5 mg och ½ tablett Oxascand 10 mg på morgonen";
        for width in [40.0, 80.0, 150.0, 400.0] {
            let lines = f.lines(text, width, 8.5, false);
            assert!(
                lines.iter().all(|l| f.width(l, 8.5, false) <= width),
                "{width}: {lines:?}"
            );
            assert_eq!(
                lines.join(" ").split_whitespace().collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "nothing cut at {width}"
            );
        }
        let long = f.lines("Läkemedelsförmånsnämndensbeslutsunderlag", 40.0, 8.5, false);
        assert!(long.len() > 1 && long.concat() == "Läkemedelsförmånsnämndensbeslutsunderlag");
        assert_eq!(f.lines("a\nb", 100.0, 10.0, false), ["a", "b"]);
        assert_eq!(f.lines("", 100.0, 10.0, false), [""]);
    }
}
