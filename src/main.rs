use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = git_kep::cli::Cli::hook_invocation(std::env::args_os()).unwrap_or_else(git_kep::cli::Cli::parse);
    let code = match git_kep::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err}");
            err.code()
        }
    };
    // Interrupted: the files held are being removed, and the signal ends the process.
    git_kep::interrupt::finish();
    ExitCode::from(code)
}
