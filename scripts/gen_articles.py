#!/usr/bin/env python3
"""Writes a deterministic folder of article files (~4 KB each, some with repeated blocks and
furniture) for batch benchmarks.

usage: gen_articles.py COUNT OUT_DIR
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_corpus import sentence, FURNITURE  # noqa: E402


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(3)
    for i in range(count):
        paras = [" ".join(sentence(rng, 0.0) for _ in range(rng.randint(1, 3)))
                 for _ in range(rng.randint(8, 16))]
        lines = list(paras)
        if rng.random() < 0.3:
            lines.insert(rng.randint(1, len(lines)), rng.choice(FURNITURE))
        if rng.random() < 0.3:
            lines.extend(paras[rng.randint(0, len(paras) // 2):])
        folder = os.path.join(out, f"{i // 500:03d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{i:05d}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
