"""Evaluating institutions: ratings per value with evidence, median and spread, the
comparison chart (escaped), the printable summary as HTML and PDF, forks, wrong users."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(chapter: Any) -> Any:
    from parecon.web.evaluations import services

    return services.create_evaluation(
        chapter.founder, chapter, institution="Forn <Cooperatiu> & Co", kind="coop"
    )


def _rate(client: Any, e: Any, **scores: int) -> Any:
    data: dict[str, Any] = {f"score-{k}": str(v) for k, v in scores.items()}
    data.update({f"evidence-{k}": f"seen by {k}" for k in scores})
    return client.post(f"/evaluations/{e.pk}/rate/", data)


def test_median_and_spread_per_value(evaluation: Any, make_member: Any, login: Any) -> None:
    for score in (2, 6, 7, 9):
        assert _rate(login(make_member()), evaluation, equity=score).status_code == 302
    data = login(make_member()).get(f"/api/evaluations/{evaluation.pk}").json()
    equity = next(v for v in data["values"] if v["value"] == "equity")
    assert (equity["n"], equity["median"], equity["low"], equity["high"]) == (4, 6.5, 2, 9)
    assert (equity["q1"], equity["q3"]) == (5.0, 7.5)  # inclusive quartiles
    assert data["raters"] == 4
    assert next(v for v in data["values"] if v["value"] == "diversity")["n"] == 0


def test_rating_again_replaces_ones_own(evaluation: Any, make_member: Any, login: Any) -> None:
    client = login(make_member())
    _rate(client, evaluation, equity=3)
    _rate(client, evaluation, equity=8)
    assert [r.score for r in evaluation.ratings.all()] == [8]


@pytest.mark.parametrize("score", ["11", "-1", "ten", "5.5"])
def test_bad_scores_are_refused(evaluation: Any, make_member: Any, login: Any, score: str) -> None:
    r = login(make_member()).post(
        f"/evaluations/{evaluation.pk}/rate/", {"score-equity": score}, follow=True
    )
    assert "0 to 10" in r.content.decode()
    assert not evaluation.ratings.exists()


def test_unknown_value_is_refused_by_the_api(evaluation: Any, make_member: Any, login: Any) -> None:
    client = login(make_member())
    r = client.post(
        f"/api/evaluations/{evaluation.pk}/ratings",
        json.dumps({"ratings": [{"value": "profit", "score": 10}]}),
        content_type="application/json",
    )
    assert r.status_code == 422 and not evaluation.ratings.exists()


def test_other_chapters_read_and_fork_but_do_not_rate(
    evaluation: Any, make_member: Any, login: Any, other_chapter: Any
) -> None:
    from django.test import Client

    from parecon.web.evaluations.models import Evaluation

    outsider = login(make_member("Out", city=3117735))
    assert outsider.get(f"/evaluations/{evaluation.pk}/").status_code == 200
    assert _rate(outsider, evaluation, equity=1).status_code == 403
    assert Client().get(f"/evaluations/{evaluation.pk}/").status_code == 302
    r = outsider.post(f"/evaluations/{evaluation.pk}/fork/", {"chapter": other_chapter.slug})
    copy = Evaluation.objects.exclude(pk=evaluation.pk).get()
    assert r["Location"] == f"/evaluations/{copy.pk}/"
    assert copy.chapter == other_chapter and copy.forked_from == evaluation
    # Forking into a chapter one does not belong to is refused.
    r = outsider.post(f"/evaluations/{evaluation.pk}/fork/", {"chapter": evaluation.chapter.slug})
    assert r.status_code == 403 and Evaluation.objects.count() == 2
    assert not evaluation.ratings.exists()


def test_compare_chart_escapes_labels(
    evaluation: Any, chapter: Any, make_member: Any, login: Any
) -> None:
    from parecon.web.evaluations import services

    other = services.create_evaluation(
        chapter.founder, chapter, institution='<script>alert("x")</script>', kind="business"
    )
    client = login(make_member())
    _rate(client, evaluation, equity=8, solidarity=6)
    _rate(client, other, equity=2)
    page = client.get(f"/evaluations/compare/?ids={evaluation.pk}&ids={other.pk}").content.decode()
    assert "<svg" in page and page.count("<rect") >= 5
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "Forn &lt;Cooperatiu&gt; &amp; Co" in page
    # The bar of the first evaluation's equity is 8/10 of the plot's width.
    assert 'width="336.0"' in page


def test_summary_as_html_and_pdf(evaluation: Any, make_member: Any, login: Any) -> None:
    client = login(make_member())
    _rate(client, evaluation, equity=8, efficiency=4)
    html = client.get(f"/evaluations/{evaluation.pk}/summary/").content.decode()
    assert "seen by equity" in html and "meetings.css" in html
    r = client.get(f"/evaluations/{evaluation.pk}/summary.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    # One page, rendered from the same template the view uses.
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from parecon.web.evaluations.views import _context

    source = render_to_string("evaluations/summary_pdf.html", _context(evaluation))
    assert "Forn &lt;Cooperatiu&gt; &amp; Co" in source
    assert len(HTML(string=source).render().pages) == 1
