"""Card section 10, multilingual: MMLU in 14 professionally translated languages, and English.

- `mmmlu` → `accuracy`, one results row per language (breakdown by MMLU subject), 0-shot, as
  in the o1 card and openai/simple-evals (`mmlu_eval.py`): the same English instruction for
  every language, the question and its four options in the language under test.

Answers are read from the response by program (no model grades them): the last
"Answer: X" line in any of the localised forms simple-evals accepts ("Respuesta: B", "答案：C",
"الإجابة: أ", …), else a response that is just a letter ("B", "(B)", "B.", "B) …") or says
"the answer is B". A response with no answer in any of these forms counts as **wrong**, as in
simple-evals and the card: a model that does not answer has not got the question right. Such
non-answers are also counted separately (`n_no_answer` on each row) so a low accuracy caused by
format failures can be told apart from wrong answers. Provider errors are errors (`n_errors`),
never wrong answers.

Data: openai/MMMLU's per-language CSV files (`test/mmlu_<LANG>.csv`, columns Question, A, B,
C, D, Answer, Subject, plus an unnamed row index), through the data layer. English is MMLU's
test set as simple-evals uses it (`mmlu.csv`, same columns) from the dataset `mmlu` when the
registry declares it. Missing language files are skipped and listed in the log's metadata
(`missing_datasets`); a run with none of them stops with the `syscard data fetch` hint.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog, EvalSampleSummary
from inspect_ai.scorer import Metric, SampleScore, Score, Scorer, Target, metric, scorer
from inspect_ai.solver import TaskState, generate

from syscard.data import DATASETS, DataError, DatasetMissing, dataset_dir, get_spec, read_csv_rows
from syscard.evals._info import EvalInfo
from syscard.evals._scoring import OFFLINE
from syscard.graders.base import version_hash
from syscard.metrics import ERROR, Outcome, rate, rate_by_group
from syscard.results import completed, rate_fields, row_builder

logger = logging.getLogger(__name__)

SECTION = "multilingual"
SCORER = "mmmlu_choice"
ENGLISH = "EN_US"

LANGUAGES: dict[str, str] = {
    "AR_XY": "Arabic",
    "BN_BD": "Bengali",
    "DE_DE": "German",
    "ES_LA": "Spanish",
    "FR_FR": "French",
    "HI_IN": "Hindi",
    "ID_ID": "Indonesian",
    "IT_IT": "Italian",
    "JA_JP": "Japanese",
    "KO_KR": "Korean",
    "PT_BR": "Portuguese (Brazil)",
    "SW_KE": "Swahili",
    "YO_NG": "Yoruba",
    "ZH_CN": "Chinese",
    ENGLISH: "English",
}
"""Language code (as in openai/MMMLU's file names) → name used on the card."""

PUBLISHED: dict[str, dict[str, float]] = {
    "AR_XY": {"o1": 0.890, "gpt-4o": 0.816},
    "BN_BD": {"o1": 0.873, "gpt-4o": 0.801},
    "DE_DE": {"o1": 0.890, "gpt-4o": 0.829},
    "ES_LA": {"o1": 0.899, "gpt-4o": 0.849},
    "FR_FR": {"o1": 0.893, "gpt-4o": 0.844},
    "HI_IN": {"o1": 0.883, "gpt-4o": 0.806},
    "ID_ID": {"o1": 0.886, "gpt-4o": 0.834},
    "IT_IT": {"o1": 0.897, "gpt-4o": 0.844},
    "JA_JP": {"o1": 0.889, "gpt-4o": 0.829},
    "KO_KR": {"o1": 0.882, "gpt-4o": 0.826},
    "PT_BR": {"o1": 0.895, "gpt-4o": 0.843},
    "SW_KE": {"o1": 0.854, "gpt-4o": 0.771},
    "YO_NG": {"o1": 0.754, "gpt-4o": 0.620},
    "ZH_CN": {"o1": 0.889, "gpt-4o": 0.834},
    ENGLISH: {"o1": 0.923, "gpt-4o": 0.887},
}
"""0-shot accuracy published in the o1 System Card (SPEC §10), shown beside a model's own."""

ENGLISH_DATASET = "mmlu"
ENGLISH_FILE = "mmlu.csv"
COLUMNS = ("Question", "A", "B", "C", "D", "Answer", "Subject")
LETTERS = "ABCD"

# openai/simple-evals, common.py QUERY_TEMPLATE_MULTICHOICE (used for every language there).
QUERY_TEMPLATE = """
Answer the following multiple choice question. The last line of your response should be of \
the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think \
step by step before answering.

{Question}

A) {A}
B) {B}
C) {C}
D) {D}
""".strip()

# --- answer extraction -----------------------------------------------------------------------

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


def describe_extractor() -> dict[str, str]:
    """Return name and version of the answer extractor (the version changes with its rules)."""
    return {
        "name": "mmmlu-answer-extract",
        "version": version_hash(_ANSWER_LINE.pattern, _BARE.pattern, _ANSWER_IS.pattern),
    }


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One MMLU question in one language; `index` is its row in the file (0-based), which is the
    same question in every language's file."""

    language: str
    index: int
    subject: str
    question: str
    options: tuple[str, str, str, str]
    answer: str


def language_file(language: str) -> tuple[str, str]:
    """Return (dataset name, relative file path) holding `language` (a key of `LANGUAGES`)."""
    if language == ENGLISH:
        return ENGLISH_DATASET, ENGLISH_FILE
    return "mmmlu", f"test/mmlu_{language}.csv"


def read_mmlu_csv(path: str | Path, language: str) -> list[Question]:
    """Return the questions of one MMMLU-format CSV file, in file order.

    Raises DataError (`file:line`) for a missing column, an empty question or option, or an
    answer that is not one of A–D.
    """
    fix = f"replace {Path(path).name} with the file from openai/MMMLU"
    questions = []
    for index, (line, row) in enumerate(read_csv_rows(path, COLUMNS, fix=fix)):
        answer = row["Answer"].strip().upper()
        if answer not in LETTERS or len(answer) != 1:
            raise DataError(f"{path}:{line}: answer {row['Answer']!r} is not one of A-D: {fix}")
        fields = [row[c].strip() for c in ("Question", "A", "B", "C", "D")]
        if not fields[0]:
            raise DataError(f"{path}:{line}: empty question: {fix}")
        questions.append(
            Question(
                language=language,
                index=index,
                subject=row["Subject"].strip() or "unknown",
                question=fields[0],
                options=(fields[1], fields[2], fields[3], fields[4]),
                answer=answer,
            )
        )
    return questions


def load_language(language: str, data_dir: str | None) -> list[Question]:
    """Return the questions of `language`, read from its verified dataset file.

    Raises DatasetMissing (with the `syscard data fetch` hint) when the file is absent, and
    DataError for a language code that is not one of `LANGUAGES`.
    """
    if language not in LANGUAGES:
        raise DataError(f"unknown MMMLU language '{language}': choose from {', '.join(LANGUAGES)}")
    dataset, rel = language_file(language)
    if dataset not in DATASETS:
        raise DatasetMissing(
            f"English MMLU needs the dataset '{dataset}' ({rel}), which this syscard version "
            f"does not declare: leave out {ENGLISH} or add the dataset to the registry"
        )
    folder = dataset_dir(dataset, data_dir, files=[rel])
    return read_mmlu_csv(folder / rel, language)


def select(questions: Sequence[Question], n: int | None) -> list[Question]:
    """Return `n` questions (all if None) chosen by a stable hash of their row index.

    Ranking by row index, not by text, picks the same questions in every language, so languages
    are compared on the same questions; and the same ones on every run (resumable).
    """
    ranked = sorted(questions, key=lambda q: hashlib.sha256(str(q.index).encode()).hexdigest())
    return ranked if n is None else ranked[:n]


def mmmlu_samples(by_language: dict[str, list[Question]]) -> list[Sample]:
    """Return one sample per question, languages interleaved (so `--limit` spans them)."""
    samples = []
    order = sorted(by_language)
    for i in range(max((len(v) for v in by_language.values()), default=0)):
        for language in order:
            if i < len(by_language[language]):
                q = by_language[language][i]
                samples.append(
                    Sample(
                        id=f"{q.language}:{q.index}",
                        input=QUERY_TEMPLATE.format(
                            Question=q.question,
                            A=q.options[0],
                            B=q.options[1],
                            C=q.options[2],
                            D=q.options[3],
                        ),
                        target=q.answer,
                        metadata={"language": q.language, "subject": q.subject},
                    )
                )
    return samples


def _languages(csv: str) -> tuple[list[str], bool]:
    """Return (language codes, whether the user named them) for the `languages` argument."""
    if csv.strip().lower() == "all":
        return list(LANGUAGES), False
    chosen = [c.strip().upper().replace("-", "_") for c in csv.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in LANGUAGES]
    if unknown or not chosen:
        raise DataError(
            f"unknown MMMLU language {', '.join(map(repr, unknown)) or '(none)'}: "
            f"choose from all, {', '.join(LANGUAGES)}"
        )
    return list(dict.fromkeys(chosen)), True


# --- scoring ---------------------------------------------------------------------------------

CORRECT = "correct"
INCORRECT = "incorrect"
NO_ANSWER = "no_answer"


def accuracy_outcome(label: str) -> Outcome:
    """Outcome of `accuracy` for a label: a non-answer is wrong; only `error` is ungraded."""
    if label == ERROR:
        return None
    return label == CORRECT


@metric(name="accuracy")
def mmmlu_accuracy() -> Metric:
    """Fraction of questions answered correctly; non-answers count as wrong, errors excluded."""

    def compute(scores: list[SampleScore]) -> float:
        return rate(accuracy_outcome(str(s.score.value)) for s in scores).value

    return compute


@metric
def no_answer_rate() -> Metric:
    """Fraction of graded questions whose response gave no answer letter."""

    def compute(scores: list[SampleScore]) -> float:
        labels = [str(s.score.value) for s in scores if str(s.score.value) != ERROR]
        return rate(label == NO_ANSWER for label in labels).value

    return compute


@scorer(metrics=[mmmlu_accuracy(), no_answer_rate()])
def mmmlu_choice() -> Scorer:
    """Label each response correct / incorrect / no_answer (or error) against the key.

    Returns a scorer whose value is the label and whose `answer` is the extracted letter.
    """

    async def score(state: TaskState, target: Target) -> Score:
        output = state.output
        if output.error or (output.stop_reason == "model_length" and not output.completion):
            return Score(value=ERROR, explanation=f"no answer: {output.error or 'prompt too long'}")
        letter = extract_answer(output.completion)
        if letter is None:
            label = NO_ANSWER
        else:
            label = CORRECT if letter == target.text else INCORRECT
        return Score(
            value=label,
            answer=letter,
            explanation=f"extracted {letter or 'nothing'}; key {target.text}",
        )

    return score


@task
def mmmlu(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    languages: str = "all",
    per_language: int | None = None,
) -> Task:
    """MMMLU (and English MMLU) 0-shot → `accuracy` per language, by subject.

    Args:
        grader: accepted for a uniform CLI; unused (answers are extracted by program).
        data_dir: a folder laid out like the dataset cache (`<dir>/mmmlu/test/mmlu_XX.csv`,
            `<dir>/mmlu/mmlu.csv`).
        languages: "all" (every language whose file is present) or comma-separated codes
            such as "AR_XY,ZH_CN,EN_US"; a named language that is absent is an error.
        per_language: keep this many questions per language (the same questions in each).
    """
    wanted, named = _languages(languages)
    by_language: dict[str, list[Question]] = {}
    missing: list[str] = []
    for language in wanted:
        try:
            by_language[language] = select(load_language(language, data_dir), per_language)
        except DatasetMissing as exc:
            if named:
                raise
            missing.append(language)
            logger.debug("mmmlu: %s skipped: %s", language, exc)
    if not by_language:
        raise DatasetMissing(
            "no MMMLU language file found: run `syscard data fetch mmmlu` (or "
            "`syscard data add mmmlu PATH`), or pass --data-dir with mmmlu/test/mmlu_XX.csv"
        )
    if missing:
        logger.warning("mmmlu: language files not present, skipped: %s", ", ".join(missing))
    used = sorted({language_file(lang)[0] for lang in by_language})
    return Task(
        name="mmmlu",
        dataset=MemoryDataset(mmmlu_samples(by_language), name="mmmlu"),
        solver=generate(),
        scorer=mmmlu_choice(),
        # Labels are categorical: reduce epochs by majority, never by a float mean.
        epochs=Epochs(1, "mode"),
        version=1,
        metadata={
            "section": SECTION,
            "metrics": ["accuracy"],
            "breakdown": "subject",
            "languages": sorted(by_language),
            "missing_datasets": missing,
            "datasets": [
                {"name": d, "source": get_spec(d).source, "revision": get_spec(d).revision}
                for d in used
            ],
            "grader": describe_extractor(),
            "results": "mmmlu",
        },
    )


# --- results.json ----------------------------------------------------------------------------


@row_builder("mmmlu")
def mmmlu_rows(header: EvalLog, summaries: list[EvalSampleSummary]) -> list[dict[str, Any]]:
    """One `accuracy` row per language (breakdown by subject), with its non-answer count and
    the o1 card's published accuracy for that language."""
    by_language: dict[str, list[tuple[str, str]]] = {}
    for summary in completed(summaries):
        meta = summary.metadata or {}
        score = (summary.scores or {}).get(SCORER)
        label = ERROR if summary.error or score is None else str(score.value)
        by_language.setdefault(str(meta.get("language", "?")), []).append(
            (str(meta.get("subject", "unknown")), label)
        )
    rows = []
    for language in sorted(by_language):
        items = [(subject, accuracy_outcome(label)) for subject, label in by_language[language]]
        rows.append(
            {
                "metric": "accuracy",
                **rate_fields(rate(o for _, o in items), rate_by_group(items)),
                "language": language,
                "language_name": LANGUAGES.get(language, language),
                "n_no_answer": sum(label == NO_ANSWER for _, label in by_language[language]),
                "published": PUBLISHED.get(language, {}),
            }
        )
    return rows


EVAL_INFOS = [
    EvalInfo(
        "mmmlu",
        SECTION,
        ("accuracy",),
        ("mmmlu",),
        mmmlu,
        # 14,042 questions × 15 languages in the full suite: days on a CPU model; pass
        # `-T per_language=N` (Inspect) for a subset with the same questions in each language.
        quick_args={"per_language": 5},
        in_quick=False,
    ),
]
