"""``/api/evaluations``: the library, summaries per value, ratings, forks."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from parecon.web.chapters.models import Chapter
from parecon.web.evaluations import selectors, services
from parecon.web.evaluations.models import Evaluation
from parecon.web.site.api_auth import writer

router = Router(tags=["evaluations"])


class ValueOut(Schema):
    value: str
    n: int
    median: float | None
    q1: float | None
    q3: float | None
    low: int | None
    high: int | None


class EvaluationOut(Schema):
    id: int
    chapter: str
    institution: str
    kind: str
    description: str
    forked_from: int | None
    raters: int
    values: list[ValueOut]


class EvaluationIn(Schema):
    chapter: str = Field(..., max_length=120)
    institution: str = Field(..., max_length=200)
    kind: str = Field(..., pattern="^(coop|charity|business|government|other)$")
    description: str = Field("", max_length=5000)


class RatingIn(Schema):
    value: str = Field(..., max_length=24)
    score: int = Field(..., ge=0, le=10)
    evidence: str = Field("", max_length=2000)


class RatingsIn(Schema):
    ratings: list[RatingIn] = Field(..., min_length=1, max_length=6)


class ForkIn(Schema):
    chapter: str = Field(..., max_length=120)


def _out(e: Evaluation) -> dict[str, object]:
    return {
        "id": e.pk,
        "chapter": e.chapter.slug,
        "institution": e.institution,
        "kind": e.kind,
        "description": e.description,
        "forked_from": e.forked_from_id,
        "raters": selectors.raters(e),
        "values": [
            {
                "value": s.value.key,
                "n": s.n,
                "median": s.median,
                "q1": s.q1,
                "q3": s.q3,
                "low": s.low,
                "high": s.high,
            }
            for s in selectors.summary(e)
        ],
    }


@router.get("", response=list[EvaluationOut])
def library(request: HttpRequest) -> list[dict[str, object]]:
    return [_out(e) for e in Evaluation.objects.select_related("chapter")[:200]]


@router.get("/{evaluation_id}", response=EvaluationOut)
def get_evaluation(request: HttpRequest, evaluation_id: int) -> dict[str, object]:
    return _out(get_object_or_404(Evaluation.objects.select_related("chapter"), pk=evaluation_id))


@router.post("", response={201: EvaluationOut})
def create(request: HttpRequest, payload: EvaluationIn) -> Status[dict[str, object]]:
    actor = writer(request)
    chapter = get_object_or_404(Chapter, slug=payload.chapter)
    e = services.create_evaluation(
        actor,
        chapter,
        institution=payload.institution,
        kind=payload.kind,
        description=payload.description,
    )
    return Status(201, _out(e))


@router.post("/{evaluation_id}/ratings", response=EvaluationOut)
def rate(request: HttpRequest, evaluation_id: int, payload: RatingsIn) -> dict[str, object]:
    actor = writer(request)
    e = get_object_or_404(Evaluation.objects.select_related("chapter"), pk=evaluation_id)
    services.rate(actor, e, {r.value: (r.score, r.evidence) for r in payload.ratings})
    return _out(e)


@router.post("/{evaluation_id}/fork", response={201: EvaluationOut})
def fork(request: HttpRequest, evaluation_id: int, payload: ForkIn) -> Status[dict[str, object]]:
    actor = writer(request)
    e = get_object_or_404(Evaluation, pk=evaluation_id)
    copy = services.fork(actor, e, get_object_or_404(Chapter, slug=payload.chapter))
    return Status(201, _out(copy))
