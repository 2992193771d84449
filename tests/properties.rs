//! Property tests for the invariants of cleaning: idempotence, output made only of input
//! bytes (in input order when not merging), nothing unique lost, unchanged articles untouched.

use newsdedup::boilerplate::Boilerplate;
use newsdedup::normalize::Normalizer;
use newsdedup::segment;
use newsdedup::{Options, clean};
use proptest::prelude::*;
use std::collections::HashSet;

const WORDS: &[&str] = &[
    "council",
    "approved",
    "budget",
    "after",
    "long",
    "debate",
    "residents",
    "warned",
    "taxes",
    "would",
    "rise",
    "sharply",
    "officials",
    "confirmed",
    "plan",
    "expand",
    "housing",
    "river",
    "bridge",
    "reopen",
    "weeks",
    "mayor",
    "told",
    "reporters",
    "station",
    "closed",
];

const SENTENCES: &[&str] = &[
    "The minister said the talks would resume on Monday in Geneva.",
    "Officials did not confirm the date, citing security concerns.",
    "Mr. Smith, a U.S. envoy, arrived on Dec. 18 with a small delegation.",
    "“We are not there yet,” the spokeswoman told reporters.",
    "Shares rose 2% on Monday.",
    "Shares rose 3% on Monday.",
    "Also at Walmart",
    "What do you think?",
    "The storm knocked out power to 40,000 homes across the county.",
    "Police said the suspect was arrested late on Tuesday night near the border.",
    "…",
    "你好。我很好！",
    "Advertisement",
    "Read more",
];

/// One paragraph: one to three sentences joined by a space or two.
fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec((0..SENTENCES.len(), prop::bool::ANY), 1..4).prop_map(|parts| {
        let mut p = String::new();
        for (i, (s, wide)) in parts.into_iter().enumerate() {
            if i > 0 {
                p.push_str(if wide { "  " } else { " " });
            }
            p.push_str(SENTENCES[s]);
        }
        p
    })
}

/// A line: mostly paragraphs, sometimes blank or a separator.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => paragraph(),
        1 => Just(String::new()),
        1 => Just("___".to_owned()),
    ]
}

/// An article: some lines, then maybe a copy of a stretch of them (possibly upper-cased, with
/// an extra line inside), then more lines; LF or CRLF; with or without a final newline.
fn article() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..12),
        prop::option::of((
            0usize..12,
            0usize..12,
            prop::bool::ANY,
            prop::option::of(line()),
        )),
        prop::collection::vec(line(), 0..4),
        prop::bool::ANY,
        prop::bool::ANY,
    )
        .prop_map(|(mut lines, copy, tail, crlf, final_newline)| {
            if let Some((a, b, upper, extra)) = copy {
                let (a, b) = (a.min(lines.len()), b.min(lines.len()));
                let (a, b) = (a.min(b), a.max(b));
                let mut copied: Vec<String> = lines[a..b]
                    .iter()
                    .map(|l| if upper { l.to_uppercase() } else { l.clone() })
                    .collect();
                if let Some(extra) = extra {
                    copied.insert(copied.len() / 2, extra);
                }
                lines.extend(copied);
            }
            lines.extend(tail);
            let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
            if final_newline && !text.is_empty() {
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
            text
        })
}

fn options(merge: bool) -> Options {
    Options {
        merge,
        ..Options::default()
    }
}

fn is_subsequence(needle: &[u8], haystack: &[u8]) -> bool {
    let mut it = haystack.iter();
    needle.iter().all(|b| it.any(|h| h == b))
}

fn byte_counts(text: &str) -> [usize; 256] {
    let mut counts = [0; 256];
    for &b in text.as_bytes() {
        counts[b as usize] += 1;
    }
    counts
}

/// The normalized content sentences of `text` (as `content_keys` selects them).
fn sentences(text: &str, boilerplate: &Boilerplate) -> Vec<String> {
    let lines = segment::split_lines(text);
    let contents: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
    let mut furniture = Vec::new();
    boilerplate.classify(&contents, &mut furniture);
    let mut normalizer = Normalizer::new();
    let mut out = Vec::new();
    let mut alone = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.kind != segment::LineKind::Text || furniture[i] {
            continue;
        }
        let mut spans = Vec::new();
        segment::split_sentences(contents[i], |s, e| spans.push(&contents[i][s..e]));
        for sentence in spans {
            boilerplate.classify(&[sentence], &mut alone);
            if !alone[0] && normalizer.key(sentence).is_some() {
                out.push(normalizer.normalized(sentence).to_owned());
            }
        }
    }
    out
}

/// What may stand before a number: a minus sign or a currency symbol (or nothing).
const SIGNS: &[&str] = &["", "", "-", "$", "€", "£"];

