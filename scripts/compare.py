#!/usr/bin/env python3
"""Compare newsdedup with the deduplication tools people use today, on fixture pairs.

usage:
  python3 scripts/compare.py [--venv /tmp/cmpvenv] [--bin target/release/newsdedup]
  python3 scripts/compare.py --run TOOL FILE [--doc-lines N]     (one tool on one file, for timing)

The first form cleans a sample of fixtures/NAME.txt with every tool and scores each output
against fixtures/NAME.expected, then prints Markdown tables (per fixture and per category).

Scoring: output and expected lines are compared as multisets of non-blank lines, with
whitespace runs collapsed to one space (trafilatura rewrites tabs and runs of spaces; this
keeps that from counting as damage). Line order is not scored.
  left in = output lines that are not in the expected text (damage not repaired)
  lost    = expected lines missing from the output (good text destroyed)
A fixture is "fixed" when both are 0. newsdedup is perfect on these by construction: the
.expected files are its own specification.

Timing, on the corpus from `python3 scripts/gen_corpus.py 50 /tmp/cmp50.txt`:
  /usr/bin/time -f '%e %M' target/release/newsdedup /tmp/cmp50.txt > /dev/null
  /usr/bin/time -f '%e %M' python3 scripts/compare.py --run handrolled /tmp/cmp50.txt > /dev/null
  /usr/bin/time -f '%e %M' /tmp/cmpvenv/bin/python scripts/compare.py --run datatrove /tmp/cmp50.txt > /dev/null
The corpus has no article boundaries: awk, uniq, newsdedup and the hand-rolled script see the
whole file as one text; trafilatura and datatrove get it cut into 25-line documents.

Python tools (trafilatura, datatrove) run in the virtualenv given by --venv; this script
re-runs itself there in "--worker" mode. A tool that is not available is skipped, with a
message. Setup:
  python3 -m venv /tmp/cmpvenv
  /tmp/cmpvenv/bin/pip install -r scripts/compare_requirements.txt
"""
import argparse
import collections
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# The sample: (category, fixture name). None of these has a .args file.
SAMPLE = [
    ("repeated block (exact)", "seed_kerry_moscow_repeated_block"),
    ("repeated block (exact)", "triple_copy_all_removed"),
    ("repeated block (exact)", "merge_paragraph_from_later_copy"),
    ("near-duplicate copy", "curly_vs_straight_quotes_repeat"),
    ("near-duplicate copy", "case_difference_repeat"),
    ("near-duplicate copy", "near_typo_letter_dropped_in_block"),
    ("reflow", "near_reflow_joined_paragraphs"),
    ("teaser", "near_teaser_meta_description_first_line"),
    ("flattened copy", "near_flattened_copy_first"),
    ("boilerplate", "boilerplate_ad_markers"),
    ("boilerplate", "boilerplate_share_widget_run"),
    ("boilerplate", "boilerplate_copyright_footer"),
    ("natural repetition kept", "interview_question_repeated_stays"),
    ("natural repetition kept", "table_header_repeated_stays"),
    ("natural repetition kept", "near_negation_differs_stays"),
    ("clean article untouched", "clean_article_unchanged"),
]
KEEP_CATEGORIES = {"natural repetition kept", "clean article untouched"}


# ---------------------------------------------------------------------------------------
# The hand-rolled baseline: regex sentence split + a set of normalized sentences.
# ---------------------------------------------------------------------------------------

# A sentence ends at . ! or ?, optionally followed by a closing quote or bracket, then space.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"”’')\]])\s+")


def handrolled_clean(lines, seen=None):
    """Drop every sentence whose normalized form (lowercased, whitespace collapsed) was seen
    before; a line whose sentences all go is dropped. Blank lines pass through."""
    seen = set() if seen is None else seen
    out = []
    for line in lines:
        if not line.strip():
            out.append(line)
            continue
        kept = []
        for sentence in SENTENCE_END.split(line.strip()):
            key = " ".join(sentence.lower().split())
            if key in seen:
                continue
            seen.add(key)
            kept.append(sentence)
        if kept:
            out.append(" ".join(kept))
    return out


