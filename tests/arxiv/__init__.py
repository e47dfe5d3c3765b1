"""The arXiv listing client and its cache."""
