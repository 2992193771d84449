//! Site furniture: lines whose whole text is boilerplate ("Advertisement", "Read more", share
//! widgets, copyright footers, ...). The built-in phrase lists live in `data/boilerplate/*.txt`
//! and are compiled in with `include_str!`.
//!
//! PLACEHOLDER: being written; API is fixed.

/// An error in a boilerplate list: which list, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Name of the list (a file path, or `builtin:<family>`).
    pub source_name: String,
    /// 1-based line number in that list.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.source_name, self.line, self.message)
    }
}

impl std::error::Error for PatternError {}

/// The compiled matcher.
#[derive(Debug, Clone)]
pub struct Boilerplate {}

impl Boilerplate {
    /// Builds the matcher from the built-in lists (when `builtin`) plus user lists given as
    /// `(name, text)` pairs.
    pub fn new(builtin: bool, user_lists: &[(String, String)]) -> Result<Self, PatternError> {
        let _ = (builtin, user_lists);
        Ok(Boilerplate {})
    }

    /// For each line (content without its line terminator) of one article, whether it is
    /// furniture. `out` is cleared and filled with one entry per line.
    pub fn classify(&self, lines: &[&str], out: &mut Vec<bool>) {
        out.clear();
        out.resize(lines.len(), false);
    }
}
