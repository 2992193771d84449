#!/usr/bin/env bash
# Times newsdedup on a deterministic news-like corpus (one paragraph per line, repeated blocks,
# furniture) as ONE article, next to `cat` and `awk '!seen[$0]++'`, and prints the ratios the
# performance targets are stated in:
#   - wall time vs awk: default settings (all cores), -j1, and --exact (near matching off);
#     the same with 20% non-ASCII text (accented Latin, Cyrillic, CJK);
#   - start-up: cleaning a 3 KB article vs `cat` on it, process start to exit;
#   - peak RSS vs the article's size;
#   - linearity: the article at a tenth of the size vs the full size (time ratio, ~10 expected);
#   - determinism: output identical across runs and -j1 / default.
# Commands are run alternately, best of RUNS (default 3) wall times.
#
# usage: scripts/bench.sh [MEGABYTES]      (default 200; RUNS=5 scripts/bench.sh for more runs)
# Runs from a fresh clone: builds the release binary first; needs python3, awk, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-200}
runs=${RUNS:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/newsdedup
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

echo "newsdedup $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(uname -m)"
echo "generating corpora: ${mb} MB, ${mb} MB with 20% non-ASCII, $(python3 -c "print($mb/10)") MB ..."
python3 scripts/gen_corpus.py "$mb" "$dir/ascii.txt"
python3 scripts/gen_corpus.py "$mb" "$dir/intl.txt" --non-ascii 0.2
python3 scripts/gen_corpus.py "$(python3 -c "print($mb/10)")" "$dir/tenth.txt"
head -c 3000 "$dir/ascii.txt" | sed '$d' > "$dir/small.txt" # whole lines, just under 3 KB

now() { date +%s%N; }
# run NAME CMD...: one timed run (stdout to /dev/null), appended to $dir/NAME.times in seconds.
run() {
  local name=$1 s e
  shift
  s=$(now)
  "$@" > /dev/null
  e=$(now)
  echo "$(( e - s ))" >> "$dir/$name.times"
}
best() { sort -n "$dir/$1.times" | head -1 | awk '{printf "%.3f", $1 / 1e9}'; }

for corpus in ascii intl; do
  f="$dir/$corpus.txt"
  for _ in $(seq "$runs"); do
    run "$corpus-cat" cat "$f"
    run "$corpus-awk" awk '!seen[$0]++' "$f"
    run "$corpus-nd" "$bin" "$f"
    run "$corpus-nd1" "$bin" -j1 "$f"
    run "$corpus-exact" "$bin" --exact "$f"
  done
done
for _ in $(seq "$runs"); do
  run tenth-nd "$bin" "$dir/tenth.txt"
  run tenth-exact "$bin" --exact "$dir/tenth.txt"
done

# Start-up: 200 runs in a row of each, per-run time.
loop() { local i; for i in $(seq 200); do "$@" > /dev/null; done; }
for _ in $(seq "$runs"); do
  run small-cat loop cat "$dir/small.txt"
  run small-nd loop "$bin" "$dir/small.txt"
done

# Peak RSS (KB) and determinism.
rss() { "$timer" -f %M -o "$dir/rss" "$@" > /dev/null; cat "$dir/rss"; }
rss_nd=$(rss "$bin" "$dir/ascii.txt")
rss_exact=$(rss "$bin" --exact "$dir/ascii.txt")
# JSON Lines: the corpus as a stream of records (40 lines each), once and twice over, and with
# one record holding a tenth of the corpus; peak RSS must follow the largest record and the
# number of jobs, not the stream.
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
lines = open(os.path.join(d, "ascii.txt"), encoding="utf-8").read().split("\n")
tenth = open(os.path.join(d, "tenth.txt"), encoding="utf-8").read()
records = ["\n".join(lines[i:i + 40]) for i in range(0, len(lines), 40)]
for name, copies, big in (("stream1", 1, False), ("stream2", 2, False), ("streambig", 1, True)):
    with open(os.path.join(d, name + ".jsonl"), "w", encoding="utf-8") as f:
        for c in range(copies):
            for i, text in enumerate(records):
                if big and i == len(records) // 2:
                    f.write(json.dumps({"id": "big", "text": tenth}) + "\n")
                f.write(json.dumps({"id": f"{c}-{i}", "text": text}) + "\n")
PY
rss_stream1=$(rss "$bin" --jsonl "$dir/stream1.jsonl")
rss_stream2=$(rss "$bin" --jsonl "$dir/stream2.jsonl")
rss_streambig=$(rss "$bin" --jsonl "$dir/streambig.jsonl")
rss_tenth=$(rss "$bin" "$dir/tenth.txt")
same=yes
for corpus in ascii intl; do
  a=$("$bin" "$dir/$corpus.txt" | sha256sum)
  b=$("$bin" "$dir/$corpus.txt" | sha256sum)
  c=$("$bin" -j1 "$dir/$corpus.txt" | sha256sum)
  [ "$a" = "$b" ] && [ "$a" = "$c" ] || same=no
done

python3 - "$dir" "$mb" "$rss_nd" "$rss_exact" "$same" "$rss_stream1" "$rss_stream2" "$rss_streambig" "$rss_tenth" <<'PY'
import os, sys
d, mb, rss_nd, rss_exact, same = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rss_stream1, rss_stream2, rss_streambig, rss_tenth = map(int, sys.argv[6:10])
def best(name):
    with open(os.path.join(d, name + ".times")) as f:
        return min(int(x) for x in f) / 1e9
def size(name):
    return os.path.getsize(os.path.join(d, name + ".txt"))
ok = lambda cond: "met" if cond else "NOT met"
for corpus, label in [("ascii", "ASCII"), ("intl", "20% non-ASCII")]:
    n = size(corpus) / 1e6
    cat, awk = best(corpus + "-cat"), best(corpus + "-awk")
    print(f"\n{label} corpus, {n:.0f} MB as one article:")
    print(f"  cat                 {cat:7.3f} s")
    print(f"  awk '!seen[$0]++'   {awk:7.3f} s  {n / awk:6.0f} MB/s")
    for key, what in [("nd", "newsdedup"), ("nd1", "newsdedup -j1"), ("exact", "newsdedup --exact")]:
        t = best(f"{corpus}-{key}")
        print(f"  {what:19} {t:7.3f} s  {n / t:6.0f} MB/s  {t / awk:5.2f}x awk")
awk = best("ascii-awk")
nd, nd1, intl = best("ascii-nd"), best("ascii-nd1"), best("intl-nd") / best("intl-awk")
small_cat, small_nd = best("small-cat") / 200, best("small-nd") / 200
ten_nd, ten_exact = best("ascii-nd") / best("tenth-nd"), best("ascii-exact") / best("tenth-exact")
article = size("ascii")
print("\ntargets:")
print(f"  default vs awk      {nd / awk:5.2f}x  (target <= 0.5x)  {ok(nd / awk <= 0.5)}")
print(f"  -j1 vs awk          {nd1 / awk:5.2f}x  (target <= 1.0x)  {ok(nd1 / awk <= 1.0)}")
print(f"  non-ASCII vs awk    {intl:5.2f}x  (target <= 1.0x)  {ok(intl <= 1.0)}")
print(f"  start-up vs cat     {small_nd / small_cat:5.2f}x  (target <= 3x; 3 KB article: "
      f"newsdedup {small_nd * 1e3:.2f} ms, cat {small_cat * 1e3:.2f} ms)  {ok(small_nd <= 3 * small_cat)}")
print(f"  peak RSS            {rss_nd * 1024 / article:5.2f}x the article  (target <= 1.5x; "
      f"{rss_nd / 1024:.0f} MB for {article / 1e6:.0f} MB; --exact {rss_exact / 1024:.0f} MB)  "
      f"{ok(rss_nd * 1024 <= 1.5 * article)}")
stream = os.path.getsize(os.path.join(d, "stream1.jsonl"))
print(f"  --jsonl peak RSS    {rss_stream1 / 1024:.0f} MB for a {stream / 1e6:.0f} MB stream, "
      f"{rss_stream2 / 1024:.0f} MB for twice the stream; {rss_streambig / 1024:.0f} MB with one "
      f"{size('tenth') / 1e6:.1f} MB record in it (that record alone as an article: "
      f"{rss_tenth / 1024:.0f} MB)  {ok(rss_stream2 <= 1.2 * rss_stream1)}")
print(f"  10x input           {ten_nd:5.2f}x the time (--exact {ten_exact:.2f}x)  (linear: ~10x)  "
      f"{ok(ten_nd <= 13)}")
print(f"  identical output across runs and -j1 / default: {same}")
PY