# ---------------------------------------------------------------------------------------
# trafilatura and datatrove. These functions run inside the virtualenv (--worker / --run).
# ---------------------------------------------------------------------------------------

def as_html(lines):
    """A plain-text article as the HTML page trafilatura expects: one <p> per non-blank line."""
    paras = "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in lines if line.strip())
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Article</title></head>\n"
            f"<body><article>\n{paras}\n</article></body></html>\n")


def trafilatura_extract(docs, dedup):
    """trafilatura.extract() on each document wrapped as HTML. dedup=True uses trafilatura's
    process-wide LRU cache, as its CLI does within one process."""
    import trafilatura
    outs = []
    for lines in docs:
        text = trafilatura.extract(as_html(lines), output_format="txt", deduplicate=dedup)
        outs.append(text.split("\n") if text else [])
    return outs


def trafilatura_helper(docs, max_repetitions=None):
    """trafilatura's own dedup test (deduplication.duplicate_test) applied to each line,
    with a fresh LRU cache per document and no HTML extraction around it. A line is dropped
    when it is longer than min_duplcheck_size (100) and was seen more than max_repetitions
    (2) times before."""
    from lxml.etree import Element
    from trafilatura.deduplication import LRUCache, duplicate_test
    from trafilatura.settings import LRU_SIZE, Extractor
    outs = []
    for lines in docs:
        options = Extractor(dedup=LRUCache(maxsize=LRU_SIZE))
        if max_repetitions is not None:
            options.max_repetitions = max_repetitions
        kept = []
        for line in lines:
            elem = Element("p")
            elem.text = line
            if line.strip() and duplicate_test(elem, options):
                continue
            kept.append(line)
        outs.append(kept)
    return outs


def datatrove_sentence_dedup(docs):
    """datatrove's three-step sentence dedup with its default SentDedupConfig (3-sentence
    spans, min_doc_words=50, min_num_sentences=3), all documents as one dataset. A document
    that falls below the minimums after dedup is dropped whole (returned as [])."""
    from datatrove.data import Document
    from datatrove.pipeline.dedup import (SentDedupConfig, SentenceDedupFilter,
                                          SentenceDedupSignature, SentenceFindDedups)
    from datatrove.utils.logging import logger
    logger.remove()  # datatrove logs through loguru; keep stdout/stderr quiet
    config = SentDedupConfig()
    with tempfile.TemporaryDirectory() as tmp:
        def documents():
            return (Document(text="\n".join(lines), id=str(i)) for i, lines in enumerate(docs))
        # 1: hash every 3-sentence window; 2: find repeated hashes (keeps the first);
        # 3: cut the repeated windows out of the documents.
        SentenceDedupSignature(output_folder=f"{tmp}/sigs", config=config).run(documents())
        SentenceFindDedups(data_folder=f"{tmp}/sigs", output_folder=f"{tmp}/dups",
                           config=config).run()
        outs = [[] for _ in docs]
        for doc in SentenceDedupFilter(data_folder=f"{tmp}/dups", config=config).run(documents()):
            outs[int(doc.id)] = doc.text.split("\n")
    return outs


WORKER_TOOLS = {
    "trafilatura-helper": lambda docs: trafilatura_helper(docs),
    "trafilatura-helper-rep0": lambda docs: trafilatura_helper(docs, max_repetitions=0),
    "datatrove": datatrove_sentence_dedup,
}


def worker_main(tool):
    """--worker mode: documents as JSON on stdin, cleaned documents as JSON on stdout."""
    docs = json.load(sys.stdin)
    json.dump(WORKER_TOOLS[tool](docs), sys.stdout)


# ---------------------------------------------------------------------------------------
# Running each tool on the sample, from the driver (any python3).
# ---------------------------------------------------------------------------------------

def run_cmd(cmd, path=None, stdin_text=None):
    """Run a command on a file (stdin) and return its output lines."""
    if path is not None:
        with open(path, "rb") as f:
            data = f.read()
    else:
        data = stdin_text.encode("utf-8")
    proc = subprocess.run(cmd, input=data, capture_output=True, check=True)
    return proc.stdout.decode("utf-8").splitlines()


