#!/usr/bin/env bash
# Times batch cleaning of a folder of article files next to `cp -r` of the same folder.
# usage: scripts/bench_batch.sh [FILES]   (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
# A tmpfs when there is one: on a disk file system the time goes to inode allocation, which
# depends on what the disk went through before (thousands of recently deleted files) more than
# on either program.
dir=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/newsdedup
python3 scripts/gen_articles.py "$count" "$dir/corpus"
size=$(du -sb "$dir/corpus" | cut -f1)
echo "corpus: $count files, $((size / 1024)) KB"
now() { date +%s.%N; }
best() { # label, then a command; prepare() runs before each of 3 runs, untimed
  local label=$1 best=
  shift
  for _ in 1 2 3; do
    prepare
    local s e
    s=$(now); "$@" > /dev/null; e=$(now)
    best=$(python3 -c "print(min($e-$s, ${best:-1e9}))")
  done
  printf '%-28s %.3f s\n' "$label" "$best"
  eval "t_${label//[^a-z0-9]/_}=$best"
}
prepare() { rm -rf "$dir/out" "$dir/work"; sync; }
best "cp -r" cp -r "$dir/corpus" "$dir/out"
best "out-dir j1" "$bin" -q -j1 -o "$dir/out" "$dir/corpus"
best "out-dir j2" "$bin" -q -j2 -o "$dir/out" "$dir/corpus"
prepare() { rm -rf "$dir/work"; cp -r "$dir/corpus" "$dir/work"; sync; }
best "in-place j1" "$bin" -q -j1 -i "$dir/work"
best "in-place j2" "$bin" -q -j2 -i "$dir/work"
python3 - "$t_cp__r" "$t_out_dir_j1" "$t_out_dir_j2" "$t_in_place_j1" "$t_in_place_j2" <<'PY'
import sys
cp, o1, o2, i1, i2 = map(float, sys.argv[1:])
print(f"out-dir: -j2 is {o1/o2:.2f}x faster than -j1; -j2 takes {o2/cp:.2f}x the time of cp -r")
print(f"in-place: -j2 is {i1/i2:.2f}x faster than -j1")
PY
