"""Forms of the members app: joining (allauth's sign-up, extended) and the profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from parecon.web import gazetteer
from parecon.web.members.models import VISIBLE_FIELDS, Digest, Member, Visibility

#: The profile fields whose visibility a member sets, named for the form's labels.
FIELD_NAMES = {"city": _("city"), "bio": _("bio"), "photo": _("photo"), "email": _("e-mail")}


class CityField(forms.CharField):
    """A city typed by name; ``clean_city`` on the form resolves it to one place."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("label", _("City"))
        kwargs.setdefault(
            "help_text", _("Where you live; you will be placed in its local chapter.")
        )
        super().__init__(**kwargs)


def resolve_city(
    text: str, chosen: str | None
) -> tuple[gazetteer.Place | None, list[gazetteer.Place]]:
    """The place meant by a typed name (and the id picked among same-named cities).

    Returns the place, or ``None`` with the candidates to choose from.
    """
    if chosen:
        try:
            place = gazetteer.place(int(chosen))
        except ValueError:
            place = None
        if place is not None:
            return place, []
    matches = gazetteer.search(text, limit=12)
    exact = [p for p in matches if gazetteer._fold(p.name) == gazetteer._fold(text)]
    if len(exact) == 1:
        return exact[0], []
    return None, exact or matches


class CityFormMixin(forms.Form):
    city = CityField()
    city_id = forms.CharField(label=_("Which one?"), required=False, widget=forms.Select)
    place: gazetteer.Place | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("city") or "").strip()
        if not text:
            return data
        place, candidates = resolve_city(text, self.data.get("city_id") or None)
        if place is None:
            if candidates:
                self.fields["city_id"].widget.choices = [
                    (str(p.geonameid), p.label) for p in candidates
                ]
                self.add_error(
                    "city_id",
                    _("Several places match “%(city)s”: pick yours.") % {"city": text},
                )
            else:
                self.add_error(
                    "city",
                    _("We know no city called “%(city)s”. Check the spelling.") % {"city": text},
                )
        self.place = place
        return data


class JoinForm(CityFormMixin):
    """allauth's sign-up form gains a name, a city, a bio and a photo."""

    name = forms.CharField(label=_("Name"), max_length=120)
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)

    field_order = ("name", "email", "password1", "password2", "city", "city_id", "bio", "photo")

    def signup(self, request: HttpRequest, user: Member) -> None:
        from parecon.web.chapters.services import place_member
        from parecon.web.members.services import set_photo

        user.name = self.cleaned_data["name"].strip()
        user.bio = self.cleaned_data.get("bio", "")
        language = getattr(request, "LANGUAGE_CODE", "en")
        user.language = language if language in ("en", "es") else "en"
        user.save()
        if self.place is not None:
            place_member(user, self.place)
        if photo := self.cleaned_data.get("photo"):
            set_photo(user, photo)


class ProfileForm(CityFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    city = CityField(required=False)

    class Meta:
        model = Member
        fields = ("name", "bio", "near_me", "language", "digest")
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    photo = forms.ImageField(label=_("New photo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"), choices=[("en", "English"), ("es", "Español")]
        )
        self.fields["digest"] = forms.ChoiceField(label=_("E-mail digest"), choices=Digest.choices)
        for field in VISIBLE_FIELDS:
            self.fields[f"show_{field}"] = forms.ChoiceField(
                label=_("Who sees my %(field)s") % {"field": FIELD_NAMES[field]},
                choices=Visibility.choices,
                initial=self.instance.field_visibility(field),
            )
        if not self.is_bound:
            self.initial["city"] = self.instance.city

    def visibility(self) -> dict[str, str]:
        return {f: self.cleaned_data[f"show_{f}"] for f in VISIBLE_FIELDS}


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    scope = forms.ChoiceField(
        label=_("Scope"), choices=[("read", _("read")), ("write", _("read and write"))]
    )
