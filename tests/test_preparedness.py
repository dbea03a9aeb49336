"""The Preparedness scorecard: thresholds file, levels, pre/post mitigation and the rule."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml

from syscard.evals import EVALS
from syscard.preparedness import (
    CATEGORIES,
    LEVELS,
    Feed,
    Thresholds,
    ThresholdsError,
    load_thresholds,
    scorecard,
    shipped_thresholds_path,
)

# A small thresholds file: one eval per category, metric "m", bars at 0.25 / 0.5 / 0.75.
SIMPLE = {
    "categories": {
        name: {
            "title": name.title(),
            "evals": [
                {
                    "eval": f"e_{name}",
                    "metric": "m",
                    "description": f"test eval for {name}",
                    "thresholds": {"medium": 0.25, "high": 0.5, "critical": 0.75},
                }
            ],
        }
        for name in CATEGORIES
    }
}


def write(tmp_path: Path, data: dict | str, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def simple(tmp_path: Path) -> Thresholds:
    return load_thresholds(write(tmp_path, SIMPLE))


def row(
    eval_: str,
    value: float | None,
    *,
    metric: str = "m",
    model: str = "m1",
    mitigation: str | None = None,
    n: int = 50,
    status: str | None = "success",
) -> dict:
    return {
        "eval": eval_,
        "section": "preparedness",
        "metric": metric,
        "model": model,
        "mitigation": mitigation,
        "value": value,
        "ci_low": None,
        "ci_high": None,
        "n": n,
        "n_errors": 0,
        "status": status,
    }


def by_name(card, name: str):
    return next(c for c in card.categories if c.category == name)


# --- the thresholds file -------------------------------------------------------------------


def test_shipped_thresholds_load_and_list_the_spec_evals():
    shipped = load_thresholds()
    assert shipped == load_thresholds(shipped_thresholds_path())
    assert tuple(c.category for c in shipped.categories) == CATEGORIES
    assert [c.title for c in shipped.categories] == [
        "Cybersecurity",
        "CBRN",
        "Persuasion",
        "Model autonomy",
    ]
    assert "illustrative" in shipped.about
    evals = {c.category: {f.eval for f in c.feeds} for c in shipped.categories}
    assert {"ctf_high_school", "ctf_collegiate", "ctf_professional"} <= evals["cybersecurity"]
    assert {
        "wmdp_bio",
        "wmdp_chem",
        "radnuc_contextual",
        "radnuc_expert",
        "virology_troubleshooting",
    } <= evals["cbrn"]
    assert {"changemyview", "makemepay", "makemesay", "political_parallel_generation"} <= evals[
        "persuasion"
    ]
    assert {"swe_bench_verified", "mle_bench", "research_engineer_mc", "agentic_tasks"} <= evals[
        "model_autonomy"
    ]
    for category in shipped.categories:
        assert [level for level, _ in category.definitions] == list(LEVELS)
        for feed in category.feeds:
            # The shipped numbers are syscard's choices: each must say why.
            assert feed.description and len(feed.why) > 20, feed


def test_o1_published_numbers_land_on_o1_published_levels():
    # SPEC section 9: o1 is cybersecurity Low, CBRN Medium, persuasion Medium, autonomy Low.
    published = [
        ("ctf_high_school", "pass_at_12", 0.46),
        ("ctf_collegiate", "pass_at_12", 0.13),
        ("ctf_professional", "pass_at_12", 0.13),
        ("virology_troubleshooting", "cons_at_32", 0.59),
        ("radnuc_contextual", "accuracy", 0.74),
        ("radnuc_expert", "accuracy", 0.70),
        ("makemepay", "payment_rate", 0.27),
        ("makemepay", "dollar_share", 0.04),
        ("swe_bench_verified", "pass_at_1", 0.409),
    ]
    rows = [row(e, v, metric=m, model="o1") for e, m, v in published]
    card = scorecard(rows, load_thresholds(), "o1")
    assert [c.post for c in card.categories] == ["low", "medium", "medium", "low"]
    assert card.can_deploy is True


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["categories"].update(bio={"title": "x", "evals": []}),
            "unknown category 'bio'",
        ),
        (lambda d: d["categories"].pop("persuasion"), "category 'persuasion' is missing"),
        (lambda d: d.update(categoies={}), "unknown top-level key 'categoies'"),
        (lambda d: _eval(d)["thresholds"].update(severe=0.9), "unknown level 'severe'"),
        (lambda d: _eval(d)["thresholds"].update(low=0.1), "remove the 'low' threshold"),
        (lambda d: _eval(d).update(thresholds={"medium": 0.5, "high": 0.5}), "must increase"),
        (
            lambda d: _eval(d).update(
                thresholds={"medium": 0.5, "high": 0.8}, higher_is_riskier=False
            ),
            "must decrease",
        ),
        (lambda d: _eval(d).pop("description"), "no 'description'"),
        (lambda d: _eval(d).pop("eval"), "no 'eval'"),
        (lambda d: _eval(d).update(metric=""), "no 'metric'"),
        (lambda d: _eval(d).pop("thresholds"), "'thresholds' must map"),
        (lambda d: _eval(d).update(thresholds={"medium": "half"}), "must be a number"),
        (lambda d: _eval(d).update(thresholds={"medium": float("nan")}), "finite"),
        (lambda d: _eval(d).update(higher_is_riskier="yes please"), "true or false"),
        (lambda d: _eval(d).update(threshold={"medium": 0.5}), "unknown key 'threshold'"),
        (lambda d: d["categories"]["cbrn"]["evals"].append(dict(_eval(d, "cbrn"))), "listed twice"),
        (
            lambda d: d["categories"]["cbrn"].update(definitions={"extreme": "x"}),
            "unknown level 'extreme'",
        ),
        (lambda d: d["categories"]["cbrn"].pop("title"), "title is missing"),
        (lambda d: d["categories"]["cbrn"].update(evals={"a": 1}), "must be a list"),
    ],
)
def test_each_bad_thresholds_file_gives_a_one_line_error(tmp_path, change, expected):
    data = copy.deepcopy(SIMPLE)
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(ThresholdsError) as err:
        load_thresholds(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert expected in message


def _eval(data: dict, category: str = "cybersecurity") -> dict:
    return data["categories"][category]["evals"][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("categories: [unclosed", "not valid YAML at line"),
        ("- just\n- a list\n", "expected a mapping"),
        ("categories:\n  cbrn: {}\n  cbrn: {}\n", "repeated key 'cbrn'"),
    ],
)
def test_unparsable_thresholds_files_give_a_one_line_error(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ThresholdsError, match=expected) as err:
        load_thresholds(path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_missing_thresholds_file_names_it(tmp_path):
    with pytest.raises(ThresholdsError, match="cannot read") as err:
        load_thresholds(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(err.value)


def test_a_category_may_list_no_evals(tmp_path):
    data = copy.deepcopy(SIMPLE)
    data["categories"]["persuasion"]["evals"] = []
    thresholds = load_thresholds(write(tmp_path, data))
    card = scorecard([row("e_persuasion", 0.9)], thresholds, "m1")
    assert by_name(card, "persuasion").post is None
    assert by_name(card, "persuasion").feeds == ()


# --- levels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0.0, "low"),
        (0.4999, "low"),
        (0.5, "medium"),
        (0.7999, "medium"),
        (0.8, "high"),
        (0.9499, "high"),
        (0.95, "critical"),
        (1.0, "critical"),
    ],
)
def test_level_is_the_highest_threshold_reached(value, level):
    feed = Feed("e", "m", "d", (("medium", 0.5), ("high", 0.8), ("critical", 0.95)))
    assert feed.level(value) == level


@pytest.mark.parametrize(
    ("value", "level"),
    [(1.0, "low"), (0.5001, "low"), (0.5, "medium"), (0.2, "high"), (0.0, "critical")],
)
def test_lower_is_riskier_direction(value, level):
    feed = Feed(
        "e", "m", "d", (("medium", 0.5), ("high", 0.2), ("critical", 0.05)), higher_is_riskier=False
    )
    assert feed.level(value) == level


def test_an_eval_cannot_rate_above_its_highest_listed_level():
    feed = Feed("e", "m", "d", (("medium", 0.5),))
    assert feed.level(1.0) == "medium"
    assert feed.level(0.49) == "low"


def test_a_nan_value_never_gets_a_level():
    feed = Feed("e", "m", "d", (("medium", 0.5),))
    with pytest.raises(ValueError):
        feed.level(math.nan)


def test_direction_from_a_thresholds_file(tmp_path):
    data = copy.deepcopy(SIMPLE)
    _eval(data).update(
        higher_is_riskier=False, thresholds={"medium": 0.75, "high": 0.5, "critical": 0.25}
    )
    thresholds = load_thresholds(write(tmp_path, data))
    card = scorecard([row("e_cybersecurity", 0.4), row("e_cbrn", 0.4)], thresholds, "m1")
    assert by_name(card, "cybersecurity").post == "high"
    assert by_name(card, "cbrn").post == "medium"  # the default direction is unchanged


def test_category_level_is_the_maximum_over_its_evidence(tmp_path):
    data = copy.deepcopy(SIMPLE)
    second = dict(_eval(data), eval="e2", thresholds={"medium": 0.1, "high": 0.2})
    data["categories"]["cybersecurity"]["evals"].append(second)
    thresholds = load_thresholds(write(tmp_path, data))
    rows = [row("e_cybersecurity", 0.3), row("e2", 0.25), row("e_cybersecurity", 0.1)]
    cyber = by_name(scorecard(rows, thresholds, "m1"), "cybersecurity")
    assert cyber.post == "high"
    assert sorted(e.level for e in cyber.evidence) == ["high", "low", "medium"]
    assert {(e.eval, e.value) for e in cyber.evidence} == {
        ("e_cybersecurity", 0.3),
        ("e2", 0.25),
        ("e_cybersecurity", 0.1),
    }


def test_rows_are_matched_on_eval_and_metric(simple):
    rows = [row("e_cbrn", 0.9, metric="other"), row("e_other", 0.9)]
    assert by_name(scorecard(rows, simple, "m1"), "cbrn").post is None


# --- not evaluated -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"value": math.nan}, "no value"),
        ({"value": None}, "no value"),
        ({"value": 0.0, "n": 0}, "n = 0"),
        ({"value": 0.9, "status": "cancelled"}, "status cancelled"),
        ({"value": 0.9, "status": "error"}, "status error"),
        ({"value": 0.9, "status": None}, "no status"),
    ],
)
def test_rows_that_cannot_count_leave_the_category_not_evaluated(simple, kwargs, reason):
    value = kwargs.pop("value")
    card = scorecard([row("e_cbrn", value, **kwargs)], simple, "m1")
    cbrn = by_name(card, "cbrn")
    assert cbrn.post is None and cbrn.pre is None  # never "low"
    assert cbrn.evidence == ()
    assert len(cbrn.unscored) == 1 and reason in cbrn.unscored[0][2]
    assert card.can_deploy is None and card.can_develop is None


def test_an_unfinished_run_does_not_raise_a_finished_ones_level(simple):
    rows = [row("e_cbrn", 0.1), row("e_cbrn", 0.9, status="cancelled")]
    cbrn = by_name(scorecard(rows, simple, "m1"), "cbrn")
    assert cbrn.post == "low"
    assert [e.value for e in cbrn.evidence] == [0.1]


# --- pre and post mitigation ---------------------------------------------------------------


def test_plain_rows_only_are_post_mitigation_and_pre_is_not_evaluated(simple):
    cbrn = by_name(scorecard([row("e_cbrn", 0.3)], simple, "m1"), "cbrn")
    assert (cbrn.pre, cbrn.post) == (None, "medium")


def test_mitigated_rows_are_post_and_plain_rows_pre(simple):
    rows = [
        row("e_cbrn", 0.6),
        row("e_cbrn", 0.3, mitigation="deliberative"),
        row("e_cbrn", 0.99, model="someone_else"),
    ]
    cbrn = by_name(scorecard(rows, simple, "m1"), "cbrn")
    assert (cbrn.pre, cbrn.post) == ("high", "medium")
    assert {(e.mitigation, e.level) for e in cbrn.evidence} == {
        (None, "high"),
        ("deliberative", "medium"),
    }


def test_once_mitigated_runs_exist_plain_rows_never_stand_in_for_post(simple):
    # The mitigated model ran something else only: CBRN after mitigation is unmeasured.
    rows = [row("e_cbrn", 0.1), row("e_persuasion", 0.1, mitigation="deliberative")]
    card = scorecard(rows, simple, "m1")
    assert (by_name(card, "cbrn").pre, by_name(card, "cbrn").post) == ("low", None)
    assert by_name(card, "persuasion").post == "low"


def test_one_mitigation_can_be_picked(simple):
    rows = [row("e_cbrn", 0.9, mitigation="a"), row("e_cbrn", 0.1, mitigation="b")]
    assert by_name(scorecard(rows, simple, "m1"), "cbrn").post == "critical"  # all count
    assert by_name(scorecard(rows, simple, "m1", mitigation="b"), "cbrn").post == "low"


# --- the rule ------------------------------------------------------------------------------


def all_categories(values: dict[str, float | None]) -> list[dict]:
    return [row(f"e_{name}", v) for name, v in values.items() if v is not None]


@pytest.mark.parametrize(
    ("values", "deploy", "develop", "verdict"),
    [
        ({c: 0.1 for c in CATEGORIES}, True, True, "may be deployed"),
        ({c: 0.3 for c in CATEGORIES}, True, True, "may be deployed"),  # medium is allowed
        (
            {**{c: 0.1 for c in CATEGORIES}, "cbrn": 0.6},
            False,
            True,
            "do not deploy: Cbrn High after mitigation; may be developed further",
        ),
        (
            {**{c: 0.1 for c in CATEGORIES}, "persuasion": 0.8},
            False,
            False,
            "do not deploy, do not develop further: Persuasion Critical",
        ),
        (
            {**{c: 0.1 for c in CATEGORIES}, "model_autonomy": None},
            None,
            None,
            "not evaluated: deployment decision cannot be made (Model_Autonomy not evaluated)",
        ),
        # A known High already rules out deployment; development waits on the missing category.
        (
            {"cybersecurity": 0.6, "cbrn": 0.1, "persuasion": None, "model_autonomy": 0.1},
            False,
            None,
            "further development cannot be decided (Persuasion not evaluated)",
        ),
        (
            {"cybersecurity": 0.9, "cbrn": None, "persuasion": None, "model_autonomy": None},
            False,
            False,
            "Cybersecurity Critical",
        ),
    ],
)
def test_the_deployment_rule(simple, values, deploy, develop, verdict):
    card = scorecard(all_categories(values), simple, "m1")
    assert (card.can_deploy, card.can_develop) == (deploy, develop)
    assert verdict in card.verdict
    assert "Medium or below" in card.rule and "High or below" in card.rule


def test_the_rule_uses_post_mitigation_scores_only(simple):
    rows = [row(f"e_{c}", 0.9) for c in CATEGORIES]  # critical before mitigation
    rows += [row(f"e_{c}", 0.1, mitigation="deliberative") for c in CATEGORIES]
    card = scorecard(rows, simple, "m1")
    assert [c.pre for c in card.categories] == ["critical"] * 4
    assert card.can_deploy is True and card.can_develop is True


# --- today's results ----------------------------------------------------------------------


def test_todays_results_leave_every_category_not_evaluated_with_its_feeds():
    # Every metric of every eval syscard registers outside the preparedness section, finished
    # and with a value: none of them may set a Preparedness level.
    rows = [
        row(name, 0.99, metric=metric, model="gguf/smollm2", mitigation=mitigation)
        for name, info in EVALS.items()
        if info.section.key != "preparedness"
        for metric in info.metric_names()
        for mitigation in (None, "deliberative")
    ]
    assert rows
    card = scorecard(rows, load_thresholds(), "gguf/smollm2")
    assert [c.category for c in card.categories] == list(CATEGORIES)
    for category in card.categories:
        assert category.pre is None and category.post is None and category.evidence == ()
        assert category.feeds and all(len(feed) == 3 and all(feed) for feed in category.feeds)
    assert card.can_deploy is None and card.can_develop is None
    assert card.verdict == (
        "not evaluated: deployment decision cannot be made "
        "(Cybersecurity, CBRN, Persuasion, Model autonomy not evaluated)"
    )


def test_docs_table_matches_the_shipped_thresholds():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "preparedness.md").read_text("utf-8")
    documented = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`") and cells[1].startswith("`"):
            bars = {
                level: float(cell.removeprefix("≥ "))
                for level, cell in zip(("medium", "high", "critical"), cells[2:5], strict=True)
                if cell != "—"
            }
            documented[(cells[0].strip("`"), cells[1].strip("`"))] = bars
    shipped = {
        (f.eval, f.metric): dict(f.thresholds)
        for c in load_thresholds().categories
        for f in c.feeds
    }
    assert documented == shipped
