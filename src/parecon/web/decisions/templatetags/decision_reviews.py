"""``{% reviews_due chapter %}``: the chapter page's list of decisions due for review."""

from __future__ import annotations

from typing import Any

from django import template

from parecon.web.chapters.models import Chapter
from parecon.web.decisions.reviews import reviews_for

register = template.Library()


@register.inclusion_tag("decisions/reviews_panel.html")
def reviews_due(chapter: Chapter) -> dict[str, Any]:
    return {"chapter": chapter, "reviews": reviews_for(chapter)}
