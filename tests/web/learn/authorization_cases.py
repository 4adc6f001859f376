"""The Learn pages are public reads: they change nothing and need no login."""

from __future__ import annotations

from tests.web.authorization import page_reads

page_reads(
    "learn:index",
    "learn:summary",
    "learn:summary_pdf",
    "learn:guide",
    "learn:guide_pdf",
    "learn:planning",
)
