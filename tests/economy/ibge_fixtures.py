"""Tiny supply-use tables written in each of IBGE's layouts (with xlwt), for the reader.

A synthetic economy of 3 activities and 4 products (5 for the 51-activity
layout, whose products outnumber its activities) is balanced by
construction: supply at purchasers' prices = output + imports + margins +
taxes = intermediate + final uses, product by product; value added closes
each activity's column. :data:`LAYOUTS` lists how IBGE's sheets differ:
product codes (two digits, letters, five digits stored as text or as
numbers, or none), a blank row before ``Total`` or not, exports and imports in
one column or split, and the name of government consumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Layout:
    level: int
    year: int
    product_codes: str  # "2digit", "letter", "5digit", "numeric", "none"
    blank_before_total: bool
    split_trade: bool  # exports: goods + services; imports: CIF/FOB + goods + services
    government: str
    n_products: int = 4


LAYOUTS = {
    "12 activities, 2010 on": Layout(12, 2019, "2digit", True, False, "Consumo do governo"),
    "12 activities, 2000-2009": Layout(
        12, 2005, "2digit", False, True, "Consumo da administração pública"
    ),
    "20 activities": Layout(20, 2019, "letter", True, False, "Consumo do governo"),
    "51 activities, 2000-2009": Layout(
        51, 2005, "none", False, True, "Consumo da administração pública", 5
    ),
    "51 activities, 2010 on": Layout(
        51, 2019, "none", True, True, "Consumo da administração pública", 5
    ),
    "68 activities": Layout(68, 2019, "5digit", True, False, "Consumo do governo", 5),
    "68 activities, numeric codes": Layout(
        68, 2016, "numeric", True, False, "Consumo do governo", 5
    ),
}

ACTIVITIES = ("Agropecuária", "Comércio", "Transporte, armazenagem e correio")
PRODUCTS = (
    "Agropecuária",
    "Comércio",
    "Transporte de carga",
    "Produtos alimentares",
    "Outros equipamentos de transporte",  # "transporte" in its name, but no margin
)


@dataclass(frozen=True)
class Economy:
    """The synthetic table at purchasers' prices, as IBGE publishes it."""

    make: np.ndarray  # products x activities
    imports: np.ndarray  # products
    trade: np.ndarray
    transport: np.ndarray
    import_tax: np.ndarray
    ipi: np.ndarray
    icms: np.ndarray
    other_taxes: np.ndarray
    ci: np.ndarray  # products x activities
    final: np.ndarray  # products x (exports, government, npish, households, gfcf, stocks)
    compensation: np.ndarray
    surplus: np.ndarray
    other_va_taxes: np.ndarray
    subsidies: np.ndarray
    employment: np.ndarray

    @property
    def purchasers(self) -> np.ndarray:
        return (
            self.make.sum(axis=1)
            + self.imports
            + self.trade
            + self.transport
            + self.import_tax
            + self.ipi
            + self.icms
            + self.other_taxes
        )


def synthetic(n_products: int) -> Economy:
    """A balanced table; product 1 supplies the trade margin, product 2 transport."""
    a = len(ACTIVITIES)
    make = np.zeros((n_products, a))
    for p in range(n_products):
        make[p, p % a] = 1000.0 * (p + 2)
        make[p, (p + 1) % a] = 30.0 * (p + 1)
    basic = make.sum(axis=1)
    imports = np.array([80.0, 0.0, 20.0, 150.0, 40.0][:n_products])
    trade = 0.08 * (basic + imports)
    trade[1] = 0.0
    trade[1] = -trade.sum()
    transport = 0.03 * (basic + imports)
    transport[1:3] = 0.0
    transport[2] = -transport.sum()
    import_tax = 0.05 * imports
    ipi = 0.02 * basic
    icms = 0.06 * basic
    other_taxes = 0.01 * basic
    total = basic + imports + trade + transport + import_tax + ipi + icms + other_taxes
    shares = np.array([0.25, 0.05, 0.03, 0.37, 0.12, 0.01])  # of total, per final use
    final = total[:, None] * shares[None, :]
    final[0, 5] = -0.01 * total[0]  # a stock run-down
    final[2, 1] = 0.0  # no government transport
    ci_total = total - final.sum(axis=1)
    weights = np.array([[0.5, 0.2, 0.3], [0.2, 0.3, 0.5], [0.3, 0.4, 0.3], [0.6, 0.1, 0.3],
                        [0.2, 0.5, 0.3]])[:n_products]  # fmt: skip
    ci = ci_total[:, None] * weights
    output = make.sum(axis=0)
    value_added = output - ci.sum(axis=0)
    assert (value_added > 0.2 * output).all()
    compensation = 0.5 * value_added
    other_va = 0.02 * value_added
    subsidies = -0.01 * value_added
    surplus = value_added - compensation - other_va - subsidies
    return Economy(
        make, imports, trade, transport, import_tax, ipi, icms, other_taxes, ci, final,
        compensation, surplus, other_va, subsidies, np.array([500.0, 300.0, 200.0]),
    )  # fmt: skip


