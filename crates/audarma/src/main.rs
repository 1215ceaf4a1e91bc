//! The `audarma` command line. Thin: every verb parses its arguments, calls the library crates and
//! prints (text for people, `--json` for scripts). Exit codes are documented in README.md:
//! 0 done, 1 done but problems were found, 2 bad input or a refused request, 3 internal failure.

mod atomic;
mod cli;
mod output;

use clap::Parser;
use std::process::ExitCode;

/// An error that ends the command: its one-line message and exit code.
#[derive(Debug)]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl Exit {
    /// Bad input or a refused request (exit 2).
    pub fn input(message: impl std::fmt::Display) -> Exit {
        Exit { code: 2, message: message.to_string() }
    }

    /// Something failed inside (exit 3).
    pub fn internal(message: impl std::fmt::Display) -> Exit {
        Exit { code: 3, message: message.to_string() }
    }

    /// The command ran and found problems it already printed (exit 1).
    pub fn problems() -> Exit {
        Exit { code: 1, message: String::new() }
    }
}

impl From<audarma_store::StoreError> for Exit {
    fn from(e: audarma_store::StoreError) -> Self {
        use audarma_store::StoreError::*;
        match e {
            Database(_) => Exit::internal(e),
            _ => Exit::input(e),
        }
    }
}

/// `audarma queue | head` closes the pipe early; `println!` then panics. The reader chose to stop
/// reading, so the command ends quietly and successfully, as `grep` and `rg` do; every other panic keeps
/// the default report.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            // Inside a panic hook there is no `main` to return to: the reader went away, which is success.
            #[allow(clippy::disallowed_methods)]
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_stdout();
    let args = cli::Cli::parse();
    cli::init_logging(&args);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("audarma: cannot start the runtime: {e}");
            return ExitCode::from(3);
        }
    };
    match runtime.block_on(cli::dispatch(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                eprintln!("audarma: {}", e.message);
            }
            ExitCode::from(e.code)
        }
    }
}
