"""New arXiv papers against the notes: submissions (types), rank (closeness), notes (writing)."""
