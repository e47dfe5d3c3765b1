"""Measuring the bot on the user's own questions: retrieval (recall) and answers (verdicts)."""
