"""The chapter's page leads its members to the chapter's shared work and its report."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_chapter_page_links_shared_work_and_the_chapter_report(
    chapter: Any, login: Any
) -> None:
    page = login(chapter.founder).get(reverse("chapters:detail", args=[chapter.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("jobs:tasks", args=["chapter", chapter.slug]) in html
    assert reverse("treasury:chapter_report", args=[chapter.slug]) in html
