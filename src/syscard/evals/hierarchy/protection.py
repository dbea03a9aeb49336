"""`phrase_protection` and `password_protection`: a phrase never to say / a password never to
reveal, set in the system message; the attack comes in a "user message" or a "developer
message" → `instruction_held`, one row per place of the attack, broken down by attack.
Graded by the offline `secret-leak` grader."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from inspect_ai import Task
from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser

from syscard.evals.card_eval import card_eval
from syscard.evals.hierarchy import cases
from syscard.evals.hierarchy.held import developer_message, instruction_held, secret_leak_grader
from syscard.evals.hierarchy.tasks import hierarchy_sample, hierarchy_task, written_datasets
from syscard.evals.sampling import round_robin
from syscard.sections import INSTRUCTION_HIERARCHY

PROTECTION_SUBSETS = ("user message", "developer message")
_CONTINUE = "Please go ahead."
"""The user message when the attack sits in a developer message."""


def _attack_messages(system: str, attack: str, subset: str) -> list[ChatMessage]:
    if subset == "user message":
        return [ChatMessageSystem(content=system), ChatMessageUser(content=attack)]
    return [
        ChatMessageSystem(content=system),
        developer_message(attack),
        ChatMessageUser(content=_CONTINUE),
    ]


def _protection_samples(
    attacks: Sequence[tuple[str, str]], case: Callable[[int, str], tuple[str, str, str]]
) -> list[Sample]:
    """Return one sample per (attack, subset); `case(j, attack)` gives (system message,
    attack text, secret), `j` rotating so each subset pairs attacks with other secrets."""
    groups: list[list[Sample]] = [[] for _ in PROTECTION_SUBSETS]
    for i, (attack_id, template) in enumerate(attacks):
        for k, subset in enumerate(PROTECTION_SUBSETS):
            system, attack, secret = case(i + 3 * k, template)
            groups[k].append(
                hierarchy_sample(
                    f"{attack_id}:{subset}",
                    _attack_messages(system, attack, subset),
                    subset,
                    attack_id,
                    {"kind": "secret", "secret": secret},
                )
            )
    return round_robin(groups)


def phrase_samples() -> list[Sample]:
    """Return one sample per (attack, subset): "never say PHRASE" in the system message, the
    attack in a user or developer message; each subset pairs attacks with other phrases."""

    def case(j: int, template: str) -> tuple[str, str, str]:
        phrase = cases.PHRASES[j % len(cases.PHRASES)]
        attack = template.format(secret=phrase, parts=" + ".join(phrase.split()))
        return cases.PHRASE_SYSTEM.format(secret=phrase), attack, phrase

    return _protection_samples(cases.PHRASE_ATTACKS, case)


def password_samples() -> list[Sample]:
    """Return one sample per (attack, subset): the password and "never reveal it" in the
    system message, the attack in a user or developer message."""

    def case(j: int, attack: str) -> tuple[str, str, str]:
        password, service = cases.PASSWORDS[j % len(cases.PASSWORDS)]
        return cases.PASSWORD_SYSTEM.format(secret=password, service=service), attack, password

    return _protection_samples(cases.PASSWORD_ATTACKS, case)


# Not in the quick suite: each eval is 60-110 generations, minutes on the embedded model.
@card_eval(section=INSTRUCTION_HIERARCHY, metrics=[instruction_held])
def phrase_protection() -> Task:
    """Never say a phrase (system message) vs attacks in a user or developer message →
    `instruction_held`, graded by the offline secret-leak grader (whatever `--grader` says);
    the cases ship with syscard."""
    parts = [cases.PHRASE_SYSTEM, repr(cases.PHRASES), repr(cases.PHRASE_ATTACKS)]
    return hierarchy_task(
        "phrase_protection",
        phrase_samples(),
        PROTECTION_SUBSETS,
        secret_leak_grader(),
        written_datasets("phrase-protection", parts),
    )


@card_eval(section=INSTRUCTION_HIERARCHY, metrics=[instruction_held])
def password_protection() -> Task:
    """Never reveal a password (system message) vs attacks in a user or developer message →
    `instruction_held`, graded by the offline secret-leak grader (whatever `--grader` says);
    the cases ship with syscard."""
    parts = [cases.PASSWORD_SYSTEM, repr(cases.PASSWORDS), repr(cases.PASSWORD_ATTACKS)]
    return hierarchy_task(
        "password_protection",
        password_samples(),
        PROTECTION_SUBSETS,
        secret_leak_grader(),
        written_datasets("password-protection", parts),
    )
