#!/usr/bin/env bash
# Times newsdedup on a deterministic news-like corpus next to `cat` and `awk '!seen[$0]++'`.
# usage: scripts/bench.sh [MEGABYTES]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-50}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet
bin=target/release/newsdedup
python3 scripts/gen_corpus.py "$mb" "$dir/corpus.txt"
python3 scripts/gen_corpus.py "$mb" "$dir/corpus-intl.txt" --non-ascii 0.2
best() { # best wall time of 3 runs, in seconds
  local best=
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    best=$(python3 -c "print(min(x for x in [$e-$s, ${best:-1e9}]))")
  done
  printf '%.3f' "$best"
}
for corpus in corpus corpus-intl; do
  f="$dir/$corpus.txt"
  size=$(stat -c %s "$f")
  t_cat=$(best cat "$f")
  t_awk=$(best awk '!seen[$0]++' "$f")
  t_nd=$(best "$bin" "$f")
  python3 - "$corpus" "$size" "$t_cat" "$t_awk" "$t_nd" <<'PY'
import sys
name, size, cat, awk, nd = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
mb = size / 1e6
print(f"{name}: {mb:.0f} MB  cat {cat:.3f}s  awk {awk:.3f}s ({mb/awk:.0f} MB/s)  "
      f"newsdedup {nd:.3f}s ({mb/nd:.0f} MB/s, {nd/awk:.2f}x awk)")
PY
done
/usr/bin/time -f "peak RSS %M KB for a ${mb} MB article" "$bin" "$dir/corpus.txt" > /dev/null
