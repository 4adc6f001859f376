"""Writes of the room planning game: start, join, open a round, propose, extend, finish.

The facilitator is a member of the chapter the game is played in; players need no
account: joining returns a random token (only its hash is stored) that the
player's browser session or bot presents. Closing a round is in
:mod:`parecon.web.learn.game_closing`.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from parecon.engine import available_rules
from parecon.engine.price_rules import DEFAULT_RULE
from parecon.scenario.council_names import council_names
from parecon.web.chapters.permissions import require_member
from parecon.web.history.services import record
from parecon.web.learn import game_councils
from parecon.web.learn.game_scenarios import SCENARIOS, economy_of
from parecon.web.learn.models import (
    Game,
    GameRound,
    GameStatus,
    Move,
    Player,
    RoundStatus,
    Seat,
)
from parecon.web.planning.facilitation import board_to_json, new_board

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.chapters.models import Chapter
    from parecon.web.members.models import Member

__all__ = [
    "extend_round",
    "hash_token",
    "join_game",
    "open_round",
    "player_for_token",
    "require_facilitator",
    "start_game",
    "submit_move",
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_QUANTITY = 1e12


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def require_facilitator(actor: Member | AnonymousUser | None, game: Game) -> Member:
    """The game's facilitator (who started it), still a member of its chapter."""
    member = require_member(actor, game.chapter)
    if member.pk != game.facilitator_id:
        raise PermissionDenied(_("Only the facilitator of this game may do this."))
    return member


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def start_game(
    actor: Member | AnonymousUser | None,
    chapter: Chapter,
    *,
    name: str,
    scenario: dict[str, Any],
    round_seconds: int = 120,
    max_rounds: int = 10,
    team_size: int = 1,
    rule: str = DEFAULT_RULE,
) -> Game:
    """A new game in the lobby, its seats drawn from the scenario's playable councils."""
    member = require_member(actor, chapter)
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": _("A game needs a name of at most 200 characters.")})
    if not 10 <= round_seconds <= 3600:
        raise ValidationError({"round_seconds": _("A round lasts 10 to 3600 seconds.")})
    if not 1 <= max_rounds <= 50:
        raise ValidationError({"max_rounds": _("The round limit is 1 to 50.")})
    if not 1 <= team_size <= 10:
        raise ValidationError({"team_size": _("A council is played by 1 to 10 players.")})
    if rule not in available_rules():
        raise ValidationError(
            {
                "rule": _("rule: %(r)r is not one of %(all)s.")
                % {"r": rule[:40], "all": ", ".join(available_rules())}
            }
        )
    if scenario.get("source") not in (*SCENARIOS, "file"):
        raise ValidationError({"scenario": _("Choose one of the scenarios or an economy file.")})
    economy = economy_of(scenario)
    seats = game_councils.seats_of(economy, council_names(economy))
    if not seats:
        raise ValidationError(
            {"scenario": _("This economy has no Cobb-Douglas consumer or worker councils to play.")}
        )
    board = new_board(
        rule,
        economy.initial_prices.tolist(),
        economy.goods,
        tolerance=0.03,
        max_rounds=max_rounds,
    )
    with transaction.atomic():
        for _attempt in range(20):
            code = _new_code()
            if not Game.objects.filter(code=code).exists():
                break
        game = Game.objects.create(
            code=code,
            chapter=chapter,
            facilitator=member,
            name=name,
            scenario=scenario,
            round_seconds=round_seconds,
            max_rounds=max_rounds,
            team_size=team_size,
            board_state=board_to_json(board),
        )
        Seat.objects.bulk_create(
            Seat(game=game, index=i, kind=s.kind, population=s.population, row=s.row, name=s.name)
            for i, s in enumerate(seats)
        )
        record(
            "game.started",
            _("%(a)s started the planning game %(g)s (%(n)d councils to play).")
            % {"a": member.display_name, "g": game.name, "n": len(seats)},
            actor=member,
            chapter=chapter,
            subject=game,
        )
    return game


def player_for_token(raw: str | None) -> Player | None:
    if not raw:
        return None
    return Player.objects.select_related("seat", "game").filter(token_hash=hash_token(raw)).first()


def join_game(code: str, name: str, *, is_bot: bool = False) -> tuple[Player, str]:
    """Take the first council with room in the game ``code``; returns the player and its token."""
    name = name.strip()
    if not name or len(name) > 60:
        raise ValidationError({"name": _("Give a name of at most 60 characters.")})
    game = Game.objects.filter(code=code.strip().upper()).first()
    if game is None:
        raise ValidationError({"code": _("No game has the code %(c)r.") % {"c": code[:12]}})
    if game.status == GameStatus.FINISHED:
        raise ValidationError({"code": _("This game has finished.")})
    raw = secrets.token_urlsafe(24)
    with transaction.atomic():
        Game.objects.select_for_update().get(pk=game.pk)
        seat = (
            Seat.objects.filter(game=game)
            .annotate(n=Count("players"))
            .filter(n__lt=game.team_size)
            .order_by("index")
            .first()
        )
        if seat is None:
            raise ValidationError({"code": _("Every council of this game is taken.")})
        player = Player.objects.create(
            game=game, seat=seat, name=name, token_hash=hash_token(raw), is_bot=is_bot
        )
        record(
            "game.joined",
            _("%(p)s joined the planning game %(g)s as a %(k)s.")
            % {"p": name, "g": game.name, "k": seat.get_kind_display()},
            actor=None,
            chapter=game.chapter,
            subject=player,
        )
    return player, raw


