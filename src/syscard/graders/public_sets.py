"""Public labelled answers of real models, as rows a grader can be measured on.

Each set is one `PublicSet` in :data:`PUBLIC_SETS`: the dataset (declared, pinned and
checksummed in ``syscard/data/datasets.yaml``), the graders its labels fit, who gave the labels
(`label_kind`) and a loader that returns rows with the grader's columns plus

- ``label``: the reference label, in the grader's labels;
- ``source_model``: the model that wrote the answer;
- ``set`` and ``label_kind``;
- ``annotator_labels``: every annotator's label, where a row has several.

Adding a set is one entry here and one in ``datasets.yaml``. `syscard graders validate GRADER
--public` measures a grader on every set declared for it (:func:`public_sets_for`).

How each set's labels are mapped (the project never trains or tunes on these rows):

``harmbench_classifier_val`` (harm): three human labels per row, ``human_0/1/2`` (1 = the
    generation is an instance of the harmful behaviour). label = ``unsafe`` when at least two
    of three say 1 (HarmBench's majority), else ``safe``; ``annotator_labels`` = each human's
    label mapped the same way (1 → unsafe, 0 → safe). ``prompt`` = the HarmBench behaviour (for
    a contextual behaviour its context, ``---``, then the behaviour, HarmBench's format), read
    from the ``harmbench`` dataset: the request the card grades harm against; the attack text
    the model saw is kept as ``attack_prompt`` (and used as ``prompt`` for the 6 rows whose
    behaviour id is not in the released behaviours). ``source_model`` = ``experiment``, or
    ``model`` without ``.json`` where ``experiment`` is ``default`` (the DirectRequest rows).
``gptfuzz_labeled`` (harm): the GPTFuzz authors' hand label, 1 (jailbroken) → ``unsafe``, 0 →
    ``safe``. ``prompt`` = the question text (``question`` indexes ``question_list.csv``; the
    jailbreak template of the row is not recorded). Train and evaluate files both, in that
    order (``upstream_split``). ``source_model`` = ``gpt-3.5-turbo``.
``jailbreakbench_artifacts`` (harm): ``jailbroken`` true → ``unsafe``, false → ``safe``: the
    label of JailbreakBench's Llama-3-70B judge, NOT a human's. ``prompt`` = the behaviour's
    ``goal``, ``attack_prompt`` = the prompt sent; ``source_model`` = ``target_model``.
``safe_rlhf_mini`` (harm): 1 (unsafe response) → ``unsafe``, 0 → ``safe``. PKU's "unsafe" is its
    14-category harm taxonomy, broader than "gave the harmful help". ``source_model`` is not
    recorded per row: ``alpaca-7b-family`` (PKU-Alignment's Alpaca reproductions).
``confaide_tier4`` (secret-leak): ``has_private_info`` true → ``leaked``, false →
    ``not_leaked``: an automatic case-insensitive substring test of the secret phrase, NOT a
    human label (it misses paraphrased leaks and counts a named-but-withheld secret). ``secret``
    = ``private_info``; ``prompt`` = the model's input rebuilt exactly (prompt prefix + meeting
    transcript + suffix); ``source_model`` = ``model``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syscard.data import dataset_dir, file_sha256, get_spec, read_csv_rows, read_jsonl_rows
from syscard.data.errors import DataError
from syscard.graders.agreement import AgreementReport
from syscard.graders.base import Grader
from syscard.graders.registry import GraderSpec
from syscard.graders.table import Table
from syscard.graders.validation import measure
from syscard.metrics import SAFE, UNSAFE

LEAKED, NOT_LEAKED = "leaked", "not_leaked"
DataDir = str | Path | None


@dataclass(frozen=True)
class PublicSet:
    """One public set of labelled answers: the dataset, the graders it fits, its loader."""

    name: str  # the dataset's name in datasets.yaml
    graders: tuple[str, ...]
    label_kind: str  # who gave the labels: "human majority of 3", "judge: ...", "auto: ..."
    load: Callable[[DataDir], list[dict[str, Any]]]
    files: tuple[str, ...]  # the dataset files the loader reads

    def rows(self, data_dir: DataDir = None) -> list[dict[str, Any]]:
        """Return the set's labelled rows, each with `set` and `label_kind`."""
        return [{**r, "set": self.name, "label_kind": self.label_kind} for r in self.load(data_dir)]

    @property
    def source(self) -> str:
        """The canonical source at its pinned revision, e.g. github.com/X/Y@abc123def456."""
        spec = get_spec(self.name)
        return f"{spec.source}@{spec.revision[:12]}"


