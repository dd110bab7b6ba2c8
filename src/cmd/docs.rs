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
    if shell == clap_complete::Shell::Bash {
        // clap_complete's bash script names its function `_git__kep` and never completes a
        // subcommand's flags for a hyphenated program name (clap-rs/clap#6421); git's completion
        // calls `_git_kep` for `git kep`. So bash gets a script of its own, made from the same
        // definition.
        out.extend_from_slice(bash_script(&command()).as_bytes());
    } else {
        clap_complete::generate(shell, &mut command(), "git-kep", &mut out);
        if shell == clap_complete::Shell::Fish {
            out.extend_from_slice(FISH_THROUGH_GIT.as_bytes());
        }
        if shell == clap_complete::Shell::Zsh {
            // clap_complete lists hidden subcommands among zsh's candidates (`man`,
            // `pre-merge-commit`): their description lines go.
            let hidden: Vec<String> = command()
                .get_subcommands()
                .filter(|sub| sub.is_hide_set())
                .map(|sub| format!("'{}:", sub.get_name()))
                .collect();
            let text = String::from_utf8_lossy(&out).into_owned();
            let kept: String = text
                .split_inclusive('\n')
                .filter(|line| !hidden.iter().any(|name| line.trim_start().starts_with(name.as_str())))
                .collect();
            out = kept.into_bytes();
        }
    }
    super::write_or_exit_quietly(&mut std::io::stdout().lock(), &out);
    Ok(0)
}

/// The bash completion script: tables of subcommands, flags and values made from the command
/// definition, and one function that completes from them, called both for `git-kep ...` and,
/// by git's own completion, for `git kep ...`.
fn bash_script(command: &clap::Command) -> String {
    let var = |name: &str| name.replace('-', "_");
    let mut tables = String::new();
    let subcommands: Vec<&clap::Command> = command.get_subcommands().filter(|sub| !sub.is_hide_set()).collect();
    let names: Vec<&str> = subcommands.iter().map(|sub| sub.get_name()).collect();
    tables.push_str(&format!("__git_kep_subcommands=\"{}\"\n", names.join(" ")));
    let mut describe = |key: &str, args: Vec<&clap::Arg>| {
        let mut flags = Vec::new();
        for arg in args {
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect();
            if arg.is_positional() {
                if !values.is_empty() {
                    tables.push_str(&format!("__git_kep_positional_{key}=\"{}\"\n", values.join(" ")));
                } else if arg.get_id() == "paths" {
                    tables.push_str(&format!("__git_kep_paths_{key}=1\n"));
                }
                continue;
            }
            let mut spellings: Vec<String> = arg.get_long().map(|long| format!("--{long}")).into_iter().collect();
            spellings.extend(arg.get_short().map(|short| format!("-{short}")));
            if arg.get_action().takes_values() {
                for spelling in &spellings {
                    tables.push_str(&format!("__git_kep_values_{key}_{}=\"{}\"\n", var(spelling), values.join(" ")));
                }
            }
            flags.extend(spellings.into_iter().filter(|s| s.starts_with("--")));
        }
        flags.push("--help".to_owned());
        if key.is_empty() {
            flags.push("--version".to_owned());
        }
        tables.push_str(&format!("__git_kep_flags_{key}=\"{}\"\n", flags.join(" ")));
    };
    let globals = || command.get_arguments().filter(|a| a.is_global_set());
    let mut top: Vec<&clap::Arg> = globals().collect();
    top.extend(command.get_arguments().filter(|a| !a.is_global_set()));
    describe("", top);
    for sub in &subcommands {
        describe(&var(sub.get_name()), sub.get_arguments().chain(globals()).collect());
    }
    format!(
        "# bash completion for git-kep: `git-kep <TAB>`, and `git kep <TAB>` through git's completion.\n{tables}{BASH_FUNCTIONS}"
    )
}

