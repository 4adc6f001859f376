from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parecon.web.chapters.models import Chapter, JoinPolicy, Role


class ChapterForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Chapter
        fields = ("description", "join_policy")
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class JoinRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GrantForm(forms.Form):
    member = forms.IntegerField(label=_("Member"), widget=forms.Select)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    starts_at = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_at = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


__all__ = ["ChapterForm", "GrantForm", "InviteForm", "JoinPolicy", "JoinRequestForm", "RevokeForm"]
