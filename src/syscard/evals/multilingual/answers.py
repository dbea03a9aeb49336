"""Reading the answer of an MMMLU response, by program: no model grades it.

The last "Answer: X" line in any of the localised forms simple-evals accepts ("Respuesta: B",
"答案：C", "الإجابة: أ", …), else a response that is just a letter ("B", "(B)", "B.", "B) …")
or says "the answer is B". A response with no answer in any of these forms is `no_answer`,
which `accuracy` counts as **wrong**, as in simple-evals and the card: a model that does not
answer has not got the question right. Provider errors are `error` (`n_errors`), never wrong
answers.

`AnswerExtractor` is the eval's grader: offline, so its version is the fingerprint of this
module's rules and changes whenever they do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from syscard.graders.base import Grade, OfflineGrader, Row
from syscard.metrics.accuracy import CORRECT

INCORRECT = "incorrect"
NO_ANSWER = "no_answer"
"""The response gives no option letter (counted as wrong, and in `n_no_answer`)."""

# The localised "Answer:" markers of simple-evals (common.py MULTILINGUAL_ANSWER_REGEXES), one
# per line; the Korean one with an invisible character is covered by the NFKC + strip below.
ANSWER_MARKERS: tuple[str, ...] = (
    r"Answer\s*:",
    r"উত্তর\s*:",
    r"उत्तर\s*:",
    r"উত্তরঃ",
    r"Antwort\s*:",
    r"답변\s*:",
    r"정답\s*:",
    r"답\s*:",
    r"答案\s*[:：]",
    r"答\s*[:：]",
    r"答复\s*[:：]",
    r"答曰\s*[:：]",
    r"الإجابة\s*:",
    r"الجواب\s*:",
    r"إجابة\s*:",
    r"الإجابة النهائية\s*:",
    r"الإجابة الصحيحة\s*:",
    r"الإجابة الصحيحة هي\s*:",
    r"الإجابة هي\s*:",
    r"الجواب النهائي\s*:",
    r"Respuesta\s*:",
    r"Risposta\s*:",
    r"答え\s*[:：]",
    r"回答\s*[:：]",
    r"解答\s*[:：]",
    r"Jawaban\s*:",
    r"Réponse\s*:",
    r"Resposta\s*:",
    r"Jibu\s*:",
    r"Idahun\s*:",
    r"Ìdáhùn\s*:",
    r"Idáhùn\s*:",
    r"Àmọ̀nà\s*:",
    r"Àdáhùn\s*:",
    r"Ànúgọ\s*:",
    r"Àṣàyàn\s*:",
)

# Answer letters as models write them in other scripts (simple-evals normalize_extracted_answer):
# Arabic أ ب ج د, Bengali অ ব ড ঢ, full-width Ａ-Ｄ (NFKC folds the latter).
_LOCAL_LETTERS = {"أ": "A", "ب": "B", "ج": "C", "د": "D", "অ": "A", "ব": "B", "ড": "C", "ঢ": "D"}
_LETTER = r"([A-D]|[أبجد]|[অবডঢ])"
# Markers match in any case, letters in upper case only: "answer is a bit long" is no answer.
_ANSWER_LINE = re.compile(
    rf"(?i:{'|'.join(ANSWER_MARKERS)})[ \t]*[*_(\[]*[ \t]*{_LETTER}(?![A-Za-z])"
)
# Fallbacks, for answers that skip the "Answer:" line: the whole reply is an option label
# ("B", "(B)", "B.", "B) Paris", "**B**"), or it says "the (correct) answer is (B)".
_BARE = re.compile(r"^[\s*_]*\(?([A-D])(?:[).:\]}]|\s*$)(?:\s|$)")
_ANSWER_IS = re.compile(
    r"(?i:\b(?:the\s+)?(?:correct\s+|right\s+|final\s+)?(?:answer|option|choice)\s+"
    r"(?:is|would be))\s*:?\s*[*_(\[]*([A-D])(?![A-Za-z])"
)
_MARKUP = re.compile(r"\\boxed\{|\\text\{|\$|\*\*")


def extract_answer(response: str) -> str | None:
    """Return the option letter (A–D) a response gives, or None if it gives none.

    Order: the last localised "Answer: X" marker; else the whole reply as an option label; else
    the last "the answer is X". Letters in Arabic or Bengali script and full-width letters are
    mapped to A–D. Text is untrusted and only pattern-matched, so nothing in it is obeyed.
    """
    text = _MARKUP.sub("", unicodedata.normalize("NFKC", response)).replace("\u200b", "")
    found = _ANSWER_LINE.findall(text)
    if found:
        return _letter(found[-1])
    bare = _BARE.match(text)
    if bare:
        return bare.group(1)
    said = _ANSWER_IS.findall(text)
    if said:
        return _letter(said[-1])
    return None


def _letter(raw: str) -> str:
    return _LOCAL_LETTERS.get(raw, raw.upper())


@dataclass(frozen=True)
class AnswerExtractor(OfflineGrader):
    """MMMLU's grader: a row's `response` is correct / incorrect / no_answer against the key
    letter in `answer`; the extracted letter is in `details["letter"]`."""

    name: str = "mmmlu-answer-extract"
    labels: tuple[str, ...] = (CORRECT, INCORRECT, NO_ANSWER)

    def verdict(self, row: Row) -> Grade:
        """Return the label of the letter `response` gives, against the key `answer`."""
        key = row["answer"]
        letter = extract_answer(row["response"])
        if letter is None:
            label = NO_ANSWER
        else:
            label = CORRECT if letter == key else INCORRECT
        return Grade(
            label, f"extracted {letter or 'nothing'}; key {key}", details={"letter": letter}
        )


def describe_extractor() -> dict[str, str]:
    """Return name and version of the answer extractor (the version changes with its rules)."""
    extractor = AnswerExtractor()
    return {"name": extractor.name, "version": extractor.version}