def _codes(layout: Layout, n: int) -> list[object]:
    if layout.product_codes == "2digit":
        return [f"{p + 1:02d}" for p in range(n)]
    if layout.product_codes == "letter":
        return ["ABCDEFGH"[p] for p in range(n)]
    if layout.product_codes == "5digit":
        return [f"0{1911 + p}" for p in range(n)]
    if layout.product_codes == "numeric":
        return [float(1911 + p) for p in range(n)]
    return []


def _activity_heading(layout: Layout, j: int) -> str:
    if layout.product_codes == "none":
        return ACTIVITIES[j]
    code = {"letter": "ABC"[j], "5digit": f"0{191 + j}", "numeric": f"0{191 + j}"}.get(
        layout.product_codes, f"{j + 1:02d}"
    )
    return f"{code}\n{ACTIVITIES[j]}"


def _sheet(
    book: object,
    name: str,
    layout: Layout,
    group: str,
    headings: list[str],
    labels: list[str],
    codes: list[object],
    values: np.ndarray,
    total: bool = True,
    edits: dict[tuple[str, int, int], object] | None = None,
) -> None:
    sh = book.add_sheet(name)  # type: ignore[attr-defined]
    edits = edits or {}
    headings = [str(edits.get((name, -1, c), h)) for c, h in enumerate(headings)]
    sh.write(0, 0, f"Tabela - {name} - {layout.year}")
    first = 2 if codes else 1
    if codes:
        sh.write(2, 0, "Código\ndo\nproduto")
    sh.write(2, first - 1, "Descrição do produto" if labels[0][:1] != " " else "Operações")
    sh.write(2, first, f"{group} (valores correntes em 1 000 000 R$)")
    for c, h in enumerate(headings):
        sh.write(3, first + c, h)
    r = 5
    for k, label in enumerate(labels):
        if codes:
            sh.write(r, 0, codes[k])
        sh.write(r, first - 1, label)
        for c in range(values.shape[1]):
            sh.write(r, first + c, edits.get((name, k, c), float(values[k, c])))
        r += 1
    if total:
        r += 1 if layout.blank_before_total else 0
        sh.write(r, 0, "Total")
        for c in range(values.shape[1]):
            sh.write(r, first + c, float(values[:, c].sum()))
        r += 1
    sh.write(r + 1, 0, "Fonte: IBGE, Diretoria de Pesquisas, Coordenação de Contas Nacionais.")


