"""Card section 10, multilingual: MMMLU (MMLU in 14 professionally translated languages, and
English), one `accuracy` row per language.

- `mmmlu`: the eval (scorer, metric layout, task);
- `questions`: the per-language CSV files, the prompt template, the stratified subset;
- `answers`: reading the option letter from a response (the eval's offline grader);
- `languages`: the language codes, their names on the card, the o1 card's published numbers.
"""
