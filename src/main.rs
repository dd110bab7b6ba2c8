use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = git_kep::cli::Cli::hook_invocation(std::env::args_os()).unwrap_or_else(git_kep::cli::Cli::parse);
    match git_kep::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(err.code())
        }
    }
}
