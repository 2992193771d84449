//! Near-duplicate sentences: copies that differ by a typo, a word added or removed, changed
//! punctuation, or a caption prefix or credit — never by a number, a negation or a name.
//!
//! Candidates come from an index, not from comparing every pair: each sentence long enough to
//! be compared gets a MinHash signature over its content words (stop words left out), cut into
//! bands; two sentences sharing a band are candidates, and only candidates are verified word by
//! word. Each band bucket keeps its most recent sentences only, so the work per sentence is
//! bounded and an article is processed in linear time.
//!
//! Verification aligns the two word sequences (longest common subsequence) and accepts the pair
//! only when:
//! - the numbers (digits and number words) are the same and in the same order,
//! - the negations ("not", "never", "n't", ...) are the same,
//! - every substituted word is a typo of its counterpart (one edit for words of 4 to 8
//!   letters, two from 9 on; never in a number), and no capitalized word (a name) is
//!   substituted, added or removed,
//! - and the similarity `2·matched / (words_a + words_b)` reaches the threshold.
//!
//! Words before the first match or after the last one that only one side has, set off by a
//! separator (a prefix ending in `,` `:` `-` `—`, a suffix in parentheses or after a dash), are a
//! caption prefix or a credit: they are left out of every count.

use crate::repeats::KeyMap;

/// Sentences with fewer words than this are only ever matched exactly: one changed word in a
/// short sentence is too often its whole point ("Shares rose 2%" / "Shares rose 3%").
pub const MIN_WORDS: usize = 8;
/// Sentences longer than this (in words) are only matched exactly (bounds the alignment).
const MAX_WORDS: usize = 200;
/// The default similarity threshold (`--similarity`).
pub const DEFAULT_SIMILARITY: f32 = 0.9;

const ROWS: usize = 3;
const BANDS: usize = 6;
/// Sentences kept per band bucket.
const BUCKET: usize = 8;
/// Candidates verified per sentence.
const MAX_VERIFY: usize = 4;

/// Stop words (left out of signatures), number words and negations: data files, one word a
/// line. Each file says what its words do.
const STOP_WORDS: &str = include_str!("../data/near_stop_words.txt");
const NUMBER_WORDS: &str = include_str!("../data/near_number_words.txt");
const NEGATIONS: &str = include_str!("../data/near_negations.txt");

/// One word of a sentence.
#[derive(Clone, Copy, Debug)]
struct Word {
    hash: u64,
    /// Byte range in the sentence.
    start: u32,
    end: u32,
    number: bool,
    negation: bool,
    stop: bool,
    capital: bool,
}

/// A near repeat found: sentence `copy` is a near copy of the earlier sentence `of`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NearMatch {
    pub copy: u32,
    pub of: u32,
    pub similarity: f32,
}

/// A word's hash: its lower-cased UTF-8 bytes (curly apostrophes folded), taken 8 at a time;
/// for a word in Latin script, its letters without accents ([`base_letters`]), so that a copy
/// whose feed stripped them ("przekroczyl", "nao") finds the original in the index and has the
/// same numbers and negations. Word hashing runs on every word of every sentence compared; a
/// multiply per 8 bytes instead of one per byte (FNV) takes the hash off the tokenizer's
/// critical path.
fn word_hash(word: &str) -> u64 {
    if !word.is_ascii() && is_latin(word) {
        hash_letters(folded_letters(word))
    } else {
        hash_letters(
            word.chars()
                .map(|c| if c == '’' { '\'' } else { c })
                .flat_map(char::to_lowercase),
        )
    }
}

/// [`word_hash`] of the letters `letters`.
fn hash_letters(letters: impl Iterator<Item = char>) -> u64 {
    // The bytes are gathered into 8-byte chunks as they come: no buffer for the word.
    let (mut h, mut chunk, mut filled, mut len) = (HASH_SEED, 0u64, 0, 0);
    for l in letters {
        let mut buf = [0u8; 4];
        for &b in l.encode_utf8(&mut buf).as_bytes() {
            chunk |= u64::from(b) << (8 * filled);
            filled += 1;
            len += 1;
            if filled == 8 {
                h = hash_chunk(h, chunk);
                (chunk, filled) = (0, 0);
            }
        }
    }
    if filled > 0 {
        h = hash_chunk(h, chunk);
    }
    hash_finish(h, len)
}

/// [`word_hash`] of the ASCII word `b[start..end]` (letters, digits and the joining `'` `.`
/// `,` only), lower-cased 8 bytes at a time; and whether it holds a digit.
#[inline]
fn ascii_word_hash(b: &[u8], start: usize, end: usize) -> (u64, bool) {
    let mut h = HASH_SEED;
    let mut digits = 0;
    let mut i = start;
    while i < end {
        let take = (end - i).min(8);
        let chunk = load8(b, i);
        let chunk = if take == 8 {
            chunk
        } else {
            chunk & ((1u64 << (8 * take)) - 1)
        };
        digits |= digit_bytes(chunk);
        h = hash_chunk(h, lower_chunk(chunk));
        i += take;
    }
    (hash_finish(h, end - start), digits != 0)
}

const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
fn hash_chunk(h: u64, chunk: u64) -> u64 {
    (h ^ chunk)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(31)
}

