#!/usr/bin/env bash
# Near-duplicate matching must not be quadratic: on an article of 50,000 distinct sentences (no
# repeats) the default near matching may take at most 1.5x the time of `--exact`. Also times a
# 10x article (500,000 sentences) in both modes to show that the cost grows linearly.
# usage: scripts/bench_near.sh [RUNS]   (best of RUNS, default 5; the modes are run alternately)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet
bin=target/release/newsdedup

gen() { # gen SENTENCES FILE: a deterministic article of distinct news-like sentences
  python3 - "$1" "$2" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20240611)
# A small grammar over large word pools, so that sentences share few content words, as the
# sentences of a real article do.
W = lambda s: s.split("|")
first = W("Maria|James|Ana|Tomasz|Leila|Kenji|Grace|Pavel|Amara|Luis|Sofia|Daniel|Ingrid|Omar|"
          "Chloe|Rahul|Elena|Samuel|Yuki|Nadia|Hugo|Marta|Felix|Zara|Ivan|Ruth|Mateo|Anika")
last = W("Alvarez|Brennan|Costa|Dubois|Eriksen|Fischer|Gupta|Haddad|Ivanova|Jensen|Kowalski|"
         "Lindqvist|Moreau|Nakamura|Okafor|Petrov|Quinn|Rossi|Schmidt|Tanaka|Varga|Walsh|Yilmaz|"
         "Zhou|Mensah|Novak|Ortega|Keller|Baptiste|Horvat|Sato|Mwangi")
roles = W("finance minister|company spokeswoman|union leader|mayor|chief executive|senior diplomat|"
          "police chief|energy analyst|health secretary|opposition leader|court spokesman|"
          "head coach|central bank governor|fire chief|school inspector|harbour master|"
          "farmers' representative|airline pilot|hospital director|trade negotiator")
places = W("Lisbon|Nairobi|Osaka|Krakow|Lyon|Valparaiso|Gdansk|Porto|Accra|Tromso|Seville|"
           "Ghent|Bergen|Cork|Turin|Brno|Leeds|Malmo|Tartu|Split|Cluj|Aarhus|Bilbao|Graz|"
           "Dakar|Quito|Hobart|Galway|Tampere|Zadar|Lublin|Coimbra|Utrecht|Salzburg")
