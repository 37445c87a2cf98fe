"""People's names wherever a text has them, whatever stands before them: the candidates the
field model chooses sellers and buyers from (dokvault/ai/field_learn.py), so a party in
prose ("Underteikna Kari Dahl (f. 12.03.1980) og Per Berg sel ..."), after a label no rule
lists, or in a letter's greeting line is still within its reach. Which of them is the
seller is the model's to learn, from the words around each; where nothing labelled names
the parties, `prose_parties` reads the role from the nearest role word or verb in the
sentence ("... som seljar", "Kjøparen er ...", "... aksepterer budet fra ...").

A name is two to four capitalised words (particles such as "van" or "de" between them,
double names with a hyphen), not a word that starts sentences or labels, not followed by a
number (a street), a company form ("AS") or "kommune", and not a place after a postcode.
Names on one line joined as parties are written ("," ";" "&" "og" "samt", shares and birth
dates between them) are also one candidate together, joined by " og " as the label is.
"""

from __future__ import annotations

import re

from dokvault.ai.field_parties import NOT_NAME

_WORD = r"[A-ZÆØÅ][a-zæøåéèüöäáó]+(?:-[A-ZÆØÅ][a-zæøåéèüöäáó]+)?"
_PARTICLE = r"(?:van|von|de|der|den|di|da|af|bin|al|el)"
RUN = re.compile(rf"(?<![\wæøåÆØÅ-]){_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_WORD})*(?![\wæøåÆØÅ])")
# Between two parties: a separator, shares and birth dates around it.
_BETWEEN = re.compile(r"\s*(?:,|;|&|\bog\b|\bsamt\b)\s*", re.IGNORECASE)
_AFTER = re.compile(r"^[ \t]*(?:\d|AS\b|ASA\b|SA\b|ANS\b|DA\b|BA\b|kommune\b|\w*kommune\b)")
_POSTCODE_BEFORE = re.compile(r"\d{4}[ \t]*$")
# Capitalised words that are not names: sentence and label openers, titles, months, roles,
# places people and firms are named after only rarely. Lower-case, compared folded.
NOT_NAMES = frozenset('''
adresse akseptbrev aksept akseptert andel andelen april august avtale avtalen befaring bekreftelse beløp
bolig boligen bud budet budgiver budgivar dato de den denne der desember det dette dokumentet du eg
eier eierne eigar eigarane eigedom eigedomen eiendom eiendommen emne enebolig er etter februar fra frå
fredag gjelder gnr god hei helsing hilsen hjemmel hjemmelshaver heimelshavar hytte i ingen januar
juli juni kjøpar kjøparen kjøpe kjøper kjøperen kjøpere kjøpesum kjøpekontrakt kommune kontrakt
leilighet lørdag mai mandag mars med megler meglar mellom men mottaker mvh november og oktober
om onsdag oppdrag oppdraget oppdragsgiver oppdragsgjevar overtakelse overtaking pant pris prisantydning
rapport rapporten rekvirent sak salg sal samt selger selgeren seljar seljaren sendt september side
sum søndag takk takst til tirsdag torsdag tlf under underteikna undertegnede vedk vedlegg vennlig
venleg verdivurdering vi viser vår vårt ved
'''.split())  # noqa: SIM905  (a word list reads better as words)
MAX_NAME_WORDS = 4


