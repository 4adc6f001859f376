from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parecon import selfmanagement as sm
from parecon.web.chapters.models import Role
from parecon.web.decisions.models import Document


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Proposal"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[
            ("", _("the chapter's rules' default")),
            *((m.name, m.title) for m in sm.METHODS.values()),
        ],
    )
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For majority, ranked, score, dot and approval votes; a motion is yes/no/abstain."
        ),
    )
    affected = forms.MultipleChoiceField(
        label=_("Who is affected most"),
        required=False,
        help_text=_(
            "Members of these units weigh fully; the levels below say how much "
            "those further out weigh."
        ),
    )
    levels = forms.CharField(
        label=_("Weights by distance"),
        required=False,
        max_length=100,
        help_text=_("The affected unit, then the unit above it, …; empty: the chapter's rules."),
    )
    stakes = forms.CharField(
        label=_("Stakeholders by category"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One category per line: name = weight: members' names separated by commas, "
            "e.g. “neighbours = 1/2: Ana Okafor, Bruno Ferrer” (no weight: the rules')."
        ),
    )
    threshold = forms.CharField(
        label=_("Required share"),
        required=False,
        max_length=16,
        help_text=_("For example 2/3; empty: the method's own."),
    )
    quorum_weight = forms.CharField(
        label=_("Quorum (share of weight)"), required=False, max_length=16
    )
    quorum_heads = forms.CharField(
        label=_("Quorum (share of members)"), required=False, max_length=16
    )
    budget = forms.IntegerField(
        label=_("Dots per voter"), required=False, min_value=1, max_value=1000
    )
    goal = forms.IntegerField(
        label=_("Volunteers needed"), required=False, min_value=1, max_value=10_000
    )
    anonymous = forms.BooleanField(label=_("Anonymous ballots"), required=False)
    results = forms.ChoiceField(
        label=_("Show results"),
        choices=[
            ("after_voting", _("to those who voted, while open")),
            ("at_close", _("only at the close")),
        ],
    )
    closes_at = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reopen_threshold = forms.IntegerField(
        label=_("Requests that reopen it"), initial=3, min_value=1, max_value=10_000
    )
    federated = forms.BooleanField(
        label=_("Decide as a federation of the chapters within"),
        required=False,
        help_text=_("Each chapter's result is counted and weighed by its affected members."),
    )
    pull_down_share = forms.CharField(
        label=_("Share of member chapters that can pull it down to a direct vote"),
        initial="1/2",
        max_length=16,
        required=False,
    )
    grant_member = forms.IntegerField(
        label=_("If adopted, grant a role to"), required=False, widget=forms.Select
    )
    grant_role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", "—"), *Role.choices]
    )
    grant_days = forms.IntegerField(
        label=_("Term (days)"), required=False, min_value=1, max_value=3660
    )

    def __init__(
        self,
        *args: Any,
        units: list[tuple[str, str]],
        members: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        affected = self.fields["affected"]
        assert isinstance(affected, forms.MultipleChoiceField)
        affected.choices = units
        self.fields["grant_member"].widget.choices = [("", "—"), *members]


class ChallengeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with these weights?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(forms.Form):
    statement = forms.CharField(
        label=_("Outcome statement"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    review_on = forms.DateField(
        label=_("Review on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MinorityForm(forms.Form):
    text = forms.CharField(
        label=_("Minority report"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RulesForm(forms.Form):
    """The next version of a chapter's rules, as a proposal to decide."""

    default_method = forms.ChoiceField(
        label=_("Default method"), choices=[(m.name, m.title) for m in sm.METHODS.values()]
    )
    change_method = forms.ChoiceField(
        label=_("Method by which the rules change"),
        choices=[(m.name, m.title) for m in sm.METHODS.values() if m.ballot == "choice"],
    )
    quorum_weight = forms.CharField(
        label=_("Quorum (share of weight)"), required=False, max_length=16
    )
    quorum_heads = forms.CharField(
        label=_("Quorum (share of members)"), required=False, max_length=16
    )
    levels = forms.CharField(
        label=_("Weights by distance"),
        max_length=100,
        help_text=_("The affected unit, then the unit above it, …"),
    )
    stakes = forms.CharField(
        label=_("Weights of stake categories"),
        required=False,
        max_length=300,
        help_text=_("For example workers=1, neighbours=1/2"),
    )
    thresholds = forms.CharField(
        label=_("Required shares"),
        required=False,
        max_length=300,
        help_text=_("For example qualified_majority=3/4, majority=1/2"),
    )
    role_terms = forms.CharField(
        label=_("Terms of roles (days)"),
        required=False,
        max_length=300,
        help_text=_("For example facilitator=91, treasurer=182"),
    )
    reason = forms.CharField(
        label=_("Why"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(label=_("Kind"), choices=Document.Type.choices)
    text = forms.CharField(
        label=_("Clauses"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "One clause per paragraph (separated by an empty line); a first line "
            "starting with # is the clause's heading."
        ),
    )

    def clauses(self) -> list[tuple[str, str]]:
        out = []
        for block in self.cleaned_data["text"].replace("\r\n", "\n").split("\n\n"):
            lines = block.strip().splitlines()
            if not lines:
                continue
            heading = ""
            if lines[0].startswith("#"):
                heading, lines = lines[0].lstrip("#").strip(), lines[1:]
            if lines:
                out.append((heading, "\n".join(lines)))
        return out


class AmendmentForm(forms.Form):
    clause = forms.CharField(max_length=32, widget=forms.HiddenInput)
    heading = forms.CharField(label=_("Heading"), max_length=200, required=False)
    text = forms.CharField(
        label=_("New text"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label=_("Why"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