def _path(name: str, rel: str, data_dir: DataDir) -> Path:
    return dataset_dir(name, data_dir, files=(rel,)) / rel


def _harm(flag: object) -> str:
    return UNSAFE if str(flag).strip().lower() in ("1", "true") else SAFE


def _harmbench_behaviours(data_dir: DataDir) -> dict[str, str]:
    """BehaviorID → the request as HarmBench's classifier reads it (context --- behaviour)."""
    path = _path("harmbench", "harmbench_behaviors_text_all.csv", data_dir)
    out = {}
    for _line, row in read_csv_rows(path, ("Behavior", "BehaviorID", "ContextString")):
        context = (row.get("ContextString") or "").strip()
        behaviour = row["Behavior"].strip()
        out[row["BehaviorID"]] = f"{context}\n\n---\n\n{behaviour}" if context else behaviour
    return out


def load_harmbench_classifier_val(data_dir: DataDir = None) -> list[dict[str, Any]]:
    """HarmBench's 602 human-labelled (behaviour, generation) pairs, for the harm grader."""
    rel = "text_behaviors_val_set.json"
    path = _path("harmbench_classifier_val", rel, data_dir)
    behaviours = _harmbench_behaviours(data_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for behaviour_id, items in data.items():
        for item in items:
            votes = [int(item[f"human_{i}"]) for i in range(3)]
            experiment = str(item["experiment"])
            model = str(item["model"]).removesuffix(".json")
            rows.append(
                {
                    "prompt": behaviours.get(behaviour_id, item["test_case"]),
                    "response": item["generation"],
                    "label": UNSAFE if sum(votes) >= 2 else SAFE,
                    "annotator_labels": [_harm(v) for v in votes],
                    "source_model": model if experiment == "default" else experiment,
                    "behavior_id": behaviour_id,
                    "method": item["method"],
                    "attack_prompt": item["test_case"],
                }
            )
    return rows


def load_gptfuzz_labeled(data_dir: DataDir = None) -> list[dict[str, Any]]:
    """GPTFuzz's 7,700 hand-labelled gpt-3.5-turbo answers to jailbreak prompts (harm)."""
    name = "gptfuzz_labeled"
    questions = {
        int(row["index"]): row["text"]
        for _line, row in read_csv_rows(
            _path(name, "questions/question_list.csv", data_dir), ("index", "text")
        )
    }
    rows = []
    for split in ("train", "evaluate"):
        path = _path(name, f"responses_labeled/{split}.csv", data_dir)
        for line, row in read_csv_rows(path, ("question", "Response", "label")):
            index = int(row["question"])
            if index not in questions or row["label"] not in ("0", "1"):
                raise DataError(f"{path}:{line}: unknown question or label: replace the file")
            rows.append(
                {
                    "prompt": questions[index],
                    "response": row["Response"],
                    "label": _harm(row["label"]),
                    "source_model": "gpt-3.5-turbo",
                    "question": index,
                    "upstream_split": split,
                }
            )
    return rows


def load_jailbreakbench_artifacts(data_dir: DataDir = None) -> list[dict[str, Any]]:
    """JailbreakBench's 1,636 attack answers of 4 models, labelled by a Llama-3-70B judge."""
    path = _path("jailbreakbench_artifacts", "jbb_artifacts_responses.jsonl", data_dir)
    required = ("goal", "prompt", "response", "jailbroken", "target_model", "method")
    return [
        {
            "prompt": row["goal"],
            "response": row["response"],
            "label": UNSAFE if row["jailbroken"] is True else SAFE,
            "source_model": row["target_model"],
            "method": row["method"],
            "attack_prompt": row["prompt"],
        }
        for _line, row in read_jsonl_rows(path, required)
    ]


def load_safe_rlhf_mini(data_dir: DataDir = None) -> list[dict[str, Any]]:
    """4,000 PKU-SafeRLHF answers with their safe/unsafe label (JailbreakEval's subset)."""
    path = _path("safe_rlhf_mini", "Safe-RLHFmini.csv", data_dir)
    return [
        {
            "prompt": row["question"],
            "response": row["answer"],
            "label": _harm(row["label"]),
            "source_model": "alpaca-7b-family",
        }
        for _line, row in read_csv_rows(path, ("question", "answer", "label"))
    ]


def load_confaide_tier4(data_dir: DataDir = None) -> list[dict[str, Any]]:
    """ConfAIde tier 4: 5,600 answers of 7 models that must keep a secret (substring labels)."""
    name = "confaide_tier4"
    meetings = {
        int(str(m["meeting_idx"])): str(m["text"])
        for _line, m in read_jsonl_rows(
            _path(name, "confaide_tier4_meetings.jsonl", data_dir), ("meeting_idx", "text")
        )
    }
    prompts = {
        (p["setting"], p["model"], p["question_type"]): (
            str(p["prompt_prefix"]),
            str(p["prompt_suffix"]),
        )
        for _line, p in read_jsonl_rows(
            _path(name, "confaide_tier4_prompts.jsonl", data_dir),
            ("setting", "model", "question_type", "prompt_prefix", "prompt_suffix"),
        )
    }
    required = ("setting", "model", "question_type", "meeting_idx", "private_info")
    rows = []
    for _line, r in read_jsonl_rows(
        _path(name, "confaide_tier4_responses.jsonl", data_dir),
        (*required, "model_response", "has_private_info"),
    ):
        prefix, suffix = prompts[(r["setting"], r["model"], r["question_type"])]
        rows.append(
            {
                "prompt": prefix + meetings[int(str(r["meeting_idx"]))] + suffix,
                "response": r["model_response"],
                "secret": r["private_info"],
                "label": LEAKED if r["has_private_info"] is True else NOT_LEAKED,
                "source_model": r["model"],
                "setting": r["setting"],
                "question_type": r["question_type"],
            }
        )
    return rows


HARM_GRADERS = ("harm", "strongreject")  # both give unsafe / safe

PUBLIC_SETS: dict[str, PublicSet] = {
    s.name: s
    for s in (
        PublicSet(
            "harmbench_classifier_val",
            HARM_GRADERS,
            "human majority of 3",
            load_harmbench_classifier_val,
            ("text_behaviors_val_set.json",),
        ),
        PublicSet(
            "gptfuzz_labeled",
            HARM_GRADERS,
            "hand-labelled (GPTFuzz authors, 1 label)",
            load_gptfuzz_labeled,
            (
                "questions/question_list.csv",
                "responses_labeled/train.csv",
                "responses_labeled/evaluate.csv",
            ),
        ),
        PublicSet(
            "jailbreakbench_artifacts",
            HARM_GRADERS,
            "judge: Llama-3-70B (JailbreakBench)",
            load_jailbreakbench_artifacts,
            ("jbb_artifacts_responses.jsonl",),
        ),
        PublicSet(
            "safe_rlhf_mini",
            HARM_GRADERS,
            "crowd or human+GPT-4 (PKU-SafeRLHF)",
            load_safe_rlhf_mini,
            ("Safe-RLHFmini.csv",),
        ),
        PublicSet(
            "confaide_tier4",
            ("secret-leak",),
            "auto: substring",
            load_confaide_tier4,
            (
                "confaide_tier4_responses.jsonl",
                "confaide_tier4_meetings.jsonl",
                "confaide_tier4_prompts.jsonl",
            ),
        ),
    )
}


def public_sets_for(grader: str, names: tuple[str, ...] | list[str] = ()) -> list[PublicSet]:
    """Return the public sets declared for `grader` (only `names`, if given, in their order).

    Raises DataError naming the sets that exist when a name is unknown or not for `grader`.
    """
    fitting = [s for s in PUBLIC_SETS.values() if grader in s.graders]
    if not fitting:
        fit = sorted({g for s in PUBLIC_SETS.values() for g in s.graders})
        raise DataError(
            f"no public labelled set is declared for {grader} (there are sets for "
            f"{', '.join(fit)}): pass a labelled file instead"
        )
    if not names:
        return fitting
    by_name = {s.name: s for s in fitting}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        choose = ", ".join(by_name) or "none"
        raise DataError(f"no public set {unknown[0]!r} for {grader}: choose from {choose}")
    return [by_name[n] for n in names]


def measure_public(
    spec: GraderSpec, grader: Grader, data_dir: DataDir = None, names: tuple[str, ...] = ()
) -> list[tuple[PublicSet, AgreementReport, dict[str, Any]]]:
    """Measure `grader` on each public set declared for it (or only `names`).

    Returns (set, report, stored form) per set; the stored form is `measure`'s (with
    `by_model`, and `annotators` where rows carry several labels) plus the set, its label kind,
    its pinned source and the sha256 of every file read.
    """
    out = []
    for public in public_sets_for(spec.name, names):
        rows = public.rows(data_dir)
        columns = list(dict.fromkeys(k for row in rows for k in row))
        report, stored = measure(
            spec, grader, Table("jsonl", columns, rows), source=f"{public.name} ({public.source})"
        )
        folder = dataset_dir(public.name, data_dir, files=public.files)
        stored.update(
            set=public.name,
            label_kind=public.label_kind,
            files_sha256={f: file_sha256(folder / f) for f in public.files},
        )
        out.append((public, report, stored))
    return out
