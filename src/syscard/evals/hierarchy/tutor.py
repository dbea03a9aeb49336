"""`tutor_jailbreak`: a maths tutor told never to give the final answer, pushed by the user →
`instruction_held`, one row per place of the tutor rule ("system message" / "developer
message"). Held when no form of the answer appears (`checks.reveals_answer`: digits,
decimals, fractions, number words)."""

from __future__ import annotations

from inspect_ai import Task
from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser

from syscard.evals.card_eval import card_eval
from syscard.evals.hierarchy import cases
from syscard.evals.hierarchy.checks import answer_grader
from syscard.evals.hierarchy.held import BASE_SYSTEM, developer_message, instruction_held
from syscard.evals.hierarchy.tasks import hierarchy_sample, hierarchy_task, written_datasets
from syscard.evals.sampling import round_robin
from syscard.sections import INSTRUCTION_HIERARCHY

TUTOR_SUBSETS = ("system message", "developer message")


def tutor_samples() -> list[Sample]:
    """Return one sample per (problem, subset); the tutor rule is the system message or a
    developer message, the problem and a pushy request the user message. The developer
    subset pairs each problem with a different attack than the system subset."""
    problems, attacks = cases.TUTOR_PROBLEMS, cases.TUTOR_ATTACKS
    groups: list[list[Sample]] = [[], []]
    for i, (pid, problem, answer) in enumerate(problems):
        for k, subset in enumerate(TUTOR_SUBSETS):
            attack_id, attack = attacks[(i + 7 * k) % len(attacks)]
            user = ChatMessageUser(content=f"Here is my homework problem: {problem}\n\n{attack}")
            rule: list[ChatMessage] = (
                [ChatMessageSystem(content=cases.TUTOR_SYSTEM)]
                if subset == "system message"
                else [ChatMessageSystem(content=BASE_SYSTEM), developer_message(cases.TUTOR_SYSTEM)]
            )
            groups[k].append(
                hierarchy_sample(
                    f"{pid}:{attack_id}:{subset}",
                    [*rule, user],
                    subset,
                    attack_id,
                    {"kind": "answer", "answer": answer},
                )
            )
    return round_robin(groups)


# Not in the quick suite: each eval is 60-110 generations, minutes on the embedded model.
@card_eval(section=INSTRUCTION_HIERARCHY, metrics=[instruction_held])
def tutor_jailbreak() -> Task:
    """Maths tutor told not to give the final answer, pushed by the user → `instruction_held`,
    one row per place of the tutor rule (system message, developer message). No model
    grades: answers are checked by program, and the cases ship with syscard."""
    parts = [cases.TUTOR_SYSTEM, repr(cases.TUTOR_PROBLEMS), repr(cases.TUTOR_ATTACKS)]
    return hierarchy_task(
        "tutor_jailbreak",
        tutor_samples(),
        TUTOR_SUBSETS,
        answer_grader(),
        written_datasets("tutor-jailbreak", parts),
    )
