//! The `rlct` binary: parse, run, print; exit 0 for an answer, 2 for bad input, 1 for an
//! internal failure (INTERFACE.md).

use clap::Parser;
use rlct::cli::{run, Cli};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                print!("{e}");
                return ExitCode::SUCCESS;
            }
            // One line, as INTERFACE.md asks: clap's first line without its usage block.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            let first = first.trim_start_matches("error: ");
            eprintln!("error: {first} (see rlct --help)");
            return ExitCode::from(2);
        }
    };
    match run(&cli) {
        Ok(out) => {
            // A closed pipe (`rlct … | head`) is not worth a panic.
            let mut stdout = std::io::stdout().lock();
            let newline = if out.ends_with('\n') { "" } else { "\n" };
            let _ = write!(stdout, "{out}{newline}").and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
