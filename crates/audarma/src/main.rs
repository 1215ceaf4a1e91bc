//! The `audarma` command line. Thin: parse the arguments, set up logging, run the verb (`cli`), and
//! turn how it ended into the exit code documented in README.md: 0 done, 1 done but problems were
//! found, 2 bad input or a refused request, 3 internal failure.

mod atomic;
mod cli;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    output::quiet_on_closed_stdout();
    let args = cli::Cli::parse();
    cli::init_logging(&args);
    match cli::execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                eprintln!("audarma: {}", e.message);
            }
            ExitCode::from(e.code)
        }
    }
}
