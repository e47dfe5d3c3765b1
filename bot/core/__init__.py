"""The pure domain: no Slack, Telegram, openai, Chroma or llama-index imports here."""
