//! A position over a byte slice, the one reader the three cookie-date parsers share (in the
//! manner of rustls `msgs/codec.rs` `Reader`). Every method is total: reading past the end
//! yields `None` or an empty slice, and the position never passes the end, so nothing here
//! can panic on hostile input.

/// A read position over borrowed bytes. `Copy`, so a parser can try a production on a copy
/// and keep the copy only when the production matched.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    /// Invariant: `pos <= bytes.len()`.
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `bytes`.
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    /// The bytes not yet read.
    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or(&[])
    }

    /// The byte at the position, if any.
    pub(super) fn peek(&self) -> Option<u8> {
        self.peek_at(0)
    }

    /// The byte `n` bytes past the position, if any.
    pub(super) fn peek_at(&self, n: usize) -> Option<u8> {
        self.rest().get(n).copied()
    }

    /// The byte just before the position (the last one read), if any.
    pub(super) fn prev(&self) -> Option<u8> {
        self.bytes.get(self.pos.checked_sub(1)?).copied()
    }

    /// Reads one byte; `None` at the end.
    pub(super) fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    /// Reads `b` if it is the next byte.
    pub(super) fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// Reads the longest run of bytes matching `pred` (possibly empty) and returns it.
    pub(super) fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let n = rest.iter().take_while(|&&b| pred(b)).count();
        self.pos += n;
        rest.get(..n).unwrap_or(rest)
    }

    /// Skips the longest run of bytes matching `pred`.
    pub(super) fn skip_while(&mut self, pred: impl Fn(u8) -> bool) {
        self.take_while(pred);
    }

    /// Reads the longest run of ASCII digits (possibly empty).
    pub(super) fn take_digits(&mut self) -> &'a [u8] {
        self.take_while(|b| b.is_ascii_digit())
    }

    /// Reads all the leading ASCII digits and returns their value when there are `min..=max`
    /// of them (`max` at most 9, so the value fits); `None` otherwise.
    pub(super) fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let d = self.take_digits();
        if d.len() < min || d.len() > max.min(9) {
            return None;
        }
        u32::try_from(decimal(d)).ok()
    }

    /// Skips the delimiters, then reads the token up to the next delimiter; `None` when only
    /// delimiters were left.
    pub(super) fn token(&mut self, is_delimiter: impl Fn(u8) -> bool) -> Option<&'a [u8]> {
        self.skip_while(&is_delimiter);
        let t = self.take_while(|b| !is_delimiter(b));
        (!t.is_empty()).then_some(t)
    }
}

/// The value of a run of ASCII digits (as [`Cursor::take_digits`] returns), saturating.
pub(super) fn decimal(digits: &[u8]) -> i64 {
    digits.iter().fold(0i64, |acc, &d| {
        acc.saturating_mul(10)
            .saturating_add(i64::from(d.wrapping_sub(b'0')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_stops_at_the_end() {
        let mut c = Cursor::new(b"12ab");
        assert_eq!(c.prev(), None);
        assert_eq!(c.take_digits(), b"12");
        assert_eq!(c.prev(), Some(b'2'));
        assert_eq!(
            (c.peek(), c.peek_at(1), c.peek_at(2)),
            (Some(b'a'), Some(b'b'), None)
        );
        assert!(!c.eat(b'b') && c.eat(b'a'));
        assert_eq!(c.next_byte(), Some(b'b'));
        assert_eq!(
            (c.next_byte(), c.peek(), c.take_digits()),
            (None, None, &b""[..])
        );
    }

    #[test]
    fn digits_and_tokens() {
        assert_eq!(Cursor::new(b"123x").digits(1, 2), None);
        assert_eq!(Cursor::new(b"12x").digits(1, 2), Some(12));
        assert_eq!(Cursor::new(b"x").digits(0, 2), Some(0));
        assert_eq!(Cursor::new(b"99999999999").digits(1, 20), None);
        let mut c = Cursor::new(b"  ab, c ");
        let space = |b: u8| b == b' ' || b == b',';
        assert_eq!(c.token(space), Some(&b"ab"[..]));
        assert_eq!(c.token(space), Some(&b"c"[..]));
        assert_eq!(c.token(space), None);
        assert_eq!(decimal(b"00042"), 42);
    }
}