def _names_in(line: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each name on one line."""
    out = []
    for m in RUN.finditer(line):
        words = [(w.start() + m.start(), w.end() + m.start(), w[0]) for w in re.finditer(r"\S+", m[0])]
        while words and words[0][2].casefold() in NOT_NAMES:
            words.pop(0)
        while words and words[-1][2].casefold() in NOT_NAMES:
            words.pop()
        if not 2 <= len(words) <= MAX_NAME_WORDS or any(w[2][0].isupper() and w[2].casefold() in NOT_NAMES
                                                        for w in words):
            continue
        start, end = words[0][0], words[-1][1]
        if _AFTER.match(line[end:]) or _POSTCODE_BEFORE.search(line[:start]):
            continue  # a street and its number, a firm, a municipality, a place after its postcode
        out.append((start, end, line[start:end]))
    return out


def _joined(between: str) -> bool:
    """Whether the text between two names joins them as parties."""
    return _BETWEEN.fullmatch(NOT_NAME.sub(" ", between)) is not None


def name_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of every name and every list of names joined as parties (a
    list's value joined by " og ", its span as written, shares and dates between)."""
    out: list[tuple[int, int, str]] = []
    at = 0
    for line in text.split("\n"):
        found = _names_in(line)
        group: list[tuple[int, int, str]] = []
        for name in [*found, None]:
            if name is not None and group and _joined(line[group[-1][1]:name[0]]):
                group.append(name)
                continue
            if len(group) > 1:
                out.append((at + group[0][0], at + group[-1][1], " og ".join(n[2] for n in group)))
            group = [name] if name is not None else []
        out += [(at + start, at + end, name) for start, end, name in found]
        at += len(line) + 1
    return out


def name_candidates(text: str) -> list[tuple[int, str]]:
    """(offset, value) of every name and every list of names joined as parties."""
    return [(start, value) for start, _, value in name_spans(text)]


_SELLER_NOUN = (r"(?:selger(?:e|en|ne)?|seljar(?:ar|en|ane)?|hjemmelshaver\w*|heimelshavar\w*"
                r"|eier(?:e|en|ne)?|eigar(?:ar|en|ane)?|oppdragsgiver\w*|oppdragsgjevar\w*|rekvirent\w*"
                r"|avhender\w*)")
_BUYER_NOUN = (r"(?:kjøper(?:e|en|ne)?|kjøpar(?:ar|en|ane)?|erverver\w*|budgiver\w*|bodgjevar\w*"
               r"|budgjevar\w*)")
_NOUNS = (("seller", _SELLER_NOUN), ("buyer", _BUYER_NOUN))
# A role word shortly before the names ("Kjøparen er", "eierne,", "Selger:"), or shortly after them
# ("som seljar", "(heretter kalt kjøper)"), within the sentence.
_NOUN_BEFORE = [(role, re.compile(rf"\b(?P<n>{noun})\b[^.!?\n]{{0,24}}$", re.IGNORECASE))
                for role, noun in _NOUNS]
_NOUN_AFTER = [(role, re.compile(rf"^[^.!?\n]{{0,24}}?\b(?P<n>{noun})\b", re.IGNORECASE))
               for role, noun in _NOUNS]
# What the names do: sell or accept (sellers), buy or bid (buyers), or stand after "til" / "fra"
# in a sentence about a sale (the buyers).
_ASIDE = r"^\s*(?:\([^)]*\)\s*)?,?\s*"
_VERB_AFTER = [
    ("seller", re.compile(_ASIDE + r"(?:sel|selger|overdreg|overdrar|overlater|aksepterer"
                          r"|har(?:\s+\w+){0,3}?\s+gitt)\b", re.IGNORECASE)),
    ("buyer", re.compile(_ASIDE + r"(?:har\s+kjøpt|kjøper|kjøpar|byr)\b", re.IGNORECASE)),
]
# A role word right after "som" or "heretter kalt": the names' own role, nearer than any other cue.
_AS_ROLE = [(role, re.compile(rf"^[ \t]*(?:\([^)]*\)[ \t]*)?,?[ \t]*\(?"
                              rf"(?:som|heretter\s+kal\w+|nedanfor\s+kal\w+)\s+[«\"']?{noun}\b",
                              re.IGNORECASE)) for role, noun in _NOUNS]
_BEFORE_VERB = [("buyer", re.compile(r"(?:\b(?:sel|selger|selge|selje|overdreg|overdrar)\b[^.!?\n]{0,80}\btil"
                                     r"|\b(?:bud|budet|bodet)\s+(?:fra|frå))\s*$", re.IGNORECASE)),
                ("seller", re.compile(r"(?:\b(?:akseptert|godtatt|godteke)"
                                      r"|\b(?:kjøper|kjøpar|kjøpte|kjøpt|kjøpe)\b[^.!?\n]{0,40})\s+av\s*$",
                                      re.IGNORECASE))]


def _role(text: str, start: int, end: int) -> str | None:
    """seller, buyer or None for the names at text[start:end], from the nearest cue (a verb
    right after them, or "til" after a selling verb, before any role word)."""
    before, after = text[max(0, start - 120):start], text[end:end + 60]
    cues: list[tuple[int, str]] = [(0, role) for role, pattern in (*_VERB_AFTER, *_AS_ROLE)
                                   if pattern.match(after)]
    cues += [(0, role) for role, pattern in _BEFORE_VERB if pattern.search(before)]
    cues += [(len(before) - m.end("n") + 1, role)
             for role, pattern in _NOUN_BEFORE if (m := pattern.search(before))]
    cues += [(m.start("n") + 1, role) for role, pattern in _NOUN_AFTER if (m := pattern.match(after))]
    return min(cues)[1] if cues else None


_PROSE_WORD = re.compile(r"(?<![\wæøåÆØÅ])[a-zæøå]{2,}(?![\wæøåÆØÅ])")
MIN_PROSE_WORDS = 3  # lower-case words on a line that make it a sentence, not a form's row


def _in_sentence(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:start] + " " + text[end:len(text) if line_end < 0 else line_end]
    return len(_PROSE_WORD.findall(line)) >= MIN_PROSE_WORDS


def prose_parties(text: str) -> dict[str, str]:
    """Seller and buyer named in sentences: the first names (a whole list where they are
    joined) whose nearest cue says their role. A form's rows and a table's cells are the
    labelled rules' (field_parties), never read here."""
    found: dict[str, str] = {}
    best: dict[int, tuple[int, str]] = {}
    for start, end, value in name_spans(text):
        if end > best.get(start, (-1, ""))[0]:
            best[start] = (end, value)  # a list of names over its first name
    covered = -1
    for start in sorted(best):
        end, value = best[start]
        if start < covered:
            continue  # a name inside a list already read
        covered = end
        role = _role(text, start, end) if _in_sentence(text, start, end) else None
        if role is not None and role not in found:
            found[role] = value
    return found
