"""Card section 4, hallucination: SimpleQA and PersonQA, one module per eval.

- `simpleqa`: SimpleQA's 4,326 short fact questions → accuracy, hallucination rate,
  not-attempted rate, correct-given-attempted and F-score, by topic.
- `personqa`: the same metrics on questions about public people from a user file
  (`-T path=FILE`); by default a small example file shipped with syscard.

Each answer is labelled by the SimpleQA grader (`scoring.simpleqa_label`, offline rules or a
model with a rubric); `metrics` declares what is computed from the labels, `records` loads
the questions.
"""
