"""Every write to a chapter's books: one function per action, each balanced and logged."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Chapter, Role
from parecon.web.chapters.permissions import has_role, require_member, require_role
from parecon.web.decisions.models import Decision
from parecon.web.history.services import record
from parecon.web.members.models import Member
from parecon.web.treasury import budget_selectors, ledger
from parecon.web.treasury.models import Account, DuesChoice, DuesScale, Entry, Line, Settings

DEFAULT_ACCOUNTS = (
    ("Cash", "asset"),
    ("Bank", "asset"),
    ("Fund for members in need", "asset"),
    ("Dues", "income"),
    ("Donations", "income"),
    ("Grants", "income"),
    ("Contributions", "income"),
    ("Uncategorised income", "income"),
    ("Room", "expense"),
    ("Food for meetings", "expense"),
    ("Leaflets and materials", "expense"),
    ("Travel", "expense"),
    ("Mutual aid", "expense"),
    ("Uncategorised spending", "expense"),
    ("Opening balance", "equity"),
)
INCOME_KINDS = (Entry.Kind.CONTRIBUTION, Entry.Kind.DONATION, Entry.Kind.GRANT, Entry.Kind.DUES)
RECEIPT_MAX_BYTES = 5 * 1024 * 1024


def _money(text: object, field: str = "amount") -> Decimal:
    try:
        value = ledger.money(text, field)
    except ledger.LedgerError as exc:
        raise ValidationError({field: str(exc)}) from exc
    return value


def books(chapter: Chapter) -> Settings:
    """The chapter's treasury settings, with its default accounts made on first use."""
    settings, created = Settings.objects.get_or_create(chapter=chapter)
    if created:
        Account.objects.bulk_create(
            [Account(chapter=chapter, name=n, kind=k) for n, k in DEFAULT_ACCOUNTS],
            ignore_conflicts=True,
        )
    return settings


def _account(chapter: Chapter, pk: int | str, *kinds: str) -> Account:
    account = Account.objects.filter(chapter=chapter, pk=pk, kind__in=kinds).first()
    if account is None:
        raise ValidationError({"account": _("No such account of this chapter.")})
    return account


def _post(entry: Entry, lines: list[tuple[Account, Decimal]]) -> None:
    try:
        ledger.check_entry([ledger.Line(str(a.pk), amount) for a, amount in lines])
    except ledger.LedgerError as exc:
        raise ValidationError(str(exc)) from exc
    Line.objects.bulk_create(Line(entry=entry, account=a, amount=amount) for a, amount in lines)


