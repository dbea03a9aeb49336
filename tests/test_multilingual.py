"""Multilingual (§10): answer extraction, the MMMLU loader on a small multilingual file set
written for these tests (tests/data/mmmlu_small, laid out like the dataset), and the per-language
accuracy rows, through Inspect with a scripted model and once with the embedded model.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from inspect_ai import eval
from inspect_ai._util.registry import registry_info, registry_lookup
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import SampleScore, Score

from syscard.data import DATASETS, DataError, DataFile, DatasetMissing, DatasetSpec
from syscard.evals.hallucination.personqa import personqa
from syscard.evals.multilingual.answers import extract_answer
from syscard.evals.multilingual.languages import ENGLISH, LANGUAGES
from syscard.evals.multilingual.mmmlu import mmmlu
from syscard.evals.multilingual.questions import (
    QUERY_TEMPLATE,
    load_language,
    read_mmlu_csv,
    select,
)
from syscard.metrics.accuracy import accuracy
from syscard.metrics.card_metric import card_metric
from syscard.results import build_results

SMALL = Path(__file__).parent / "data" / "mmmlu_small"
KEY = ["B", "C", "B", "A", "D"]  # the answers of the 5 questions, the same in every language

SIMPLE_EVALS = "https://openaipublic.blob.core.windows.net/simple-evals"
# The registry entry proposed for English MMLU (simple-evals' mmlu.csv); see docs/multilingual.md.
ENGLISH_SPEC = DatasetSpec(
    name="mmlu",
    title="MMLU test set (English), as used by openai/simple-evals",
    source="openaipublic.blob.core.windows.net/simple-evals",
    revision="main",
    license="MIT",
    files=(DataFile("mmlu.csv", f"{SIMPLE_EVALS}/mmlu.csv", None),),
)


@pytest.fixture
def with_english(monkeypatch):
    monkeypatch.setitem(DATASETS, "mmlu", ENGLISH_SPEC)


# --- answer extraction -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "letter"),
    [
        ("Answer: B", "B"),
        ("The capital is Paris.\n\nAnswer: A", "A"),
        ("answer : c is wrong, Answer:D", "D"),  # the last marker wins; letters upper case
        ("**Answer: D**", "D"),
        ("Answer: (C)", "C"),
        ("(B)", "B"),
        ("B.", "B"),
        ("B", "B"),
        ("  B) 56", "B"),
        ("$\\boxed{C}$", "C"),
        ("Respuesta: B", "B"),
        ("Réponse : A", "A"),
        ("答案：C", "C"),
        ("答え: D", "D"),
        ("الإجابة: ب", "B"),  # Arabic letter → B
        ("উত্তর: ড", "C"),  # Bengali letter → C
        ("Jibu: A", "A"),
        ("Answer: Ｄ", "D"),  # full-width
        ("I think the correct answer is (C).", "C"),
        ("Step 1: A is wrong. Answer: B", "B"),
        ("A dog is a mammal.", None),
        ("The answer is a bit long to explain.", None),
        ("I don't know.", None),
        ("", None),
        ("Answer: E", None),
    ],
)
def test_extract_answer(response, letter):
    assert extract_answer(response) == letter


# --- loading ---------------------------------------------------------------------------------


def test_read_small_files_every_language_has_the_same_questions_in_order():
    for language, path in [
        ("ES_LA", SMALL / "mmmlu/test/mmlu_ES_LA.csv"),
        ("ZH_CN", SMALL / "mmmlu/test/mmlu_ZH_CN.csv"),
        ("AR_XY", SMALL / "mmmlu/test/mmlu_AR_XY.csv"),
        (ENGLISH, SMALL / "mmlu/mmlu.csv"),
    ]:
        questions = read_mmlu_csv(path, language)
        assert [q.answer for q in questions] == KEY
        assert [q.index for q in questions] == [0, 1, 2, 3, 4]
        assert questions[0].subject == "elementary_mathematics"
        assert all(q.language == language for q in questions)
    es = read_mmlu_csv(SMALL / "mmmlu/test/mmlu_ES_LA.csv", "ES_LA")
    assert es[3].question == "¿Cuál es la capital de Francia?"
    assert es[3].options == ("París", "Roma", "Madrid", "Berlín")
    assert '"Anatomía de Gray"' in es[4].question  # a quoted field with a comma and quotes


def test_task_loads_every_present_language_through_the_data_layer():
    task = mmmlu(data_dir=str(SMALL))
    meta = task.metadata
    assert meta["languages"] == ["AR_XY", ENGLISH, "ES_LA", "ZH_CN"]
    # The other 11 language files are absent: all listed.
    assert set(meta["missing_datasets"]) == set(LANGUAGES) - {"AR_XY", ENGLISH, "ES_LA", "ZH_CN"}
    assert {d["name"] for d in meta["datasets"]} == {"mmlu", "mmmlu"}
    assert len(task.dataset) == 20
    # Languages interleaved, so `--limit 3` spans three languages.
    assert [s.metadata["language"] for s in task.dataset[:3]] == ["AR_XY", ENGLISH, "ES_LA"]
    sample = next(s for s in task.dataset if s.id == "ES_LA:3")
    assert sample.target == "A"
    assert sample.input == QUERY_TEMPLATE.format(
        Question="¿Cuál es la capital de Francia?", A="París", B="Roma", C="Madrid", D="Berlín"
    )
    assert sample.input.startswith("Answer the following multiple choice question.")


def test_english_loads_once_the_registry_declares_it(with_english):
    task = mmmlu(data_dir=str(SMALL), languages="EN_US,es-la")
    assert task.metadata["languages"] == [ENGLISH, "ES_LA"]
    assert {d["name"] for d in task.metadata["datasets"]} == {"mmlu", "mmmlu"}


def test_english_without_registry_entry_says_what_to_do(monkeypatch):
    monkeypatch.delitem(DATASETS, "mmlu")
    with pytest.raises(DatasetMissing, match="does not declare"):
        load_language(ENGLISH, str(SMALL))


def test_named_language_that_is_absent_names_the_fetch_command():
    with pytest.raises(DatasetMissing, match="syscard data fetch mmmlu") as info:
        mmmlu(data_dir=str(SMALL), languages="AR_XY,YO_NG")
    assert "\n" not in str(info.value)


def test_no_language_present_names_the_fetch_command(tmp_path):
    with pytest.raises(DatasetMissing, match="syscard data fetch mmmlu"):
        mmmlu(data_dir=str(tmp_path))


def test_unknown_language_is_an_error():
    with pytest.raises(DataError, match="unknown MMMLU language 'XX_YY'"):
        mmmlu(data_dir=str(SMALL), languages="XX_YY")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            ",Question,A,B,C,D,Answer,Subject\n0,Q?,a,b,c,d,E,math\n",
            r"mmlu_ES_LA.csv:2: answer 'E'",
        ),
        (",Question,A,B,C,D,Subject\n0,Q?,a,b,c,d,math\n", "missing column 'Answer'"),
        (",Question,A,B,C,D,Answer,Subject\n0, ,a,b,c,d,A,math\n", "empty question"),
    ],
)
def test_bad_file_is_a_one_line_error_naming_the_line(tmp_path, content, message):
    folder = tmp_path / "mmmlu" / "test"
    folder.mkdir(parents=True)
    (folder / "mmlu_ES_LA.csv").write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        mmmlu(data_dir=str(tmp_path), languages="ES_LA")
    assert "\n" not in str(info.value)


def test_changed_file_after_recorded_digest_is_refused(tmp_path):
    # A copy imported with `syscard data add` has its digests recorded; an edited file fails.
    from syscard.data import add

    add("mmmlu", SMALL / "mmmlu")
    cached = mmmlu(languages="ES_LA")  # from the (isolated) cache
    assert len(cached.dataset) == 5
    target = next(Path(p) for p in _cache_files("mmmlu") if p.endswith("mmlu_ES_LA.csv"))
    target.write_text(target.read_text(encoding="utf-8").replace("París", "Lyon"), "utf-8")
    with pytest.raises(DataError, match="checksum mismatch"):
        mmmlu(languages="ES_LA")


def _cache_files(name: str) -> list[str]:
    from syscard.data import data_home

    return [str(p) for p in (data_home() / name).rglob("*.csv")]


def test_select_takes_the_same_questions_in_every_language():
    es = select(read_mmlu_csv(SMALL / "mmmlu/test/mmlu_ES_LA.csv", "ES_LA"), 2)
    zh = select(read_mmlu_csv(SMALL / "mmmlu/test/mmlu_ZH_CN.csv", "ZH_CN"), 2)
    assert [q.index for q in es] == [q.index for q in zh] and len(es) == 2
    assert len(select(es, None)) == 2
    task = mmmlu(data_dir=str(SMALL), per_language=2)
    assert len(task.dataset) == 8  # 4 languages (English included) x 2


# --- through Inspect, scripted model ---------------------------------------------------------


def _scripted_model():
    """Spanish: always "Respuesta: B" (right on questions 0 and 2). Chinese: the right letter
    as "B." on the first three questions, a non-answer on the other two. Arabic: always
    "الإجابة: أ", i.e. A (right on question 3 only)."""

    def answer(messages, tools, tool_choice, config) -> ModelOutput:
        prompt = messages[-1].text
        if "¿" in prompt:
            text = "Creo que... Respuesta: B"
        elif "？" in prompt:
            index = next(i for i, q in enumerate(_ZH) if q in prompt)
            text = f"{KEY[index]}." if index < 3 else "我不知道。"
        else:
            text = "الإجابة: أ"
        output = ModelOutput.from_content(model="scripted", content=text)
        output.usage = ModelUsage(input_tokens=10, output_tokens=5, total_tokens=15)
        return output

    return get_model("mockllm/model", custom_outputs=answer)


_ZH = [q.question for q in read_mmlu_csv(SMALL / "mmmlu/test/mmlu_ZH_CN.csv", "ZH_CN")]


def test_rows_per_language_match_hand_computed_values(tmp_path):
    logs = eval(
        mmmlu(data_dir=str(SMALL), languages="AR_XY,ES_LA,ZH_CN"),
        model=_scripted_model(),
        display="none",
        log_dir=str(tmp_path / "logs"),
    )
    assert logs[0].status == "success"
    assert logs[0].results.scores[0].metrics["accuracy"].value == pytest.approx(6 / 15)

    rows = {r["language"]: r for r in build_results([tmp_path / "logs"])["results"]}
    assert set(rows) == {"AR_XY", "ES_LA", "ZH_CN"}
    es, zh, ar = rows["ES_LA"], rows["ZH_CN"], rows["AR_XY"]
    assert all(r["metric"] == "accuracy" and r["section"] == "multilingual" for r in rows.values())
    assert (es["value"], es["n"], es["n_errors"], es["n_no_answer"]) == (0.4, 5, 0, 0)
    # Non-answers count as wrong (and are counted): 3 right, 2 unanswered.
    assert (zh["value"], zh["n"], zh["n_errors"], zh["n_no_answer"]) == (0.6, 5, 0, 2)
    assert (ar["value"], ar["n"], ar["n_no_answer"]) == (0.2, 5, 0)
    assert es["ci_low"] == pytest.approx(0.117621, abs=1e-5)  # Wilson, 2 of 5
    assert es["ci_high"] == pytest.approx(0.769276, abs=1e-5)
    assert es["breakdown"]["astronomy"]["value"] == 0.0  # key C, answered B
    assert es["breakdown"]["high_school_chemistry"]["value"] == 1.0
    assert zh["breakdown"]["anatomy"]["value"] == 0.0  # unanswered
    assert es["language_name"] == "Spanish" and es["published"] == {"o1": 0.899, "gpt-4o": 0.849}
    assert es["grader"]["name"] == "mmmlu-answer-extract"


# --- one `accuracy` for two sections -----------------------------------------------------------


def test_accuracy_is_registered_once_for_hallucination_and_multilingual():
    # Hallucination and multilingual each used to register their own `syscard/accuracy`; the
    # second silently replaced the first in Inspect's registry, which rescoring a log and
    # `inspect view` resolve by that name. The two counted `undecided` differently.
    with pytest.raises(ValueError, match="declared twice"):
        card_metric("accuracy", "again", scorer="mmmlu_choice", outcome=lambda view: True)
    with pytest.raises(ValueError, match="registered twice"):
        card_metric("mmmlu_accuracy", "again", scorer="x", outcome=bool, inspect_name="accuracy")
    registered = registry_lookup("metric", "syscard/accuracy")
    assert registered is not None
    labels = ["correct", "incorrect", "not_attempted", "no_answer", "undecided", "error"]
    scores = [SampleScore(score=Score(value=label), sample_id=i) for i, label in enumerate(labels)]
    for task in (personqa(), mmmlu(data_dir=str(SMALL))):
        named = [m for m in task.metrics or [] if registry_info(m).name == "syscard/accuracy"]
        assert len(named) == 1, task.name
        # 1 correct of 4 graded; `undecided` and `error` are ungraded, in either eval.
        assert named[0](scores) == registered()(scores) == 0.25, task.name
    assert accuracy.inspect_metric({})(scores) == 0.25


# --- the embedded model ----------------------------------------------------------------------


def test_embedded_model_three_short_samples(tmp_path, monkeypatch):
    monkeypatch.setenv("SYSCARD_GGUF_THREADS", "1")
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    logs = eval(
        mmmlu(data_dir=str(data), languages="AR_XY,ES_LA,ZH_CN"),
        model="gguf/smollm2",
        display="none",
        log_dir=str(tmp_path / "logs"),
        limit=3,
        max_tokens=16,
        temperature=0.0,
        seed=0,
    )
    assert logs[0].status == "success"
    rows = build_results([tmp_path / "logs"])["results"]
    assert {r["language"] for r in rows} == {"AR_XY", "ES_LA", "ZH_CN"}
    for row in rows:
        assert (row["n"], row["n_errors"]) == (1, 0)
        assert row["value"] in (0.0, 1.0) and 0 <= row["n_no_answer"] <= 1
