//! The one error type: what went wrong, where (`path:line`), what to do next, and the exit code.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit code for "something is stale / refused / found problems".
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for errors: bad input, unreadable files, git failures.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Clone)]
pub struct Error {
    message: String,
    location: Option<(PathBuf, Option<usize>)>,
    hints: Vec<String>,
    exit_code: u8,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error { message: message.into(), location: None, hints: Vec::new(), exit_code: EXIT_ERROR }
    }

    /// Points the error at a file (and a 1-based line in it).
    pub fn at(mut self, path: &Path, line: Option<usize>) -> Self {
        self.location = Some((path.to_path_buf(), line));
        self
    }

    /// Adds a `hint:` line: the next step for the user.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn exit_code(mut self, code: u8) -> Self {
        self.exit_code = code;
        self
    }

    pub fn code(&self) -> u8 {
        self.exit_code
    }

    /// The first line without the `error: ` a command's failure starts with: for an error that
    /// is only a warning (the hook goes on), whose `warning:` prefix says enough.
    pub fn as_warning(&self, then: &str) -> String {
        let mut text = match &self.location {
            Some((path, Some(line))) => format!("{}:{line}: {}", path.display(), self.message),
            Some((path, None)) => format!("{}: {}", path.display(), self.message),
            None => self.message.clone(),
        };
        text.push_str(then);
        for hint in &self.hints {
            text.push_str(&format!("\nhint: {hint}"));
        }
        text
    }

    /// Wraps a lower-level error with what we were doing.
    pub fn context(what: impl fmt::Display, cause: impl fmt::Display) -> Self {
        Error::new(format!("{what}: {cause}"))
    }

    /// `context` for a failed write: a file-size limit (EFBIG, `ulimit -f`) gets its next step.
    pub fn write_failed(what: impl fmt::Display, cause: std::io::Error) -> Self {
        let too_large = cause.kind() == std::io::ErrorKind::FileTooLarge;
        let err = Error::context(what, cause);
        if too_large {
            err.hint("a file-size limit (`ulimit -f`) is lower than what git-kep writes: raise it and try again")
        } else {
            err
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some((path, Some(line))) => write!(f, "{}:{line}: ", path.display())?,
            Some((path, None)) => write!(f, "{}: ", path.display())?,
            None => write!(f, "error: ")?,
        }
        write!(f, "{}", self.message)?;
        for hint in &self.hints {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    fn from(err: git2::Error) -> Self {
        Error::new(format!("git: {}", err.message()))
    }
}