fn words_of(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

fn numbers(s: &str) -> Vec<&str> {
    words_of(s)
        .into_iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

/// Whether the words of `inner` stand, in order and together, in `outer`.
fn contiguous_in(inner: &str, outer: &str) -> bool {
    let (wi, wo) = (words_of(inner), words_of(outer));
    wi.len() >= 8 && wo.windows(wi.len()).any(|w| w == wi.as_slice())
}

/// Whether the first words of `outer` are nearly the words of the shorter `inner`, with the same
/// numbers.
fn starts_nearly_with(outer: &str, inner: &str) -> bool {
    let (wo, wi) = (words_of(outer), words_of(inner));
    if wo.len() <= wi.len() {
        return false;
    }
    let start = wo[..wi.len()].join(" ");
    numbers(&start) == numbers(inner) && word_overlap(&start, inner) >= 0.8
}

/// Shared words over the longer word count.
fn word_overlap(a: &str, b: &str) -> f64 {
    let (wa, wb) = (words_of(a), words_of(b));
    let set: HashSet<&str> = wa.iter().copied().collect();
    let shared = wb.iter().filter(|w| set.contains(*w)).count();
    shared as f64 / wa.len().max(wb.len()).max(1) as f64
}

/// An article from sentences that have near variants: typos, dropped words, prefixes.
fn near_article() -> impl Strategy<Value = String> {
    const VARIANTS: &[&str] = &[
        "The minister said on Tuesday that the talks would resume in Geneva next week.",
        "The minister said Tuesday that the talks would resume in Geneva next week.",
        "The minster said on Tuesday that the talks would resume in Geneva next week.",
        "The minister said on Tuesday that the talks would not resume in Geneva next week.",
        "The minister said on Wednesday that the talks would resume in Geneva next week.",
        "Shares of the company rose 2% on Monday after the quarterly results beat forecasts.",
        "Shares of the company rose 3% on Monday after the quarterly results beat forecasts.",
        "FILE - In this Aug. 15, 2019 file photo, the mayor speaks to reporters outside city hall.",
        "The mayor speaks to reporters outside city hall.",
        "Police said the suspect was arrested late on Tuesday night near the border crossing.",
        // Cut copies (a teaser, a truncated capture) of the first and the last.
        "The minister said on Tuesday that the talks would resume in…",
        "Police said the suspect was arrested late on Tuesday night near...",
    ];
    prop::collection::vec(prop::collection::vec(0..VARIANTS.len(), 1..3), 1..14).prop_map(|lines| {
        lines
            .into_iter()
            .map(|l| {
                l.into_iter()
                    .map(|i| VARIANTS[i])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Keys of every sentence of the text lines that are not boilerplate (nor furniture alone).
fn content_keys(text: &str, boilerplate: &Boilerplate) -> HashSet<u64> {
    let lines = segment::split_lines(text);
    let contents: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
    let mut furniture = Vec::new();
    boilerplate.classify(&contents, &mut furniture);
    let mut normalizer = Normalizer::new();
    let mut keys = HashSet::new();
    let mut furniture_alone = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.kind != segment::LineKind::Text || furniture[i] {
            continue;
        }
        let mut sentences = Vec::new();
        segment::split_sentences(contents[i], |s, e| sentences.push(&contents[i][s..e]));
        for sentence in sentences {
            // A furniture phrase glued to a removed repeat goes as furniture: not content.
            boilerplate.classify(&[sentence], &mut furniture_alone);
            if furniture_alone[0] {
                continue;
            }
            if let Some(k) = normalizer.key(sentence) {
                keys.insert(k.hash);
            }
        }
    }
    keys
}

/// The words of the number-word and negation lists near matching reads.
fn listed_markers() -> Vec<&'static str> {
    [
        include_str!("../data/near_number_words.txt"),
        include_str!("../data/near_negations.txt"),
    ]
    .into_iter()
    .flat_map(str::lines)
    .map(str::trim)
    .filter(|l| !l.is_empty() && !l.starts_with('#'))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn cleaning_is_idempotent(text in article(), merge in prop::bool::ANY) {
        let options = options(merge);
        let once = clean(&text, &options);
        let twice = clean(&once.text, &options);
        prop_assert_eq!(&twice.text, &once.text);
        prop_assert!(!twice.changed());
    }

    #[test]
    fn without_merge_output_is_a_subsequence_of_input(text in article()) {
        let cleaned = clean(&text, &options(false));
        prop_assert!(is_subsequence(cleaned.text.as_bytes(), text.as_bytes()));
    }

    #[test]
    fn output_is_made_only_of_input_bytes(text in article()) {
        let cleaned = clean(&text, &options(true));
        let (have, out) = (byte_counts(&text), byte_counts(&cleaned.text));
        prop_assert!(have.iter().zip(out.iter()).all(|(h, o)| o <= h));
        prop_assert!(cleaned.text.len() <= text.len());
        prop_assert_eq!(cleaned.bytes_in, text.len());
    }

    #[test]
    fn nothing_unique_is_lost(text in article(), merge in prop::bool::ANY) {
        // Exact matching: every sentence key of the input is in the output.
        let options = Options { similarity: None, ..options(merge) };
        let cleaned = clean(&text, &options);
        let before = content_keys(&text, &options.boilerplate);
        let after = content_keys(&cleaned.text, &options.boilerplate);
        prop_assert!(before.is_subset(&after), "lost: {:?}", before.difference(&after).count());
    }

    #[test]
    fn a_number_or_negation_difference_is_never_merged(
        words in prop::collection::vec(prop::sample::select(WORDS), 8..20),
        number in 0u32..100_000,
        // The same number half of the time, so that only the signs differ.
        other in prop::option::of(0u32..100_000),
        // The digits of ASCII, Arabic-Indic, Eastern Arabic-Indic, Devanagari, Bengali, Thai.
        zero in prop::sample::select(vec!['0', '\u{660}', '\u{6F0}', '\u{966}', '\u{9E6}', '\u{E50}']),
        signs in (prop::sample::select(SIGNS), prop::sample::select(SIGNS)),
        at in 0usize..8,
        negate in prop::bool::ANY,
    ) {
        let written = |n: u32, sign: &str| {
            let digits: String = n
                .to_string()
                .chars()
                .filter_map(|d| char::from_u32(zero as u32 + d.to_digit(10)?))
                .collect();
            format!("{sign}{digits}")
        };
        let other = other.unwrap_or(number);
        let (num_a, num_b) = (written(number, signs.0), written(other, signs.1));
        prop_assume!(num_a != num_b);
        let mut a = words.clone();
        a.insert(at, if negate { "did" } else { "" });
        let mut b = words;
        b.insert(at, if negate { "did not" } else { "" });
        a.push(&num_a);
        b.push(if negate { &num_a } else { &num_b });
        let a = a.iter().filter(|w| !w.is_empty()).copied().collect::<Vec<_>>().join(" ");
        let b = b.iter().filter(|w| !w.is_empty()).copied().collect::<Vec<_>>().join(" ");
        prop_assume!(a != b);
        // Three times each so that the pair would be far over --min-block-chars.
        let text = format!("{a}. {a}. {a}.\n{b}. {b}. {b}.\n");
        let cleaned = clean(&text, &Options { min_block_chars: 1, ..options(true) });
        prop_assert!(cleaned.text.contains(&b), "{:?}", cleaned.text);
        prop_assert!(cleaned.text.contains(&a), "{:?}", cleaned.text);
    }

    #[test]
    fn a_listed_number_word_or_negation_added_is_never_merged(
        words in prop::collection::vec(prop::sample::select(WORDS), 8..20),
        marker in prop::sample::select(listed_markers()),
        at in 0usize..8,
    ) {
        // Any word of the number-word and negation lists (in every language they cover),
        // added to one copy only: "hundreds of (thousands of) people", "(keine) Verletzte".
        let a = words.join(" ");
        let mut b = words;
        b.insert(at, marker);
        let b = b.join(" ");
        let text = format!("{a}. {a}. {a}.\n{b}. {b}. {b}.\n");
        let cleaned = clean(&text, &Options { min_block_chars: 1, ..options(true) });
        prop_assert!(cleaned.text.contains(&b), "{:?}", cleaned.text);
        prop_assert!(cleaned.text.contains(&a), "{:?}", cleaned.text);
    }

    #[test]
    fn near_matching_loses_only_near_copies(text in near_article(), merge in prop::bool::ANY) {
        // With near matching, a sentence whose exact key is gone must have a copy in the
        // output with the same numbers and nearly the same words.
        let options = options(merge);
        let cleaned = clean(&text, &options);
        let out_sentences = sentences(&cleaned.text, &options.boilerplate);
        for sentence in sentences(&text, &options.boilerplate) {
            if out_sentences.contains(&sentence) {
                continue;
            }
            // Same numbers and nearly the same words; or a caption whose copy lacks only a
            // prefix or credit (the copy's words stand contiguous in the lost sentence).
            // Or a cut copy (its ellipsis normalized away) of the start of a longer sentence.
            let copy = out_sentences.iter().find(|o| {
                numbers(o) == numbers(&sentence) && word_overlap(o, &sentence) >= 0.8
                    || contiguous_in(o, &sentence)
                    || contiguous_in(&sentence, o)
                    || starts_nearly_with(o, &sentence)
            });
            prop_assert!(copy.is_some(), "lost {:?}", sentence);
        }
    }

    #[test]
    fn the_words_after_a_cut_are_never_lost(text in near_article(), merge in prop::bool::ANY) {
        // Whichever copy comes first, a cut copy never stands in for the full sentence.
        let cleaned = clean(&text, &options(merge));
        for tail in ["in Geneva next week", "near the border crossing"] {
            if text.contains(tail) {
                prop_assert!(cleaned.text.contains(tail), "lost {:?} from {:?}", tail, text);
            }
        }
    }

    #[test]
    fn unchanged_articles_are_byte_identical(text in article()) {
        let cleaned = clean(&text, &options(true));
        if !cleaned.changed() {
            prop_assert_eq!(&cleaned.text, &text);
        }
    }

    #[test]
    fn ending_newline_matches_input(text in article()) {
        let cleaned = clean(&text, &options(true));
        if !cleaned.text.is_empty() {
            prop_assert_eq!(cleaned.text.ends_with('\n'), text.ends_with('\n'));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let cleaned = clean(&text, &options(true));
        prop_assert!(cleaned.text.len() <= text.len());
    }
}
