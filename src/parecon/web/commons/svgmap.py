"""A small SVG map of points from their coordinates: no tiles, works offline.

Points are projected equirectangularly (longitude scaled by the cosine of the mean
latitude) into a padded box; every label is XML-escaped, since names come from members.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class Point:
    label: str
    latitude: float
    longitude: float
    href: str = ""


def render(points: Sequence[Point], width: int = 640, height: int = 400, title: str = "") -> str:
    """The SVG document (as text) with one labelled circle per point."""
    pad = 40
    # A map with links is a group of links (an "img" may hold nothing interactive).
    role = "group" if any(p.href for p in points) else "img"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="{role}" aria-label={quoteattr(title)} class="map">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef3f7" stroke="#9ab"/>'
    )
    if not points:
        return head + "</svg>"
    mean_lat = sum(p.latitude for p in points) / len(points)
    squash = max(0.1, math.cos(math.radians(mean_lat)))
    xs = [p.longitude * squash for p in points]
    ys = [p.latitude for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-3)
    scale = min((width - 2 * pad) / span, (height - 2 * pad) / span)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    body = []
    for p, x0, y0 in zip(points, xs, ys, strict=True):
        x = width / 2 + (x0 - cx) * scale
        y = height / 2 - (y0 - cy) * scale
        # Labels of points in the east half run westwards, so they stay inside the box.
        side, anchor = (-1, ' text-anchor="end"') if x > width * 0.6 else (1, "")
        mark = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#c33"/>'
            f'<text x="{x + 9 * side:.1f}" y="{y + 4:.1f}" font-size="13"{anchor}>'
            f"{escape(p.label)}</text>"
        )
        if p.href:
            mark = f"<a href={quoteattr(p.href)}>{mark}</a>"
        body.append(mark)
    return head + "".join(body) + "</svg>"
