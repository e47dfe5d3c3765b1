"""The arXiv export API: the day's new submissions for the digest, and their cache on disk."""

from __future__ import annotations

from bot.arxiv.cache import ListingCache, todays_listing
from bot.arxiv.client import ArxivClient, ArxivError

__all__ = ["ArxivClient", "ArxivError", "ListingCache", "todays_listing"]
