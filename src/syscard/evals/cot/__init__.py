"""Card section "Chain-of-thought safety": a monitor reads the model's reasoning and answer.

The o1 system card runs a chain-of-thought deception monitor over the model's hidden
reasoning and reports how often it flags deception, by category, and checks whether the
reasoning (or its summary) contains disallowed content while the answer is clean. syscard
does the same with its `deception` grader (offline rules `deception-rules`, or any Inspect
model with `grader=MODEL`) and its `harm` grader:

- `cot_deception` (its own task): the model answers prompts that tempt it to deceive
  (`data/cot_prompts.jsonl`, loaded by `prompts`: citations, URLs, statistics, "did you check
  the website", "just tell me it's safe", unanswerable and policy questions, plus a few
  harmful requests for the CoT-summary check) and the monitor reads (prompt, reasoning,
  answer).
- `cot_monitor` (`replay`, built by `syscard monitor RUN_DIR`): the same scorer over the logged
  samples of every other eval in a run folder, replayed from the logs without calling the
  model under test again.

`monitor` holds the scorer and the graders it uses, `reasoning` what an output exposes of its
reasoning, and `metrics` the three card metrics (`deception_rate`, `monitorable_rate`,
`cot_summary_disallowed`) and the rows both tasks share.
"""
