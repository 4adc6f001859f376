"""The room planning game: a game, its seats (councils of the scenario), players, rounds, moves.

A :class:`Game` is started by a facilitator from a scenario (an economy); each of
the scenario's councils a person may play is a :class:`Seat`. People join with the
game's short code and no account: a :class:`Player` is known by a random token
(kept hashed) held in their browser's session or by a bot. Each :class:`GameRound`
announces prices; a seat's :class:`Move` is its proposal for that round. Closing a
round hands every played seat's latest move, with the unplayed councils simulated,
to the core's facilitation board (as the planning app does).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GameStatus(models.TextChoices):
    LOBBY = "lobby", _("waiting for players")
    PLAYING = "playing", _("playing")
    FINISHED = "finished", _("finished")


class SeatKind(models.TextChoices):
    CONSUMER = "consumer", _("consumer council")
    WORKER = "worker", _("worker council")


class Game(models.Model):
    code = models.CharField(max_length=8, unique=True)
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.PROTECT, related_name="games")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    #: Where the economy comes from: {"source": "town"|"city"|"barcelona"|"file", ...}.
    scenario = models.JSONField()
    status = models.CharField(max_length=10, choices=GameStatus.choices, default="lobby")
    round_seconds = models.PositiveIntegerField(_("seconds per round"), default=120)
    max_rounds = models.PositiveIntegerField(_("round limit"), default=10)
    tolerance = models.FloatField(_("tolerance"), default=0.03)
    team_size = models.PositiveIntegerField(_("players per council"), default=1)
    #: The facilitation board between rounds (``planning.facilitation``'s document).
    board_state = models.JSONField(default=dict)
    #: The debrief, computed once when the game finishes.
    debrief = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Seat(models.Model):
    """A council of the scenario people may play: row ``row`` of population ``population``."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="seats")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=SeatKind.choices)
    population = models.PositiveIntegerField()
    row = models.PositiveIntegerField()
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ("index",)
        constraints = (
            models.UniqueConstraint(fields=("game", "index"), name="one_seat_per_index"),
            models.UniqueConstraint(
                fields=("game", "population", "row"), name="one_seat_per_council"
            ),
        )

    def __str__(self) -> str:
        return self.name


class Player(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="players")
    name = models.CharField(_("name"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    is_bot = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("joined_at", "pk")

    def __str__(self) -> str:
        return self.name


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open for proposals")
    CLOSED = "closed", _("closed")


class GameRound(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=6, choices=RoundStatus.choices, default="open")
    opened_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    prices = models.JSONField()
    supply = models.JSONField(default=list)
    demand = models.JSONField(default=list)
    gaps = models.JSONField(default=list)
    max_gap = models.FloatField(null=True, blank=True)
    next_prices = models.JSONField(default=list)
    #: Per played seat (by index, as a string): its move's score at this round's prices.
    results = models.JSONField(default=dict)
    n_moves = models.PositiveIntegerField(default=0)
    close_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("number",)
        constraints = (
            models.UniqueConstraint(fields=("game", "number"), name="one_game_round_per_number"),
        )


class Move(models.Model):
    """A seat's proposal in one round: {good index (str): quantity} offered and asked for."""

    round = models.ForeignKey(GameRound, on_delete=models.CASCADE, related_name="moves")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="moves")
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="moves")
    supply = models.JSONField(default=dict)
    demand = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("round", "seat"), name="one_move_per_seat"),)
