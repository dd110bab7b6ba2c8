use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = git_kep::cli::Cli::parse();
    match git_kep::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(err.code())
        }
    }
}
