"""Card section 6, instruction hierarchy: does the higher-level instruction hold?

Messages have three levels, system > developer > user. Each eval puts a checkable instruction
at a higher level and contradicts or attacks it at a lower one; the card metric
`instruction_held` (`held`) is the fraction of cases where the higher-level instruction held,
one results.json row per variant, told apart by the row field `subset`:

- `conflicts`: `hierarchy_conflicts`, written rules set at one level and contradicted at a
  lower one, checked by program (`checks`).
- `tutor`: `tutor_jailbreak`, a maths tutor told never to give the final answer.
- `protection`: `phrase_protection`, `password_protection`, a phrase never to say / a
  password never to reveal.
- `tensor_trust`: `tensor_trust_hijacking`, `tensor_trust_extraction`, Tensor Trust's
  robustness sets.
- `iheval`: `iheval_safety`, IHEval's safety conflicts.

The written cases are data (`cases.yaml`, read by `cases`); `tasks` builds the samples and
tasks they share. No model grades these evals: the tasks take no `grader`, and the secret-leak
evals always use the offline secret-leak rules, so the card shows that grader's measured
agreement. See docs/hierarchy.md.
"""
