"""Members evaluate an existing organisation against parecon's values.

An :class:`Evaluation` is one chapter's look at one institution (a co-op, a charity,
a business, a government programme). Each member rates it on each value from 0 to 10
with evidence notes (:class:`Rating`); the page shows the median and the spread.
Evaluations are a library every member can read; another chapter forks one to run
its own (its ratings start empty; ``forked_from`` keeps the lineage).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parecon.web.evaluations.values import MAX_SCORE, MIN_SCORE, VALUES


class Kind(models.TextChoices):
    COOP = "coop", _("co-operative")
    CHARITY = "charity", _("charity")
    BUSINESS = "business", _("business")
    GOVERNMENT = "government", _("government programme")
    OTHER = "other", _("other")


class Evaluation(models.Model):
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.PROTECT, related_name="evaluations"
    )
    institution = models.CharField(_("institution"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    forked_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="forks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.institution


class Rating(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=24, choices=[(v.key, v.label) for v in VALUES])
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("evaluation", "member", "value"), name="one_rating_per_value"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE), name="score_0_to_10"
            ),
        )
