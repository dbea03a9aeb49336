"""The offline category classifier: which spec category a prompt belongs to."""

from __future__ import annotations

import re

from syscard.mitigations.spec import GENERAL, SafetySpec

# --- the category classifier ---------------------------------------------------------------
#
# Offline and deterministic: each category has one case-insensitive regular expression of
# keywords and short phrases. The score of a category is the number of DISTINCT matches in the
# prompt; the highest score wins, ties go to the category listed first in CLASSIFIER_RULES
# (most severe first), and no match at all gives "general". One override: any sexual term
# together with a word for a child is always `sexual` (the spec's minors rule lives there).
# A spec category with its own `patterns` uses those (each distinct match scores 1) instead.
# Benign look-alikes ("kill a Python process") are expected to land in a category: the spec
# section shown to the model says what is allowed there, which is what the model decides on.

CLASSIFIER_RULES: dict[str, str] = {
    "sexual": r"\b(sex|sexual\w*|sexy|porn\w*|nudes?|naked|erotic\w*|explicit (scene|story)"
    r"|fetish\w*|orgasm\w*|intercourse|csam|groom(ing)?)\b",
    "self_harm": r"\b(suicid\w*|kill (my|your)self|end (my|your) life|self[- ]?harm\w*"
    r"|cut(ting)? myself|hurt(ing)? myself|overdos\w*|anorexi\w*|bulimi\w*|starv\w* myself"
    r"|want to die|don'?t want to live|painless(ly)? way to die)\b",
    "extremism": r"\b(extremis\w*|terroris\w*|jihad\w*|isis|al[- ]qaeda|neo[- ]?nazi\w*"
    r"|white supremac\w*|radicali[sz]\w*|recruit\w*|manifesto|mass shooting|martyr\w*)\b",
    "illicit_violent": r"\b(bombs?|bombing|explosives?|detonat\w*|weapons?|guns?|firearms?"
    r"|rifles?|ammunition|poison\w*|kill\w*|murder\w*|assassinat\w*|stab\w*|shoot\w*"
    r"|kidnap\w*|nerve agent|anthrax|bioweapon\w*|chemical weapon\w*|sarin|ricin|torture\w*"
    r"|beat (him|her|them|someone) up|hurt (someone|him|her|them|people))\b",
    "hate": r"\b(racis\w*|slurs?|hate speech|antisemit\w*|homophob\w*|transphob\w*"
    r"|xenophob\w*|bigot\w*|inferior|subhuman|jews?|jewish|muslims?|christians?|hindus?"
    r"|black people|white people|asians?|mexicans?|immigrants?|refugees?|gays?|lesbians?"
    r"|transgender|trans people|disabled people|arabs?)\b",
    "harassment_threats": r"\b(threat\w*|intimidat\w*|harass\w*|bully\w*|stalk\w*"
    r"|humiliat\w*|insult\w*|blackmail\w*|revenge|get back at|scare (him|her|them|my)"
    r"|make (him|her|them) (afraid|scared|suffer))\b",
    "illicit_nonviolent": r"\b(hack\w*|malware|ransomware|keylogger|phishing|exploit\w*"
    r"|ddos|botnet|crack(ing)? (a |the )?passwords?|steal\w*|shoplift\w*|fraud\w*|scam\w*"
    r"|launder\w*|counterfeit\w*|forge|forged|forgery|tax evasion|evade taxes|pirat\w*"
    r"|drugs?|meth|methamphetamine|cocaine|heroin|fentanyl|smuggl\w*|break into"
    r"|pick a lock|lockpick\w*|fake (id|passport|documents?)|bypass\w*)\b",
    "privacy": r"\b(home address|address of|phone number|email address|social security"
    r"|ssn|passport number|credit card number|personal (data|information|details)"
    r"|where (does|do) \w+ live|track (someone|my|a person|his|her)|find out who"
    r"|date of birth|medical records?|private information|dox\w*)\b",
    "misinformation": r"\b(fake news|conspirac\w*|hoax\w*|misinformation|disinformation"
    r"|false (claim|story|article)s?|vaccines? causes?|flat earth|rigged|stolen election"
    r"|fabricat\w*|fake (review|quote|article|story)s?)\b",
    "regulated_advice": r"\b(diagnos\w*|symptoms?|prescri\w*|dosage|doses?|medication\w*"
    r"|medicine|doctor|treatment|lawyer|legal advice|sue|lawsuit|court|invest\w*|stocks?"
    r"|crypto\w*|retirement|mortgage|tax return|financial advice"
    r"|should i (buy|sell|take))\b",
}
_MINORS = re.compile(
    r"\b(child|children|minors?|underage|teens?|teenagers?|kids?|\d{1,2}[- ]years?[- ]old"
    r"|schoolgirls?|schoolboys?)\b",
    re.IGNORECASE,
)
_COMPILED = {cid: re.compile(rule, re.IGNORECASE) for cid, rule in CLASSIFIER_RULES.items()}


def _hits(pattern: re.Pattern[str], text: str) -> int:
    return len({m.group(0).lower() for m in pattern.finditer(text)})


def classify(prompt: str, spec: SafetySpec | None = None) -> str:
    """Return the spec category id for `prompt` (`"general"` when nothing matches).

    With `spec`, only categories the spec defines are returned; a spec category with its own
    `patterns` is scored with them (see the comment above CLASSIFIER_RULES).
    """
    known = spec.categories if spec else None
    scores: dict[str, int] = {}
    order: list[str] = list(CLASSIFIER_RULES)
    if known is not None:
        order += [c for c in known if c not in CLASSIFIER_RULES and c != GENERAL]
    for cid in order:
        if known is not None and cid not in known:
            continue
        own = known[cid].patterns if known is not None else None
        if own is not None:
            score = sum(_hits(re.compile(p, re.IGNORECASE), prompt) for p in own)
        elif cid in _COMPILED:
            score = _hits(_COMPILED[cid], prompt)
        else:
            score = 0
        if score:
            scores[cid] = score
    if "sexual" in scores and _MINORS.search(prompt):
        return "sexual"
    if not scores:
        return GENERAL
    best = max(scores.values())
    return next(cid for cid in order if scores.get(cid) == best)
