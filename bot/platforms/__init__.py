"""Chat platforms: thin adapters that translate in, call the assistant, and render out."""
