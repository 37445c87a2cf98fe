"""A held-out document as a poor office scanner and OCR give it back: confused letters, split
and joined words, stray marks, a page header. Labelled values are left readable (a human
reading the scan still finds them), the words around them are not."""

from __future__ import annotations

import random
import re

SWAPS = (("rn", "m"), ("m", "rn"), ("l", "I"), ("e", "c"), ("å", "a"), ("ø", "o"), ("ti", "d"), ("h", "b"),
         ("æ", "ae"))


def scan(text: str, fields: dict[str, str], r: random.Random) -> str:
    keep = {w for v in fields.values() for w in re.split(r"[\s,/]+", v) if w}
    keep |= {w for v in fields.values() for w in re.findall(r"\w+", v)}

    def spoil(m: re.Match) -> str:
        word = m.group(0)
        if word in keep or any(ch.isdigit() for ch in word) or len(word) < 4 or r.random() > 0.22:
            return word
        old, new = r.choice(SWAPS)
        if old in word:
            return word.replace(old, new, 1)
        cut = r.randint(1, len(word) - 1)
        return word[:cut] + " " + word[cut:]

    lines = [re.sub(r"\w+", spoil, line) for line in text.split("\n")]
    out = [f"Side 1 av {r.randint(1, 3)}", "~ .  '"]
    for line in lines:
        # a label's colon read as a semicolon or set off by a space now and then
        out.append(line.replace(": ", r.choice([" : ", "; "]), 1) if r.random() < 0.2 else line)
        if r.random() < 0.1:
            out.append(r.choice(["", ".", "|", "  "]))
    out.append(f"Skannet {r.randint(10, 28)}.{r.randint(1, 12):02d} - s. 1")
    return "\n".join(out)
