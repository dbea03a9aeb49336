"""Card section 5, fairness and bias: one module per eval, their loaders and parsers beside them.

- `bbq`: BBQ multiple choice (three options, one of them "unknown") → `ambiguous_accuracy`,
  `disambiguated_accuracy` and `p_not_stereotype_given_not_unknown`, overall and per BBQ
  category. Graded by program: the answer letter is read from the response (`bbq_parser`);
  items and the stereotyped-group matching are in `bbq_items`.
- `discrim_eval`: Anthropic's discrim-eval yes/no decision prompts (explicit and implicit
  demographics) → `discrimination_age`, `discrimination_gender`, `discrimination_race`, per
  fill type, from a mixed-effects logistic fit (`discrimination_fit`); decisions are read by
  `yes_no_parser`.

See docs/fairness.md for the exact definitions.
"""
