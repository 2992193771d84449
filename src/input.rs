//! Turning bytes into text: UTF-8 validation, binary detection, lossy decoding.

use std::borrow::Cow;

/// Why bytes are not an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// Not valid UTF-8 at this byte offset (line is 1-based).
    InvalidUtf8 { offset: usize, line: usize },
    /// A NUL byte at this offset: the input is binary, not text.
    Binary { offset: usize, line: usize },
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::InvalidUtf8 { offset, line } => write!(
                f,
                "invalid UTF-8 at byte offset {offset} (line {line}); use --lossy to replace bad bytes"
            ),
            InputError::Binary { offset, line } => {
                write!(
                    f,
                    "binary input: NUL byte at byte offset {offset} (line {line})"
                )
            }
        }
    }
}

impl std::error::Error for InputError {}

/// A buffered reader over a file, or over stdin for `-`.
pub fn open(path: &std::path::Path) -> std::io::Result<Box<dyn std::io::BufRead>> {
    Ok(if path.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(path)?))
    })
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1
}

/// Decodes an article. NUL bytes are refused as binary; invalid UTF-8 is an error unless
/// `lossy`, which replaces each bad sequence with U+FFFD.
pub fn decode(bytes: &[u8], lossy: bool) -> Result<Cow<'_, str>, InputError> {
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(InputError::Binary {
            offset,
            line: line_of(bytes, offset),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) if lossy => Ok(String::from_utf8_lossy(bytes)),
        Err(e) => {
            let offset = e.valid_up_to();
            Err(InputError::InvalidUtf8 {
                offset,
                line: line_of(bytes, offset),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_is_borrowed() {
        assert!(matches!(
            decode(b"abc\n", false),
            Ok(Cow::Borrowed("abc\n"))
        ));
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        assert_eq!(
            decode(b"ab\ncd\xffef", false),
            Err(InputError::InvalidUtf8 { offset: 5, line: 2 })
        );
        assert_eq!(decode(b"ab\xff", true).as_deref(), Ok("ab\u{fffd}"));
    }

    #[test]
    fn nul_is_binary() {
        assert_eq!(
            decode(b"a\n\nb\0", true),
            Err(InputError::Binary { offset: 4, line: 3 })
        );
    }
}
