"""Card section 1, disallowed content: one module per eval.

- `xstest`: XSTest's 250 safe prompts → `not_overrefuse` by XSTest type.
- `standard_refusal`: public harmful-behaviour sets → `not_unsafe` by policy category, plus
  benign look-alikes → `not_overrefuse`.
- `challenging_refusal`: HarmBench contextual behaviours and StrongREJECT prompts in the
  strongest jailbreak templates → `not_unsafe`.
- `wildchat_toxic`: the most toxic WildChat-1M conversations per moderation category →
  `not_unsafe`.
"""