/// The 64-bit finalizer of MurmurHash3 over the chunks' state and the word's length in bytes:
/// every input bit reaches every output bit, so the MinHash below can use any of them.
#[inline]
fn hash_finish(mut h: u64, len: usize) -> u64 {
    h ^= len as u64;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Splits a sentence into words: runs of letters and digits, joined across an apostrophe
/// between letters ("didn't", "Kerry's") and a period or comma between digits ("3.5", "1,000").
fn words(sentence: &str, out: &mut Vec<Word>) {
    out.clear();
    // The ASCII tokenizer sees every byte: it tells whether the sentence is ASCII on the way.
    if !ascii_words(sentence.as_bytes(), out) {
        out.clear();
        unicode_words(sentence, out);
    }
}

/// [`words`] for any text, one character at a time.
fn unicode_words(sentence: &str, out: &mut Vec<Word>) {
    let bytes = sentence.as_bytes();
    let classes = word_classes();
    let mut iter = sentence.char_indices().peekable();
    let mut first = true;
    while let Some((start, c)) = iter.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut prev = c;
        while let Some(&(i, d)) = iter.peek() {
            let joins = (d == '\'' || d == '’') && prev.is_alphabetic()
                || (d == '.' || d == ',') && prev.is_ascii_digit();
            let next_fits = |n: char| {
                if d == '.' || d == ',' {
                    n.is_ascii_digit()
                } else {
                    n.is_alphabetic()
                }
            };
            let continues = d.is_alphanumeric()
                || joins
                    && sentence[i + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(next_fits);
            if !continues {
                break;
            }
            end = i + d.len_utf8();
            prev = d;
            iter.next();
        }
        let text = &sentence[start..end];
        // Most words of a sentence with some non-ASCII text are plain ASCII.
        let (hash, digit) = if text.is_ascii() {
            ascii_word_hash(bytes, start, end)
        } else {
            // Any script's digits: Arabic-Indic "١٢٥٠", Devanagari "१२५०".
            (word_hash(text), text.chars().any(char::is_numeric))
        };
        let hash = if digit {
            hash ^ number_prefix(sentence[..start].chars().rev())
        } else {
            hash
        };
        let class = classes.of(hash);
        out.push(Word {
            hash,
            start: start as u32,
            end: end as u32,
            number: digit || class & NUMBER != 0 || is_roman_numeral(text.as_bytes()),
            negation: class & NEGATION != 0 || ends_in_nt(text),
            stop: class & STOP != 0,
            capital: !first && c.is_uppercase(),
        });
        first = false;
    }
}

/// Eight bytes of `b` from `i` (little-endian), zeros past its end (a zero is no word byte).
#[inline]
fn load8(b: &[u8], i: usize) -> u64 {
    match b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        Some(eight) => u64::from_le_bytes(*eight),
        None => {
            let mut buf = [0u8; 8];
            let rest = b.get(i..).unwrap_or_default();
            buf[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(buf)
        }
    }
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` (ASCII bytes, below 0x80) that is a digit.
#[inline]
fn digit_bytes(x: u64) -> u64 {
    // x + (0x80 - lo) has its high bit set when x >= lo; no byte carries into the next.
    x.wrapping_add(LOW_BITS * 0x50) & !x.wrapping_add(LOW_BITS * 0x46) & HIGH_BITS
}

/// The high bit of each byte of `x` (ASCII bytes) that is a letter or a digit.
#[inline]
fn alnum_bytes(x: u64) -> u64 {
    let folded = x | (LOW_BITS * 0x20);
    let letter = folded.wrapping_add(LOW_BITS * 0x1f) & !folded.wrapping_add(LOW_BITS * 0x05);
    (letter & HIGH_BITS) | digit_bytes(x)
}

/// [`words`] for ASCII text: the same words, found eight bytes at a time (the end of a word is
/// a count of trailing ones, not a branch per byte). Returns `false`, with `out` unfinished, as
/// soon as it meets a byte that is not ASCII.
fn ascii_words(b: &[u8], out: &mut Vec<Word>) -> bool {
    let classes = word_classes();
    let mut i = 0;
    let mut first = true;
    while i < b.len() {
        let x = load8(b, i);
        if x & HIGH_BITS != 0 {
            return false;
        }
        let ahead = alnum_bytes(x);
        if ahead == 0 {
            i += 8;
            continue;
        }
        let start = i + ahead.trailing_zeros() as usize / 8;
        // The word's first eight bytes: the whole word, most of the time.
        let head = load8(b, start);
        if head & HIGH_BITS != 0 {
            return false;
        }
        let run = (!alnum_bytes(head) & HIGH_BITS).trailing_zeros() as usize / 8;
        let mut end = start + run;
        let (hash, digit, nt);
        if run < 8 && !joins_at(b, end) {
            // A run of 1 to 7 letters and digits, no joiner: hashed from `head` as
            // `ascii_word_hash` would, and no apostrophe in it (no "n't").
            let chunk = head & ((1u64 << (8 * run)) - 1);
            digit = digit_bytes(chunk) != 0;
            hash = hash_finish(hash_chunk(HASH_SEED, lower_chunk(chunk)), run);
            nt = false;
        } else {
            let mut run = run;
            loop {
                if run == 8 {
                    let next = load8(b, end);
                    if next & HIGH_BITS != 0 {
                        return false;
                    }
                    run = (!alnum_bytes(next) & HIGH_BITS).trailing_zeros() as usize / 8;
                    end += run;
                    continue;
                }
                // b[end] ends the run (or `end` is the end): an apostrophe between letters, a
                // period or comma between digits, joins.
                if !joins_at(b, end) {
                    break;
                }
                end += 1;
                run = 8;
            }
            (hash, digit) = ascii_word_hash(b, start, end);
            nt = end - start >= 3 && b[end - 3..end].eq_ignore_ascii_case(b"n't");
        }
        let hash = if digit {
            hash ^ number_prefix(b[..start].iter().rev().map(|&c| char::from(c)))
        } else {
            hash
        };
        let class = classes.of(hash);
        out.push(Word {
            hash,
            start: start as u32,
            end: end as u32,
            number: digit
                || class & NUMBER != 0
                || ROMAN_LETTERS.contains(&(head as u8)) && is_roman_numeral(&b[start..end]),
            negation: class & NEGATION != 0 || nt,
            stop: class & STOP != 0,
            capital: !first && (head as u8).is_ascii_uppercase(),
        });
        first = false;
        i = end;
    }
    true
}

/// What a number's hash is mixed with for the sign or currency written right before it: a
/// minus ("-8C", "−3", "–0.5%", but not the dash of "COVID-19" or "2-1", which follows a letter
/// or digit) or a currency symbol ("$310m" / "€310m"). 0 for none. `before` runs backwards
/// from the number.
fn number_prefix(mut before: impl Iterator<Item = char>) -> u64 {
    const MINUS: u64 = 0x5bd1_e995_d6e8_feb8;
    match before.next() {
        Some('-' | '−' | '–') if !before.next().is_some_and(char::is_alphanumeric) => MINUS,
        Some(c) if is_currency_symbol(c) => u64::from(c).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        _ => 0,
    }
}

/// Whether `c` is a currency symbol: `$`, `£`, `¥`, `¢`, `฿`, `﷼` or one of the Unicode block
/// Currency Symbols (€, ₹, ₽, ₩, ₺, ₪, ₦, ₱, ₴, ₿, ...).
fn is_currency_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '£' | '¥' | '¢' | '¤' | '฿' | '﷼' | '\u{20A0}'..='\u{20CF}'
    )
}

/// The letters of Roman numerals.
const ROMAN_LETTERS: &[u8] = b"IVXLCDM";

/// Whether `word` is a Roman numeral of two letters or more, in capitals and in its usual
/// form ("II", "XIV", "LVIII", "MMXXIV"; not "CIVIL" or "DIM"): a number, so "Super Bowl LVII"
/// and "Super Bowl LVIII" are never one sentence with a typo. (A lone "I" is the pronoun.)
fn is_roman_numeral(word: &[u8]) -> bool {
    const VALUES: [(u32, &[u8]); 13] = [
        (1000, b"M"),
        (900, b"CM"),
        (500, b"D"),
        (400, b"CD"),
        (100, b"C"),
        (90, b"XC"),
        (50, b"L"),
        (40, b"XL"),
        (10, b"X"),
        (9, b"IX"),
        (5, b"V"),
        (4, b"IV"),
        (1, b"I"),
    ];
    if word.len() < 2 || word.len() > 15 || !word.iter().all(|c| ROMAN_LETTERS.contains(c)) {
        return false;
    }
    // Read greedily in the usual form; the word is one when nothing is left over and its value
    // is in range.
    let (mut rest, mut value) = (word, 0);
    for (v, letters) in VALUES {
        // At most three of a one-letter value, once for a two-letter one.
        let times = if letters.len() == 1 { 3 } else { 1 };
        for _ in 0..times {
            match rest.strip_prefix(letters) {
                Some(r) => {
                    rest = r;
                    value += v;
                }
                None => break,
            }
        }
    }
    rest.is_empty() && (1..4000).contains(&value)
}

/// Whether the byte at `i`, which ends a run of letters and digits, joins it to the next run: an
/// apostrophe between letters, a period or comma between digits. (`false` at the end.)
#[inline]
fn joins_at(b: &[u8], i: usize) -> bool {
    let Some(&d) = b.get(i) else { return false };
    if !matches!(d, b'\'' | b'.' | b',') {
        return false;
    }
    let (c, next) = (b[i - 1], b.get(i + 1).copied().unwrap_or(0));
    d == b'\'' && c.is_ascii_alphabetic() && next.is_ascii_alphabetic()
        || (d == b'.' || d == b',') && c.is_ascii_digit() && next.is_ascii_digit()
}

/// ASCII bytes (letters, digits and the joiners) lower-cased, eight at a time.
#[inline]
fn lower_chunk(chunk: u64) -> u64 {
    // Of these bytes only the capitals A-Z have bit 0x40 set and 0x20 clear: setting 0x20
    // wherever 0x40 is set lower-cases them and leaves the rest as they are.
    chunk | ((chunk & 0x4040_4040_4040_4040) >> 1)
}

const STOP: u8 = 1;
const NUMBER: u8 = 2;
const NEGATION: u8 = 4;

/// Whether a word ends in "n't" (or "n’t"), in any case.
fn ends_in_nt(word: &str) -> bool {
    let mut rev = word.chars().rev();
    matches!(
        (rev.next(), rev.next(), rev.next()),
        (Some('t' | 'T'), Some('\'' | '’'), Some('n' | 'N'))
    )
}

/// The classes of the listed words (stop words, number words, negations), built once.
struct WordClasses {
    /// The words' hashes with their class bits, in an open-addressing table (linear probing;
    /// class 0 marks an empty slot) for one probe per word, most of the time.
    table: Vec<(u64, u8)>,
}

impl WordClasses {
    fn slot(&self, hash: u64) -> usize {
        // Every bit of the finished hash is mixed: take high ones.
        (hash >> 40) as usize & (self.table.len() - 1)
    }

    fn of(&self, hash: u64) -> u8 {
        let mask = self.table.len() - 1;
        let mut i = self.slot(hash);
        loop {
            let (h, bits) = self.table[i];
            if bits == 0 || h == hash {
                return bits;
            }
            i = (i + 1) & mask;
        }
    }
}

fn word_classes() -> &'static WordClasses {
    static CLASSES: std::sync::OnceLock<WordClasses> = std::sync::OnceLock::new();
    CLASSES.get_or_init(|| {
        // Every listed word with its class, sorted so that a word in two lists (or listed
        // twice) is one entry with both bits.
        let mut all: Vec<(u64, u8)> = [
            (STOP_WORDS, STOP),
            (NUMBER_WORDS, NUMBER),
            (NEGATIONS, NEGATION),
        ]
        .into_iter()
        .flat_map(|(list, bit)| {
            crate::segment::listed_words(list).map(move |w| (word_hash(w), bit))
        })
        .collect();
        all.sort_unstable();
        all.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 |= later.1;
            }
            same
        });
        let mut classes = WordClasses {
            table: vec![(0, 0); (all.len() * 4).next_power_of_two()],
        };
        let mask = classes.table.len() - 1;
        for (h, bits) in all {
            let mut i = classes.slot(h);
            while classes.table[i].1 != 0 {
                i = (i + 1) & mask;
            }
            classes.table[i] = (h, bits);
        }
        classes
    })
}

/// Damerau-Levenshtein distance (optimal string alignment), or `limit + 1` when the lengths
/// alone already differ by more than `limit`.
fn edit_distance<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    // Three rolling rows: i - 2, i - 1 and i.
    let width = b.len() + 1;
    let mut rows = vec![0usize; 3 * width];
    for (j, cell) in rows[width..2 * width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (older, rest) = rows.split_at_mut(width);
        let (prev, cur) = rest.split_at_mut(width);
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(older[j - 2] + 1);
            }
            cur[j] = d;
        }
        rows.rotate_left(width);
    }
    rows[width + b.len()]
}

/// Edits allowed between two words whose shorter one has `len` characters.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// How much of a word survives a typo: `None` when `a` and `b` are not the same word but for a
/// typo, otherwise 1 less the share of the longer word's characters that were edited (so
/// "Minster" for "Minister" counts 0.875 of a word in the similarity).
fn typo_match(a: &str, b: &str) -> Option<f32> {
    let edits = typo_edits(a, b)?;
    let longer = a.chars().count().max(b.chars().count()).max(1);
    Some(1.0 - edits as f32 / longer as f32)
}

/// The compass points a word names ("northeast": north and east), as bits: "northeast" and
/// "northwest", "southeast" and "southwest" are an edit or two apart, and never one word (two
/// regions' flood watches, otherwise word for word the same).
fn compass_points(word: &str) -> u8 {
    const POINTS: [&[u8]; 4] = [b"north", b"south", b"east", b"west"];
    let w = word.as_bytes();
    POINTS.iter().enumerate().fold(0, |bits, (k, point)| {
        let named = w
            .windows(point.len())
            .any(|part| part.eq_ignore_ascii_case(point));
        bits | (u8::from(named) << k)
    })
}

/// Whether `a` and `b` may be one word with a typo, before counting edits. Letters are compared
/// without case and accents ("José" / "Jose", "Ørsted" / "Orsted" are one word). A change at the
/// first letter makes another word (a prefix: "constitutional" / "unconstitutional",
/// "increased" / "decreased"; another initial: "hire" / "fire", "Kerry" / "Perry"), and so does a
/// replaced letter in a short word ("Iran" / "Iraq", "lost" / "last"); a letter dropped, added or
/// two swapped in one ("Bidn", "form") is a typo.
fn typo_shape(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        typo_shape_ascii(a.as_bytes(), b.as_bytes())
    } else {
        typo_shape_letters(a, b)
    }
}

/// Words up to this many characters take no replaced letter.
const SHORT_WORD: usize = 5;

/// [`typo_shape`] of two ASCII words: the same tests on the bytes, without decomposing and
/// collecting the letters (most words compared).
fn typo_shape_ascii(x: &[u8], y: &[u8]) -> bool {
    if x.eq_ignore_ascii_case(y) {
        return true;
    }
    if !x[..1.min(x.len())].eq_ignore_ascii_case(&y[..1.min(y.len())]) {
        return false;
    }
    if x.len() != y.len() || x.len() > SHORT_WORD {
        return true;
    }
    let sorted = |w: &[u8]| {
        let mut l = [0u8; SHORT_WORD];
        for (d, c) in l.iter_mut().zip(w) {
            *d = c.to_ascii_lowercase();
        }
        l.sort_unstable();
        l
    };
    sorted(x) == sorted(y)
}

/// [`typo_shape`] for any words, letter by letter after folding case and accents.
fn typo_shape_letters(a: &str, b: &str) -> bool {
    let (mut la, mut lb) = (base_letters(a), base_letters(b));
    if la == lb {
        return true;
    }
    if la.first() != lb.first() {
        return false;
    }
    if la.len() != lb.len() || la.len() > SHORT_WORD {
        return true;
    }
    // Same short length: only a swap of letters keeps them all.
    la.sort_unstable();
    lb.sort_unstable();
    la == lb
}

/// A word's letters, lower-cased and without accents (and the letters whose stroke or dot is
/// not a combining mark folded to their base: ł, ø, đ, Turkish ı; ß is ss; a curly apostrophe is
/// a straight one).
fn base_letters(word: &str) -> Vec<char> {
    folded_letters(word).collect()
}

/// [`base_letters`], one at a time.
fn folded_letters(word: &str) -> impl Iterator<Item = char> + '_ {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    word.nfd()
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_lowercase)
        .flat_map(|c| {
            let (base, more) = match c {
                'ł' => ('l', None),
                'ø' => ('o', None),
                'đ' => ('d', None),
                'ı' => ('i', None),
                'ß' => ('s', Some('s')),
                '’' => ('\'', None),
                _ => (c, None),
            };
            std::iter::once(base).chain(more)
        })
}

/// Whether every character of `word` is Latin (ASCII, Latin-1, Latin Extended-A/B and
/// Additional) or a combining mark.
fn is_latin(word: &str) -> bool {
    word.chars().all(|c| {
        matches!(c as u32, 0..=0x024F | 0x1E00..=0x1EFF)
            || unicode_normalization::char::is_combining_mark(c)
    })
}

/// `word` lower-cased, with a curly apostrophe straightened.
fn lower(word: &str) -> Vec<char> {
    word.chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The edits between `a` and `b` when they are the same word but for a typo.
fn typo_edits(a: &str, b: &str) -> Option<usize> {
    // Each naming a point the other lacks ("northeast" / "northwest"); a letter dropped
    // inside one ("Nothern" / "Northern") leaves it naming none.
    let (ca, cb) = (compass_points(a), compass_points(b));
    if !typo_shape(a, b) || ca & !cb != 0 && cb & !ca != 0 {
        return None;
    }
    /// Longest word compared without allocating its lower-case form.
    const SHORT: usize = 64;
    if a.is_ascii() && b.is_ascii() && a.len() <= SHORT && b.len() <= SHORT {
        let allowed = allowed_edits(a.len().min(b.len()));
        if allowed == 0 || a.len().abs_diff(b.len()) > allowed {
            return None;
        }
        let (mut la, mut lb) = ([0u8; SHORT], [0u8; SHORT]);
        la[..a.len()].copy_from_slice(a.as_bytes());
        lb[..b.len()].copy_from_slice(b.as_bytes());
        let (la, lb) = (&mut la[..a.len()], &mut lb[..b.len()]);
        la.make_ascii_lowercase();
        lb.make_ascii_lowercase();
        let edits = edit_distance(la, lb, allowed);
        return (edits <= allowed && slips_only(la, lb)).then_some(edits);
    }
    // In Latin script, edits are counted between the base letters: an accent a feed stripped
    // is no edit, so "más" / "mas" and "São" / "Sao" are one word even where no edit is
    // allowed. Elsewhere a mark is part of the letter (a Hindi vowel sign, a Hangul syllable's
    // parts, Cyrillic "й"): edits are counted between the characters as written.
    let latin = is_latin(a) && is_latin(b);
    let (a, b) = if latin {
        (base_letters(a), base_letters(b))
    } else {
        (lower(a), lower(b))
    };
    let allowed = allowed_edits(a.len().min(b.len()));
    let edits = edit_distance(&a, &b, allowed);
    let slips = !latin || slips_only(&a, &b);
    (edits == 0 || allowed > 0 && edits <= allowed && slips).then_some(edits)
}

/// Whether the letters one word replaces in the other (lower-cased words of equal length) are
/// typos: two neighbours swapped ("form" / "from"), a vowel for a vowel (a misspelling by
/// sound: "passangers"), or a letter hit for the key next to it on a QWERTY keyboard ("Lavrob"
/// / "Lavrov"). A consonant replaced by one further off makes another word more often than a
/// typo ("halved" / "halted"). Words of different lengths (a letter dropped or added) pass.
fn slips_only<T: Copy + Into<char>>(a: &[T], b: &[T]) -> bool {
    if a.len() != b.len() {
        return true;
    }
    let mut i = 0;
    while i < a.len() {
        let (x, y) = (a[i].into(), b[i].into());
        if x == y {
            i += 1;
        } else if i + 1 < a.len() && a[i + 1].into() == y && b[i + 1].into() == x {
            i += 2;
        } else if keys_touch(x, y) || is_vowel(x) && is_vowel(y) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Whether lower-case letters `x` and `y` are neighbouring keys on a QWERTY keyboard (in a row,
/// or in the rows above and below, which are staggered by a quarter and half a key).
fn keys_touch(x: char, y: char) -> bool {
    const ROWS: [(&str, f32); 3] = [("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75)];
    let place = |c: char| {
        ROWS.iter().enumerate().find_map(|(row, (keys, offset))| {
            keys.find(c).map(|at| (row as f32, at as f32 + offset))
        })
    };
    match (place(x), place(y)) {
        (Some((rx, cx)), Some((ry, cy))) => {
            (rx - ry).abs() <= 1.0 && (cx - cy).abs() <= 1.0 && x != y
        }
        _ => false,
    }
}

/// Alignment operations over two word sequences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    OnlyA(usize),
    OnlyB(usize),
}

fn align(a: &[Word], b: &[Word]) -> Vec<Op> {
    thread_local! {
        /// The LCS table, reused: comparisons run by the ten thousand.
        static TABLE: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    TABLE.with_borrow_mut(|lcs| align_with(a, b, lcs))
}

fn align_with(a: &[Word], b: &[Word], lcs: &mut Vec<u16>) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: LCS length of a[i..] and b[j..].
    lcs.clear();
    lcs.resize((n + 1) * (m + 1), 0);
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        // Row i from row i + 1 (`below`), right to left; row[m] stays 0.
        let (row, below) = lcs[at(i, 0)..at(i + 2, 0)].split_at_mut(m + 1);
        let hash = a[i].hash;
        let mut right = 0;
        for j in (0..m).rev() {
            right = if hash == b[j].hash {
                below[j + 1] + 1
            } else {
                below[j].max(right)
            };
            row[j] = right;
        }
    }
    let mut ops = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i].hash == b[j].hash {
            ops.push(Op::Same(i, j));
            i += 1;
            j += 1;
        } else if j == m || (i < n && lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ops.push(Op::OnlyA(i));
            i += 1;
        } else {
            ops.push(Op::OnlyB(j));
            j += 1;
        }
    }
    ops
}

/// Whether the words `range` of a sentence, all before its first matched word (`leading`) or
/// all after its last, are set off like a caption prefix or a credit.
fn is_attachment(
    sentence: &str,
    words: &[Word],
    range: std::ops::Range<usize>,
    leading: bool,
) -> bool {
    if range.is_empty() {
        return false;
    }
    if leading {
        let from = words[range.end - 1].end as usize;
        let to = words
            .get(range.end)
            .map_or(sentence.len(), |w| w.start as usize);
        let gap = sentence[from..to].trim();
        gap.ends_with([',', ':', '-', '—', '–'])
    } else {
        let from = words[range.start - 1].end as usize;
        let to = words[range.start].start as usize;
        let gap = sentence[from..to].trim();
        gap.ends_with(['(', '[', '—', '–', '|']) || gap.ends_with(" -") || gap == "-"
    }
}

/// The word indices of one side (`a` or not) that `ops` leave unmatched, less the `ignored`
/// (an empty slice ignores nothing).
fn one_side(ops: &[Op], a: bool, ignored: &[bool]) -> Vec<usize> {
    ops.iter()
        .filter_map(|op| match (*op, a) {
            (Op::OnlyA(i), true) | (Op::OnlyB(i), false) => {
                (ignored.get(i) != Some(&true)).then_some(i)
            }
            _ => None,
        })
        .collect()
}

/// Walks the runs of differences in `ops`: substitutions must be typos, and added or removed
/// words never names. Returns the words matched (the same or a typo), or `None`.
fn walk_runs(
    (a, wa, ignored_a): (&str, &[Word], &[bool]),
    (b, wb, ignored_b): (&str, &[Word], &[bool]),
    ops: &[Op],
) -> Option<f32> {
    let mut matched = 0.0f32;
    let mut k = 0;
    while k < ops.len() {
        if let Op::Same(i, _) = ops[k] {
            // A word set aside (a dateline's) counts on neither side.
            if !ignored_a.get(i).is_some_and(|&ig| ig) {
                matched += 1.0;
            }
            k += 1;
            continue;
        }
        let start = k;
        while k < ops.len() && !matches!(ops[k], Op::Same(..)) {
            k += 1;
        }
        let run = &ops[start..k];
        let only_a = one_side(run, true, ignored_a);
        let only_b = one_side(run, false, ignored_b);
        let pairs = only_a.len().min(only_b.len());
        for p in 0..pairs {
            let (x, y) = (&wa[only_a[p]], &wb[only_b[p]]);
            let (xs, ys) = (
                &a[x.start as usize..x.end as usize],
                &b[y.start as usize..y.end as usize],
            );
            if x.number || y.number {
                return None;
            }
            matched += typo_match(xs, ys)?;
        }
        let extra_a = only_a[pairs..].iter().map(|&i| &wa[i]);
        let extra_b = only_b[pairs..].iter().map(|&j| &wb[j]);
        if extra_a.chain(extra_b).any(|w| w.capital) {
            return None;
        }
    }
    Some(matched)
}

/// The similarity of sentences `a` and `b` (with their words), if they are near copies.
fn verify(a: &str, wa: &[Word], b: &str, wb: &[Word], threshold: f32) -> Option<f32> {
    if wa.len() > MAX_WORDS || wb.len() > MAX_WORDS {
        return None;
    }
    let ops = align(wa, wb);
    let first_same = ops.iter().position(|op| matches!(op, Op::Same(..)))?;
    let last_same = ops.iter().rposition(|op| matches!(op, Op::Same(..)))?;
    let mut ignored_a = vec![false; wa.len()];
    let mut ignored_b = vec![false; wb.len()];
    // Two datelines are set aside: a copy may date it ("LONDON, May 10 (Reuters) -") where the
    // other does not.
    if let (Some(da), Some(db)) = (dateline_end(a), dateline_end(b)) {
        for (words, ignored, end) in [(wa, &mut ignored_a, da), (wb, &mut ignored_b, db)] {
            for (w, ig) in words.iter().zip(ignored.iter_mut()) {
                *ig = w.end as usize <= end;
            }
        }
    }
    // The differences between the first and the last matched word (no caption prefix or
    // credit can be there) reject most candidates: walk them first.
    let middle = walk_runs(
        (a, wa, &ignored_a),
        (b, wb, &ignored_b),
        &ops[first_same..=last_same],
    )?;
    // Caption prefixes and credits only one side has.
    for (range, leading) in [(0..first_same, true), (last_same + 1..ops.len(), false)] {
        let only_a = one_side(&ops[range.clone()], true, &ignored_a);
        let only_b = one_side(&ops[range], false, &ignored_b);
        if let ([], [first, .., last]) | ([], [first @ last]) =
            (only_a.as_slice(), only_b.as_slice())
            && is_attachment(b, wb, *first..*last + 1, leading)
        {
            only_b.iter().for_each(|&j| ignored_b[j] = true);
        }
        if let ([first, .., last] | [first @ last], []) = (only_a.as_slice(), only_b.as_slice())
            && is_attachment(a, wa, *first..*last + 1, leading)
        {
            only_a.iter().for_each(|&i| ignored_a[i] = true);
        }
    }
    // A sentence cut short with an ellipsis (a teaser, a truncated capture) copies the start
    // of the other: what the other goes on with is no difference. (Which copy stays is the
    // alignment's choice: the full one.) So does a later copy (`b`) that ends in a comma, its
    // paragraph broken there: the earlier full sentence holds all its words.
    // But not when the other holds an ellipsis right there too: a cut copy glued to another
    // sentence ("... resume in… Police said ...").
    let tail = last_same + 1..ops.len();
    let glued = |sentence: &str, words: &[Word], after: usize| {
        let from = words[after].end as usize;
        let to = words
            .get(after + 1)
            .map_or(sentence.len(), |w| w.start as usize);
        let gap = &sentence[from..to];
        gap.contains('…') || gap.contains("...")
    };
    if let Op::Same(last_a, last_b) = ops[last_same] {
        let tail = &ops[tail];
        // Either side may be the cut one; the other's words after the cut are left out.
        let only = |on_a: bool| {
            tail.iter()
                .all(|op| matches!((op, on_a), (Op::OnlyA(_), true) | (Op::OnlyB(_), false)))
        };
        if !tail.is_empty() && only(false) && crate::ends_cut(a) && !glued(b, wb, last_b) {
            for j in one_side(tail, false, &[]) {
                ignored_b[j] = true;
            }
        } else if !tail.is_empty()
            && only(true)
            && (crate::ends_cut(b) || crate::ends_broken(b))
            && !glued(a, wa, last_a)
        {
            for i in one_side(tail, true, &[]) {
                ignored_a[i] = true;
            }
        }
    }
    // Numbers and negations must be the same, in order.
    let marks = |words: &[Word], ignored: &[bool], pick: fn(&Word) -> bool| {
        words
            .iter()
            .zip(ignored)
            .filter(|(w, ig)| !**ig && pick(w))
            .map(|(w, _)| w.hash)
            .collect::<Vec<u64>>()
    };
    if marks(wa, &ignored_a, |w| w.number) != marks(wb, &ignored_b, |w| w.number)
        || marks(wa, &ignored_a, |w| w.negation) != marks(wb, &ignored_b, |w| w.negation)
    {
        return None;
    }
    // The leading and trailing differences, less the attachments.
    let sides = ((a, wa, &ignored_a[..]), (b, wb, &ignored_b[..]));
    let leading = walk_runs(sides.0, sides.1, &ops[..first_same])?;
    let trailing = walk_runs(sides.0, sides.1, &ops[last_same + 1..])?;
    let matched = middle + leading + trailing;
    let len_a = ignored_a.iter().filter(|&&i| !i).count() as f32;
    let len_b = ignored_b.iter().filter(|&&i| !i).count() as f32;
    let similarity = 2.0 * matched / (len_a + len_b);
    (similarity >= threshold).then_some(similarity)
}

/// Where the body of a wire story's sentence starts after its dateline: "LONDON (Reuters) - ",
/// "WASHINGTON (AP) — ", "SÃO PAULO, May 10 -- ". A dateline ends at the first spaced dash
/// within the first 100 bytes, opens with a word in capitals (two letters or more), and holds
/// only words in capitals, an agency in brackets, a month and numbers: "UN officials said 300
/// people - including children - died" has no dateline.
///
/// The teaser rule has its own, looser test (`after_dateline` in lib.rs: up to six words of the
/// normalized text before a dash). It only decides where a quoted text starts; here the words
/// set aside escape the number check, so the shape is checked on the text as written.
fn dateline_end(sentence: &str) -> Option<usize> {
    const MONTHS: [&str; 22] = [
        "Jan",
        "January",
        "Feb",
        "February",
        "March",
        "Mar",
        "April",
        "Apr",
        "May",
        "June",
        "July",
        "Aug",
        "August",
        "Sept",
        "Sep",
        "September",
        "Oct",
        "October",
        "Nov",
        "November",
        "Dec",
        "December",
    ];
    let capitals = |w: &str| w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    let opens = |first: &str| {
        let first = first.trim_end_matches(',');
        first.chars().filter(|c| c.is_alphabetic()).count() >= 2 && capitals(first)
    };
    // Most sentences open with no word in capitals: no need to look for a dash.
    if !opens(sentence.split_whitespace().next()?) {
        return None;
    }
    let mut cut = sentence.len().min(100);
    while !sentence.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &sentence[..cut];
    let (at, dash) = [" - ", " -- ", " – ", " — "]
        .iter()
        .filter_map(|dash| head.find(dash).map(|at| (at, dash.len())))
        .min()?;
    let mut words = head[..at].split_whitespace();
    // (The first word, which ends before the dash's space, was checked above.)
    words.next()?;
    words
        .all(|w| {
            let t = w.trim_matches([',', '.', '(', ')']);
            capitals(t)
                || w.starts_with('(') && w.ends_with(')') && t.starts_with(char::is_uppercase)
                || MONTHS.contains(&t)
        })
        .then_some(at + dash)
}

/// Bytes of the MinHash signature kept per sentence to estimate similarity (b-bit minwise
/// hashing: one byte of each of the first 16 minimums).
const SKETCH: usize = 16;
/// Matching sketch bytes a candidate needs before it is aligned word by word. Each byte
/// matches with about the resemblance (Jaccard) of the two content-word sets, so 9 of 16 lets
/// through a typo in 12 content words (resemblance about 0.85) 999 times in 1,000, a caption
/// prefix of 4 content words on 10 (about 0.7) 93 times in 100, a pair at 0.6 72 times, and
/// unrelated sentences that merely share a band (0.3) 3 times. (The alignment's guesses,
/// which need no index, find most copies inside a repeated block anyway.)
const SKETCH_MIN: usize = 9;
/// The same when either sentence is cut short or broken at a comma: its words are a part of
/// the other's, so the resemblance is only that part's share (a teaser that keeps half of the
/// sentence: 0.5, which passes 4 of 16 bytes 99 times in 100). Only such sentences get the lower
/// bar, and they are few.
const SKETCH_MIN_CUT: usize = 4;

/// MinHash values computed per content word: 16-bit ones, four from each 64-bit product, so
/// that one multiply gives four permutations and the minimums are taken eight lanes at a time
/// (the loop below compiles to vector minimums, even on baseline x86-64). 16 bits are plenty
/// for a sentence's few dozen words: two unrelated words tie once in 65,536, and a sketch byte
/// (the low byte of a minimum) matches by chance once in 256, as with 64-bit values.
const LANES: usize = 24;

/// MinHash band keys and sketch of a word list (content words only); `None` when too few.
fn band_keys(words: &[Word]) -> Option<([u64; BANDS], [u8; SKETCH])> {
    const PRODUCTS: usize = LANES / 4;
    // Per product, an odd multiplier and a seed (xorshift from the golden ratio).
    const FACTORS: [(u64, u64); PRODUCTS] = {
        let mut values = [0u64; 2 * PRODUCTS];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut i = 0;
        while i < values.len() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values[i] = x;
            i += 1;
        }
        let mut factors = [(0u64, 0u64); PRODUCTS];
        let mut p = 0;
        while p < PRODUCTS {
            factors[p] = (values[2 * p] | 1, values[2 * p + 1]);
            p += 1;
        }
        factors
    };
    const _: () = assert!(ROWS * BANDS <= LANES && SKETCH <= LANES);
    let mut mins = Minimums::new();
    let mut content = 0;
    for w in words.iter().filter(|w| !w.stop) {
        content += 1;
        mins.take(FACTORS.map(|(mul, seed)| {
            let v = (w.hash ^ seed).wrapping_mul(mul);
            // The low lanes of a product depend on the low bits of its input only: fold the
            // high half in.
            v ^ (v >> 32)
        }));
    }
    let mins = mins.lanes();
    if content < 3 {
        return None;
    }
    let mut keys = [0u64; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let rows = &mins[band * ROWS..(band + 1) * ROWS];
        let packed = rows
            .iter()
            .fold(band as u64, |acc, &v| (acc << 16) | u64::from(v as u16));
        // The key maps take keys as their own hashes: spread the bits.
        *key = hash_finish(packed, 0);
    }
    let mut sketch = [0u8; SKETCH];
    for (byte, min) in sketch.iter_mut().zip(mins) {
        *byte = min as u8;
    }
    Some((keys, sketch))
}

/// The running lane-wise minimums of [`band_keys`]: 24 signed 16-bit lanes, packed four to a
/// `u64` (lane `k` is bits `16 * (k % 4)..` of word `k / 4`).
#[derive(Clone, Copy)]
struct Minimums(
    #[cfg(target_arch = "x86_64")] [std::arch::x86_64::__m128i; LANES / 8],
    #[cfg(not(target_arch = "x86_64"))] [i16; LANES],
);

/// Lane `k` of values packed four to a `u64` (see [`Minimums`]).
#[inline]
fn lane(words: &[u64; LANES / 4], k: usize) -> i16 {
    (words[k / 4] >> (16 * (k % 4))) as i16
}

impl Minimums {
    #[cfg(target_arch = "x86_64")]
    fn new() -> Self {
        use std::arch::x86_64::_mm_set1_epi16;
        // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 processor has it.
        Minimums([unsafe { _mm_set1_epi16(i16::MAX) }; LANES / 8])
    }

    /// Takes the lane-wise minimum with `values` (SSE2, part of every x86-64: eight lanes an
    /// instruction).
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn take(&mut self, values: [u64; LANES / 4]) {
        use std::arch::x86_64::{_mm_min_epi16, _mm_set_epi64x};
        for (min, pair) in self.0.iter_mut().zip(values.chunks_exact(2)) {
            // SAFETY: SSE2 is part of the x86-64 baseline.
            *min = unsafe { _mm_min_epi16(*min, _mm_set_epi64x(pair[1] as i64, pair[0] as i64)) };
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn lanes(&self) -> [i16; LANES] {
        use std::arch::x86_64::{_mm_cvtsi128_si64, _mm_unpackhi_epi64};
        let words: [u64; LANES / 4] = std::array::from_fn(|w| {
            let m = self.0[w / 2];
            // SAFETY: SSE2 is part of the x86-64 baseline.
            (unsafe {
                if w % 2 == 0 {
                    _mm_cvtsi128_si64(m)
                } else {
                    _mm_cvtsi128_si64(_mm_unpackhi_epi64(m, m))
                }
            }) as u64
        });
        std::array::from_fn(|k| lane(&words, k))
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn new() -> Self {
        Minimums([i16::MAX; LANES])
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn take(&mut self, values: [u64; LANES / 4]) {
        for (k, min) in self.0.iter_mut().enumerate() {
            *min = (*min).min(lane(&values, k));
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn lanes(&self) -> [i16; LANES] {
        self.0
    }
}

/// What the index keeps of a sentence: enough to reject most candidates without aligning them.
#[derive(Clone, Debug, Default)]
struct Signature {
    keys: [u64; BANDS],
    sketch: [u8; SKETCH],
    /// Hashes of its number words, in order.
    numbers: Vec<u64>,
    negations: u8,
    /// Whether it ends cut short or broken at a comma.
    cut: bool,
    /// The hash of its first [`PREFIX_WORDS`] words.
    prefix: u64,
}

/// Words a cut sentence and its full copy surely share: the cut comes later (every sentence
/// compared has [`MIN_WORDS`] words or more).
const PREFIX_WORDS: usize = 6;

/// The signature of a sentence long enough to be compared.
fn signature(sentence: &str, list: &mut Vec<Word>) -> Option<Signature> {
    words(sentence, list);
    if list.len() < MIN_WORDS || list.len() > MAX_WORDS {
        return None;
    }
    let (keys, sketch) = band_keys(list)?;
    Some(Signature {
        keys,
        sketch,
        numbers: list.iter().filter(|w| w.number).map(|w| w.hash).collect(),
        negations: list.iter().filter(|w| w.negation).count().min(255) as u8,
        cut: crate::ends_cut(sentence) || crate::ends_broken(sentence),
        prefix: hash_finish(
            list[..PREFIX_WORDS]
                .iter()
                .fold(HASH_SEED, |h, w| hash_chunk(h, w.hash)),
            PREFIX_WORDS,
        ),
    })
}

/// The sentence texts [`find`] works on.
#[derive(Clone, Copy)]
pub enum Texts<'a> {
    /// Separate strings.
    Slices(&'a [&'a str]),
    /// The sentences `pick` (indices into `spans`) of `text`: no list of string slices (16 bytes
    /// a sentence) to build for a big article.
    Spans {
        text: &'a str,
        spans: &'a [crate::segment::Sentence],
        pick: &'a [u32],
    },
}

impl<'a> Texts<'a> {
    pub fn len(&self) -> usize {
        match self {
            Texts::Slices(all) => all.len(),
            Texts::Spans { pick, .. } => pick.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sentence `i`.
    pub fn get(&self, i: usize) -> &'a str {
        match *self {
            Texts::Slices(all) => all[i],
            Texts::Spans { text, spans, pick } => {
                let s = &spans[pick[i] as usize];
                &text[s.start..s.end]
            }
        }
    }
}

/// What [`find`] works on.
pub struct Lookup<'a> {
    /// The sentence texts, in article order.
    pub sentences: Texts<'a>,
    /// Whether each sentence's exact key has not occurred before (only those are looked up).
    pub exact_new: &'a [bool],
    /// For an exact repeat, the index of its first occurrence (`u32::MAX` otherwise).
    pub source: &'a [u32],
    pub threshold: f32,
    /// Sentences this long (in bytes) are looked up in the index; shorter ones only next to a
    /// repeat (0: all).
    pub index_min_bytes: usize,
}

const NONE: u32 = u32::MAX;

/// What the index keeps of an indexed sentence.
struct Kept {
    sentence: u32,
    sketch: [u8; SKETCH],
    /// Its number words: a range of [`Index::numbers`].
    numbers: (u32, u32),
    negations: u8,
    /// See [`Signature::cut`].
    cut: bool,
}

/// The MinHash index: one table per band. Every indexed sentence adds one entry to each (entry
/// `k` for the `k`-th indexed sentence), linked to the previous entry with the same band key,
/// so that the sentences sharing a key with sentence `i`, most recent first, are a walk back
/// from `i`'s own entry, and only earlier sentences are ever seen. The bands are independent,
/// so a big article fills them in parallel.
#[derive(Default)]
struct Index {
    bands: [Band; BANDS],
    /// A table like a band's, keyed by the sentences' first words ([`Signature::prefix`]): a
    /// sentence cut short shares too few words with its full copy for the bands to find it
    /// surely (a teaser that keeps half the sentence shares no band 3 times in 10).
    prefixes: Band,
    kept: Vec<Kept>,
    numbers: Vec<u64>,
    /// By sentence: its index in `kept` (NONE: not indexed).
    slot: Vec<u32>,
}

/// One band's table.
#[derive(Default)]
struct Band {
    /// The latest entry under each key.
    heads: KeyMap<u32>,
    /// By entry: the previous entry with the same key (NONE: none). Entries are numbered in
    /// article order, so a lookup ranks them by recency without reading the sentences they
    /// stand for, and the links are 4 bytes each: a walk is a chain of likely cache misses.
    prev: Vec<u32>,
}

impl Band {
    fn with_capacity(n: usize) -> Self {
        Band {
            heads: KeyMap::with_capacity_and_hasher(n.min(1 << 12), Default::default()),
            prev: Vec::with_capacity(n),
        }
    }

    /// Adds the entries `from..`, whose keys for this band are `keys`, in order.
    #[inline(always)]
    fn extend(&mut self, from: usize, keys: impl Iterator<Item = u64>) {
        for (k, key) in (from..).zip(keys) {
            let prev = self.heads.insert(key, k as u32).unwrap_or(NONE);
            self.prev.push(prev);
        }
    }
}

impl Index {
    /// Indexes sentences `start..start + signatures.len()` (those with a signature); the bands
    /// are filled in parallel when `parallel`.
    fn insert_all(&mut self, start: usize, signatures: &[Option<Signature>], parallel: bool) {
        use rayon::prelude::*;
        let from = self.kept.len();
        for (offset, sig) in signatures.iter().enumerate() {
            let Some(sig) = sig else { continue };
            let i = start + offset;
            self.slot[i] = self.kept.len() as u32;
            let first = self.numbers.len() as u32;
            self.numbers.extend_from_slice(&sig.numbers);
            self.kept.push(Kept {
                sentence: i as u32,
                sketch: sig.sketch,
                numbers: (first, self.numbers.len() as u32),
                negations: sig.negations,
                cut: sig.cut,
            });
        }
        let keys = |band: usize| signatures.iter().flatten().map(move |sig| sig.keys[band]);
        let prefixes = signatures.iter().flatten().map(|sig| sig.prefix);
        if parallel {
            let (bands, starts) = (&mut self.bands, &mut self.prefixes);
            rayon::join(
                || {
                    bands
                        .par_iter_mut()
                        .enumerate()
                        .for_each(|(b, table)| table.extend(from, keys(b)))
                },
                || starts.extend(from, prefixes),
            );
        } else {
            for (b, table) in self.bands.iter_mut().enumerate() {
                table.extend(from, keys(b));
            }
            self.prefixes.extend(from, prefixes);
        }
    }

    /// The candidates for indexed sentence `i`, as entries (see [`Band::prev`]): for each band,
    /// the last [`BUCKET`] earlier entries under the same key.
    ///
    /// The bands' chains are walked side by side, one step of each in turn: every step is a
    /// likely cache miss in a big article, and the misses of independent chains overlap where
    /// one chain's would wait on each other (the order of `out` does not matter to the caller).
    fn candidates(&self, i: usize, out: &mut Vec<u32>) {
        out.clear();
        let k = self.slot[i];
        let mut at: [u32; BANDS] = std::array::from_fn(|b| self.bands[b].prev[k as usize]);
        for _ in 0..BUCKET {
            let mut live = false;
            for (table, entry) in self.bands.iter().zip(at.iter_mut()) {
                if *entry == NONE {
                    continue;
                }
                live = true;
                // (Two bands of one sentence with the same key would lead to itself.)
                if *entry != k {
                    out.push(*entry);
                }
                *entry = table.prev[*entry as usize];
            }
            if !live {
                break;
            }
        }
        // Sentences with the same first words, when either is cut short.
        let cut = self.kept[k as usize].cut;
        let mut entry = self.prefixes.prev[k as usize];
        for _ in 0..BUCKET {
            if entry == NONE {
                break;
            }
            if cut || self.kept[entry as usize].cut {
                out.push(entry);
            }
            entry = self.prefixes.prev[entry as usize];
        }
    }

    fn kept(&self, i: usize) -> Option<&Kept> {
        self.kept.get(*self.slot.get(i)? as usize)
    }
}

/// Word lists reused across comparisons.
struct Scratch {
    /// The words of sentence `mine_of`.
    mine: Vec<Word>,
    mine_of: usize,
    theirs: Vec<Word>,
    candidates: Vec<u32>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            mine: Vec::new(),
            mine_of: usize::MAX,
            theirs: Vec::new(),
            candidates: Vec::new(),
        }
    }
}

/// Compares sentence `i` with an earlier sentence `c` word by word.
fn compare(sentences: Texts, i: usize, c: usize, threshold: f32, s: &mut Scratch) -> Option<f32> {
    if s.mine_of != i {
        words(sentences.get(i), &mut s.mine);
        s.mine_of = i;
    }
    words(sentences.get(c), &mut s.theirs);
    if s.mine.len() < MIN_WORDS || s.theirs.len() < MIN_WORDS {
        // A short sentence is never a near copy, but at the alignment's guess it may be the
        // same words with their accents stripped or their case or punctuation changed ("Les
        // travaux debuteront en ete." / "… débuteront en été."), which its exact key tells
        // apart: the same words, one for one, are a copy.
        let same = !s.mine.is_empty()
            && s.mine.len() == s.theirs.len()
            && s.mine.iter().zip(&s.theirs).all(|(x, y)| x.hash == y.hash);
        return same.then_some(1.0);
    }
    verify(
        sentences.get(c),
        &s.theirs,
        sentences.get(i),
        &s.mine,
        threshold,
    )
}

/// The best near copy among the index's candidates for sentence `i`: the sentences sharing the
/// most bands (then the most recent) whose sketch, numbers and negations fit, aligned word by
/// word.
fn best_candidate(lookup: &Lookup, index: &Index, i: usize, s: &mut Scratch) -> Option<NearMatch> {
    let me = index.kept(i)?;
    let mut candidates = std::mem::take(&mut s.candidates);
    index.candidates(i, &mut candidates);
    // Most shared bands first (the likeliest copies), then the most recent. Only the first
    // MAX_VERIFY are looked at: the best ones are kept, in order, as the runs go by.
    candidates.sort_unstable();
    let mut top = [(0u32, 0u32); MAX_VERIFY];
    let mut ranked = 0;
    for run in candidates.chunk_by(|x, y| x == y) {
        let entry = (run.len() as u32, run[0]);
        if ranked == MAX_VERIFY && entry <= top[MAX_VERIFY - 1] {
            continue;
        }
        let mut k = ranked.min(MAX_VERIFY - 1);
        ranked = (ranked + 1).min(MAX_VERIFY);
        while k > 0 && top[k - 1] < entry {
            top[k] = top[k - 1];
            k -= 1;
        }
        top[k] = entry;
    }
    s.candidates = candidates;
    let numbers = |k: &Kept| &index.numbers[k.numbers.0 as usize..k.numbers.1 as usize];
    let mine = numbers(me);
    let mut best: Option<NearMatch> = None;
    for &(_, entry) in &top[..ranked] {
        let them = &index.kept[entry as usize];
        let c = them.sentence as usize;
        let bar = if me.cut || them.cut {
            SKETCH_MIN_CUT
        } else {
            SKETCH_MIN
        };
        if same_bytes(&them.sketch, &me.sketch) < bar || them.negations != me.negations {
            continue;
        }
        let theirs = numbers(them);
        // A caption prefix or credit may add numbers on one side; otherwise they must be the
        // same, and negations too.
        let numbers_fit = mine == theirs || contains(mine, theirs) || contains(theirs, mine);
        if !numbers_fit {
            continue;
        }
        if let Some(similarity) = compare(lookup.sentences, i, c, lookup.threshold, s)
            && best.is_none_or(|b| similarity > b.similarity)
        {
            best = Some(NearMatch {
                copy: i as u32,
                of: c as u32,
                similarity,
            });
        }
    }
    best
}

/// Finds, for sentences whose exact key is new, an earlier sentence they nearly copy: first the
/// sentence the alignment points at (the one after the copy of the previous sentence, or before
/// the copy of the next), then, for long sentences, candidates from the MinHash index.
///
/// Sentences are taken in chunks. Within a chunk the signatures and the index lookups (which
/// only need earlier sentences' signatures) run in parallel; the alignment's guesses, which
/// depend on the previous sentence's result, are then tried in order, and the index's answer is
/// used where they find nothing, exactly as a one-by-one pass would.
pub fn find(lookup: &Lookup) -> Vec<NearMatch> {
    use rayon::prelude::*;
    /// Sentences matched together.
    const CHUNK: usize = 4096;
    let Lookup {
        sentences,
        exact_new,
        source,
        threshold,
        index_min_bytes,
    } = *lookup;
    let n = sentences.len();
    let mut index = Index {
        // The key maps are sized for small articles (most of a batch) at once, a big one's grow
        // as it goes; the links take one entry a sentence at most (memory is only touched as
        // they fill).
        bands: std::array::from_fn(|_| Band::with_capacity(n)),
        prefixes: Band::with_capacity(n),
        slot: vec![NONE; n],
        ..Index::default()
    };
    let mut found = Vec::new();
    let mut near_of = vec![NONE; n];
    let mut scratch = Scratch::default();
    // Small articles (most of a batch) are not worth splitting across threads.
    let parallel = n >= CHUNK;
    for start in (0..n).step_by(CHUNK) {
        let end = (start + CHUNK).min(n);
        let sign = |list: &mut Vec<Word>, i: usize| {
            let long = sentences.get(i).len() >= index_min_bytes;
            if exact_new[i] && long {
                signature(sentences.get(i), list)
            } else {
                None
            }
        };
        let signatures: Vec<Option<Signature>> = if parallel {
            (start..end)
                .into_par_iter()
                .map_init(Vec::new, sign)
                .collect()
        } else {
            let mut list = Vec::new();
            (start..end).map(|i| sign(&mut list, i)).collect()
        };
        index.insert_all(start, &signatures, parallel);
        let shared = &index;
        // In parallel, every sentence whose exact key is new is looked up ahead: in the index,
        // and at the alignment's guesses that do not depend on an earlier result (before the
        // copy of the next sentence; after the copy of the previous one when that one is an
        // exact repeat). One by one (below), only what is needed is compared, in order.
        let ahead: Vec<Ahead> = if parallel {
            (start..end)
                .into_par_iter()
                .map_init(Scratch::default, |s, i| {
                    if !exact_new[i] {
                        return Ahead::default();
                    }
                    let mut at =
                        |c: Option<usize>| c.and_then(|c| compare(sentences, i, c, threshold, s));
                    let after_at = if i > 0 && !exact_new[i - 1] {
                        guess_after(i, source[i - 1])
                    } else {
                        None
                    };
                    let before_at = guess_before(i, n, exact_new, source);
                    let after = at(after_at);
                    // The same sentence for both guesses is compared once.
                    let before = if before_at.is_some() && before_at == after_at {
                        after
                    } else {
                        at(before_at)
                    };
                    Ahead {
                        after,
                        before,
                        index: best_candidate(lookup, shared, i, s),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        for i in start..end {
            if !exact_new[i] {
                continue;
            }
            // The alignment's guess: after the copy of the previous sentence, before the copy
            // of the next one.
            let after_depends = i > 0 && exact_new[i - 1];
            let after = (i > 0)
                .then(|| {
                    if after_depends {
                        near_of[i - 1]
                    } else {
                        source[i - 1]
                    }
                })
                .and_then(|src| guess_after(i, src));
            let before = guess_before(i, n, exact_new, source);
            let mut best: Option<NearMatch> = None;
            for (c, is_after) in [(after, true), (before.filter(|&b| Some(b) != after), false)] {
                let Some(c) = c else { continue };
                let similarity = match ahead.get(i - start) {
                    Some(known) if !is_after => known.before,
                    Some(known) if !after_depends => known.after,
                    Some(known) if Some(c) == before => known.before,
                    _ => compare(sentences, i, c, threshold, &mut scratch),
                };
                if let Some(similarity) = similarity
                    && best.is_none_or(|b| similarity > b.similarity)
                {
                    best = Some(NearMatch {
                        copy: i as u32,
                        of: c as u32,
                        similarity,
                    });
                }
            }
            let found_near = match best {
                Some(b) => Some(b),
                None if parallel => ahead[i - start].index,
                None => best_candidate(lookup, shared, i, &mut scratch),
            };
            if let Some(b) = found_near {
                near_of[i] = b.of;
                found.push(b);
            }
        }
    }
    found
}

/// What the parallel pass found for one sentence ahead of the one-by-one pass.
#[derive(Clone, Copy, Default)]
struct Ahead {
    /// The similarity at the guess after the previous sentence's copy, when that guess does not
    /// depend on the previous sentence's own result.
    after: Option<f32>,
    /// The similarity at the guess before the next sentence's copy.
    before: Option<f32>,
    /// The index's best candidate.
    index: Option<NearMatch>,
}

/// The alignment's guess for sentence `i` after the copy `src` of the previous sentence.
fn guess_after(i: usize, src: u32) -> Option<usize> {
    (src != NONE && (src as usize) + 1 < i).then(|| src as usize + 1)
}

/// The alignment's guess for sentence `i` before the copy of the next sentence, when that one
/// is an exact repeat.
fn guess_before(i: usize, n: usize, exact_new: &[bool], source: &[u32]) -> Option<usize> {
    (i + 1 < n && !exact_new[i + 1])
        .then(|| source[i + 1])
        .filter(|&src| src != NONE && src >= 1 && (src as usize) < i)
        .map(|src| src as usize - 1)
}

/// How many bytes of two sketches are the same (eight at a time, without a byte loop).
#[inline]
fn same_bytes(a: &[u8; SKETCH], b: &[u8; SKETCH]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let differ = |x: u64| {
        // The high bit of each byte of x that is not zero; summed by a multiply (at most 8).
        let nonzero = (((x & LOW7) + LOW7) | x) & HIGH_BITS;
        ((nonzero >> 7).wrapping_mul(LOW_BITS) >> 56) as usize
    };
    let half =
        |s: &[u8; SKETCH], k: usize| u64::from_le_bytes(std::array::from_fn(|j| s[8 * k + j]));
    SKETCH - differ(half(a, 0) ^ half(b, 0)) - differ(half(a, 1) ^ half(b, 1))
}

/// Whether `inner` occurs as a contiguous run in `outer`.
fn contains(outer: &[u64], inner: &[u64]) -> bool {
    inner.is_empty() || outer.windows(inner.len()).any(|w| w == inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: &str, b: &str) -> Option<f32> {
        let (mut wa, mut wb) = (Vec::new(), Vec::new());
        words(a, &mut wa);
        words(b, &mut wb);
        verify(a, &wa, b, &wb, DEFAULT_SIMILARITY)
    }

    #[test]
    fn numbers_in_any_script_signs_currencies_and_roman_numerals_keep_sentences_apart() {
        let cases = [
            // Arabic-Indic and Devanagari digits.
            (
                "قال مسؤولون إن عدد القتلى ارتفع إلى ١٢٥٠ شخصا في المدن الساحلية بعد الزلزال",
                "١٢٥٠",
                "١٢٠٥",
            ),
            (
                "अधिकारियों ने बताया कि बाढ़ में मरने वालों की संख्या बढ़कर १२५० हो गई है और राहत कार्य जारी है",
                "१२५०",
                "१२०५",
            ),
            (
                "Patrick Mahomes was named the most valuable player in Super Bowl LVII after a late comeback win.",
                "LVII",
                "LVIII",
            ),
            (
                "Temperatures were forecast to fall to -8C in rural parts of Aberdeenshire overnight, forecasters said.",
                "-8C",
                "8C",
            ),
            (
                "Temperatures were forecast to fall to −8C in rural parts of Aberdeenshire overnight, forecasters said.",
                "−8C",
                "8C",
            ),
            (
                "The court upheld a fine of €310m imposed on the company for abusing its dominant position.",
                "€310m",
                "$310m",
            ),
            (
                "The court upheld a fine of $310m imposed on the company for abusing its dominant position.",
                "$310m",
                "310m",
            ),
        ];
        for (s, from, to) in cases {
            assert_eq!(near(s, s), Some(1.0), "{s}");
            assert_eq!(near(s, &s.replacen(from, to, 1)), None, "{from} / {to}");
        }
        // A dash after a letter or digit is no minus sign: the words still compare.
        let s = "The COVID-19 ward reopened after the 2-1 vote, and the hospital said it would hire 40 more nurses.";
        assert!(near(s, &s.replacen("COVID-19", "COVID 19", 1)).is_some());
        assert!(near(s, &s.replacen("2-1", "2 1", 1)).is_some());
        for numeral in ["II", "XIV", "LVIII", "MMXXIV", "CD", "MCMXC"] {
            assert!(is_roman_numeral(numeral.as_bytes()), "{numeral}");
        }
        for word in ["I", "IIII", "VX", "CIVIL", "DIM", "LCD", "XVIIII", "MMMM"] {
            assert!(!is_roman_numeral(word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn a_dated_dateline_is_set_aside_but_not_a_sentence_with_a_dash() {
        let plain = "LONDON (Reuters) - Britain's economy grew by 0.6% in the first three months of the year, official data showed on Friday.";
        let dated = "LONDON, May 10 (Reuters) - Britain's economy grew by 0.6% in the first three months of the year, official data showed on Friday.";
        assert_eq!(dateline_end(plain), Some("LONDON (Reuters) - ".len()));
        assert_eq!(near(plain, dated), Some(1.0));
        assert_eq!(near(plain, &dated.replacen("0.6%", "0.7%", 1)), None);
        assert_eq!(
            dateline_end("SÃO PAULO, Sept. 3 -- Brazil's central bank held rates."),
            Some("SÃO PAULO, Sept. 3 -- ".len())
        );
        let un = "UN officials said on Monday that 300 people - including children - died in the floods across the region.";
        assert_eq!(dateline_end(un), None);
        assert_eq!(near(un, &un.replacen("300", "400", 1)), None);
        assert_eq!(dateline_end("The minister - who resigned - spoke."), None);
    }

    #[test]
    fn latin_words_hash_without_their_accents() {
        for (accented, plain) in [
            ("Wisła", "Wisla"),
            ("não", "nao"),
            ("kiraları", "kiralari"),
            ("Straße", "strasse"),
            ("Ørsted", "Orsted"),
        ] {
            assert_eq!(word_hash(accented), word_hash(plain), "{accented}");
        }
        // A listed negation matches its stripped spelling, and other scripts keep their marks.
        let mut w = Vec::new();
        words("Ele disse que nao vai.", &mut w);
        assert!(w.iter().any(|w| w.negation));
        assert_ne!(word_hash("काम"), word_hash("कम"));
        assert_ne!(word_hash("мой"), word_hash("мои"));
    }

    #[test]
    fn a_replaced_consonant_is_a_typo_only_next_to_its_key() {
        let s = "Production at the plant was halved on Monday after a fire damaged the main assembly line.";
        assert_eq!(near(s, &s.replacen("halved", "halted", 1)), None);
        let l = "Foreign Minister Sergei Lavrov said on Tuesday that Moscow was ready to resume talks in Geneva.";
        assert!(near(l, &l.replacen("Lavrov", "Lavrob", 1)).is_some());
        assert!(near(l, &l.replacen("Sergei", "Sergie", 1)).is_some());
        let h = "Prime Minister Hansen told parliament on Wednesday that the budget would be balanced next year.";
        // A vowel for a vowel is a misspelling by sound, in a name too.
        assert!(near(h, &h.replacen("Hansen", "Hanson", 1)).is_some());
        assert!(keys_touch('v', 'b') && keys_touch('a', 'q') && keys_touch('z', 's'));
        assert!(!keys_touch('v', 't') && !keys_touch('q', 'z') && !keys_touch('a', 'a'));
    }

    #[test]
    fn a_later_copy_broken_at_a_comma_is_a_near_copy_of_the_full_sentence() {
        let full = "The regulator said the bank had allowed customers to move money through \
                    accounts that should have been flagged, including funds of a shipping firm.";
        let broken = "The regulator said the bank had allowed customers to move money through \
                      accounts that should have been flagged,";
        assert_eq!(near(full, broken), Some(1.0));
        // Not the other way round: the later full sentence has words the earlier broken one
        // lacks (they may be on its next line, or not).
        assert_eq!(near(broken, full), None);
        // Nor when what the broken copy holds differs from the full one.
        let other = "The regulator said the bank had allowed customers to move money through \
                     accounts that should never have been flagged,";
        assert_eq!(near(full, other), None);
    }

    #[test]
    fn ascii_typo_shape_agrees_with_the_letter_path() {
        let mut rng = crate::test_rng::XorShift(0x7e57_0f5a_a9e0_0001);
        let letters = b"aAbBeEsStT";
        for _ in 0..20_000 {
            let word = |rng: &mut crate::test_rng::XorShift| {
                let len = rng.below(8);
                (0..len)
                    .map(|_| letters[rng.below(letters.len())] as char)
                    .collect::<String>()
            };
            let (a, b) = (word(&mut rng), word(&mut rng));
            assert_eq!(
                typo_shape_ascii(a.as_bytes(), b.as_bytes()),
                typo_shape_letters(&a, &b),
                "{a:?} {b:?}"
            );
        }
    }

    const LAVROV: &str = "But Kremlin spokesman Dmitry Peskov said a decision could wait until after his talks with Foreign Minister Sergei Lavrov.";

    /// The words of `ascii_words` and `unicode_words`, field by field.
    fn both_word_lists(text: &str) -> (Vec<String>, Vec<String>) {
        let show = |list: &[Word]| -> Vec<String> {
            list.iter()
                .map(|w| {
                    format!(
                        "{:x} {}..{} n{} g{} s{} c{}",
                        w.hash, w.start, w.end, w.number, w.negation, w.stop, w.capital
                    )
                })
                .collect()
        };
        let (mut fast, mut reference) = (Vec::new(), Vec::new());
        assert!(ascii_words(text.as_bytes(), &mut fast));
        unicode_words(text, &mut reference);
        (show(&fast), show(&reference))
    }

    #[test]
    fn ascii_words_agree_with_the_general_tokenizer() {
        // Generated text over the characters that decide word bounds: letters of both cases,
        // digits, the joiners, other punctuation, spaces and a NUL; words of every length
        // around the 8-byte chunks.
        let mut rng = crate::test_rng::XorShift(0x5eed_1234_abcd_0001);
        let alphabet = b"aZqM09'.,;:-() \t\0\"\x7fnNtT";
        for _ in 0..20_000 {
            let len = rng.below(40);
            let text: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())] as char)
                .collect();
            let (fast, reference) = both_word_lists(&text);
            assert_eq!(fast, reference, "{text:?}");
        }
        // Longer text, mostly letters: words and joiners across the 64-byte blocks.
        let letters = b"abcdefghZ0123'.,  ";
        for _ in 0..5_000 {
            let len = rng.below(300);
            let text: String = (0..len)
                .map(|_| letters[rng.below(letters.len())] as char)
                .collect();
            let (fast, reference) = both_word_lists(&text);
            assert_eq!(fast, reference, "{text:?}");
        }
        for text in [
            "He didn't say; Kerry's 3.5% of 1,000,000 people (Holdings) won't.",
            "Counterrevolutionaries internationally: extraordinarily-long words, 12345678901.",
            "Ends with a joiner' and 3. and 4, and x'",
            "",
            "'''",
        ] {
            let (fast, reference) = both_word_lists(text);
            assert_eq!(fast, reference, "{text:?}");
        }
        // Runs that fill a 64-byte block, end on its last byte or join across its edge.
        for (a, b) in [(64, 1), (63, 1), (62, 2), (128, 3), (127, 0), (200, 70)] {
            for joiner in ["'", ".", " ", "''"] {
                let text = format!("{}{joiner}{} 1.5", "x".repeat(a), "y".repeat(b));
                let (fast, reference) = both_word_lists(&text);
                assert_eq!(fast, reference, "{text:?}");
                let digits = format!("{},{}", "7".repeat(a), "8".repeat(b));
                let (fast, reference) = both_word_lists(&digits);
                assert_eq!(fast, reference, "{digits:?}");
            }
        }
        // Real text: the fixtures' ASCII lines.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut lines = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures folder") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).unwrap_or_default();
            for line in text.lines().filter(|l| l.is_ascii()) {
                let (fast, reference) = both_word_lists(line);
                assert_eq!(fast, reference, "{line:?}");
                lines += 1;
            }
        }
        assert!(lines > 100, "only {lines} fixture lines");
    }

    #[test]
    fn word_hashes_fold_case_and_curly_apostrophes_across_paths() {
        // The general path (a sentence with any non-ASCII character) must hash a word as the
        // ASCII path does, or a copy with one curly quote would share no word with the original.
        let hashes = |text: &str| -> Vec<u64> {
            let mut list = Vec::new();
            words(text, &mut list);
            list.iter().map(|w| w.hash).collect()
        };
        let ascii = hashes("He didn't say INTERNATIONALLY-minded Kerry's 1,000 words.");
        let curly = hashes("He didn’t say internationally-minded KERRY’S 1,000 words. é");
        assert_eq!(ascii, curly[..ascii.len()]);
        // Words of 8 and 16 bytes end exactly on a chunk.
        assert_ne!(
            hashes("Straßen abcdefgh"),
            hashes("Straßen abcdefghabcdefgh")
        );
        assert_eq!(
            hashes("abcdefghABCDEFGH ü")[0],
            hashes("ABCDEFGHabcdefgh")[0]
        );
        assert_eq!(hashes("Straßen Übung"), hashes("STRAßEN übung"));
    }

    #[test]
    fn typos_and_small_edits_match() {
        let typo = LAVROV.replace("Minister", "Minster");
        // A typo costs the share of the word's letters edited: 1/8 of one word in 19.
        let similarity = near(LAVROV, &typo).expect("typo matches");
        assert!(
            (similarity - (1.0 - 0.125 / 19.0)).abs() < 1e-4,
            "{similarity}"
        );
        let swapped = LAVROV.replace("decision", "decisoin");
        assert!(near(LAVROV, &swapped).is_some());
        assert!(
            near(
                "The minister said on Tuesday that the talks would resume in Geneva next week.",
                "The minister said Tuesday that the talks would resume in Geneva next week."
            )
            .is_some()
        );
        assert!(near(
            "The vote — delayed twice already — is now expected before the summer recess begins.",
            "The vote -- delayed twice already -- is now expected before the summer recess begins."
        )
        .is_some());
    }

    #[test]
    fn words_that_differ_at_the_start_or_by_a_replaced_short_letter_never_match() {
        let base = "The company said it would hire about 2,000 workers at the plant over the next two years as it shifts production.";
        for (from, to) in [("hire", "fire"), ("company", "pompany"), ("plant", "slant")] {
            let other = base.replacen(from, to, 1);
            assert_eq!(near(base, &other), None, "{from} / {to}");
        }
        let s = "The panel ruled on Monday that the state's new congressional map was constitutional, rejecting the arguments.";
        for (from, to) in [
            ("constitutional,", "unconstitutional,"),
            ("ruled", "ruler"),
            ("Monday", "monday"),
        ] {
            let other = s.replacen(from, to, 1);
            let matched = near(s, &other);
            // Case is not an edit; a replaced letter in a 5-letter word is another word.
            assert_eq!(
                matched.is_some(),
                from == "Monday",
                "{from} / {to}: {matched:?}"
            );
        }
        let t = "The ministry said the new rules would apply to all flights arriving from Iran, including transit passengers.";
        for (from, to, same) in [
            ("Iran", "Iraq", false),
            ("rules", "rulse", true),
            ("flights", "flihgts", true),
            ("arriving", "arriveing", true),
            ("passengers", "passangers", true),
        ] {
            let other = t.replacen(from, to, 1);
            assert_eq!(near(t, &other).is_some(), same, "{from} / {to}");
        }
        let accents = "José Nuñez told reporters at the café in Ørsted that the talks had been difficult and slow.";
        let plain = "Jose Nunez told reporters at the cafe in Orsted that the talks had been difficult and slow.";
        assert!(near(accents, plain).is_some());
        // Short words too, where no edit is allowed: a stripped accent is no edit.
        let short = "La mairie a annoncé mardi la fermeture à la circulation de la rue, là où passent chaque jour des milliers de véhicules.";
        let stripped = "La mairie a annonce mardi la fermeture a la circulation de la rue, la ou passent chaque jour des milliers de vehicules.";
        assert!(near(short, stripped).is_some());
        assert_eq!(typo_edits("São", "Sao"), Some(0));
        assert_eq!(typo_edits("más", "mas"), Some(0));
        assert_eq!(typo_edits("más", "mes"), None);
        // Outside Latin script a mark is part of the letter.
        assert_eq!(typo_edits("काम", "कम"), None);
        assert_eq!(typo_edits("김정은", "김정일"), None);
        assert_eq!(typo_edits("мой", "мои"), None);
        let e = "Exports increased by 4 percent in the quarter compared with the same period a year earlier, the office said.";
        assert_eq!(near(e, &e.replace("increased", "decreased")), None);
        let k = "Kerry told reporters after the meeting in Geneva that the talks had been difficult but productive.";
        assert_eq!(near(k, &k.replace("Kerry", "Perry")), None);
    }

    #[test]
    fn compass_points_are_not_typos() {
        assert_eq!(typo_edits("northeast", "northwest"), None);
        assert_eq!(typo_edits("Southeast", "southwest"), None);
        assert_eq!(typo_edits("northeastern", "northeasten"), Some(1));
        // A typo inside the compass word is still a typo.
        assert_eq!(typo_edits("Northern", "Nothern"), Some(1));
        assert_eq!(typo_edits("Westminster", "Wesminster"), Some(1));
        assert_eq!(typo_edits("northeast", "northest"), Some(1));
        let a = "In northeast Ohio, a flood watch is in effect until 8 p.m. Tuesday for the river.";
        let b = "In northwest Ohio, a flood watch is in effect until 8 p.m. Tuesday for the river.";
        assert_eq!(near(a, b), None);
    }

    #[test]
    fn a_cut_copy_matches_the_start_of_the_full_sentence() {
        let full = "The Environment Agency said the discharges had polluted protected nature sites and shellfish beds, and that the company had tried to hide the scale of the problem from regulators in 2019.";
        let cut = "The Environment Agency said the discharges had polluted protected nature sites and shellfish beds, and that the company had tried to hide...";
        assert!(near(cut, full).is_some());
        assert!(near(full, cut).is_some());
        assert!(near(&cut.replace("...", "…"), full).is_some());
        // Not cut: the missing half is a difference.
        assert_eq!(near(&cut.replace("...", "."), full), None);
        // Cut, but not the start of the other.
        let other = cut.replace("polluted", "spared");
        assert_eq!(near(&other, full), None);
        let number = cut.replace("shellfish beds", "12 shellfish beds");
        assert_eq!(near(&number, full), None);
        // A cut copy glued to another sentence is no full sentence.
        let c = "The minister said on Tuesday that the talks would resume in…";
        let glued = "The minister said on Tuesday that the talks would resume in… Police said the suspect was arrested late on Tuesday night near...";
        assert_eq!(near(c, glued), None);
        // The full sentence's tail after the cut may hold a number ("in 2019"), a negation or
        // a name.
        let cut_short = "The Environment Agency said the discharges had polluted protected nature sites and shellfish beds, and…";
        assert!(near(cut_short, full).is_some());
    }

    #[test]
    fn caption_prefix_and_credit_match() {
        let caption = "President Joe Biden speaks to reporters on the South Lawn of the White House in Washington.";
        let prefixed = format!("FILE - In this Aug. 15, 2019 file photo, {caption}");
        assert!(near(caption, &prefixed).is_some());
        let credited = format!("{} (AP Photo/Evan Vucci)", caption.trim_end_matches('.'));
        assert!(near(caption, &credited).is_some());
    }

    #[test]
    fn numbers_negations_and_names_never_match() {
        let base =
            "Shares of the company rose 2% on Monday after the quarterly results beat forecasts.";
        assert!(near(base, &base.replace("2%", "3%")).is_none());
        assert!(near(base, &base.replace("Monday", "Tuesday")).is_none());
        let neg = "The spokesman did confirm that the minister would travel to Moscow next week for talks.";
        assert!(near(neg, &neg.replace("did confirm", "did not confirm")).is_none());
        assert!(near(neg, &neg.replace("did confirm", "didn't confirm")).is_none());
        let vote = "The senator voted for the bill that would expand health coverage to two million people.";
        assert!(near(vote, &vote.replace(" for ", " against ")).is_none());
        let goal =
            "Smith scored in the 10th minute to give the home side an early lead at the stadium.";
        assert!(
            near(
                goal,
                &goal.replace("Smith", "Jones").replace("10th", "80th")
            )
            .is_none()
        );
        assert!(near(goal, &goal.replace("Smith", "Jones")).is_none());
    }

    #[test]
    fn short_sentences_are_not_near_matched() {
        let found = find(&Lookup {
            sentences: Texts::Slices(&[
                "The senator voted for the bill.",
                "The senator voted for a bill.",
            ]),
            exact_new: &[true, true],
            source: &[NONE, NONE],
            threshold: DEFAULT_SIMILARITY,
            index_min_bytes: 0,
        });
        assert!(found.is_empty());
    }

    /// A sentence cut short after half its words shares no MinHash band with its full copy
    /// about 3 times in 10; the first-words table finds it every time, before or after.
    #[test]
    fn the_index_finds_every_cut_copy_by_its_first_words() {
        let pool: Vec<&str> = "minister harbour council budget engineers winter railway colony \
             penguins coast ministry record voters bridge farmers museum storm factory court \
             river school festival tunnel airport"
            .split_whitespace()
            .collect();
        let mut rng = crate::test_rng::XorShift(0xc075_0001);
        for _ in 0..60 {
            let words: Vec<&str> = (0..16).map(|_| rng.pick(&pool)).collect();
            let full = format!("The {} said on Tuesday.", words.join(" "));
            let cut = format!("The {}...", words[..8].join(" "));
            for pair in [[cut.as_str(), full.as_str()], [full.as_str(), cut.as_str()]] {
                let found = find(&Lookup {
                    sentences: Texts::Slices(&pair),
                    exact_new: &[true, true],
                    source: &[NONE, NONE],
                    threshold: DEFAULT_SIMILARITY,
                    index_min_bytes: 0,
                });
                assert_eq!(found.len(), 1, "{pair:?}");
            }
        }
    }

    #[test]
    fn index_finds_the_earlier_copy() {
        let typo = LAVROV.replace("Minister", "Minster");
        let sentences = [
            LAVROV,
            "An unrelated sentence about the weather in the northern hills this week.",
            typo.as_str(),
        ];
        let found = find(&Lookup {
            sentences: Texts::Slices(&sentences),
            exact_new: &[true, true, true],
            source: &[NONE; 3],
            threshold: DEFAULT_SIMILARITY,
            index_min_bytes: 0,
        });
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].copy, found[0].of), (2, 0));
        assert!(found[0].similarity > 0.9 && found[0].similarity <= 1.0);
    }

    /// The MinHash is only as good as its permutations: over many pairs of word sets with
    /// resemblance J, a sketch byte matches about J of the time (plus 1 in 256 by chance) and a
    /// band (three rows) about J³ of the time, as for independent permutations.
    #[test]
    fn sketch_bytes_and_bands_match_at_the_resemblance() {
        let mut rng = crate::test_rng::XorShift(0x005e_ed0f_4a11);
        let content = |k: u64| Word {
            hash: word_hash(&format!("w{k}")),
            start: 0,
            end: 0,
            number: false,
            negation: false,
            stop: false,
            capital: false,
        };
        // (shared words, words only one side has, each side): resemblance shared / union.
        for (shared, own) in [(11, 1), (8, 2), (6, 3), (6, 7), (4, 8)] {
            let j = shared as f64 / (shared + 2 * own) as f64;
            let trials = 4000;
            let (mut bytes, mut bands) = (0usize, 0usize);
            for _ in 0..trials {
                let base = rng.next();
                let common: Vec<Word> = (0..shared).map(|k| content(base ^ k)).collect();
                let side = |tag: u64| -> Vec<Word> {
                    let extra = (0..own).map(|k| content(base ^ (tag << 32) ^ k));
                    common.iter().copied().chain(extra).collect()
                };
                let (a, b) = (side(1), side(2));
                let (ka, sa) = band_keys(&a).expect("enough content words");
                let (kb, sb) = band_keys(&b).expect("enough content words");
                bytes += same_bytes(&sa, &sb);
                bands += ka.iter().zip(&kb).filter(|(x, y)| x == y).count();
            }
            let byte_rate = bytes as f64 / (trials * SKETCH) as f64;
            let band_rate = bands as f64 / (trials * BANDS) as f64;
            let expected_byte = j + (1.0 - j) / 256.0;
            assert!(
                (byte_rate - expected_byte).abs() < 0.02,
                "J {j:.2}: sketch bytes match {byte_rate:.3}, expected {expected_byte:.3}"
            );
            assert!(
                (band_rate - j.powi(3)).abs() < 0.02,
                "J {j:.2}: bands match {band_rate:.3}, expected {:.3}",
                j.powi(3)
            );
        }
    }

    #[test]
    fn same_bytes_counts_equal_sketch_bytes() {
        let mut rng = crate::test_rng::XorShift(0x5ce7_c4ed_0000_0001);
        for _ in 0..20_000 {
            let a: [u8; SKETCH] = std::array::from_fn(|_| rng.below(256) as u8);
            // Mostly equal bytes, some differing in one bit (the high bit too).
            let b: [u8; SKETCH] = std::array::from_fn(|j| match rng.below(4) {
                0 => rng.below(256) as u8,
                1 => a[j] ^ (1 << rng.below(8)),
                _ => a[j],
            });
            let naive = a.iter().zip(&b).filter(|(x, y)| x == y).count();
            assert_eq!(same_bytes(&a, &b), naive, "{a:?} {b:?}");
        }
        assert_eq!(same_bytes(&[0; SKETCH], &[0; SKETCH]), SKETCH);
        assert_eq!(same_bytes(&[0; SKETCH], &[0x80; SKETCH]), 0);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance(b"minister", b"minster", 2), 1);
        assert_eq!(edit_distance(b"decision", b"decisoin", 2), 1);
        assert!(edit_distance(b"for", b"against", 2) > 2);
    }

    #[test]
    fn a_short_sentence_is_a_copy_only_with_the_same_words() {
        let texts = [
            "Les travaux débuteront en été.",
            "Les travaux debuteront en ete.",
            "LES TRAVAUX DÉBUTERONT EN ÉTÉ !",
            "Les travaux commenceront en été.",
            "Les travaux débuteront en été 2026.",
        ];
        let t = Texts::Slices(&texts);
        let mut s = Scratch::default();
        assert_eq!(compare(t, 1, 0, DEFAULT_SIMILARITY, &mut s), Some(1.0));
        assert_eq!(compare(t, 2, 0, DEFAULT_SIMILARITY, &mut s), Some(1.0));
        assert_eq!(compare(t, 3, 0, DEFAULT_SIMILARITY, &mut s), None);
        assert_eq!(compare(t, 4, 0, DEFAULT_SIMILARITY, &mut s), None);
    }
}
