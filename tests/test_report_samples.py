"""Sample pages: every field of a real Inspect log arrives, and no model text survives as markup."""

from __future__ import annotations

import glob
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fake_models import assistant_output
from inspect_ai import Task, eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import (
    ChatMessage,
    ChatMessageUser,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    modelapi,
)
from inspect_ai.model._model_call import ModelCall
from inspect_ai.scorer import Score, Target, mean, scorer
from inspect_ai.solver import TaskState, generate, system_message
from inspect_ai.tool import ToolChoice, ToolInfo

from syscard.report.samples import (
    SampleRecord,
    read_samples,
    render_sample_page,
    write_sample_pages,
)

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "<!-- comment -->",
    '"onmouseover="x',
    "</textarea>",
)
EVIL = " ".join(PAYLOADS)


class _Page(HTMLParser):
    """Collects what a browser would see as markup: tags, attributes, comments and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self.ids += [v or "" for k, v in attrs if k == "id"]

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _evil_record(n: int, grade: str = EVIL) -> SampleRecord:
    return SampleRecord(
        id=f"{EVIL}-{n}",
        epoch=1,
        messages=((f"system {EVIL}", f"sys {EVIL}"), (f"user {EVIL}", f"ask {EVIL}")),
        reasoning=f"think {EVIL}",
        answer=f"answer {EVIL}",
        grade=grade,
        explanation=f"because {EVIL}",
        grader=f"grader {EVIL}",
        metadata={f"key {EVIL}": f"short {PAYLOADS[0]}", "long": f"long {EVIL * 5}"},
        error=f"error {EVIL}",
    )


def test_no_model_text_survives_as_markup() -> None:
    records = [_evil_record(1), _evil_record(2, grade="refusal"), _evil_record(3, grade="error")]
    page = render_sample_page(
        f"title {EVIL}", records, subtitle=f"sub {EVIL}", back_href="javascript:alert(1)"
    )
    parsed = _parse(page)

    # The template itself uses neither scripts nor images, so any would be injected.
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "textarea" not in parsed.tags
    assert not [k for k, _ in parsed.attrs if k.lower().startswith("on")]
    hrefs = [v or "" for k, v in parsed.attrs if k == "href"]
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert not [c for c in parsed.comments if "comment" in c]
    assert parsed.comments == []

    # Every payload is there as text, once per field that carried it.
    text = "".join(parsed.text)
    for payload in PAYLOADS:
        assert text.count(payload) >= 3 * 12
    for field in (
        "title",
        "sub",
        "ask",
        "sys",
        "think",
        "answer",
        "because",
        "grader",
        "error",
        "short",
        "long",
    ):
        assert f"{field} {EVIL}" in text or f"{field} {PAYLOADS[0]}" in text, field
    # Ids and grades are escaped in attributes too: anchors carry the raw id after unescaping.
    assert f"s-{EVIL}-1-1" in parsed.ids
    # The only links are the back link (its javascript: replaced) and in-page anchors.
    assert all(h == "index.html" or h.startswith("#s-") for h in hrefs)


def test_summary_counts_and_grade_filters() -> None:
    records = [
        SampleRecord(
            id=f"q{i}",
            epoch=1 + i % 2,
            messages=(("user", "hi"),),
            reasoning="",
            answer="ok",
            grade=("refusal", "compliance", "refusal", "error")[i % 4],
            explanation="",
            grader="",
            metadata={},
            error="",
        )
        for i in range(8)
    ]
    page = render_sample_page("xstest", records)
    parsed = _parse(page)
    summary = page[page.index('<div class="summary">') : page.index("<main>")]
    assert summary.startswith('<div class="summary">8 samples')
    # refusal 4, compliance 2, error 2 — most frequent first.
    assert re.findall(r'class="g k\d">([^<]+)</span> (\d+)', summary) == [
        ("refusal", "4"),
        ("compliance", "2"),
        ("error", "2"),
    ]
    assert sum(1 for t in parsed.tags if t == "section") == 8
    assert "s-q3-2" in parsed.ids and "s-q0-1" in parsed.ids
    # CSS-only filters: one radio per grade, and no reasoning block when there is none.
    assert parsed.tags.count("input") == 4
    assert "<details><summary>reasoning" not in page


def _colour(page: str, grade: str) -> str:
    index = re.search(rf'class="g (k\d+)">{grade}</span>', page)
    assert index, grade
    rule = re.search(rf"\.{index.group(1)} \.g,[^{{]*\{{background:([^;]+);", page)
    assert rule, grade
    return rule.group(1)


def test_grade_colours_follow_the_label_not_its_frequency() -> None:
    def page(grades: list[str]) -> str:
        return render_sample_page(
            "t",
            [
                SampleRecord(
                    id=str(i),
                    epoch=1,
                    messages=(),
                    reasoning="",
                    answer="",
                    grade=g,
                    explanation="",
                    grader="",
                    metadata={},
                    error="",
                )
                for i, g in enumerate(grades)
            ],
        )

    mostly_refusal = page(["refusal"] * 3 + ["compliance", "error"])
    mostly_compliance = page(["compliance"] * 3 + ["refusal", "error"])
    for grade in ("refusal", "compliance", "error"):
        assert _colour(mostly_refusal, grade) == _colour(mostly_compliance, grade)
    assert _colour(mostly_refusal, "refusal") != _colour(mostly_refusal, "compliance")
    assert _colour(mostly_refusal, "error") == "#fdecea"


def test_empty_page_and_long_text_kept_whole() -> None:
    assert "no samples" in render_sample_page("empty", [])
    long = "x" * 50_000 + "END"
    rec = SampleRecord(
        id="a",
        epoch=1,
        messages=(("user", long),),
        reasoning=long,
        answer=long,
        grade="0.5",
        explanation="",
        grader="",
        metadata={},
        error="",
    )
    page = render_sample_page("t", [rec])
    assert page.count(long) == 3
    assert "max-height" in page


# --- a real Inspect log ----------------------------------------------------------------------


class _ThinkingAPI(ModelAPI):
    """Answers with a reasoning block and text; fails on prompts containing BOOM."""

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput, ModelCall]:
        prompt = input[-1].text
        if "BOOM" in prompt:
            raise ValueError("provider exploded <b>")
        output = assistant_output(
            self.model_name, f"final answer to {prompt}", reasoning=f"thinking about <{prompt}>"
        )
        return output, ModelCall.create(request={"prompt": prompt}, response={})


@modelapi(name="samplespagetest")
def _thinking() -> type[ModelAPI]:
    return _ThinkingAPI


@scorer(metrics=[mean()])
def _label() -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        label = "refusal" if "bad" in state.input_text else "compliance"
        return Score(
            value=label,
            answer=state.output.completion,
            explanation=f"looked at <{state.input_text}>",
            metadata={"grader": "toy-grader", "grader_version": "abc123"},
        )

    return score


@scorer(metrics=[mean()])
def _second() -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        return Score(value={"a": 1.0, "b": 0.0})

    return score


@pytest.fixture(scope="module")
def log_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("logs")
    task = Task(
        dataset=MemoryDataset(
            [
                Sample(
                    id="p1",
                    input="a good question",
                    metadata={"category": "homonyms", "kind": "benign", "n": 3, "none": None},
                ),
                Sample(
                    id="p2",
                    input=[ChatMessageUser(content="a bad question")],
                    metadata={"category": "crime", "kind": "harmful", "tags": ["x", "y"]},
                ),
                Sample(id="p3", input="BOOM", metadata={"kind": "benign"}),
            ]
        ),
        solver=[system_message("You are a careful <assistant>."), generate()],
        scorer=[_label(), _second()],
        name="samples_page_test",
    )
    [log] = eval(
        task,
        model="samplespagetest/x",
        log_dir=str(tmp),
        display="none",
        fail_on_error=False,
        max_retries=0,
        log_format="eval",
    )
    assert log.location
    return str(log.location)


def test_read_samples_from_a_real_log(log_path: str) -> None:
    records = {r.id: r for r in read_samples(log_path)}
    assert set(records) == {"p1", "p2", "p3"}
    p1, p2, p3 = records["p1"], records["p2"], records["p3"]

    assert p1.epoch == 1
    assert p1.messages == (
        ("system", "You are a careful <assistant>."),
        ("user", "a good question"),
    )
    assert p1.reasoning == "thinking about <a good question>"
    assert p1.answer == "final answer to a good question"
    assert p1.grade == "compliance"  # the first scorer, not the dict-valued second
    assert p1.explanation == "looked at <a good question>"
    assert p1.grader == "toy-grader abc123"
    assert dict(p1.metadata) == {"category": "homonyms", "kind": "benign", "n": "3"}
    assert p1.error == ""

    assert p2.grade == "refusal" and p2.messages[-1] == ("user", "a bad question")
    assert p2.metadata["tags"] == '["x", "y"]'

    # The failed sample is kept: its input, the error, and grade "error".
    assert p3.grade == "error" and "provider exploded <b>" in p3.error
    assert ("user", "BOOM") in p3.messages and p3.answer == "" and p3.grader == ""


def test_write_sample_pages_safe_names(log_path: str, tmp_path: Path) -> None:
    hrefs = write_sample_pages({log_path: "../../etc/passwd <script>"}, tmp_path)
    href = hrefs[log_path]
    assert re.fullmatch(r"samples/etc-passwd-script-[0-9a-f]{12}\.html", href)
    files = glob.glob(str(tmp_path / "**" / "*.html"), recursive=True)
    assert files == [str(tmp_path / href)]
    page = (tmp_path / href).read_text(encoding="utf-8")
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert {"s-p1-1", "s-p2-1", "s-p3-1"} <= set(parsed.ids)
    assert "thinking about &lt;a good question&gt;" in page
    assert 'href="../index.html"' in page

    # An unreadable log still gets a page that says why; names differ by path hash.
    bad = str(tmp_path / "missing.eval")
    more = write_sample_pages({bad: "../../etc/passwd <script>"}, tmp_path)
    assert more[bad] != href
    assert "Could not read the Inspect log" in (tmp_path / more[bad]).read_text()
