"""Forms of the plan's pages that are not a service's input (a list's filters)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parecon.web.councils.models import CouncilKind


class CouncilFilter(forms.Form):
    """Which of a plan's councils to list: by name, kind and this round's submission."""

    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *CouncilKind.choices]
    )
    round = forms.ChoiceField(
        label=_("This round"),
        required=False,
        choices=[
            ("", _("Submitted or not")),
            ("submitted", _("Submitted")),
            ("missing", _("Not submitted yet")),
        ],
    )
