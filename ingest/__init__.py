"""The ingest job: a notes folder becomes chunks + papers in Chroma and a BM25 index."""