def _positive(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    return amount


def _receipt(entry: Entry, upload: UploadedFile[bytes] | None) -> None:
    """Store a receipt under a name we make (never the uploader's): an image or a PDF."""
    if upload is None:
        return
    if upload.size is not None and upload.size > RECEIPT_MAX_BYTES:
        raise ValidationError({"receipt": _("A receipt may be at most 5 MB.")})
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        ext = "pdf"
    else:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                image.verify()
                ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(image.format or "", "")
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise ValidationError({"receipt": _("A receipt is a PDF or a photo.")}) from exc
        if not ext:
            raise ValidationError(
                {"receipt": _("A receipt is a PDF or a JPEG, PNG or WebP photo.")}
            )
        upload.seek(0)
    entry.receipt.save(f"entry-{entry.pk}.{ext}", ContentFile(upload.read()), save=True)


@transaction.atomic
def record_income(
    actor: Member,
    chapter: Chapter,
    *,
    kind: str,
    amount: str,
    into: int | str,
    source: int | str,
    on: date,
    description: str,
) -> Entry:
    """The treasurer records money in: a contribution, a donation, a grant, dues."""
    actor = require_role(actor, chapter, Role.TREASURER)
    books(chapter)
    if kind not in INCOME_KINDS:
        raise ValidationError({"kind": _("Unknown kind of income.")})
    value = _positive(_money(amount))
    asset = _account(chapter, into, "asset")
    income = _account(chapter, source, "income")
    entry = Entry.objects.create(
        chapter=chapter,
        date=on,
        description=description.strip()[:300],
        kind=kind,
        amount=value,
        created_by=actor,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    _post(entry, [(asset, value), (income, -value)])
    record(
        "treasury.income",
        _("%(kind)s of %(amount)s into %(account)s: %(d)s")
        % {
            "kind": Entry.Kind(kind).label,
            "amount": value,
            "account": asset.name,
            "d": entry.description,
        },
        actor=actor,
        chapter=chapter,
        subject=entry,
    )
    return entry


@transaction.atomic
def request_expense(
    actor: Member,
    chapter: Chapter,
    *,
    amount: str,
    pay_from: int | str,
    category: int | str,
    purpose: str,
    on: date,
    description: str,
    receipt: UploadedFile[bytes] | None = None,
) -> Entry:
    """A member asks to be paid back (or to pay) for something: it waits for approval."""
    actor = require_member(actor, chapter)
    books(chapter)
    value = _positive(_money(amount))
    _account(chapter, pay_from, "asset")
    _account(chapter, category, "expense")
    if not description.strip():
        raise ValidationError({"description": _("Say what the money is for.")})
    entry = Entry.objects.create(
        chapter=chapter,
        date=on,
        description=description.strip()[:300],
        purpose=purpose.strip()[:120],
        kind=Entry.Kind.EXPENSE,
        status=Entry.Status.PENDING,
        amount=value,
        created_by=actor,
    )
    # The lines are written at approval, when the money moves; until then the
    # request's accounts travel in its history record.
    entry_meta = {"from": pay_from, "to": category}
    _receipt(entry, receipt)
    record(
        "treasury.expense_requested",
        _("%(who)s asked for %(amount)s: %(d)s")
        % {
            "who": actor.display_name,
            "amount": value,
            "d": entry.description,
        },
        actor=actor,
        chapter=chapter,
        subject=entry,
        data=entry_meta,
    )
    return entry


def _pending_accounts(entry: Entry) -> tuple[Account, Account]:
    from parecon.web.history.models import Event

    event = Event.objects.filter(
        verb="treasury.expense_requested", subject_type="treasury.entry", subject_id=str(entry.pk)
    ).first()
    if event is None:  # pragma: no cover - every request records one
        raise ValidationError(_("This request lost its accounts."))
    return (
        _account(entry.chapter, event.data["from"], "asset"),
        _account(entry.chapter, event.data["to"], "expense"),
    )


@transaction.atomic
def approve_expense(actor: Member, entry: Entry, decision: Decision | None = None) -> Entry:
    """The treasurer approves up to the chapter's limit; above it, an adopted decision
    of the chapter does. Nobody approves their own request."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != Entry.Status.PENDING:
        raise ValidationError(_("This expense is not waiting for approval."))
    if entry.created_by_id == actor.pk:
        raise PermissionDenied(_("Nobody approves their own expense."))
    require_role(actor, entry.chapter, Role.TREASURER)
    limit = books(entry.chapter).decision_limit
    pay_from, category = _pending_accounts(entry)
    left = budget_selectors.left_on(entry.chapter, category, entry.date)
    if entry.amount > limit or (left is not None and entry.amount > left):
        if decision is None and entry.amount > limit:
            raise ValidationError(
                _("Above %(limit)s an expense needs a decision of the chapter.") % {"limit": limit}
            )
        if decision is None:
            raise ValidationError(
                _(
                    "The adopted budget has %(left)s left for %(account)s: beyond it an "
                    "expense needs a decision of the chapter."
                )
                % {"left": left, "account": category.name}
            )
        if decision.chapter_id != entry.chapter_id or decision.result.get("outcome") != "adopted":
            raise ValidationError(_("That decision of this chapter was not adopted."))
    _post(entry, [(category, entry.amount), (pay_from, -entry.amount)])
    entry.status = Entry.Status.POSTED
    entry.approved_by = actor
    entry.approved_at = timezone.now()
    entry.decision = decision
    entry.save(update_fields=["status", "approved_by", "approved_at", "decision"])
    record(
        "treasury.expense_approved",
        _("%(who)s approved %(amount)s for %(d)s%(by)s.")
        % {
            "who": actor.display_name,
            "amount": entry.amount,
            "d": entry.description,
            "by": _(" (decided: %(t)s)") % {"t": decision.title} if decision else "",
        },
        actor=actor,
        chapter=entry.chapter,
        subject=entry,
    )
    return entry


@transaction.atomic
def refuse_expense(actor: Member, entry: Entry, reason: str) -> Entry:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require_role(actor, entry.chapter, Role.TREASURER)
    if entry.status != Entry.Status.PENDING:
        raise ValidationError(_("This expense is not waiting for approval."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    entry.status = Entry.Status.REFUSED
    entry.save(update_fields=["status"])
    record(
        "treasury.expense_refused",
        _("%(who)s refused %(amount)s for %(d)s: %(r)s")
        % {
            "who": actor.display_name,
            "amount": entry.amount,
            "d": entry.description,
            "r": reason.strip()[:200],
        },
        actor=actor,
        chapter=entry.chapter,
        subject=entry,
    )
    return entry


@transaction.atomic
def correct(actor: Member, entry: Entry, reason: str) -> Entry:
    """Undo a posted entry by a new one that reverses it (the books keep both)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require_role(actor, entry.chapter, Role.TREASURER)
    if entry.status != Entry.Status.POSTED or entry.kind == Entry.Kind.CORRECTION:
        raise ValidationError(_("Only a posted entry can be corrected."))
    if hasattr(entry, "correction"):
        raise ValidationError(_("This entry was already corrected."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    fix = Entry.objects.create(
        chapter=entry.chapter,
        date=timezone.localdate(),
        kind=Entry.Kind.CORRECTION,
        description=(
            _("Correction of “%(d)s”: %(r)s") % {"d": entry.description, "r": reason.strip()}
        )[:300],
        amount=entry.amount,
        created_by=actor,
        approved_by=actor,
        approved_at=timezone.now(),
        corrects=entry,
    )
    _post(fix, [(line.account, -line.amount) for line in entry.lines.select_related("account")])
    record("treasury.corrected", fix.description, actor=actor, chapter=entry.chapter, subject=fix)
    return fix


@transaction.atomic
def set_dues_scale(
    actor: Member, chapter: Chapter, bands: list[dict[str, str]], decision: Decision
) -> DuesScale:
    """A new sliding scale of dues, as an adopted decision of the chapter set it."""
    actor = require_member(actor, chapter)
    if decision.chapter_id != chapter.pk or decision.result.get("outcome") != "adopted":
        raise ValidationError(_("The scale of dues is set by an adopted decision of the chapter."))
    clean = []
    for i, band in enumerate(bands, start=1):
        name = str(band.get("name", "")).strip()
        if not name:
            raise ValidationError({"bands": _("Band %(i)d has no name.") % {"i": i}})
        clean.append(
            {"name": name[:80], "monthly": str(_money(band.get("monthly", ""), f"band {i}"))}
        )
    if len(clean) < 1 or len({b["name"] for b in clean}) != len(clean):
        raise ValidationError({"bands": _("Give each band a different name.")})
    scale = DuesScale.objects.create(chapter=chapter, bands=clean, decision=decision)
    record(
        "treasury.dues_scale",
        _("A new scale of dues: %(b)s")
        % {"b": ", ".join(f"{b['name']} {b['monthly']}" for b in clean)},
        actor=actor,
        chapter=chapter,
        subject=scale,
    )
    return scale


@transaction.atomic
def choose_band(member: Member, scale: DuesScale, band: str) -> DuesChoice:
    """A member picks their band, privately (no one else ever sees it)."""
    require_member(member, scale.chapter)
    if band not in {b["name"] for b in scale.bands}:
        raise ValidationError({"band": _("No such band.")})
    choice, _created = DuesChoice.objects.update_or_create(
        scale=scale, member=member, defaults={"band": band}
    )
    return choice


@transaction.atomic
def import_statement(
    actor: Member, chapter: Chapter, bank: int | str, text: str, name: str = "statement.csv"
) -> list[Entry]:
    """A bank statement as CSV (``date``, ``description``, ``amount``): every row becomes
    a posted entry against the bank account and an uncategorised income or spending
    account; any bad row refuses the whole file, naming its line and field."""
    actor = require_role(actor, chapter, Role.TREASURER)
    books(chapter)
    bank_account = _account(chapter, bank, "asset")
    income = Account.objects.get(chapter=chapter, name="Uncategorised income")
    spending = Account.objects.get(chapter=chapter, name="Uncategorised spending")
    reader = csv.DictReader(io.StringIO(text))
    missing = {"date", "description", "amount"} - set(reader.fieldnames or ())
    if missing:
        raise ValidationError(
            _("%(f)s, line 1: missing columns %(c)s") % {"f": name, "c": ", ".join(sorted(missing))}
        )
    made = []
    for n, row in enumerate(reader, start=2):
        try:
            on = date.fromisoformat((row["date"] or "").strip())
        except ValueError as exc:
            raise ValidationError(
                _("%(f)s, line %(n)d, field date: not a date (YYYY-MM-DD): %(v)r")
                % {"f": name, "n": n, "v": row["date"]}
            ) from exc
        try:
            amount = ledger.money(row["amount"] or "", "amount")
        except ledger.LedgerError as exc:
            raise ValidationError(
                _("%(f)s, line %(n)d, field %(e)s") % {"f": name, "n": n, "e": exc}
            ) from exc
        if amount == 0:
            continue
        entry = Entry.objects.create(
            chapter=chapter,
            date=on,
            description=(row["description"] or "").strip()[:300] or "—",
            kind=Entry.Kind.IMPORTED,
            amount=abs(amount),
            created_by=actor,
            approved_by=actor,
            approved_at=timezone.now(),
        )
        other = income if amount > 0 else spending
        _post(entry, [(bank_account, amount), (other, -amount)])
        made.append(entry)
    record(
        "treasury.imported",
        _("%(who)s imported %(n)d rows of a bank statement.")
        % {"who": actor.display_name, "n": len(made)},
        actor=actor,
        chapter=chapter,
        subject=bank_account,
    )
    return made


def may_keep_books(member: Member, chapter: Chapter) -> bool:
    return has_role(member, chapter, Role.TREASURER)