def per_file(cmd):
    return lambda paths, docs: [run_cmd(cmd, path=p) for p in paths]


def in_venv(python, tool):
    """Run a WORKER_TOOLS entry in the virtualenv python on all documents at once."""
    def run(paths, docs):
        proc = subprocess.run([python, __file__, "--worker", tool], input=json.dumps(docs),
                              capture_output=True, text=True, check=True)
        return json.loads(proc.stdout)
    return run


def trafilatura_cli(exe, dedup):
    """The trafilatura CLI reading one HTML page on stdin, a fresh process per fixture (so
    its LRU cache starts empty for each article)."""
    cmd = [exe, "--output-format", "txt"] + (["--deduplicate"] if dedup else [])
    return lambda paths, docs: [run_cmd(cmd, stdin_text=as_html(lines)) for lines in docs]


def venv_has(python, module):
    return python and subprocess.run([python, "-c", f"import {module}"],
                                     capture_output=True).returncode == 0


def build_tools(args):
    """(column name, runner) for every available tool; prints why any tool is skipped."""
    tools = []
    skipped = []
    binary = Path(args.bin)
    if binary.is_file():
        tools.append(("newsdedup", per_file([str(binary)])))
        tools.append(("newsdedup --exact", per_file([str(binary), "--exact"])))
    else:
        skipped.append(f"newsdedup: no binary at {binary} (run `cargo build --release`)")
    if shutil.which("awk"):
        tools.append(("awk '!seen[$0]++'", per_file(["awk", "!seen[$0]++"])))
    else:
        skipped.append("awk: not on PATH")
    if shutil.which("uniq"):
        tools.append(("uniq", per_file(["uniq"])))
    else:
        skipped.append("uniq: not on PATH")

    python = Path(args.venv) / "bin" / "python"
    python = str(python) if python.is_file() else None
    if not python:
        skipped.append(f"trafilatura, datatrove: no virtualenv python at {args.venv}/bin/python")
    elif venv_has(python, "trafilatura"):
        exe = str(Path(args.venv) / "bin" / "trafilatura")
        tools.append(("trafilatura (extract only)", trafilatura_cli(exe, dedup=False)))
        tools.append(("trafilatura --deduplicate", trafilatura_cli(exe, dedup=True)))
        tools.append(("trafilatura duplicate_test per line", in_venv(python, "trafilatura-helper")))
        tools.append(("same, max_repetitions=0", in_venv(python, "trafilatura-helper-rep0")))
    else:
        skipped.append(f"trafilatura: not importable in {python}")
    if python and venv_has(python, "datatrove.pipeline.dedup, spacy"):
        tools.append(("datatrove sentence dedup", in_venv(python, "datatrove")))
    elif python:
        skipped.append(f"datatrove: datatrove or spacy not importable in {python}")
    tools.append(("hand-rolled sentence set", lambda paths, docs: [handrolled_clean(d) for d in docs]))
    return tools, skipped


# ---------------------------------------------------------------------------------------
# Scoring and tables.
# ---------------------------------------------------------------------------------------

def norm_lines(lines):
    return collections.Counter(n for n in (" ".join(l.split()) for l in lines) if n)


def score(output, expected):
    """(left in, lost): multiset differences of normalized non-blank lines."""
    out, exp = norm_lines(output), norm_lines(expected)
    return sum((out - exp).values()), sum((exp - out).values())


def cell(left, lost):
    return "✅ 0/0" if left == lost == 0 else f"{left}/{lost}"


