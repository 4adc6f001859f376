"""The discussion's part of the demo: threads in Barcelona and Spain, a mention,
an announcement, a flagged post the mediator hid."""

from __future__ import annotations

from parecon.web.chapters import services as chapters
from parecon.web.chapters.models import Chapter, Level
from parecon.web.discussion import services
from parecon.web.members.models import Member


def add_demo_threads(people: dict[str, Member]) -> None:
    barcelona = Chapter.objects.get(geonameid=3128760)
    ada, bruno, carla, dan = people["ada"], people["bruno"], people["carla"], people["dan"]
    elena, farid, hugo = people["elena"], people["farid"], people["hugo"]
    services.start_thread(
        ada,
        barcelona,
        title="Assembly on Thursday: next year's bread and beer",
        body=(
            "We meet at the Ateneu at 19:00. On the agenda: the bakery's proposal for "
            "next year, the brewery's new kettle, and the rotation of the cleaning.\n\n"
            "@carla-puig will bring the budgets."
        ),
        announcement=True,
    )
    thread, _found = services.start_thread(
        hugo,
        barcelona,
        title="How do we rate the desirability of night shifts?",
        body="The bakery starts at 4 a.m. Should that count as a burden in the balance?",
    )
    services.reply(farid, thread, body="Yes, and it should rotate. @hugo, I can share my notes.")
    post, _found = services.reply(
        elena, thread, body="Night shifts are a burden; we rated them 8 of 10 last year."
    )
    services.edit_post(
        elena,
        post,
        body="Night shifts are a burden: we rated them 8 of 10 last year, 7 the year before.",
    )
    rude, _found = services.reply(bruno, thread, body="Whoever bakes at 4 a.m. is a fool.")
    services.flag_post(carla, rude, reason="Insulting; we can disagree without this.")
    services.hide_post(
        dan, rude, reason="Please disagree without insults; rephrase and post again."
    )
    spain = Chapter.objects.get(level=Level.COUNTRY, country_code="ES")
    chapters.join(ada, spain)
    chapters.join(people["ines"], spain)
    services.start_thread(
        people["ines"],
        spain,
        title="A Spanish federation of city chapters?",
        body="Madrid and Barcelona could plan their shared goods together. @ada, shall we talk?",
    )
