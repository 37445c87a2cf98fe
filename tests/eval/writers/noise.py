# ruff: noqa: E501  (data tables and one-line records read better unwrapped)
"""What a scanner does to a text: letters confused, lines broken, stray marks.

The labelled values themselves stay readable (a person reading the scan would still fill
them in), so the noise lands on the labels and the prose around them."""

from __future__ import annotations

import random
import re

CONFUSIONS = (("rn", "m"), ("m", "rn"), ("e", "c"), ("l", "I"), ("i", "l"), ("ø", "o"), ("å", "a"), ("h", "b"),
              ("æ", "ae"), ("o", "0"))
WORD = re.compile(r"[A-Za-zÆØÅæøå]{3,}")


def protected_words(fields: dict[str, str]) -> set[str]:
    return {w for value in fields.values() for w in WORD.findall(value)}


def _confuse(word: str, r: random.Random) -> str:
    options = [(a, b) for a, b in CONFUSIONS if a in word]
    if not options:
        return word
    a, b = r.choice(options)
    at = r.choice([m.start() for m in re.finditer(re.escape(a), word)])
    return word[:at] + b + word[at + len(a):]


def scan(text: str, fields: dict[str, str], r: random.Random, rate: float = 0.12) -> str:
    keep = protected_words(fields)
    text = WORD.sub(lambda m: m[0] if m[0] in keep or r.random() > rate else _confuse(m[0], r), text)
    out = []
    for line in text.split("\n"):
        spaces = [m.start() for m in re.finditer(r" (?=[A-Za-zÆØÅæøå])", line)]
        if len(line) > 30 and spaces and r.random() < 0.25:  # a line the scanner broke in two
            at = r.choice(spaces)
            line = line[:at] + "\n" + line[at + 1:]
        if r.random() < 0.05:
            line += r.choice([" |", " '", " ."])
        out.append(line)
    return "\n".join(out)