def verdict(category, n, fixed, left, lost):
    if fixed == n:
        # categories whose input holds nothing to remove: success means untouched
        return f"kept {fixed}/{n}" if category in KEEP_CATEGORIES else f"caught {fixed}/{n}"
    if left and lost:
        word = "missed + destroyed text"
    elif lost:
        word = "destroyed text"
    else:
        word = "partly caught" if fixed else "missed"
    return f"{word} ({fixed}/{n} fixed; {left} left in, {lost} lost)"


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def compare_main(args):
    names = [name for _, name in SAMPLE]
    for name in names:
        if (FIXTURES / f"{name}.args").exists():
            sys.exit(f"{name} has a .args file; the sample must not use such fixtures")
    paths = [FIXTURES / f"{name}.txt" for name in names]
    docs = [read_lines(p) for p in paths]
    expected = [read_lines(FIXTURES / f"{name}.expected") for name in names]

    tools, skipped = build_tools(args)
    for message in skipped:
        print(f"skipped {message}", file=sys.stderr)

    results = {}  # tool -> list of (left, lost) per fixture
    for tool, runner in tools:
        outputs = runner(paths, docs)
        results[tool] = [score(o, e) for o, e in zip(outputs, expected)]
        if args.dump:
            dump = Path(args.dump) / re.sub(r"[^A-Za-z0-9]+", "_", tool).strip("_")
            dump.mkdir(parents=True, exist_ok=True)
            for name, out in zip(names, outputs):
                (dump / f"{name}.out").write_text("\n".join(out) + "\n", encoding="utf-8")

    cols = [t for t, _ in tools]
    print("### Per fixture (left in / lost; ✅ = fixed)\n")
    print("| fixture | category | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for i, (category, name) in enumerate(SAMPLE):
        print(f"| {name} | {category} | " + " | ".join(cell(*results[t][i]) for t in cols) + " |")
    print("| **fixed** | | " + " | ".join(
        f"**{sum(1 for s in results[t] if s == (0, 0))}/{len(SAMPLE)}**" for t in cols) + " |")
    print("| **lines left in / lost** | | " + " | ".join(
        f"{sum(s[0] for s in results[t])} / {sum(s[1] for s in results[t])}" for t in cols) + " |")

    print("\n### Per category\n")
    categories = list(dict.fromkeys(c for c, _ in SAMPLE))
    print("| category | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for category in categories:
        idx = [i for i, (c, _) in enumerate(SAMPLE) if c == category]
        row = []
        for t in cols:
            scores = [results[t][i] for i in idx]
            row.append(verdict(category, len(idx), sum(1 for s in scores if s == (0, 0)),
                               sum(s[0] for s in scores), sum(s[1] for s in scores)))
        print(f"| {category} ({len(idx)}) | " + " | ".join(row) + " |")


# ---------------------------------------------------------------------------------------
# --run: one tool on one plain-text file, cleaned text to stdout (for timing).
# ---------------------------------------------------------------------------------------

def run_main(tool, path, doc_lines):
    lines = read_lines(path)
    if tool == "handrolled":
        # One document, like awk and newsdedup: a single set over the whole file.
        out = handrolled_clean(lines)
    else:
        # These tools work on documents; the file has no article boundaries, so it is cut
        # into documents of doc_lines lines.
        docs = [lines[i:i + doc_lines] for i in range(0, len(lines), doc_lines)]
        if tool == "trafilatura":
            outs = trafilatura_extract(docs, dedup=True)
        elif tool in WORKER_TOOLS:
            outs = WORKER_TOOLS[tool](docs)
        else:
            sys.exit(f"unknown tool {tool}")
        out = [line for doc in outs for line in doc]
    sys.stdout.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", default="/tmp/cmpvenv", help="virtualenv with trafilatura and datatrove")
    parser.add_argument("--bin", default=str(ROOT / "target" / "release" / "newsdedup"),
                        help="newsdedup binary")
    parser.add_argument("--dump", metavar="DIR", help="also write every tool's output under DIR")
    parser.add_argument("--run", nargs=2, metavar=("TOOL", "FILE"),
                        help="clean FILE with one tool (handrolled, trafilatura, trafilatura-helper, "
                             "trafilatura-helper-rep0, datatrove) and print the result")
    parser.add_argument("--doc-lines", type=int, default=25,
                        help="with --run: lines per document for document-based tools (default 25)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
    elif args.run:
        run_main(args.run[0], args.run[1], args.doc_lines)
    else:
        compare_main(args)


if __name__ == "__main__":
    main()
