"""Retail Trade: a personalized medication guide and a regional store performance review."""

from . import apixaban_guide, store_review

SECTOR = "Retail Trade"
TASKS = [apixaban_guide.build, store_review.build]
