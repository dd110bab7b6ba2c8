//! The command line: commands, flags and their help text (clap derive). No behaviour here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "git-kep",
    bin_name = "git kep",
    version,
    about = "Tables of contents and scaffolding for enhancement proposals (KEPs) kept in git",
    long_about = "git-kep keeps the table of contents of every proposal fresh (as a pre-commit \
                  hook or by hand), scaffolds new proposals on their own branch, and checks \
                  proposals for broken anchors and missing sections."
)]
pub struct Cli {
    /// When to use colors: auto honours NO_COLOR, TERM=dumb, git's color.ui and whether the
    /// output is a terminal.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// `git-kep pre-commit` exactly as the hook runs it, without building clap's parser (~0.1 ms
    /// of every commit); `None` for any other command line, which clap parses.
    pub fn hook_invocation(mut args: impl Iterator<Item = std::ffi::OsString>) -> Option<Cli> {
        args.next()?;
        let is_hook = args.next()? == "pre-commit" && args.next().is_none();
        is_hook.then(|| Cli {
            color: ColorChoice::Auto,
            command: Command::PreCommit(PreCommitArgs { paths: Vec::new(), toc: TocFlags::default() }),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate the table of contents between <!-- toc --> and <!-- /toc -->.
    Toc(TocArgs),
    /// Refresh the TOCs of staged proposals and restage them (what the hook runs).
    PreCommit(PreCommitArgs),
    /// What the pre-merge-commit hook runs: a merge git completes without a conflict whose
    /// proposals' TOCs are stale is stopped with them refreshed and staged (`git commit`
    /// concludes it).
    #[command(hide = true)]
    PreMergeCommit(TocFlags),
    /// What the post-rewrite hook runs (after `git commit --amend` and `git rebase`): warns
    /// about rewritten commits whose proposals' TOCs are stale. Reads git's list on stdin.
    #[command(hide = true)]
    PostRewrite(PostRewriteArgs),
    /// Detect where this repository keeps its proposals and write `.kepconfig`.
    Init(InitArgs),
    /// Install the git-kep pre-commit hook in this repository.
    Install(InstallArgs),
    /// Remove the git-kep pre-commit hook (a foreign hook is left alone).
    Uninstall,
    /// Start a new proposal: a numbered folder from the template, on its own branch.
    New(NewArgs),
    /// Check proposals: stale TOCs, broken anchors, missing sections, duplicate numbers.
    Check(CheckArgs),
    /// Point links from other files at the headings a change renamed (the hook reports them).
    Fix(FixArgs),
    /// List every proposal: number, title, status and whether its TOC is fresh.
    List(ListArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff), as installed by install.sh.
    #[command(hide = true)]
    Man,
}

/// Flags that override the TOC settings from `.kepconfig` and git config.
#[derive(Debug, Clone, Default, Args)]
pub struct TocFlags {
    /// TOC style: `markdown` (the template's), `html` (mdtoc's), `doctoc` or `markdown-toc`.
    #[arg(long, value_enum)]
    pub style: Option<StyleArg>,
    /// Deepest heading level listed (1-6).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6))]
    pub max_depth: Option<u8>,
    /// List only the headings after the end marker (mdtoc's default).
    #[arg(long, overrides_with = "no_skip_prefix")]
    pub skip_prefix: bool,
    /// List the headings above the start marker too (the template's default).
    #[arg(long, overrides_with = "skip_prefix")]
    pub no_skip_prefix: bool,
    /// The html style's anchors: `mdtoc` (what mdtoc writes, the default) or `github`.
    #[arg(long, value_enum)]
    pub anchors: Option<AnchorsArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnchorsArg {
    /// mdtoc's anchors, byte for byte (for repositories whose CI runs mdtoc).
    Mdtoc,
    /// GitHub's anchors (the ids github.com gives the headings).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StyleArg {
    Markdown,
    Html,
    Doctoc,
    MarkdownToc,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Print what was found and the configuration; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the repository's own git config instead of a committed `.kepconfig` (for a
    /// contributor who cannot commit one).
    #[arg(long)]
    pub local: bool,
    /// Replace an existing `.kepconfig`.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TocArgs {
    /// Files or directories to refresh (`-`: stdin, with --stdout). Default: every proposal under kep.dir.
    pub paths: Vec<PathBuf>,
    /// Write nothing; show what would change and exit 1 if any TOC is stale.
    #[arg(long, conflicts_with = "stdout")]
    pub check: bool,
    /// Print the regenerated document instead of writing it (one PATH, or `-` for stdin).
    #[arg(long)]
    pub stdout: bool,
    #[command(flatten)]
    pub toc: TocFlags,
}

#[derive(Debug, Args)]
pub struct PreCommitArgs {
    /// Files passed by the pre-commit framework: refresh these work-tree files and exit 1 if
    /// any changed (the framework's model). Without files: the git hook's model (restage).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub toc: TocFlags,
}

#[derive(Debug, Args)]
pub struct PostRewriteArgs {
    /// What rewrote the commits, as git says it: `amend` or `rebase`.
    pub operation: Option<String>,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Replace a pre-commit hook that is not git-kep's (it is backed up first).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The proposal's title.
    pub title: String,
    /// Use this number instead of the next free one.
    #[arg(long, value_name = "N")]
    pub number: Option<u32>,
    /// Folder name after `NNN-` (default: the title's words).
    #[arg(long)]
    pub name: Option<String>,
    /// Start the branch from this revision (default: kep.base, else HEAD).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The group (SIG) that owns it, where kep.dir holds one folder per group (default: kep.sig).
    #[arg(long, value_name = "NAME")]
    pub sig: Option<String>,
    /// Another group taking part (repeatable).
    #[arg(long = "participating-sig", value_name = "NAME")]
    pub participating_sigs: Vec<String>,
    /// The stage it targets first (kep.yaml's `stage`).
    #[arg(
        long,
        value_name = "STAGE",
        default_value = "alpha",
        value_parser = clap::builder::PossibleValuesParser::new(crate::proposal::metadata::STAGES)
    )]
    pub stage: String,
    /// The release it targets (`vX.Y`): kep.yaml's `latest-milestone` and the stage's milestone.
    #[arg(long, value_name = "vX.Y")]
    pub milestone: Option<String>,
    /// A reviewer (`@handle`, repeatable; default the template's TBD).
    #[arg(long = "reviewer", value_name = "HANDLE")]
    pub reviewers: Vec<String>,
    /// An approver (`@handle`, repeatable; default the template's TBD).
    #[arg(long = "approver", value_name = "HANDLE")]
    pub approvers: Vec<String>,
    /// The production-readiness approver, for the prod-readiness file (`@handle`).
    #[arg(long, value_name = "HANDLE")]
    pub prr_approver: Option<String>,
    /// Also commit the new files ("Add proposal NNN: Title").
    #[arg(long)]
    pub commit: bool,
    /// Print the plan (number, folder, branch, base, files) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Fix only links in these files or directories (default: every Markdown file of kep.dir).
    pub paths: Vec<PathBuf>,
    /// The renames are those since this revision's merge base (default HEAD: not yet committed).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Only report the links; exit 1 if any would change.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:column: rule: message`, colored, with a diff for stale TOCs.
    Human,
    /// One JSON document (fields documented in the README).
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`).
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check. Default: every Markdown file under kep.dir.
    pub paths: Vec<PathBuf>,
    /// Check the staged content of the staged proposals (with --since: the index, not the work
    /// tree).
    #[arg(long)]
    pub staged: bool,
    /// Report only what the changes since REV introduced: the proposals changed between REV's
    /// merge base and the work tree (or the index), each compared with its version there.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Run only this rule (repeatable; the names of `kep.checkDisable`).
    #[arg(long = "rule", value_name = "RULE")]
    pub rules: Vec<String>,
    /// Skip this rule (repeatable).
    #[arg(long = "skip-rule", value_name = "RULE")]
    pub skip_rules: Vec<String>,
    #[command(flatten)]
    pub toc: TocFlags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns.
    Human,
    /// A JSON array (fields documented in the README).
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Only proposals owned by this group (kep.yaml's `owning-sig`; repeatable).
    #[arg(long, value_name = "NAME")]
    pub sig: Vec<String>,
    /// Only proposals with this status (repeatable).
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Only proposals at this stage (repeatable).
    #[arg(long, value_name = "STAGE")]
    pub stage: Vec<String>,
    /// Only proposals whose latest milestone is this one (`v1.36`; repeatable).
    #[arg(long, value_name = "vX.Y")]
    pub milestone: Vec<String>,
    /// Only proposals with this author (`@handle`; repeatable).
    #[arg(long, value_name = "HANDLE")]
    pub author: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &[&str]) -> impl Iterator<Item = std::ffi::OsString> {
        line.iter().map(std::ffi::OsString::from).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn the_hooks_command_line_parses_as_clap_parses_it() {
        let line = ["git-kep", "pre-commit"];
        let fast = Cli::hook_invocation(args(&line)).expect("the hook's command line");
        assert_eq!(format!("{fast:?}"), format!("{:?}", Cli::parse_from(line)));
        for other in [
            &["git-kep"][..],
            &["git-kep", "toc"],
            &["git-kep", "pre-commit", "a.md"],
            &["git-kep", "pre-commit", "--color=never"],
        ] {
            assert!(Cli::hook_invocation(args(other)).is_none(), "{other:?}");
        }
    }
}
