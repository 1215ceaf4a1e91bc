//! How a verb ends when it does not succeed: a one-line message and the exit code README.md documents
//! (1 done but problems were found, 2 bad input or a refused request, 3 internal failure).

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
    /// A signal (SIGINT, SIGTERM) stopped a run after it finished the jobs in flight: exit 4.
    pub fn interrupted() -> Exit {
        Exit { code: 4, message: String::new() }
    }

    pub fn problems() -> Exit {
        Exit { code: 1, message: String::new() }
    }
}

impl From<audarma_store::StoreError> for Exit {
    fn from(e: audarma_store::StoreError) -> Self {
        use audarma_store::StoreError::*;
        match e {
            Database(_) | Corrupt { .. } => Exit::internal(e),
            _ => Exit::input(e),
        }
    }
}
