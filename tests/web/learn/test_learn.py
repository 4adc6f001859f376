"""The Learn pages: the introduction in both languages as HTML and PDF, and the explainer."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from parecon.engine import FacilitationBoard, PlanningProcedure, gaps, play_round
from parecon.engine.generate import EconomySpec, generate_economy
from parecon.engine.price_rules import DEFAULT_RULE
from parecon.web.learn import selectors, views

pytestmark = pytest.mark.django_db

#: Every section each document must contain, per language.
HEADINGS = {
    ("summary", "en"): [
        "Participatory society on one page",
        "Four spheres of social life",
        "Ecology and the wider world",
        "The economy: parecon's institutions",
        "How a plan is made",
        "Reading list",
    ],
    ("summary", "es"): [
        "La sociedad participativa en una página",
        "Cuatro esferas de la vida social",
        "La ecología y el mundo",
        "La economía: las instituciones de parecon",
        "Cómo se hace un plan",
        "Lecturas",
    ],
    ("guide", "en"): [
        "A guide to participatory society",
        "1. Why describe a society that does not exist?",
        "2. The spheres of social life",
        "Kinship",
        "Community",
        "Polity",
        "Economy",
        "3. Ecology",
        "4. International relations",
        "5. Councils of workers and consumers",
        "6. Self-management: a say in proportion to how you are affected",
        "7. Balanced job complexes",
        "8. Remuneration for effort, sacrifice and need",
        "9. Participatory planning",
        "The facilitation board and indicative prices",
        "10. A plan in numbers",
        "11. Common questions",
        "12. A year of planning, seen from one street",
        "13. Inside a council's proposal",
        "14. How the board moves prices",
        "15. Real and simulated councils planning together",
        "16. The environment in the plan",
        "17. Balancing jobs in a real workplace",
        "18. Rating effort fairly",
        "19. Deciding together",
        "20. A chapter on the platform",
        "21. Running a teach-in with the planning game",
        "22. Words to know",
        "Reading list",
    ],
    ("guide", "es"): [
        "Guía de la sociedad participativa",
        "1. ¿Por qué describir una sociedad que no existe?",
        "2. Las esferas de la vida social",
        "Parentesco",
        "Comunidad",
        "Política",
        "Economía",
        "3. Ecología",
        "4. Relaciones internacionales",
        "5. Consejos de trabajadores y de consumidores",
        "6. Autogestión: voz en proporción a cuánto te afecta",
        "7. Complejos de trabajo equilibrados",
        "8. Remuneración según esfuerzo, sacrificio y necesidad",
        "9. Planificación participativa",
        "El consejo de facilitación y los precios indicativos",
        "10. Un plan en números",
        "11. Preguntas frecuentes",
        "12. Un año de planificación, visto desde una calle",
        "13. Dentro de la propuesta de un consejo",
        "14. Cómo mueve los precios el consejo de facilitación",
        "15. Consejos reales y simulados planificando juntos",
        "16. El medio ambiente en el plan",
        "17. Equilibrar los trabajos en un lugar de trabajo real",
        "18. Valorar el esfuerzo con justicia",
        "19. Decidir juntos",
        "20. Un capítulo en la plataforma",
        "21. Una jornada de formación con el juego de planificación",
        "22. Palabras clave",
        "Lecturas",
    ],
}

READINGS = ["Democratic Economic Planning", "Parecon: Life After Capitalism", "IOPS", "Hahnel"]


def headings(page: str) -> list[str]:
    found = re.findall(r"<h([123])[^>]*>(.*?)</h\1>", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for _level, text in found]


@pytest.mark.parametrize(("kind", "lang"), sorted(HEADINGS))
def test_each_pdf_is_printed_from_html_with_every_section(kind: str, lang: str) -> None:
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=lang)
    with translation.override(lang):
        source = views.document_html(request, kind)  # type: ignore[arg-type]
    found = headings(source)
    for heading in HEADINGS[(kind, lang)]:
        assert heading in found, (kind, lang, heading)
    for title in READINGS:
        assert title in source
    # The figure's numbers come from the engine, rendered into the text.
    assert f"{selectors.planning_figure().rounds}" in source
    from weasyprint import HTML

    pages = len(HTML(string=source).render().pages)
    if kind == "summary":
        assert pages == 1, "the summary must fit one page"
    else:
        assert 20 <= pages <= 30, f"the guide must have 20 to 30 pages, not {pages}"
        # Figure 2: both rules' rounds, computed by the engine, are in the text.
        runs = {run.rule: run.rounds for run in selectors.rule_comparison()}
        assert runs["pequod"] > runs["informed"]
        for rounds in runs.values():
            assert f">{rounds}<" in source or f" {rounds} " in source

    response = Client().get(reverse(f"learn:{kind}_pdf"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"parecon-{kind}-{lang}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pages_render_in_both_languages_without_login(lang: str) -> None:
    client = Client()
    for kind in ("summary", "guide"):
        response = client.get(reverse(f"learn:{kind}"), HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<html lang="{lang}">' in page
        for heading in HEADINGS[(kind, lang)]:
            assert heading in headings(page)
    index = client.get(reverse("learn:index"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert ("Aprender sobre" in index) == (lang == "es")
    assert reverse("learn:guide_pdf") in index


def test_the_nav_links_to_learn() -> None:
    page = Client().get(reverse("site:home")).content.decode()
    assert f'href="{reverse("learn:index")}"' in page


def test_the_figure_is_the_engines_plan() -> None:
    figure = selectors.planning_figure()
    result = PlanningProcedure(tolerance=0.03).run(
        generate_economy(EconomySpec(n_consumers=300, n_workers=300), seed=1)
    )
    assert figure.rounds == result.rounds
    assert len(figure.bars) == len(result.history)
    assert [b.max_gap for b in figure.bars] == [r.max_gap for r in result.history]
    assert figure.converged and figure.last_gap < 0.03
    assert selectors.planning_figure() is figure  # computed once per process


def _cell(page: str, good: str, col: str) -> float:
    match = re.search(rf'data-good="{good}" data-col="{col}">([^<]+)<', page)
    assert match, (good, col)
    return float(match.group(1))


def test_plan_by_hand_shows_the_engines_supply_demand_and_gaps() -> None:
    economy = generate_economy(
        EconomySpec(n_consumers=30, n_workers=9, goods_per_category=1), seed=1
    )
    prices = np.array([900.0, 650.0, 2000.0, 1800.0, 500.0])
    query = {f"p{i}": str(p) for i, p in enumerate(prices)}
    response = Client().get(reverse("learn:planning"), query)
    assert response.status_code == 200
    page = response.content.decode()
    answer = economy.respond(prices)
    g = gaps(answer.supply, answer.demand)
    for i, name in enumerate(economy.goods.names):
        assert _cell(page, name, "supply") == pytest.approx(answer.supply[i], abs=0.005)
        assert _cell(page, name, "demand") == pytest.approx(answer.demand[i], abs=0.005)
        assert _cell(page, name, "gap") == pytest.approx(g[i], abs=0.0005)
        assert f'name="p{i}" inputmode="decimal" size="8" value="{prices[i]:g}"' in page
    assert "Not yet feasible" in page
    # The board's answer: one round of the default rule on a fresh board at these prices.
    board = FacilitationBoard(
        DEFAULT_RULE, prices, tolerance=0.03, max_rounds=2, goods=economy.goods
    )
    record = play_round(board, economy)
    for i, name in enumerate(economy.goods.names):
        assert _cell(page, name, "next") == pytest.approx(record.next_prices[i], abs=0.005)
    assert record.next_prices[0] < prices[0]  # excess supply of the private good
    assert "lower the price" in page
    link = re.search(r'href="(/learn/planning/\?p0=[^"]+)"', page)
    assert link, "a link announces the board's prices"
    nxt = Client().get(html.unescape(link.group(1))).content.decode()
    assert _cell(nxt, "private-1", "supply") == pytest.approx(
        economy.respond(record.next_prices).supply[0], abs=0.01
    )
    # Other prices, other answers: the page is not a fixed table.
    other = Client().get(reverse("learn:planning")).content.decode()
    assert _cell(other, "private-1", "supply") != _cell(page, "private-1", "supply")


def test_plan_by_hand_reaches_feasible_at_the_engines_plan() -> None:
    economy = selectors.tiny_economy()
    plan = PlanningProcedure(tolerance=0.03).run(economy)
    assert plan.converged
    query = {f"p{i}": repr(float(p)) for i, p in enumerate(plan.prices)}
    page = Client().get(reverse("learn:planning"), query).content.decode()
    assert "Feasible: every gap is under the tolerance." in page


@pytest.mark.parametrize("bad", ["-3", "abc", "0", "inf", "1e12"])
def test_plan_by_hand_refuses_a_bad_price_with_a_located_message(bad: str) -> None:
    response = Client().get(reverse("learn:planning"), {"p2": bad})
    assert response.status_code == 422
    page = response.content.decode()
    assert f"Price of resource-1: {html.escape(bad)} is not a positive number" in page
    assert page.count('role="alert"') == 1


def test_figure_two_is_the_engines_two_rules() -> None:
    economy = generate_economy(EconomySpec(n_consumers=300, n_workers=300), seed=1)
    fast = PlanningProcedure(tolerance=0.03).run(economy)
    slow = PlanningProcedure("pequod", tolerance=0.03, max_rounds=100).run(economy)
    runs = {run.rule: run for run in selectors.rule_comparison()}
    assert runs["pequod"].rounds == slow.rounds and runs["informed"].rounds == fast.rounds
    assert runs["pequod"].converged and runs["informed"].converged
    page = Client().get(reverse("learn:guide")).content.decode()
    assert f"with Pequod&#x27;s rule it took {slow.rounds} rounds" in page or (
        f"with Pequod's rule it took {slow.rounds} rounds" in page
    )
