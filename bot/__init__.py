"""notesbot: a chatbot over a researcher's own paper notes."""

__version__ = "0.1.0"
