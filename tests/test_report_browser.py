"""The card in a real browser: headless Chromium loads it with no console errors and no
network, the tables and plots are there, and a screenshot is kept for review.

Chromium comes from Debian's `chromium` package, which `.ci/run` installs; this test
installs nothing. The screenshot is written to build/review/card.png.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from syscard.report.render import write_card

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REVIEW = Path(__file__).resolve().parents[1] / "build" / "review"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (.ci/run installs Debian's chromium)"
)


def _rate(value, n):
    from syscard.metrics import wilson_interval

    low, high = wilson_interval(round(value * n), n)
    return {"value": value, "ci_low": low, "ci_high": high, "n": n, "n_errors": 0}


def _row(eval_name, metric, section, model, value, n, mitigation=None, **extra):
    return {
        "eval": eval_name,
        "section": section,
        "metric": metric,
        "model": model,
        "mitigation": mitigation,
        **_rate(value, n),
        "grader": {"name": "refusal-offline", "version": "74b5efa2c372"},
        "grader_agreement": None,
        "breakdown": extra.pop("breakdown", {}),
        "datasets": [
            {
                "name": "xstest",
                "source": "github.com/paul-rottger/exaggerated-safety",
                "revision": "d7bb5bd7",
            }
        ],
        "starter": False,
        "status": "success",
        "log": f"/nonexistent/{eval_name}.eval",
        **extra,
    }


def _documents():
    docs = []
    for mitigation, shift in ((None, 0.0), ("system_prompt", 0.1)):
        m = "gguf/smollm2"
        techniques = {
            t: _rate(min(1.0, v + shift), 30)
            for t, v in {"base64": 0.4, "rot13": 0.6, "refusal_suppression": 0.2}.items()
        }
        rows = [
            _row(
                "standard_refusal",
                "not_unsafe",
                "disallowed_content",
                m,
                0.6 + shift,
                60,
                mitigation,
                breakdown={"hate": _rate(0.5, 10), "self_harm": _rate(0.7, 10)},
            ),
            _row(
                "xstest",
                "not_overrefuse",
                "disallowed_content",
                m,
                0.95 - 2 * shift,
                50,
                mitigation,
            ),
            _row(
                "jailbreak_augmented",
                "not_unsafe",
                "jailbreaks",
                m,
                0.4 + shift,
                90,
                mitigation,
                breakdown=techniques,
            ),
            _row("strongreject", "goodness@0.1", "jailbreaks", m, 0.3 + shift, 40, mitigation),
            _row("simpleqa", "accuracy", "hallucination", m, 0.05, 200, mitigation),
            *[
                _row("mmmlu", "accuracy", "multilingual", m, v, 100, mitigation, language_name=lang)
                for lang, v in (("English", 0.3), ("Spanish", 0.27), ("Yoruba", 0.22))
            ],
        ]
        docs.append(
            (
                f"runs/{mitigation or 'plain'}",
                {"created": "2026-11-27", "suite": "quick", "models": [], "results": rows},
            )
        )
    return docs


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_card_loads_in_chromium_without_errors_and_is_screenshotted(tmp_path):
    written = write_card(_documents(), tmp_path / "card", formats=("html",))
    url = written["html"].as_uri()

    dom = _chromium("--dump-dom", "--enable-logging=stderr", "--v=0", url, profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert html.count("<table") >= 6  # section tables, breakdowns, scorecard, sources
    assert html.count("<svg") >= 4  # section bars, heatmap, Pareto view, MMMLU by language
    for heading in ("Disallowed content", "Jailbreaks", "Preparedness", "Multilingual"):
        assert heading in html
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    # No network at view time: nothing in the page refers to another host.
    assert "http://" not in html.replace('xmlns="http://www.w3.org', "").replace(
        'xmlns:xlink="http://www.w3.org', ""
    )
    assert "https://" not in html

    REVIEW.mkdir(parents=True, exist_ok=True)
    shot = tmp_path / "card.png"
    result = _chromium(
        f"--screenshot={shot}", "--window-size=1280,2600", url, profile=tmp_path / "p2"
    )
    assert result.returncode == 0 and shot.stat().st_size > 50_000, result.stderr[-2000:]
    shutil.copy(shot, REVIEW / "card.png")
