"""What a plan means in value: pollution charges and credits, resource prices, balance.

These read a plan at its indicative prices (``PlanResult.prices``) and say who
pays and who is credited for pollutants, what the year's fixed capital
stocks and natural resources are worth at the margin (their opportunity cost),
and whether consumption matches budgets and the net product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parecon.engine.economy import Economy
from parecon.engine.goods import GoodCategory
from parecon.engine.populations import FloatArray

__all__ = [
    "EconomyBalance",
    "FactorAccount",
    "PollutantAccount",
    "PollutionAccounts",
    "economy_balance",
    "factor_accounts",
    "pollution_accounts",
]


@dataclass(frozen=True)
class PollutantAccount:
    """One pollutant in the plan: ``charges = price × emitted`` is what polluters
    pay, ``credits = price × permitted`` what affected communities are credited."""

    good: str
    price: float
    emitted: float
    permitted: float
    charges: float
    credits: float


@dataclass(frozen=True)
class PollutionAccounts:
    """Pollutants, who pays and who is credited.

    Attributes
    ----------
    pollutants : tuple of PollutantAccount
    community_credits : dict of str to float
        Value credited to each affected community (over all its pollutants).
    council_credits : ndarray of shape (n_consumer_councils,)
        Credited to each consumer council, in the order of the consumer blocks.
    polluter_charges : ndarray of shape (n_worker_councils,)
        Paid by each worker council (Cobb-Douglas blocks in order); it is part
        of the council's social cost, so its emissions count against its benefit.
    """

    pollutants: tuple[PollutantAccount, ...]
    community_credits: dict[str, float]
    council_credits: FloatArray
    polluter_charges: FloatArray

    @property
    def charges(self) -> float:
        return float(sum(p.charges for p in self.pollutants))

    @property
    def credits(self) -> float:
        return float(sum(p.credits for p in self.pollutants))


def pollution_accounts(economy: Economy, prices: FloatArray) -> PollutionAccounts:
    """Charges and credits of every pollutant at ``prices`` (shape (n_goods,))."""
    prices = np.asarray(prices, dtype=float)
    goods = economy.goods.indices(GoodCategory.POLLUTANT)
    emitted = np.zeros(economy.n_goods)
    permitted = np.zeros(economy.n_goods)
    community: dict[str, float] = {}
    council: list[FloatArray] = []
    charges: list[FloatArray] = []
    for pop in economy.populations:
        response = pop.respond(prices)
        permitted += response.supply * economy.goods.mask(GoodCategory.POLLUTANT)
        if pop.role == "consumers":
            for name, v in pop.community_credits(prices).items():
                if v or name not in community:
                    community[name] = community.get(name, 0.0) + v
            council.append(pop.credits(prices))
            continue
        emitted[goods] += response.demand[goods]
        if pop.role == "workers" and not goods.size:  # no pollutant: nothing to charge
            charges.append(np.zeros(pop.n_councils))
        elif pop.role == "workers":
            demand = pop.proposals(prices).demand
            charges.append(np.asarray(demand[:, goods] @ prices[goods], dtype=float).ravel())
    accounts = tuple(
        PollutantAccount(
            economy.goods.names[g],
            float(prices[g]),
            float(emitted[g]),
            float(permitted[g]),
            float(prices[g] * emitted[g]),
            float(prices[g] * permitted[g]),
        )
        for g in goods
    )
    return PollutionAccounts(
        accounts,
        community,
        np.concatenate(council) if council else np.zeros(0),
        np.concatenate(charges) if charges else np.zeros(0),
    )


@dataclass(frozen=True)
class FactorAccount:
    """A good in fixed supply this year (capital stock, natural resource, labour type).

    ``price`` is its indicative price: the opportunity cost of a unit, what the
    plan would lose without it. ``value = price × supply``.
    """

    good: str
    category: str
    supply: float
    used: float
    price: float
    value: float


def factor_accounts(
    economy: Economy,
    prices: FloatArray,
    categories: tuple[GoodCategory, ...] = (GoodCategory.RESOURCE,),
) -> tuple[FactorAccount, ...]:
    """Supply, use and indicative price of each good in ``categories``."""
    response = economy.respond(np.asarray(prices, dtype=float))
    return tuple(
        FactorAccount(
            economy.goods.names[g],
            GoodCategory(int(economy.goods.categories[g])).name.lower(),
            float(response.supply[g]),
            float(response.demand[g]),
            float(prices[g]),
            float(prices[g] * response.supply[g]),
        )
        for g in economy.goods.indices(*categories)
    )


@dataclass(frozen=True)
class EconomyBalance:
    """Consumption against budgets and against the net product, in value.

    Attributes
    ----------
    budgets : float
        Consumer councils' budgets before credits (allowances or fixed incomes).
    credits : float
        Pollution credits added to those budgets.
    consumed : float
        Value of what consumer councils propose to consume (public goods at
        their cost shares): equals ``budgets + credits``.
    net_product : float
        Value of everything else's net offer: worker councils' output less
        inputs, resources, capital, labour, and permits.
    """

    budgets: float
    credits: float
    consumed: float
    net_product: float

    @property
    def imbalance(self) -> float:
        """``(consumed − net product) / net product``: 0 in a clearing plan."""
        return (self.consumed - self.net_product) / self.net_product


def economy_balance(economy: Economy, prices: FloatArray) -> EconomyBalance:
    """The value balance of the plan proposed at ``prices``."""
    prices = np.asarray(prices, dtype=float)
    budgets = credits = consumed = net = 0.0
    for pop in economy.populations:
        response = pop.respond(prices)
        if pop.role == "consumers":
            consumed += float(prices @ response.demand)
            net += float(prices @ response.supply)
            budgets += float(pop.budgets().sum())
            credits += float(pop.credits(prices).sum())
        else:
            net += float(prices @ (response.supply - response.demand))
    return EconomyBalance(budgets, credits, consumed, net)
