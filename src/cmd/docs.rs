//! `git kep completions SHELL` and the man page, both generated from the clap definition.

use crate::cli::Cli;
use crate::error::{Error, Result};
use clap::CommandFactory;

/// The command as documented: named `git-kep` (git runs `git kep` as `git-kep`, and turns
/// `git kep --help` into `man git-kep`).
fn command() -> clap::Command {
    Cli::command().name("git-kep").bin_name("git-kep")
}

pub fn completions(shell: clap_complete::Shell) -> Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command(), "git-kep", &mut out);
    if shell == clap_complete::Shell::Bash {
        // git's bash completion completes `git kep ...` through a function named `_git_kep`.
        out.extend_from_slice(BASH_GIT_SUBCOMMAND.as_bytes());
    }
    crate::cmd::write_or_exit_quietly(&mut std::io::stdout().lock(), &out);
    Ok(0)
}

const BASH_GIT_SUBCOMMAND: &str = r#"
# `git kep <TAB>`: git's completion calls _git_kep; hand the words to git-kep's completion.
_git_kep() {
    local -a words=("git-kep" "${COMP_WORDS[@]:2}")
    local cword=$((COMP_CWORD - 1))
    COMP_WORDS=("${words[@]}") COMP_CWORD=$cword _git-kep git-kep "${words[cword]}" "${words[cword-1]}"
}
"#;

/// The man page (section 1), with a section for every subcommand.
pub fn man_page() -> Result<u8> {
    let command = command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut out).map_err(render_error)?;
    man.render_name_section(&mut out).map_err(render_error)?;
    man.render_synopsis_section(&mut out).map_err(render_error)?;
    man.render_description_section(&mut out).map_err(render_error)?;
    man.render_options_section(&mut out).map_err(render_error)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("git kep {}", sub.get_name());
        out.extend_from_slice(format!(".TP\n\\fB{name}\\fR\n").as_bytes());
        let about = sub.get_long_about().or(sub.get_about()).map(|s| s.to_string()).unwrap_or_default();
        out.extend_from_slice(format!("{}\n", roff_escape(&about)).as_bytes());
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set() && a.get_id() != "help") {
            let flag = match (arg.get_long(), arg.get_short()) {
                (Some(long), _) => format!("--{long}"),
                (None, Some(short)) => format!("-{short}"),
                (None, None) => arg.get_id().as_str().to_uppercase(),
            };
            let help = arg.get_help().map(|s| s.to_string()).unwrap_or_default();
            out.extend_from_slice(
                format!(".RS\n.TP\n\\fB{}\\fR\n{}\n.RE\n", roff_escape(&flag), roff_escape(&help)).as_bytes(),
            );
        }
    }
    out.extend_from_slice(b".SH EXIT STATUS\n0: success or all fresh. 1: stale TOCs, problems found, or a refusal. 2: an error (bad input, unreadable file, bad configuration).\n");
    man.render_version_section(&mut out).map_err(render_error)?;
    crate::cmd::write_or_exit_quietly(&mut std::io::stdout().lock(), &out);
    Ok(0)
}

fn roff_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('-', "\\-")
        .lines()
        .map(|l| if l.starts_with(['.', '\'']) { format!("\\&{l}") } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_error(err: std::io::Error) -> Error {
    Error::context("cannot render the man page", err)
}
