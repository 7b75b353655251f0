//! The library's error type. Running out of budget is not an error (it is an
//! `Answer::Bounds`); errors are bad input and internal failures.

use crate::poly::ParseError;

/// What went wrong, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A syntax error in one of the inputs; `what` names the input (`--poly`, `--weight`, …).
    #[error("cannot parse {what} {source}")]
    Parse {
        /// Which input.
        what: String,
        /// The error, with its column.
        source: ParseError,
    },
    /// The input parses but is not a valid problem (K negative near the point, K not
    /// vanishing at the point, a weight that is not a monomial, …).
    #[error("{0}")]
    Input(String),
    /// A bug: an invariant of the engine failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Exit status for the command line (INTERFACE.md): 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Parse { .. } | Error::Input(_) => 2,
            Error::Internal(_) => 1,
        }
    }
}

/// Shorthand.
pub type Result<T> = std::result::Result<T, Error>;
