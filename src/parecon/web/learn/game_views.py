"""Pages of the room planning game: start, join, play on a phone, the projector, the debrief.

A player is remembered by the browser's session (``learn_players``: game code →
player id), set when they join; no account is needed. The projector's live part
is an HTMX fragment polled every few seconds; its timer posts ``tick``, which
closes the round once the deadline has passed.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.permissions import require_member
from parecon.web.learn import game_closing, game_selectors, game_services
from parecon.web.learn.game_scenarios import SCENARIOS
from parecon.web.learn.models import Game, GameStatus, Player
from parecon.web.planning.charts import gap_chart_svg
from parecon.web.site.outcomes import error_text

SESSION_KEY = "learn_players"


def _int(request: HttpRequest, field: str, default: int) -> int:
    raw = request.POST.get(field, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            {field: _("%(f)s: %(v)s is not a whole number.") % {"f": field, "v": raw[:40]}}
        ) from None


def _game(code: str) -> Game:
    return get_object_or_404(Game.objects.select_related("chapter"), code=code.upper())


def session_player(request: HttpRequest, game: Game) -> Player | None:
    pk = request.session.get(SESSION_KEY, {}).get(game.code)
    if pk is None:
        return None
    return Player.objects.select_related("seat", "game").filter(pk=pk, game=game).first()


@login_required
def game_new(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = get_object_or_404(Chapter, slug=slug)
    require_member(request.user, chapter)
    error = ""
    if request.method == "POST":
        source = request.POST.get("scenario", "town")
        scenario: dict[str, Any] = {"source": source}
        try:
            if source == "file":
                upload = request.FILES.get("economy")
                if upload is None:
                    raise ValidationError({"economy": _("Choose an economy file to upload.")})
                from parecon.web.planning.catalogue import store_economy_file

                scenario = {
                    "source": "file",
                    "file": store_economy_file(upload.name or "economy.json", upload.read()),
                    "name": (upload.name or "")[:120],
                }
            else:
                scenario["seed"] = _int(request, "seed", 1)
            game = game_services.start_game(
                request.user,
                chapter,
                name=request.POST.get("name", ""),
                scenario=scenario,
                round_seconds=_int(request, "round_seconds", 120),
                max_rounds=_int(request, "max_rounds", 10),
                team_size=_int(request, "team_size", 1),
                rule=request.POST.get("rule", "informed"),
            )
        except ValidationError as exc:
            error = error_text(exc)
        else:
            return redirect("learn:projector", game.code)
    return render(
        request,
        "learn/game_new.html",
        {"chapter": chapter, "scenarios": SCENARIOS, "error": error},
        status=422 if error else 200,
    )


def join(request: HttpRequest) -> HttpResponse:
    """Join a game by its code, with a name and no account."""
    error = ""
    code = request.GET.get("code", "")
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            player, _raw = game_services.join_game(code, request.POST.get("name", ""))
        except ValidationError as exc:
            error = error_text(exc)
        else:
            players = dict(request.session.get(SESSION_KEY, {}))
            players[player.game.code] = player.pk
            request.session[SESSION_KEY] = players
            return redirect("learn:play", player.game.code)
    return render(
        request,
        "learn/game_join.html",
        {"error": error, "code": code},
        status=422 if error else 200,
    )


def _quantities_from_post(request: HttpRequest, side: str) -> dict[str, str]:
    prefix = f"{side}-"
    return {k[len(prefix) :]: request.POST.get(k, "") for k in request.POST if k.startswith(prefix)}


def play(request: HttpRequest, code: str) -> HttpResponse:
    """A player's phone: prices, their council, their proposal; POST submits it."""
    game = _game(code)
    player = session_player(request, game)
    if player is None:
        if request.method == "POST":
            raise PermissionDenied(_("Join the game first."))
        return redirect(f"{_join_url()}?code={game.code}")
    error = ""
    if request.method == "POST":
        try:
            game_services.submit_move(
                player,
                _quantities_from_post(request, "supply"),
                _quantities_from_post(request, "demand"),
            )
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(
                request, _("Your proposal is in. You can change it until the round closes.")
            )
            return redirect("learn:play", game.code)
    context = game_selectors.player_view(player)
    context["error"] = error
    return render(request, "learn/game_play.html", context, status=422 if error else 200)


def _join_url() -> str:
    from django.urls import reverse

    return reverse("learn:join")


def play_status(request: HttpRequest, code: str) -> HttpResponse:
    """The player's polled status line: the open round and its time left."""
    game = _game(code)
    rounds = game_selectors.rounds_of(game)
    current = next((r for r in rounds if r.status == "open"), None)
    shown = request.GET.get("round", "")
    return render(
        request,
        "learn/_play_status.html",
        {
            "game": game,
            "current": current if game.status == GameStatus.PLAYING else None,
            "seconds_left": game_selectors.seconds_left(current),
            "changed": current is not None and str(current.number) != shown,
            "shown": shown,
        },
    )


def _facilitated(request: HttpRequest, code: str) -> Game:
    game = _game(code)
    game_services.require_facilitator(request.user, game)
    return game


def projector(request: HttpRequest, code: str) -> HttpResponse:
    game = _facilitated(request, code)
    context = game_selectors.projector(game)
    context["join_url"] = request.build_absolute_uri(_join_url())
    return render(request, "learn/game_projector.html", context)


def projector_live(request: HttpRequest, code: str) -> HttpResponse:
    game = _facilitated(request, code)
    return render(request, "learn/_projector_live.html", game_selectors.projector(game))


def _act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    game = _game(code)
    try:
        if action == "open":
            game_services.open_round(request.user, game)
        elif action == "close":
            game_closing.close_round(request.user, game)
        elif action == "tick":
            game_closing.tick(request.user, game)
        elif action == "extend":
            game_services.extend_round(request.user, game, _int(request, "seconds", 30))
        elif action == "finish":
            game_closing.finish_game(request.user, game)
    except ValidationError as exc:
        if not request.htmx:  # type: ignore[attr-defined]
            messages.error(request, error_text(exc))
    if request.htmx:  # type: ignore[attr-defined]
        game.refresh_from_db()
        return render(request, "learn/_projector_live.html", game_selectors.projector(game))
    return redirect("learn:projector", game.code)


@require_POST
def game_open(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, "open")


@require_POST
def game_close(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, "close")


@require_POST
def game_tick(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, "tick")


@require_POST
def game_extend(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, "extend")


@require_POST
def game_finish(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, "finish")


def debrief(request: HttpRequest, code: str) -> HttpResponse:
    """The debrief, for the facilitator and the game's players, once the game has finished."""
    game = _game(code)
    if session_player(request, game) is None:
        game_services.require_facilitator(request.user, game)
    data = game.debrief
    per_round = data.get("per_round", [])
    eq = data.get("equilibrium")
    goods = []
    if eq:
        goods = [
            {
                "name": name,
                "plan": eq["plan_prices"][i],
                "equilibrium": eq["prices"][i],
                "ratio": eq["plan_prices"][i] / eq["prices"][i],
            }
            for i, name in enumerate(data.get("goods", []))
        ]
    return render(
        request,
        "learn/game_debrief.html",
        {
            "game": game,
            "data": data,
            "per_round": per_round,
            "goods": goods,
            # Built on the server with every text escaped (planning.charts).
            "gap_svg": mark_safe(
                gap_chart_svg(
                    [r["max_gap"] for r in per_round],
                    game.tolerance,
                    title=_("Largest gap per round"),
                )
            ),
            "finite": math.isfinite,
        },
    )