def open_round(actor: Member | AnonymousUser | None, game: Game) -> GameRound:
    """Start the game: open round 1 at the board's opening prices."""
    member = require_facilitator(actor, game)
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game.pk)
        if game.status != GameStatus.LOBBY:
            raise ValidationError(_("The game has already started."))
        game.status = GameStatus.PLAYING
        game.save(update_fields=["status"])
        round_ = GameRound.objects.create(
            game=game,
            number=1,
            deadline=timezone.now() + timedelta(seconds=game.round_seconds),
            prices=game.board_state["prices"],
        )
        record(
            "game.round_opened",
            _("%(a)s opened round 1 of the planning game %(g)s.")
            % {"a": member.display_name, "g": game.name},
            actor=member,
            chapter=game.chapter,
            subject=round_,
        )
    return round_


def extend_round(actor: Member | AnonymousUser | None, game: Game, seconds: int) -> GameRound:
    member = require_facilitator(actor, game)
    if not 10 <= seconds <= 600:
        raise ValidationError({"seconds": _("Extend by 10 to 600 seconds.")})
    with transaction.atomic():
        round_ = open_round_of(game, lock=True)
        round_.deadline = max(round_.deadline, timezone.now()) + timedelta(seconds=seconds)
        round_.save(update_fields=["deadline"])
        record(
            "game.round_extended",
            _("%(a)s gave round %(n)d of %(g)s %(s)d more seconds.")
            % {"a": member.display_name, "n": round_.number, "g": game.name, "s": seconds},
            actor=member,
            chapter=game.chapter,
            subject=round_,
        )
    return round_


def open_round_of(game: Game, *, lock: bool = False) -> GameRound:
    rounds = GameRound.objects.filter(
        game=game, status=RoundStatus.OPEN, game__status=GameStatus.PLAYING
    )
    if lock:
        rounds = rounds.select_for_update()
    found = rounds.first()
    if found is None:
        raise ValidationError(_("No round is open."))
    return found


def proposed_goods(game: Game, seat: Seat) -> tuple[list[int], list[int]]:
    """Goods the seat's council offers (supply) and asks for (demand), by index."""
    economy = economy_of(game.scenario)
    one = game_councils.council(economy, seat.population, seat.row)
    supply, demand = game_councils.optimum(one, economy.initial_prices)
    return sorted(supply), sorted(demand)


def _quantities(
    raw: Mapping[Any, Any], allowed: list[int], side: str, names: tuple[str, ...]
) -> dict[str, float]:
    out: dict[str, float] = {}
    label = _("supply") if side == "supply" else _("demand")
    for key, value in raw.items():
        try:
            index = int(key)
        except (TypeError, ValueError):
            index = -1
        if index not in allowed:
            raise ValidationError(
                {
                    side: _("%(side)s: good %(g)s is not one this council proposes.")
                    % {"side": label, "g": str(key)[:40]}
                }
            )
        try:
            q = float(value)
        except (TypeError, ValueError):
            q = math.nan
        if not (math.isfinite(q) and 0 <= q <= MAX_QUANTITY):
            raise ValidationError(
                {
                    side: _("%(side)s of %(good)s: %(v)s is not a quantity from 0 to 10^12.")
                    % {"side": label, "good": names[index], "v": str(value)[:40]}
                }
            )
        out[str(index)] = q
    return out


def submit_move(
    player: Player | None,
    supply: Mapping[Any, Any],
    demand: Mapping[Any, Any],
) -> Move:
    """Record the player's council's proposal for the open round (replacing an earlier one)."""
    if player is None:
        raise PermissionDenied(_("Join the game first."))
    game = player.game
    seat = player.seat
    offered, asked = proposed_goods(game, seat)
    names = economy_of(game.scenario).goods.names
    clean_supply = _quantities(supply, offered, "supply", names)
    clean_demand = _quantities(demand, asked, "demand", names)
    with transaction.atomic():
        round_ = open_round_of(game, lock=True)
        try:
            move, created = Move.objects.update_or_create(
                round=round_,
                seat=seat,
                defaults={"player": player, "supply": clean_supply, "demand": clean_demand},
            )
        except IntegrityError:  # pragma: no cover - a teammate's simultaneous first move
            raise ValidationError(
                _("A teammate submitted at the same moment; try again.")
            ) from None
        record(
            "game.move",
            _("%(p)s proposed for the %(k)s %(s)s in round %(n)d of %(g)s.")
            % {
                "p": player.name,
                "k": seat.get_kind_display(),
                "s": seat.name,
                "n": round_.number,
                "g": game.name,
            },
            actor=None,
            chapter=game.chapter,
            subject=move,
            data={"supply": clean_supply, "demand": clean_demand, "new": created},
        )
    return move
