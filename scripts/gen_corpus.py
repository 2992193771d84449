#!/usr/bin/env python3
"""Writes a deterministic news-like corpus: one paragraph per line, with repeated blocks,
glued copies and furniture lines, for benchmarks.

usage: gen_corpus.py MEGABYTES OUT [--non-ascii FRACTION]
"""
import random
import sys

SUBJECTS = ["The minister", "A spokesman for the council", "Officials in Brussels", "The company",
            "Police", "The senator", "Residents", "Analysts at the bank", "The union", "Mr. Smith",
            "The U.S. envoy", "Gov. Brown", "Doctors at the hospital", "The prosecutor"]
VERBS = ["said", "warned", "confirmed", "denied", "announced", "argued", "told reporters",
         "insisted", "suggested", "reported"]
OBJECTS = ["the talks would resume on Monday", "prices rose {n}% in the third quarter",
           "{n} people were evacuated overnight", "the plan would cost ${n} million",
           "the vote was delayed until Dec. {d}", "the bridge would reopen in {n} weeks",
           "negotiations had stalled over funding", "the figures were not final",
           "no decision had been made", "the inquiry would report by spring"]
TAILS = ["", " on Tuesday", " in a statement", " after a long meeting", ", citing sources",
         " late on Friday", " despite the protests"]
FURNITURE = ["Advertisement", "Read more", "Share this article", "More From This Section",
             "© 2024 Example News. All rights reserved.", "Sign up for our newsletter"]
NON_ASCII = ["Le ministre a déclaré que les négociations reprendraient lundi à Genève.",
             "Министр заявил, что переговоры возобновятся в понедельник.",
             "部长表示，谈判将于周一在日内瓦恢复。", "Die Behörde bestätigte die Zahlen am Dienstag.",
             "El alcalde anunció nuevas medidas para el tráfico en la ciudad."]


def sentence(rng, non_ascii):
    if non_ascii and rng.random() < non_ascii:
        return rng.choice(NON_ASCII)
    obj = rng.choice(OBJECTS).format(n=rng.randint(2, 950), d=rng.randint(1, 28))
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {obj}{rng.choice(TAILS)}."


def article(rng, non_ascii):
    paras = [" ".join(sentence(rng, non_ascii) for _ in range(rng.randint(1, 4)))
             for _ in range(rng.randint(8, 25))]
    lines = list(paras)
    for _ in range(rng.randint(0, 3)):
        lines.insert(rng.randint(1, len(lines)), rng.choice(FURNITURE))
    if rng.random() < 0.4:
        a = rng.randint(0, len(paras) // 2)
        lines.extend(paras[a:])
    return lines


def main():
    megabytes = float(sys.argv[1])
    out = sys.argv[2]
    non_ascii = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--non-ascii" else 0.0
    rng = random.Random(20261125)
    target = int(megabytes * 1024 * 1024)
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            chunk = "\n".join(article(rng, non_ascii)) + "\n"
            f.write(chunk)
            written += len(chunk.encode("utf-8"))


if __name__ == "__main__":
    main()
