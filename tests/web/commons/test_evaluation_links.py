"""An organisation of the directory linked to the chapter's evaluations of it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from parecon.web.chapters.models import Chapter
from parecon.web.commons import services
from parecon.web.evaluations import services as evaluations
from parecon.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def test_link_a_new_or_an_existing_evaluation(make_member: Any, client: Any) -> None:
    ana = make_member("Ana")
    chapter = Chapter.objects.get(geonameid=3128760)
    outsider = make_member("Out", city=3117735)
    org = services.add_organisation(ana, chapter, name="Bread co-op", kind="coop", does="Bakes")
    with pytest.raises(PermissionDenied):
        services.link_evaluation(outsider, org)
    services.link_evaluation(ana, org)  # a new evaluation of it, opened in the evaluations app
    made = Evaluation.objects.get()
    assert (made.institution, made.kind, made.chapter) == ("Bread co-op", "coop", chapter)
    with pytest.raises(ValidationError, match="already linked"):
        services.link_evaluation(ana, org, made.pk)
    other = Chapter.objects.get(geonameid=3117735)
    theirs = evaluations.create_evaluation(outsider, other, institution="X", kind="other")
    with pytest.raises(ValidationError, match="evaluation of this chapter"):
        services.link_evaluation(ana, org, theirs.pk)
    client.force_login(ana)
    page = client.get(reverse("commons:organisation", args=[chapter.slug, org.pk]))
    assert reverse("evaluations:detail", args=[made.pk]) in page.content.decode()
    r = client.get(f"/api/organisations/{org.pk}")
    assert json.loads(r.content)["evaluations"] == [made.pk]
