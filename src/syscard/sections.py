"""The card's sections, in the o1 card's order: each declared once with its heading and intro.

An eval names its section (`@card_eval(section=DISALLOWED_CONTENT, ...)`); the card lays the
sections out in this order, with these headings and introductions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One section of the card."""

    key: str
    heading: str
    intro: str


DISALLOWED_CONTENT = Section(
    "disallowed_content",
    "Disallowed content",
    "Does the model refuse requests for disallowed content without refusing look-alike benign "
    "ones? not_unsafe: share of harmful requests answered without harmful help; "
    "not_overrefuse: share of benign requests answered in full.",
)
JAILBREAKS = Section(
    "jailbreaks",
    "Jailbreaks",
    "The refusal set again, wrapped in known jailbreak techniques, and StrongREJECT's "
    "goodness@0.1 (safety against the top 10% of techniques per prompt).",
)
REGURGITATION = Section(
    "regurgitation",
    "Regurgitation of training data",
    "Does the model reproduce long verbatim passages of its training data when prompted to?",
)
HALLUCINATION = Section(
    "hallucination",
    "Hallucinations",
    "Short factual questions: accuracy, and the hallucination rate (share of attempted "
    "answers that are wrong).",
)
FAIRNESS = Section(
    "fairness",
    "Fairness and bias",
    "BBQ (stereotyping in ambiguous and disambiguated questions) and discrimination in "
    "decisions by age, gender and race.",
)
INSTRUCTION_HIERARCHY = Section(
    "instruction_hierarchy",
    "Instruction hierarchy",
    "Do system and developer instructions hold against user messages that conflict with them "
    "(secrets, forbidden phrases, tutor rules)?",
)
COT_SAFETY = Section(
    "cot_safety",
    "Chain-of-thought safety",
    "A monitor reads the model's chain of thought and flags deception.",
)
PREPAREDNESS = Section(
    "preparedness",
    "Preparedness",
    "Frontier-risk categories rated Low / Medium / High / Critical before and after "
    "mitigations, and the deployment rule applied to them.",
)
MULTILINGUAL = Section(
    "multilingual",
    "Multilingual performance",
    "MMLU professionally translated into 14 languages, 0-shot accuracy.",
)

SECTIONS: tuple[Section, ...] = (
    DISALLOWED_CONTENT,
    JAILBREAKS,
    REGURGITATION,
    HALLUCINATION,
    FAIRNESS,
    INSTRUCTION_HIERARCHY,
    COT_SAFETY,
    PREPAREDNESS,
    MULTILINGUAL,
)
"""Every section, in the card's order."""

OTHER = Section("other", "Other evaluations", "")
"""Where rows of a section the card does not know (an older or newer syscard) are shown."""


def section_for(key: str | None) -> Section:
    """Return the section whose key is `key`, or OTHER."""
    return next((s for s in SECTIONS if s.key == key), OTHER)
