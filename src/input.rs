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

/// A buffered reader over a file, or over stdin for `-`, that can tell whether reading on
/// would wait for more input to be written (a pipe or a terminal fed as it goes).
pub struct Input {
    inner: std::io::BufReader<Box<dyn std::io::Read + Send>>,
    /// The descriptor to poll, for a source that is not a regular file.
    #[cfg(unix)]
    live: Option<std::os::fd::RawFd>,
}

/// A buffered source of lines that can tell whether reading on would wait for input.
pub trait Source: std::io::BufRead {
    /// Whether the next read would wait for more to be written.
    fn would_wait(&self) -> bool;
}

/// Bytes in memory never wait.
impl Source for &[u8] {
    fn would_wait(&self) -> bool {
        false
    }
}

impl Source for Input {
    /// No whole line is buffered, and the source (a pipe, socket or terminal) has nothing
    /// ready. A regular file never waits.
    fn would_wait(&self) -> bool {
        #[cfg(unix)]
        if let Some(fd) = self.live {
            // A whole line is buffered: no wait. (Part of one is not: reading on waits for
            // its end.)
            if memchr::memchr(b'\n', self.inner.buffer()).is_some() {
                return false;
            }
            let mut poll = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, a zero timeout; the descriptor is open while `self` is.
            return unsafe { libc::poll(&mut poll, 1, 0) } == 0;
        }
        false
    }
}

impl std::io::Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl std::io::BufRead for Input {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount)
    }
}

/// Opens a file, or stdin for `-`.
pub fn open(path: &std::path::Path) -> std::io::Result<Input> {
    #[cfg(unix)]
    use std::os::fd::AsRawFd;
    if path.as_os_str() == "-" {
        let stdin = std::io::stdin();
        return Ok(Input {
            #[cfg(unix)]
            live: unless_regular(stdin.as_raw_fd()),
            inner: std::io::BufReader::new(Box::new(stdin)),
        });
    }
    let file = std::fs::File::open(path)?;
    Ok(Input {
        #[cfg(unix)]
        live: unless_regular(file.as_raw_fd()),
        inner: std::io::BufReader::new(Box::new(file)),
    })
}

/// `fd`, unless it is a regular file (which never waits for more to be written).
#[cfg(unix)]
fn unless_regular(fd: std::os::fd::RawFd) -> Option<std::os::fd::RawFd> {
    let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: fstat fills `stat` when it returns 0, and only then is it read.
    let mode = unsafe {
        if libc::fstat(fd, stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init().st_mode
    };
    (mode & libc::S_IFMT != libc::S_IFREG).then_some(fd)
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