def write_ibge(
    folder: Path,
    layout: Layout,
    economy: Economy | None = None,
    edits: dict[tuple[str, int, int], object] | None = None,
    skip: str | None = None,
) -> Path:
    """Write ``NN_tab1_YYYY.xls`` and ``NN_tab2_YYYY.xls``; return the first.

    ``edits`` replaces cells: ``(sheet, data row, data column)`` (row ``-1``:
    the heading) by a value; ``skip`` leaves one sheet out.
    """
    import xlwt  # type: ignore[import-untyped]

    e = economy or synthetic(layout.n_products)

    def put(book: object, name: str, *args: object, **kwargs: object) -> None:
        if name != skip:
            _sheet(book, name, layout, *args, edits=edits, **kwargs)  # type: ignore[arg-type]

    n = layout.n_products
    labels = list(PRODUCTS[:n])
    codes = _codes(layout, n)
    acts = [_activity_heading(layout, j) for j in range(len(ACTIVITIES))]
    folder.mkdir(parents=True, exist_ok=True)
    tab1 = folder / f"{layout.level}_tab1_{layout.year}.xls"
    tab2 = folder / f"{layout.level}_tab2_{layout.year}.xls"

    book = xlwt.Workbook()  # type: ignore[attr-defined]
    taxes = e.import_tax + e.ipi + e.icms + e.other_taxes
    oferta = np.column_stack(
        [e.purchasers, e.trade, e.transport, e.import_tax, e.ipi, e.icms, e.other_taxes,
         taxes, e.make.sum(axis=1) + e.imports]
    )  # fmt: skip
    put(book, "oferta", "Oferta de bens e serviços", [
        "Oferta total\na preço\nde consumidor", "Margem  de comércio", "Margem de transporte",
        "Imposto de importação", "IPI", "ICMS", "Outros impostos menos subsídios",
        "Total de impostos líquidos de subsídios", "Oferta total  a preço básico ",
    ], labels, codes, oferta)  # fmt: skip
    make = np.column_stack([e.make, e.make.sum(axis=1)])
    put(book, "producao", "Produção das atividades", [*acts, "Total\ndo produto"],
           labels, codes, make)  # fmt: skip
    if layout.split_trade:
        imports = np.column_stack([np.zeros(n), 0.7 * e.imports, 0.3 * e.imports])
        heads = ["Ajuste CIF/FOB", "Importação de bens", "Importação de serviços"]
    else:
        imports, heads = e.imports[:, None], ["Importação de bens\ne serviços (1)"]
    put(book, "importacao", "Importação", heads, labels, codes, imports)
    book.save(str(tab1))

    book = xlwt.Workbook()  # type: ignore[attr-defined]
    ci = np.column_stack([e.ci, e.ci.sum(axis=1)])
    put(book, "CI", "Consumo intermediário das atividades",
           [*acts, "Total do produto"], labels, codes, ci)  # fmt: skip
    exports = e.final[:, :1]
    ex_heads = ["Exportação de bens e serviços (1)"]
    if layout.split_trade:
        exports = np.column_stack([0.8 * e.final[:, 0], 0.2 * e.final[:, 0]])
        ex_heads = ["Exportação de bens ", "Exportação de serviços"]
    demand = np.column_stack(
        [exports, e.final[:, 1:], e.final.sum(axis=1), e.ci.sum(axis=1) + e.final.sum(axis=1)]
    )
    put(book, "demanda", "Demanda final", [
        *ex_heads, layout.government, "Consumo das  ISFLSF", "Consumo  das famílias",
        "Formação bruta de capital fixo", "Variação de estoque", "Demanda final",
        "Demanda total",
    ], labels, codes, demand)  # fmt: skip
    output = e.make.sum(axis=0)
    va_rows = np.vstack(
        [output - e.ci.sum(axis=0), e.compensation, 0.8 * e.compensation, 0.2 * e.compensation,
         e.surplus, e.other_va_taxes, e.subsidies, output, e.employment]
    )  # fmt: skip
    va = np.column_stack([va_rows, va_rows.sum(axis=1)])
    va_labels = [
        "Valor adicionado bruto ( PIB )", "Remunerações", "   Salários",
        "   Contribuições sociais efetivas",
        "Excedente operacional bruto e rendimento misto bruto",
        "Outros impostos sobre a produção", "Outros subsídios à produção",
        "Valor da produção", "Fator trabalho (ocupações)",
    ]  # fmt: skip
    put(book, "VA", "Componentes do valor adicionado",
           [h.split("\n")[-1] if layout.product_codes == "none" else h for h in acts]
           + ["Total do produto"], va_labels, [], va, total=False)  # fmt: skip
    book.save(str(tab2))
    return tab1
