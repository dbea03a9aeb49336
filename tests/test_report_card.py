"""The card: runs side by side, deltas with CIs, escaping everywhere, Markdown and PDF."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser

import pytest

from syscard.report.card import build_card
from syscard.report.compare import delta, newcombe
from syscard.report.markdown import render_markdown
from syscard.report.render import write_card

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "<!-- hidden -->",
    '"onmouseover="alert(1)',
]
EVIL = " ".join(PAYLOADS)


def _row(eval_name, metric, model, value, low, high, n, **extra):
    return {
        "eval": eval_name,
        "section": extra.pop("section", "disallowed_content"),
        "metric": metric,
        "model": model,
        "mitigation": extra.pop("mitigation", None),
        "value": value,
        "ci_low": low,
        "ci_high": high,
        "n": n,
        "n_errors": 0,
        "grader": {"name": "harm-offline", "version": "abc"},
        "grader_agreement": None,
        "breakdown": extra.pop("breakdown", {}),
        "datasets": [],
        "starter": False,
        "status": "success",
        "log": extra.pop("log", f"/nonexistent/{model}-{eval_name}.eval"),
        **extra,
    }


def _doc(rows):
    return {
        "schema_version": 1,
        "created": "2026-11-27T00:00:00+00:00",
        "suite": "quick",
        "models": [{"name": rows[0]["model"], "role": "target", "mitigation": None}],
        "results": rows,
    }


def test_newcombe_interval_matches_hand_computation():
    # p1 = 0.5 [0.3, 0.7], p2 = 0.9 [0.8, 0.95]:
    # low = 0.4 - sqrt(0.1^2 + 0.2^2) = 0.17639; high = 0.4 + sqrt(0.05^2 + 0.2^2) = 0.60616
    d, low, high = newcombe(0.5, 0.3, 0.7, 0.9, 0.8, 0.95)
    assert d == pytest.approx(0.4)
    assert low == pytest.approx(0.4 - (0.01 + 0.04) ** 0.5)
    assert high == pytest.approx(0.4 + (0.0025 + 0.04) ** 0.5)


def test_deltas_flag_significance_and_direction():
    a = _row("xstest", "not_overrefuse", "m", 0.5, 0.3, 0.7, 20)
    better = _row("xstest", "not_overrefuse", "m", 0.9, 0.8, 0.95, 50)
    same = _row("xstest", "not_overrefuse", "m", 0.55, 0.35, 0.74, 20)
    d = delta(a, better, "not_overrefuse")
    assert d.significant and d.better is True
    assert delta(a, same, "not_overrefuse").significant is False
    # Lower is better for hallucination: a rise is worse.
    h = delta(
        _row("simpleqa", "hallucination_rate", "m", 0.2, 0.15, 0.25, 400),
        _row("simpleqa", "hallucination_rate", "m", 0.6, 0.55, 0.65, 400),
        "hallucination_rate",
    )
    assert h.significant and h.better is False
    assert delta(a, None, "not_overrefuse") is None
    assert delta(a, {**better, "value": None}, "not_overrefuse") is None


def test_two_runs_side_by_side_with_published_columns():
    plain = _doc([_row("xstest", "not_overrefuse", "gguf/smollm2", 0.98, 0.9, 1.0, 50)])
    mitigated = _doc(
        [
            _row(
                "xstest",
                "not_overrefuse",
                "gguf/smollm2",
                0.7,
                0.56,
                0.81,
                50,
                mitigation="system_prompt",
            )
        ]
    )
    card = build_card([("runs/a", plain), ("runs/b", mitigated)])
    assert [r.label for r in card.runs] == ["gguf/smollm2", "gguf/smollm2 + system_prompt"]
    line = card.find("xstest", "not_overrefuse")
    assert line.published["o1"] == pytest.approx(0.94)
    assert all(row is not None for row in line.cells.values())
    text = render_markdown(card)
    assert "Δ + system\\_prompt" in text
    assert "**-0.280" in text  # significant drop, bold


def _evil_documents():
    rows = [
        _row(
            "xstest",
            "not_overrefuse",
            f"gguf/{EVIL}",
            0.9,
            0.8,
            0.95,
            40,
            breakdown={EVIL: {"value": 0.5, "ci_low": 0.2, "ci_high": 0.8, "n": 4, "n_errors": 0}},
            mitigation=EVIL,
        ),
        _row(
            "mmmlu",
            "accuracy",
            f"gguf/{EVIL}",
            0.4,
            0.3,
            0.5,
            100,
            section="multilingual",
            language_name=EVIL,
            mitigation=EVIL,
        ),
        _row(
            "jailbreak_augmented",
            "not_unsafe",
            f"gguf/{EVIL}",
            0.8,
            0.7,
            0.9,
            60,
            section="jailbreaks",
            mitigation=EVIL,
            breakdown={
                EVIL: {"value": 0.7, "ci_low": 0.5, "ci_high": 0.85, "n": 30, "n_errors": 0}
            },
        ),
    ]
    for row in rows:
        row["grader"] = {"name": EVIL, "version": EVIL}
        row["datasets"] = [{"name": EVIL, "source": EVIL, "revision": EVIL}]
    other = copy.deepcopy(rows)
    for row in other:
        row["model"] = f"other/{EVIL}"
    return [(f"runs/{EVIL}", _doc(rows)), ("runs/b", _doc(other))]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.comments = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_comment(self, data):
        self.comments.append(data)


def test_no_model_text_survives_as_markup_in_html_or_markdown(tmp_path):
    written = write_card(_evil_documents(), tmp_path / "card", formats=("html", "md", "json"))
    page = written["html"].read_text(encoding="utf-8")
    parsed = _Collector()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    assert not [v for name, v in parsed.attrs if name == "href" and "javascript" in (v or "")]
    assert not [c for c in parsed.comments if "hidden" in c]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
    markdown = written["md"].read_text(encoding="utf-8")
    assert "<script" not in markdown and "<img" not in markdown and "<!--" not in markdown
    # Every "[...](...)" from a run has its brackets escaped, so it is never a link.
    assert re.search(r"(?<!\\)\]\(javascript", markdown) is None
    assert "\\[link\\]" in markdown


def test_pdf_has_pages_and_extractable_text(tmp_path):
    from pypdf import PdfReader

    docs = _evil_documents()
    written = write_card(docs, tmp_path / "card", formats=("pdf",))
    reader = PdfReader(str(written["pdf"]))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    for heading in ("System card", "Disallowed content", "Jailbreaks", "Preparedness"):
        assert heading in text
    assert "0.900" in text and "not evaluated" in text
    assert "<script>alert(1)</script>" in text  # drawn as literal text, not interpreted


def test_merged_results_json_holds_every_run(tmp_path):
    written = write_card(_evil_documents(), tmp_path / "card", formats=("json",))
    merged = json.loads(written["json"].read_text(encoding="utf-8"))
    assert len(merged["results"]) == 6
    assert {m["name"] for m in merged["models"]} >= {f"gguf/{EVIL}", f"other/{EVIL}"} - set()
