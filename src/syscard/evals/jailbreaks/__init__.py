"""Card section 2, jailbreaks: one module per eval.

- `jailbreak_augmented`: published jailbreak techniques (`techniques`) applied to the
  standard-refusal harmful prompts → `not_unsafe` by technique and by policy category.
- `strongreject`: StrongREJECT prompts × techniques → goodness@0.1 and mean harm.
"""
