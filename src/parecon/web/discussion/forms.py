"""Forms of the discussion pages; the services validate again (the API has no forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parecon.web.discussion.models import BODY_MAX, REASON_MAX, TITLE_MAX


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mention a member of the chapter with @ and their handle, like @ada-okafor."),
    )
    announcement = forms.BooleanField(
        label=_("Announcement: also e-mail it to every member of the chapter"), required=False
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, required=False)
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
