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


# Label words a scan's letter confusions (c for e, I for l, 0 for o, rn for m, ...) are read back to.
# Only a label is read back, never a value: a name or a number is left as the scan has it.
LABEL_VOCABULARY = (
    "adresse", "befaringsadresse", "beliggenhet", "beløp", "beløpsgrense", "budgiver", "dato",
    "eiendom", "eiendommen", "eiendommens", "eigedom", "eigedomen", "erverver", "fakturadato",
    "gjelder", "heimelshavar", "heimelshavarar", "hjemmelshaver", "hjemmelshavere", "inkl", "kjøpar",
    "kjøparar", "kjøper", "kjøpere", "kjøpesum", "kommune", "markedsverdi", "marknadsverdi", "mva",
    "netto", "objekt", "oppdrag", "oppdragsgiver", "oppdragsgivere", "oppdragsgjevar",
    "oppdragsgjevarar", "oppdragsobjekt", "overtakelse", "overtaking", "pantesikkerhet",
    "pantesikkerheit", "pris", "prisantydning", "prisantyding", "rapportdato", "salgsobjekt",
    "salgssum", "salssum", "selger", "selgere", "seljar", "seljarar", "sum", "til", "utbetaling",
    "utferda", "utfylt", "utskriftsdato", "vederlag",
)
_OCR_FOLD = str.maketrans("cl10øåb", "eiiooah")


def _ocr_key(word: str) -> str:
    return word.lower().replace("rn", "m").replace("ae", "æ").translate(_OCR_FOLD)


_VOCABULARY = {_ocr_key(w): w for w in LABEL_VOCABULARY}
_HEAD = re.compile(r"^(?P<pre>[ \t|]*)(?P<head>[^\n:|]*)")


def _read_back(word: str) -> str:
    core = word.strip(".,()'")
    known = _VOCABULARY.get(_ocr_key(core)) if len(core) > 2 else None
    if not known or known == core.lower():
        return word
    fixed = known.capitalize() if core[0].isupper() else known
    return word.replace(core, fixed, 1)


def read_back_labels(line: str) -> str:
    """A line's label part (before its colon, its first cell, or a short line without digits)
    with the label words a scan misread spelled right."""
    m = _HEAD.match(line)
    head = m["head"]
    if not head.strip() or (":" not in line and "|" not in line
                            and (re.search(r"\d", head) or len(head.split()) > 5)):
        return line
    fixed = " ".join(_read_back(w) for w in head.split(" "))
    return m["pre"] + fixed + line[m.end():]


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


def flatten_lines(text: str) -> list[tuple[str, int]]:
    """Each line of `flatten`, with the number of the line of `text` its value came from
    (a label alone on its line joins the value below it)."""
    lines = []
    for raw in text.split("\n"):
        line = read_back_labels(raw.rstrip())
        if (row := _table_row(line.strip())) is not None:
            line = row
        elif m := DOTS.match(line) or TAB.match(line):
            line = f"{m['label'].strip()}: {m['value']}"
        lines.append(line)
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if nxt and ":" not in nxt and is_label(line) and not is_label(nxt):
            out.append((f"{TRAILING_MARK.sub('', line.strip())}: {nxt}", i + 1))
            i += 2
            continue
        out.append((line, i))
        i += 1
    return out


def flatten(text: str) -> str:
    """The text with each label and its value on one `Label: value` line."""
    return "\n".join(line for line, _ in flatten_lines(dehyphenate(text)))
