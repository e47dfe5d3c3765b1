"""From a question to a cited answer, one module per step.

queries (follow-ups, rewrites) → glossary (the question in the notes' other language) →
focus (which paper or note) → evidence (search, focus, passage ranking) → passages and
sections (ranking inside one paper) → refusal and relevance (answer, or "not found") →
sentences (what an extractive answer quotes) or context (what a model reads) → citations and
grounding (what a model wrote, checked) → answerer (the whole, streamed). listing and lists
answer "which papers…" questions from the catalog.
"""
