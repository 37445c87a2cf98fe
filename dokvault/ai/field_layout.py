"""Layout made plain before the field rules read a text: every way a form pairs a label with
its value becomes one `Label: value` line.

Handled: table rows (`| Label | value |`, also rows a DOCX or PDF table gives), dot leaders
(`Label ....... value`), a tab between label and value, and a label alone on its line with
the value on the next line. A scan's hyphen at a line break is joined first.
"""

from __future__ import annotations

import re

HYPHEN_BREAK = re.compile(r"(?<=[a-zæøå])-[ \t]*\n[ \t]*(?=[a-zæøå])")
TABLE_RULE = re.compile(r"^\|?[\s|:-]*-{3}[\s|:-]*$")
DOTS = re.compile(r"^(?P<label>[^\d\n:|]{2,40}?)[ \t]*\.{3,}[ \t]*(?P<value>\S.*)$")
TAB = re.compile(r"^(?P<label>[^\d\n:|\t]{2,40}?)[ \t]*\t[ \t]*(?P<value>\S.*)$")
# Marks a scanner leaves at a line's end (" |", " '", " .").
TRAILING_MARK = re.compile(r"[ \t]+[|'.]$")
# A line that is only a label: few words, no digits or colon, naming a field we read.
LABEL_WORDS = re.compile(r"(?:[^\W\d]+[./(),]*[ /]?){1,4}", re.UNICODE)
LABEL_STEMS = re.compile(
    r"hjemmel|heimel|selger|seljar|kjøper|kjøpar|oppdragsgi|oppdragsgje|budgiver|pantset|panthav"
    r"|adresse|eiendom|eigedom|beliggenhet|gjelder|gjeld\b|oppdrag|objekt|kommune|\bgnr|\bbnr|gårdsn|gardsn"
    r"|bruksn|kjøpesum|prisant|\bpris\b|verdi|vederlag|salgssum|salssum|betal|beløp|\bsum\b|dato|utferda"
    r"|utstedt|overta", re.IGNORECASE)


def dehyphenate(text: str) -> str:
    """Join words a scan broke over two lines ("kjøpe-\nsummen")."""
    return HYPHEN_BREAK.sub("", text)


def _table_row(line: str) -> str | None:
    """A row with two cells as `a: b`; a wider row keeps its cells, split by " | "."""
    if not line.startswith("|"):
        return None
    if TABLE_RULE.match(line):
        return ""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    cells = [c for c in cells if c]
    if len(cells) == 2 and not re.search(r"\d", cells[0]):
        return f"{cells[0]}: {cells[1]}"
    return " | ".join(cells)


def is_label(line: str) -> bool:
    line = TRAILING_MARK.sub("", line.strip())
    return (bool(line) and ":" not in line and not re.search(r"\d", line)
            and LABEL_WORDS.fullmatch(line) is not None and LABEL_STEMS.search(line) is not None)


def flatten(text: str) -> str:
    """The text with each label and its value on one `Label: value` line."""
    lines = []
    for raw in dehyphenate(text).split("\n"):
        line = raw.rstrip()
        if (row := _table_row(line.strip())) is not None:
            line = row
        elif m := DOTS.match(line) or TAB.match(line):
            line = f"{m['label'].strip()}: {m['value']}"
        lines.append(line)
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if nxt and ":" not in nxt and is_label(line) and not is_label(nxt):
            out.append(f"{TRAILING_MARK.sub('', line.strip())}: {nxt}")
            i += 2
            continue
        out.append(line)
        i += 1
    return "\n".join(out)
