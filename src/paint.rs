//! Color, decided once per output stream: `--color`, `NO_COLOR`, `TERM=dumb`, git's `color.ui`,
//! and whether that stream is a terminal. "Off" is plain styles that write no escapes.

use crate::cli::ColorChoice;
use owo_colors::{OwoColorize, Style};
use std::fmt::Display;
use std::io::IsTerminal;

/// The styles git-kep writes with (git's diff colors).
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub added: Style,
    pub removed: Style,
    pub hunk: Style,
    pub header: Style,
    pub warning: Style,
    pub error: Style,
    pub dim: Style,
}

/// The stream a palette is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Palette {
    pub fn colored() -> Self {
        Palette {
            added: Style::new().green(),
            removed: Style::new().red(),
            hunk: Style::new().cyan(),
            header: Style::new().bold(),
            warning: Style::new().yellow(),
            error: Style::new().red().bold(),
            dim: Style::new().dimmed(),
        }
    }

    pub fn plain() -> Self {
        let none = Style::new();
        Palette { added: none, removed: none, hunk: none, header: none, warning: none, error: none, dim: none }
    }

    /// The palette for `stream`, given the `--color` flag and git's `color.ui`.
    pub fn for_stream(choice: ColorChoice, stream: Stream, color_ui: Option<&str>) -> Self {
        let is_terminal = match stream {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        };
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let enabled = decide(
            choice,
            is_terminal,
            env("NO_COLOR").is_some(),
            env("TERM").is_some_and(|term| term == "dumb"),
            color_ui,
        );
        if enabled { Palette::colored() } else { Palette::plain() }
    }

    pub fn paint<T: Display>(&self, style: Style, text: T) -> String {
        text.style(style).to_string()
    }
}

/// The color decision, pure so it can be tested.
pub fn decide(choice: ColorChoice, is_terminal: bool, no_color: bool, dumb_term: bool, color_ui: Option<&str>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if no_color || dumb_term {
                return false;
            }
            match color_ui.map(str::to_ascii_lowercase).as_deref() {
                Some("never" | "false" | "no" | "off" | "0") => false,
                Some("always") => true,
                _ => is_terminal,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_decision() {
        use ColorChoice::*;
        // (choice, terminal, NO_COLOR, TERM=dumb, color.ui) -> colored
        let cases = [
            (Auto, true, false, false, None, true),
            (Auto, false, false, false, None, false),
            (Auto, true, true, false, None, false),
            (Auto, true, false, true, None, false),
            (Auto, true, false, false, Some("never"), false),
            (Auto, true, false, false, Some("false"), false),
            (Auto, false, false, false, Some("always"), true),
            (Auto, true, false, false, Some("auto"), true),
            (Always, false, true, true, Some("never"), true),
            (Never, true, false, false, Some("always"), false),
        ];
        for (choice, tty, no_color, dumb, ui, want) in cases {
            assert_eq!(
                decide(choice, tty, no_color, dumb, ui),
                want,
                "{choice:?} tty={tty} NO_COLOR={no_color} dumb={dumb} ui={ui:?}"
            );
        }
    }
}

/// Text from a document or a file name, made safe to print on a terminal: control characters
/// (but tab and newline) are written as `\x1b`, `\u{9b}`, so that a document cannot move the
/// cursor, recolor or retitle the terminal of whoever runs git-kep on it.
/// A path as a shell reads it back as one word, for hints to paste: as it is where it is plain,
/// else in single quotes (`'Remove deprecated CRD types.md'`).
pub fn shell_word(text: &str) -> std::borrow::Cow<'_, str> {
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+,@:%=".contains(c))
        && !text.starts_with('-');
    if plain {
        return printable(text);
    }
    std::borrow::Cow::Owned(format!("'{}'", printable(text).replace('\'', "'\\''")))
}

pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let is_unsafe = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if is_unsafe(c) && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod printable_tests {
    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(super::printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(super::printable("\u{1b}]0;owned\u{7}x\u{9b}31m\r"), "\\x1b]0;owned\\x07x\\u{9b}31m\\x0d");
    }

    #[test]
    fn paths_in_hints_paste_as_one_word() {
        assert_eq!(super::shell_word("keps/sig-x/1-a/README.md"), "keps/sig-x/1-a/README.md");
        assert_eq!(super::shell_word("proposals/Remove CRD types.md"), "'proposals/Remove CRD types.md'");
        assert_eq!(super::shell_word("it's.md"), "'it'\\''s.md'");
        assert_eq!(super::shell_word("-x.md"), "'-x.md'");
    }
}
