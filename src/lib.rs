//! git-kep: tables of contents and scaffolding for enhancement proposals kept in git.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod diff;
pub mod error;
pub mod files;
pub mod git;
pub mod hook;
pub mod interrupt;
pub mod invocation;
pub mod paint;
pub mod proposal;
pub mod proposal_text;
pub mod sections_cache;
pub mod toc;
pub mod worktree;

use cli::{Cli, Command};

/// Runs one command; the exit code on success (1 and 2 also mean findings), the error otherwise.
pub fn run(cli: Cli) -> error::Result<u8> {
    match &cli.command {
        Command::Toc(args) => cmd::toc::run(args, cli.color),
        Command::PreCommit(args) => cmd::pre_commit::run(args, cli.color),
        Command::PreMergeCommit(toc) => cmd::pre_commit::run_before_merge_commit(toc, cli.color),
        Command::PostRewrite(args) => cmd::post_rewrite::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Install(args) => cmd::install::install(args),
        Command::Uninstall => cmd::install::uninstall(),
        Command::New(args) => cmd::new::run(args),
        Command::Check(args) => cmd::check::run(args, cli.color),
        Command::Fix(args) => cmd::fix::run(args),
        Command::List(args) => cmd::list::run(args),
        Command::Completions(args) => cmd::docs::completions(args.shell),
        Command::Man => cmd::docs::man_page(),
    }
}
