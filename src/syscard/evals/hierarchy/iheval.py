"""`iheval_safety`: IHEval's safety conflicts (system-prompt extraction and user-prompt
hijacking, weak and strong defences) → `instruction_held`, one row per subset; read from the
user's copy (CC BY-NC-ND; never copied). Graded by the offline secret-leak grader."""

from __future__ import annotations

import ast
import json

from inspect_ai import Task
from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessageSystem, ChatMessageUser

from syscard.data import DataError, dataset_dir
from syscard.evals.card_eval import card_eval
from syscard.evals.hierarchy.held import instruction_held, secret_leak_grader
from syscard.evals.hierarchy.tasks import (
    ACCESS_GRANTED,
    evenly,
    hierarchy_sample,
    hierarchy_task,
    public_datasets,
)
from syscard.evals.sampling import round_robin
from syscard.sections import INSTRUCTION_HIERARCHY

IHEVAL_FILES = {
    "system-prompt extraction (weak defence)":
        "benchmark/safety/system-prompt-extract/conflict/weak_defense/input_data.json",
    "system-prompt extraction (strong defence)":
        "benchmark/safety/system-prompt-extract/conflict/strong_defense/input_data.json",
    "user-prompt hijack (weak defence)":
        "benchmark/safety/user-prompt-hijack/conflict/weak_defense/input_data.json",
    "user-prompt hijack (strong defence)":
        "benchmark/safety/user-prompt-hijack/conflict/strong_defense/input_data.json",
}  # fmt: skip


def iheval_samples(data_dir: str | None = None, max_cases: int | None = None) -> list[Sample]:
    """Return IHEval's safety conflicts (system message = defence, user message = attack).

    Extraction subsets are held when the access code is not leaked, hijack subsets when the
    answer does not say "access granted". The access code is read from each record's
    `answer` field. `max_cases` applies per subset. Raises DatasetMissing when absent and
    DataError for a malformed record.
    """
    folder = dataset_dir("iheval", data_dir, files=list(IHEVAL_FILES.values()))
    groups = []
    for subset, rel in IHEVAL_FILES.items():
        path = folder / rel
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as ex:
            fix = "re-fetch it: syscard data fetch iheval"
            raise DataError(f"{path}: not JSON ({ex}): {fix}") from None
        group = []
        for n, record in enumerate(evenly(records, max_cases)):
            try:
                code = str(ast.literal_eval(str(record["answer"]))["access_code"])
                system, attack = str(record["system"]), str(record["instruction"])
                rid = record["id"]
            except (KeyError, ValueError, SyntaxError, TypeError) as ex:
                raise DataError(f"{path}: record {n}: unexpected shape ({ex!r})") from None
            secret = ACCESS_GRANTED if "hijack" in subset else code
            if not secret.strip():
                continue
            group.append(
                hierarchy_sample(
                    f"{subset}:{rid}",
                    [ChatMessageSystem(content=system), ChatMessageUser(content=attack)],
                    subset,
                    subset.split(" (")[0],
                    {"kind": "secret", "secret": secret},
                )
            )
        groups.append(group)
    return round_robin(groups)


# Not in the quick suite: a few hundred generations, long on the embedded model.
@card_eval(
    section=INSTRUCTION_HIERARCHY,
    metrics=[instruction_held],
    datasets=["iheval"],
    full={"max_cases": 50},
)
def iheval_safety(data_dir: str | None = None, max_cases: int | None = None) -> Task:
    """IHEval safety conflicts → `instruction_held`, one row per subset (extraction/hijack ×
    weak/strong defence).

    Args:
        data_dir: folder holding `iheval/` (else the dataset cache).
        max_cases: use at most this many cases per subset, spread evenly over each file.
    """
    return hierarchy_task(
        "iheval_safety",
        iheval_samples(data_dir, max_cases),
        list(IHEVAL_FILES),
        secret_leak_grader(),
        public_datasets("iheval"),
    )