days = W("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
months = W("Jan.|Feb.|March|April|May|June|July|Aug.|Sept.|Oct.|Nov.|Dec.")
adjs = W("new|disputed|delayed|costly|regional|proposed|ambitious|controversial|long-awaited|"
         "revised|private|municipal|coastal|northern|cross-border|temporary|emergency|rural")
nouns = W("rail line|bus fares|hospital budget|wind farm|port expansion|sugar tax|school buildings|"
          "airline bid|flood defences|stadium|housing scheme|water prices|ceasefire talks|bank merger|"
          "steel plant|bridge repairs|fishing quotas|pension reform|tram network|border checks|"
          "grain exports|mining licence|ferry service|heating subsidy|vaccine programme|dam project")
preds = W("would go ahead as planned|had been delayed by at least a year|needed more money from the state|"
          "was the best deal on the table|would be put to a public vote|could cost far more than expected|"
          "had won over most local residents|would be reviewed by an independent panel|"
          "faced a legal challenge from environmental groups|was running well behind schedule|"
          "had split the governing coalition|might be scrapped after the election|"
          "would create hundreds of jobs in the region|left smaller firms struggling to compete")
said = W("said|told reporters|wrote in a statement|told a news conference|said in an interview|"
         "told lawmakers|warned|insisted|conceded|argued")
verbs = W("rose|fell|climbed|dropped|jumped|slipped|edged up|eased|surged|tumbled")
groups = W("shareholders|residents|farmers|nurses|teachers|taxi drivers|pensioners|students|"
           "dock workers|shop owners|fishermen|miners|cyclists|parents|tenants|musicians")
events = W("storm|strike|landslide|power cut|fire|heatwave|protest|flood|blockade|cyberattack")
def name():
    return f"{rng.choice(first)} {rng.choice(last)}"
def thing():
    return f"the {rng.choice(adjs)} {rng.choice(nouns)}"
templates = [
    lambda: f"{name()}, the {rng.choice(roles)} in {rng.choice(places)}, {rng.choice(said)} on {rng.choice(days)} that {thing()} {rng.choice(preds)}.",
    lambda: f"Shares in {rng.choice(last)} {rng.choice(W('Holdings|Group|Energy|Foods|Motors|Telecom'))} {rng.choice(verbs)} {rng.randint(1, 19)}.{rng.randint(0, 9)}% in {rng.choice(places)} after it reported a profit of {rng.randint(2, 950)} million euros, helped by {thing()}.",
    lambda: f"About {rng.randint(2, 400) * 50:,} {rng.choice(groups)} marched through {rng.choice(places)} on {rng.choice(days)} against {thing()}, and organisers promised more {rng.choice(events)}s.",
    lambda: f"The hearing was adjourned until {rng.choice(months)} {rng.randint(1, 28)}, when {name()} is expected to answer questions about {thing()}.",
    lambda: f"{rng.choice(places)} beat {rng.choice(places)} {rng.randint(0, 5)}-{rng.randint(0, 4)}, with {name()} scoring in the {rng.randint(2, 90)}th minute in front of {rng.randint(3, 60) * 1000 + rng.randint(0, 999):,} {rng.choice(W('fans|supporters|spectators'))}.",
    lambda: f"After the {rng.choice(events)} in {rng.choice(places)}, {rng.choice(groups)} {rng.choice(said)} that {thing()} {rng.choice(preds)}.",
    lambda: f"Police {rng.choice(said)} {rng.randint(2, 90)} people were detained after {rng.choice(groups)} clashed with officers near {rng.choice(W('the town hall|the station|the harbour|parliament|the stadium|the market'))} in {rng.choice(places)}.",
    lambda: f"{name()} {rng.choice(said)} the {rng.choice(events)} had cost {rng.choice(groups)} about {rng.randint(2, 900)} million {rng.choice(W('euros|dollars|pounds|crowns'))}, and that {thing()} {rng.choice(preds)}.",
]
seen, out, line = set(), [], []
while len(seen) < n:
    s = rng.choice(templates)()
    if s in seen:
        continue
    seen.add(s)
    line.append(s)
    if len(line) >= rng.randint(2, 5):
        out.append(" ".join(line))
        line = []
if line:
    out.append(" ".join(line))
with open(path, "w") as f:
    f.write("\n".join(out) + "\n")
PY
}

bench() { # bench FILE LABEL: best of $runs for --exact and near, alternating
  python3 - "$bin" "$1" "$2" "$runs" <<'PY'
import subprocess, sys, time, os
bin, path, label, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
best = {"exact": float("inf"), "near": float("inf")}
size = os.path.getsize(path)
for _ in range(runs):
    for mode, args in (("exact", ["--exact"]), ("near", [])):
        t = time.perf_counter()
        subprocess.run([bin, *args, path], stdout=subprocess.DEVNULL, check=True)
        best[mode] = min(best[mode], time.perf_counter() - t)
print(f"{label}: {size / 1e6:.1f} MB  --exact {best['exact']:.3f}s  near {best['near']:.3f}s  "
      f"near/exact {best['near'] / best['exact']:.2f}x")
with open(path + ".times", "w") as f:
    f.write(f"{best['exact']} {best['near']}\n")
PY
}

gen 50000 "$dir/50k.txt"
gen 500000 "$dir/500k.txt"
# Sanity: the articles hold no repeats, so cleaning must not change them.
"$bin" "$dir/50k.txt" | cmp -s - "$dir/50k.txt" || echo "warning: the 50k article changed when cleaned" >&2
bench "$dir/50k.txt" "50,000 sentences"
bench "$dir/500k.txt" "500,000 sentences"
python3 - "$dir/50k.txt.times" "$dir/500k.txt.times" <<'PY'
import sys
(e1, n1), (e10, n10) = (map(float, open(p).read().split()) for p in sys.argv[1:])
print(f"10x input: --exact took {e10 / e1:.1f}x as long, near {n10 / n1:.1f}x as long (linear: ~10x)")
PY
