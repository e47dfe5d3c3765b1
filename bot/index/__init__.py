"""The index: Japanese tokens, embedders, Chroma vectors, BM25, and the SQLite chunk store."""