const BASH_FUNCTIONS: &str = r#"
# Completes word $1 of the words that follow (the first is the command, `git-kep` or `kep`).
__git_kep_reply() {
    local cword=$1; shift
    local -a words=("$@")
    local cur="${words[cword]}" prev="" sub="" i
    (( cword > 0 )) && prev="${words[cword-1]}"
    for (( i = 1; i < cword; i++ )); do
        case "${words[i]}" in
            --color) (( i++ )) ;;
            -*) ;;
            *) sub="${words[i]}"; break ;;
        esac
    done
    local key="${sub//-/_}" option="" value="$cur" table
    if [[ "$cur" == --*=* ]]; then
        option="${cur%%=*}" value="${cur#*=}"
    elif [[ "$prev" == -* && "$prev" != *=* ]]; then
        option="$prev"
    fi
    if [[ -n "$option" ]]; then
        table="__git_kep_values_${key}_${option//-/_}"
        if [[ -n "${!table+set}" ]]; then
            # A value: only the part after `=` is replaced (bash breaks words at `=`).
            COMPREPLY=($(compgen -W "${!table}" -- "$value"))
            return
        fi
    fi
    if [[ "$cur" == -* ]]; then
        table="__git_kep_flags_${key}"
        COMPREPLY=($(compgen -W "${!table}" -- "$cur"))
    elif [[ -z "$sub" ]]; then
        COMPREPLY=($(compgen -W "$__git_kep_subcommands" -- "$cur"))
    else
        table="__git_kep_positional_${key}"
        if [[ -n "${!table+set}" ]]; then
            COMPREPLY=($(compgen -W "${!table}" -- "$cur"))
            return
        fi
        table="__git_kep_paths_${key}"
        if [[ -n "${!table+set}" ]]; then
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
    fi
}

# `git-kep <TAB>`: the words up to the cursor, `=` kept inside its word.
_git_kep_complete() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -ra words <<< "$line"
    if [[ ${#words[@]} -eq 0 || "$line" == *[[:space:]] ]]; then
        words+=("")
    fi
    __git_kep_reply $(( ${#words[@]} - 1 )) "${words[@]}"
}

# `git kep <TAB>`: git's completion calls `_git_kep` with its own `words` and `cword`. git
# registers itself with `-o nospace` and adds the space to its own words; ours get it back.
_git_kep() {
    local start="${__git_cmd_idx:-1}"
    compopt +o nospace 2>/dev/null
    __git_kep_reply $(( cword - start )) "${words[@]:start}"
}

complete -F _git_kep_complete git-kep
"#;

/// `git kep <TAB>` in fish: its git completion hands `git foo` to `git-foo`'s completions only
/// in some versions (3.6 registers them under `git-foo` and so never matches), and only once
/// `git-foo`'s file is loaded. Sourced at start (conf.d), this hands `git [options] kep ...` to
/// the completions above in every version; fish drops a candidate offered twice.
const FISH_THROUGH_GIT: &str = r#"
# `git kep <TAB>`: the words after `kep`, completed as `git-kep` completes them.
function __fish_git_kep_through_git
    set -l words (commandline -opc)
    set -e words[1]
    argparse -s 'C=+' 'c=+' 'git-dir=' 'work-tree=' 'namespace=' 'exec-path=?' 'p/paginate' 'P/no-pager' \
        'no-replace-objects' 'bare' 'literal-pathspecs' 'glob-pathspecs' 'noglob-pathspecs' 'icase-pathspecs' \
        'no-optional-locks' -- $words 2>/dev/null
    or return 1
    test "$argv[1]" = kep
    or return 1
    set -e argv[1]
    complete -C "git-kep $argv "(commandline -ct)
end
complete -c git -f -n '__fish_git_kep_through_git >/dev/null' -a '(__fish_git_kep_through_git)'
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
    out.extend_from_slice(b".SH CONFIGURATION\n");
    out.extend_from_slice(
        b"Settings are git config keys, read lowest first from the defaults, a committed .kepconfig at the \
          work tree's root (git config syntax, as written by \\fBgit kep init\\fR), git config, and \
          \\fBgit -c\\fR; flags win over all. An unknown kep.* key is warned about with the closest \
          known one. The keys:\n",
    );
    for key in crate::config::KNOWN_KEYS {
        out.extend_from_slice(format!(".br\n\\fB{key}\\fR\n").as_bytes());
    }
    out.extend_from_slice(b".SH EXAMPLES\n");
    for (command, what) in [
        ("git kep init --dry-run", "what git-kep finds in this repository: layout, numbering, template, TOC tool"),
        ("git kep init && git kep install", "write .kepconfig, then install the hooks"),
        (
            "git kep new \"Pod Overhead\" --sig sig-node --number 4321",
            "a proposal from the template, on its own branch",
        ),
        ("git kep toc --check", "exit 1 and a diff where a table of contents is stale"),
        ("git kep check --since origin/main --format github", "what a pull request introduces, as annotations"),
        ("git kep check --rule broken-anchor keps/sig-node", "one rule over one folder"),
    ] {
        out.extend_from_slice(format!(".TP\n\\fB{}\\fR\n{}\n", roff_escape(command), roff_escape(what)).as_bytes());
    }
    out.extend_from_slice(b".SH EXIT STATUS\n0: success or all fresh. 1: stale TOCs, problems found, or a refusal. 2: an error (bad input, unreadable file, bad configuration).\n");
    man.render_version_section(&mut out).map_err(render_error)?;
    super::write_or_exit_quietly(&mut std::io::stdout().lock(), &out);
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
