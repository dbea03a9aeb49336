"""Reading SimpleQA answers: normalisation, dates and numbers, gold-target forms, abstention.

`normalize` folds case, accents and other unicode variants, turns number words into digits
and drops punctuation and articles; `parse_dates` and `parse_numbers` find the values a
text states; `answer_kind` says how a gold target is compared ("year", "date", "number" or
"text"); `_ABSTAIN`, `_HEDGE` and `_declines` tell an answer from "I don't know", a refusal
or a hedge between candidates. The decisions built on these are in `syscard.graders.simpleqa`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from syscard.graders.refusal import RuleRefusalGrader
from syscard.metrics import REFUSAL

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1\d{3}|20\d{2})"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?:of\s+)?{_YEAR}\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b"),
    re.compile(rf"\b{_YEAR}\b"),
]

_UNITS = {
    "": 1.0, "k": 1e3, "thousand": 1e3, "mn": 1e6, "million": 1e6, "bn": 1e9,
    "billion": 1e9, "trillion": 1e12,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.])(?P<qual>(?:about|around|approximately|approx|roughly|nearly|almost|some|over"
    r"|more than|less than|fewer than|at least|at most|under|up to|above|below|~)\s*)?"
    r"(?P<num>[-+]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>thousand|million|billion|trillion|mn|bn|k)?"
    r"(?![\w])"
)
_APPROX = {"about", "around", "approximately", "approx", "roughly", "nearly", "almost", "some", "~"}

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD_NUMBER = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[\s-](?P<unit>" + "|".join(list(_SMALL)[1:10])
    + r"))?|(?P<small>" + "|".join(_SMALL) + r"))\b"
)  # fmt: skip

# Abstention: the response says it does not know or cannot answer. Refusals are found by the
# refusal grader's rules as well.
_ABSTAIN = re.compile(
    r"\bi\s+(?:do\s*n[o']?t|dont|really\s+don't)\s+(?:really\s+)?know\b"
    r"|\b(?:i'm|i\s+am|im)\s+(?:not\s+(?:sure|certain|aware)|unsure|uncertain)\b"
    r"|\bi\s+(?:have|had)\s+no\s+(?:idea|information|knowledge|data|record)"
    r"|\bi\s+(?:do\s*n[o']?t|dont)\s+have\s+(?:any\s+|enough\s+|reliable\s+|specific\s+)?"
    r"(?:information|data|knowledge|details|records|access|way)"
    r"|\bi\s+(?:can\s*n[o']?t|cannot|can't|am\s+unable\s+to|'m\s+unable\s+to|couldn't|could\s+not"
    r"|was\s+unable\s+to)\s+(?:\w+\s+)?(?:find|determine|verify|confirm|answer|recall|say|tell"
    r"|provide|know|locate|identify|access)"
    r"|\b(?:there\s+is|there's|there\s+are)\s+no\s+(?:reliable\s+|available\s+|public\s+)?"
    r"(?:information|record|records|data)"
    r"|\bno\s+(?:reliable\s+|public\s+)?information\s+(?:is\s+)?(?:available|about|on)\b"
    r"|\b(?:beyond|outside)\s+(?:my|the\s+scope\s+of\s+my)\s+knowledge\b"
    r"|\bknowledge\s+cut-?off\b|\bi\s+need\s+more\s+(?:context|information|details)\b"
    r"|\bnot\s+(?:publicly\s+)?(?:known|documented|available)\b|^\s*unknown\W*$",
    re.IGNORECASE,
)
# Several candidate answers offered together: simple-evals grades these INCORRECT even when
# one is right; rules cannot tell such a hedge from an elaboration, so they stay undecided.
_HEDGE = re.compile(
    r"\beither\b[^.?!]*\bor\b|\bor\s+(?:it\s+)?(?:could|might|may)\s+(?:also\s+)?(?:be|have\s+been)"
    r"\b|\bor\s+(?:possibly|perhaps|maybe)\b",
    re.IGNORECASE,
)
_NEGATIONS = {"not", "never", "no", "isnt", "wasnt", "arent", "werent", "nor", "neither"}
_STOPWORDS = {
    "a", "an", "the", "is", "was", "were", "are", "be", "been", "by", "of", "in", "on", "at",
    "to", "for", "and", "or", "it", "its", "he", "she", "they", "his", "her", "their", "this",
    "that", "answer", "as", "with", "from", "who", "what", "which", "when", "where", "name",
    "called", "i", "believe", "think", "named", "known", "s", "also", "has", "had", "have",
}  # fmt: skip
_COMMON_WORDS = {
    "you", "we", "us", "them", "him", "me", "my", "our", "your", "yes", "no", "none", "not",
    "all", "both", "some", "one", "two", "there", "here", "then", "now", "so", "but", "if",
}  # fmt: skip
_SHORT_ANSWER_WORDS = 5
"""A first sentence with at most this many new content words counts as a short answer."""

_UNICODE_FIXES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-",
     "\u00a0": " ", "&": " and "}
)  # fmt: skip


def _fold(text: str) -> str:
    """Lower-case `text`, strip accents and unify quotes and dashes (unicode NFKD)."""
    text = unicodedata.normalize("NFKD", text.translate(_UNICODE_FIXES))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _word_numbers(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        if m.group("small"):
            return str(_SMALL[m.group("small")])
        return str(_TENS[m.group("tens")] + (_SMALL[m.group("unit")] if m.group("unit") else 0))

    text = _WORD_NUMBER.sub(replace, text)
    # "1 hundred and 16" (from "one hundred and sixteen") → "116".
    text = re.sub(
        r"\b([1-9]\d?) hundred(?:\s+and)?(?:\s+(\d{1,2}))?\b",
        lambda m: str(int(m.group(1)) * 100 + int(m.group(2) or 0)),
        text,
    )
    return text


def normalize(text: str) -> str:
    """Return `text` as space-separated tokens: folded case and accents, number words as
    digits, digit groups joined ("1,234" → "1234"), ranges as "a to b", no punctuation and
    no articles."""
    text = _word_numbers(_fold(text))
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"(?<=\d)\s*(?:-|to|until|through)\s*(?=\d)", " to ", text)
    text = text.replace("'", "")
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)  # keep decimal points only
    text = re.sub(r"[^\w.]+", " ", text)
    return " ".join(t for t in text.split() if t not in {"a", "an", "the"})


def _contains(haystack: list[str], needle: list[str]) -> int:
    """Return the index of `needle` as a contiguous run in `haystack`, or -1."""
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i : i + n] == needle:
            return i
    return -1


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9])|\n+", text.strip())
    return [p for p in (part.strip() for part in parts) if p]


# --- values: dates and numbers ---------------------------------------------------------------

Date = tuple[int, int | None, int | None]
"""(year, month or None, day or None)."""


def parse_dates(text: str) -> list[tuple[Date, int, int]]:
    """Return the dates in `text` as ((year, month, day), start, end), longest forms first;
    a bare year is a date with month and day unknown."""
    folded = _fold(text)
    found: list[tuple[Date, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            groups = m.groupdict()
            month = (
                int(groups["mnum"])
                if groups.get("mnum")
                else _MONTHS.get(groups.get("month") or "", None)
            )
            day = int(groups["day"]) if groups.get("day") else None
            if (month is not None and not 1 <= month <= 12) or (
                day is not None and not 1 <= day <= 31
            ):
                continue
            found.append(((int(groups["year"]), month, day), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return found


def _date_relation(gold: Date, said: Date) -> str:
    """Return "match", "contradicts" or "less_specific" for a stated date against the gold."""
    for g, s in zip(gold, said, strict=True):
        if g is not None and s is not None and g != s:
            return "contradicts"
    if any(g is not None and s is None for g, s in zip(gold, said, strict=True)):
        return "less_specific"
    return "match"


@dataclass(frozen=True)
class _Number:
    value: float
    qualifier: str
    start: int
    end: int


def parse_numbers(text: str) -> list[_Number]:
    """Return the numbers in `text` (digits or number words, with k/million/... multipliers)."""
    folded = re.sub(r"(?<=\d),(?=\d{3}\b)", "", _word_numbers(_fold(text)))
    numbers = []
    for m in _NUMBER.finditer(folded):
        try:
            value = float(m.group("num").replace(",", ""))
        except ValueError:
            continue
        unit = (m.group("unit") or "").strip()
        numbers.append(
            _Number(value * _UNITS[unit], (m.group("qual") or "").strip(), m.start(), m.end())
        )
    return numbers


def _close(gold: float, said: float, tolerance: float) -> bool:
    if gold == 0:
        return said == 0
    return abs(said - gold) <= tolerance * abs(gold)


def _is_year(value: float) -> bool:
    return value.is_integer() and 1000 <= value <= 2100


_GOLD_NUMBER = re.compile(
    r"^\s*[~≈$€£]?\s*[-+]?\d[\d,]*(?:\.\d+)?\s*(?:%|thousand|million|billion|trillion|k|mn|bn)?"
    r"(?:\s+[a-z%]+){0,2}\s*\.?\s*$",
    re.IGNORECASE,
)


def answer_kind(gold: str) -> str:
    """Return how a gold target is compared: "year", "date", "number" or "text"."""
    gold = gold.strip()
    dates = parse_dates(gold)
    if len(dates) == 1 and dates[0][1] == 0 and dates[0][2] >= len(_fold(gold).rstrip(". ")):
        return "year" if dates[0][0][1] is None else "date"
    if _GOLD_NUMBER.match(gold) and len(parse_numbers(gold)) == 1:
        return "number"
    return "text"


_CLAUSE_BREAK = re.compile(
    r"[;:]|,?\s+\b(?:but|however|though|although|perhaps|maybe|possibly)\b", re.IGNORECASE
)


def _clauses(text: str) -> list[str]:
    """Return the sentences of `text` cut further at "but", "however", "perhaps", ";"."""
    return [
        c.strip(" ,") for s in _sentences(text) for c in _CLAUSE_BREAK.split(s) if c.strip(" ,")
    ]


_APOLOGY = re.compile(
    r"^(?:(?:i'm|i am|im)\s+(?:so\s+|very\s+)?(?:sorry|afraid)|sorry|unfortunately)\W*$",
    re.IGNORECASE,
)


def _declines(question: str, clause: str) -> bool:
    """True for a clause that only abstains, refuses or apologises."""
    return bool(
        _ABSTAIN.search(clause) or _APOLOGY.match(clause) or _rules_refuse(question, clause)
    )


def _alternatives(target: str) -> list[list[str]]:
    """Return the token lists that count as stating `target`: the whole of it, the part
    outside or inside parentheses, and the part before a comma ("Bolzano, Italy")."""
    forms = [target, re.sub(r"\([^)]*\)", " ", target)]
    forms += re.findall(r"\(([^)]*)\)", target)
    if "," in target and not re.search(r"\d,\d", target):
        forms.append(target.split(",")[0])
    unique: list[list[str]] = []
    for form in forms:
        tokens = normalize(form).split()
        if tokens and tokens not in unique:
            unique.append(tokens)
    return unique


def _candidates(question: str, text: str) -> list[str]:
    """Return words that look like a named or numeric answer in `text`: capitalised words
    not at a sentence start and numbers, that the question does not already contain."""
    asked = set(normalize(question).split())
    found = []
    for sentence in _sentences(text):
        words = re.findall(r"[\w'-]+", sentence)
        for i, word in enumerate(words):
            if (i > 0 and word[:1].isupper() and word != "I") or word[:1].isdigit():
                if normalize(word) and normalize(word) not in asked:
                    found.append(word)
    return found


def _rules_refuse(question: str, text: str) -> bool:
    return RuleRefusalGrader().verdict({"prompt": question, "response": text}).label == REFUSAL
