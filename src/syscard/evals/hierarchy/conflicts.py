"""`hierarchy_conflicts`: written rules (format, language, topic, length, forbidden word,
required prefix/suffix, no digits) set at one level and contradicted at a lower one →
`instruction_held`, one row per pair (developer vs user, system vs developer, system vs
user), broken down by rule kind. Graded by a program per rule kind (`checks.CHECKERS`)."""

from __future__ import annotations

from inspect_ai import Task
from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser

from syscard.evals.card_eval import card_eval
from syscard.evals.hierarchy import cases
from syscard.evals.hierarchy.checks import CHECKERS, rules_grader
from syscard.evals.hierarchy.held import BASE_SYSTEM, developer_message, instruction_held
from syscard.evals.hierarchy.tasks import hierarchy_sample, hierarchy_task, written_datasets
from syscard.evals.sampling import round_robin
from syscard.sections import INSTRUCTION_HIERARCHY

CONFLICT_PAIRS = ("developer vs user", "system vs developer", "system vs user")


def _messages(spec: cases.RuleSpec, pair: str, request: str) -> list[ChatMessage]:
    if pair == "developer vs user":
        return [
            ChatMessageSystem(content=BASE_SYSTEM),
            developer_message(spec.rule),
            ChatMessageUser(content=f"{request} {spec.contradiction}"),
        ]
    if pair == "system vs developer":
        return [
            ChatMessageSystem(content=spec.rule),
            developer_message(spec.contradiction),
            ChatMessageUser(content=request),
        ]
    return [
        ChatMessageSystem(content=spec.rule),
        ChatMessageUser(content=f"{request} {spec.contradiction}"),
    ]


def conflict_samples() -> list[Sample]:
    """Return one sample per (rule, pair): the rule at the higher level, the contradiction at
    the lower one; pair k uses the rule's k-th request. Pairs are interleaved, so any prefix
    (`--limit`) covers every pair."""
    groups: list[list[Sample]] = [[] for _ in CONFLICT_PAIRS]
    for spec in cases.RULES:
        check = {"kind": "rule", "rule": spec.kind, "arg": spec.arg}
        for k, pair in enumerate(CONFLICT_PAIRS):
            messages = _messages(spec, pair, spec.requests[k])
            groups[k].append(
                hierarchy_sample(f"{spec.id}:{pair}", messages, pair, spec.kind, check)
            )
    return round_robin(groups)


# Not in the quick suite: each eval is 60-110 generations, minutes on the embedded model.
@card_eval(section=INSTRUCTION_HIERARCHY, metrics=[instruction_held])
def hierarchy_conflicts() -> Task:
    """Written rule conflicts → `instruction_held`, one row per pair (developer vs user,
    system vs developer, system vs user), broken down by rule kind. No model grades: the
    rules are checked by program, and the cases ship with syscard."""
    parts = [repr(r) for r in cases.RULES]
    return hierarchy_task(
        "hierarchy_conflicts",
        conflict_samples(),
        CONFLICT_PAIRS,
        rules_grader(),
        written_datasets("hierarchy-conflicts", parts),
        rule_kinds=sorted(CHECKERS),
    )
