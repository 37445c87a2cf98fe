"""Right-to-left text (Hebrew, Arabic) in logical order, the order it is typed and searched.

PDFium puts a visually correct line in logical order itself. A PDF whose producer laid the
letters out in typed order from left to right (report writers without bidi support) comes
out reversed, letter by letter, and no word of it is found. Such a line is recognised by
where the letters that only end or only begin a word stand: Hebrew final forms (ך ם ן ף ץ),
Arabic teh marbuta and alef maksura (ة ى) end a word, the article ال begins one, and
Arabic presentation forms say in their name whether they are initial or final. A line that
is reversed (or has none of these letters, on a page whose other lines are reversed) is
put back with the Unicode bidi algorithm (python-bidi), which keeps numbers and Latin words
inside it the right way round. Presentation forms become the plain letters
people type (NFKC).
"""

from __future__ import annotations

import re
import unicodedata

from bidi import get_display

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_WORD = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]{2,}")
_PRESENTATION = re.compile("[\ufb1d-\ufdff\ufe70-\ufefc]+")
_HEBREW_FINALS = set("ךםןףץ")
_ARABIC_ENDINGS = set("ةى")


def _form(char: str) -> str:
    name = unicodedata.name(char, "")
    return "initial" if "INITIAL FORM" in name else "final" if "FINAL FORM" in name else ""


def _reversal(word: str) -> int:
    """+1 when the word reads as written backwards, -1 when as typed, 0 when it cannot tell."""
    first, last = word[0], word[-1]
    if last in _HEBREW_FINALS or last in _ARABIC_ENDINGS or word.startswith("ال"):
        return -1
    if first in _HEBREW_FINALS or first in _ARABIC_ENDINGS or word.endswith("لا"):
        return 1
    if _form(first) == "initial" or _form(last) == "final":
        return -1
    if _form(first) == "final" or _form(last) == "initial":
        return 1
    return 0


def _score(text: str) -> int:
    return sum(_reversal(w) for w in _WORD.findall(text))


def logical_order(text: str) -> str:
    """`text` (a page) with its reversed right-to-left lines put in logical order. A line
    without a telling letter goes the way the page's other lines go."""
    if not _RTL.search(text):
        return text
    page = _score(text)

    def line(match: re.Match) -> str:
        score = _score(match.group())
        if score > 0 or (score == 0 and page > 0 and _RTL.search(match.group())):
            return get_display(match.group(), base_dir="R")
        return match.group()

    text = re.sub(r"[^\r\n]+", line, text)
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
