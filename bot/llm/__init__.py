"""Language-model adapters (the openai client) behind bot.core.llm.ChatModel."""
