"""Financial analyst: lease-versus-buy for a dental group's CBCT scanner (xlsx model + memo)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import docx_kit as D
from .. import pdf_kit as PDF
from .. import style as S
from .. import xlsx_kit as X
from ..spec import (
    Context,
    TaskSpec,
    c_cell,
    c_name,
    c_sheet,
    c_text,
    item,
    money_re,
    placeholder_penalty,
)

ID = "fin-lease-vs-buy-cbct"
XLSX, MEMO = "Lease_vs_Buy_Analysis.xlsx", "Lease_vs_Buy_Memo.docx"

QUOTE = {  # vendor quote Q-88213: the numbers an analyst must pull out of the PDF
    "unit": 438_000.0, "install": 18_500.0, "training": 6_500.0, "freight": 2_000.0,
    "service": 11_400.0, "residual": 55_000.0, "lease": 112_800.0, "doc_fee": 750.0,
}
YEARS, TAX, BORROW = 5, 0.25, 0.072


@dataclass
class Result:
    rate: float
    installed: float
    buy_flows: list[float]
    lease_flows: list[float]
    pv_buy: float
    pv_lease: float

    @property
    def advantage(self) -> float:
        """Net advantage of leasing: PV cost of buying minus PV cost of leasing."""
        return self.pv_buy - self.pv_lease


def analyse(borrow: float = BORROW) -> Result:
    q = QUOTE
    r = borrow * (1 - TAX)
    installed = q["unit"] + q["install"] + q["training"] + q["freight"]
    dep = installed / YEARS
    buy = [-installed] + [dep * TAX - q["service"] * (1 - TAX)] * YEARS
    buy[YEARS] += q["residual"] * (1 - TAX)
    lease = [-(q["lease"] + q["doc_fee"]) * (1 - TAX)] + [-q["lease"] * (1 - TAX)] * (YEARS - 1)
    lease.append(0.0)
    pv = lambda flows: -sum(f / (1 + r) ** t for t, f in enumerate(flows))  # noqa: E731
    return Result(borrow, installed, buy, lease, pv(buy), pv(lease))


PROMPT = f"""\
You are a senior financial analyst at Harborline Capital Advisors. Your client, Meridian Dental
Group (CFO: Priya Raman), must decide by November 20, 2026 whether to buy or lease a new
cone-beam CT (CBCT) imaging system. The vendor's quote is attached (Vendor_Quote_Q-88213.pdf).

Build a lease-versus-buy analysis with these client assumptions: the scanner is used for 5
years; combined tax rate 25%; Meridian borrows at 7.2% pre-tax, so discount all cash flows at
the after-tax cost of debt; if bought, depreciate the full installed cost straight-line over 5
years to zero and sell at the vendor's estimated residual value at the end of year 5 (the gain is
taxable); buying requires the vendor's annual service contract, paid at each year end, while the
lease includes service. Lease payments are due at the start of each year and, like all fees, are
tax-deductible; treat tax effects as occurring in the year of the cash flow.

Deliver two files:
1. {XLSX} with sheets 'Assumptions', 'Buy', 'Lease' and 'Summary'. On 'Summary' put the
present value of the after-tax cost of buying in B4, of leasing in B5, and the net advantage
of leasing (B4 minus B5) in B6, all as positive cost figures in dollars.
2. {MEMO}, a 1-2 page memo to Priya Raman with your recommendation, the key figures,
sensitivity at borrowing rates of 6.2% and 8.2%, and the non-financial considerations.
"""


def build(ctx: Context) -> TaskSpec:
    base = analyse()
    low, high = analyse(BORROW - 0.01), analyse(BORROW + 0.01)
    # the memo and rubric are written for "buy wins at every tested rate"
    assert base.advantage < 0 and low.advantage < 0 and high.advantage < 0
    _quote_pdf(ctx)
    _workbook(ctx, base, [low, base, high])
    _memo(ctx, base, [low, base, high])
    f_x, f_d = "*.xlsx", "*.docx"
    tol = 250.0
    rubric = [
        item("xlsx-name", 1, f"Delivers an Excel workbook named {XLSX}.",
             c_name("Lease_vs_Buy_Analysis", "xlsx")),
        item("memo-name", 1, f"Delivers a Word memo named {MEMO}.",
             c_name("Lease_vs_Buy_Memo", "docx")),
        item("sheet-summary", 1, "The workbook has a sheet named 'Summary'.",
             c_sheet("Summary", f_x)),
        item("sheet-buy", 1, "The workbook has a sheet named 'Buy' with the year-by-year "
             "after-tax cash flows of purchasing.", c_sheet("Buy", f_x)),
        item("sheet-lease", 1, "The workbook has a sheet named 'Lease' with the year-by-year "
             "after-tax cash flows of leasing.", c_sheet("Lease", f_x)),
        item("installed-cost", 2, f"The purchase case uses the full installed cost of "
             f"{S.money(base.installed, False)} (unit, installation, training and freight "
             "from the quote), not the unit price alone."),
        item("discount-rate", 2, "Cash flows are discounted at the after-tax cost of debt, "
             f"{BORROW * 100:.1f}% x (1 - 25%) = {base.rate * (1 - TAX) * 100:.2f}%."),
        item("pv-buy", 2, f"Summary!B4 shows the PV of the after-tax cost of buying as "
             f"{S.money(base.pv_buy, False)} (within $250).",
             c_cell("Summary", "B4", S.r2(base.pv_buy), tolerance=tol, file=f_x)),
        item("pv-lease", 2, f"Summary!B5 shows the PV of the after-tax cost of leasing as "
             f"{S.money(base.pv_lease, False)} (within $250).",
             c_cell("Summary", "B5", S.r2(base.pv_lease), tolerance=tol, file=f_x)),
        item("advantage", 2, f"Summary!B6 shows the net advantage of leasing as "
             f"{S.money(base.advantage, False)} (negative: buying is cheaper; within $250).",
             c_cell("Summary", "B6", S.r2(base.advantage), tolerance=tol, file=f_x)),
        item("lease-timing", 2, "Lease payments are placed at the start of years 1-5 "
             "(time 0 to 4, an annuity due), with the $750 documentation fee at signing."),
        item("residual", 1, "Year 5 of the purchase case includes the after-tax residual "
             f"value of {S.money(QUOTE['residual'] * (1 - TAX), False)} (the $55,000 sale is "
             "fully taxable because the book value is zero)."),
        item("service", 1, "The purchase case deducts the $11,400 annual service contract "
             "after tax in years 1-5; the lease case does not."),
        item("recommend-buy", 2, "The memo recommends purchasing the scanner and supports "
             "this with the present-value comparison."),
        item("sensitivity", 2, "The memo shows the lease-versus-buy result at borrowing rates "
             f"of 6.2% and 8.2% (buying stays cheaper at both, by about "
             f"{S.money(-low.advantage, False)} and {S.money(-high.advantage, False)}).",
             c_text(pattern=r"8\.2\s*%", file=f_d)),
        item("qualitative", 1, "The memo discusses at least two non-financial factors (e.g. "
             "technology obsolescence, cash and borrowing capacity, end-of-term flexibility, "
             "service risk)."),
        item("memo-figures", 1, "The memo states the PV cost of both options and the "
             "difference between them in dollars.",
             c_text(pattern=money_re(base.pv_buy), file=f_d)),
        item("concise", 1, "The memo is addressed to Priya Raman, dated, and concise "
             "(about one to two pages)."),
        item("formatting", 5, "Overall professionalism and formatting: a clean, labelled "
             "model (inputs separated from calculations, currency formats, clear totals) and a "
             "well-structured memo a CFO could act on."),
        placeholder_penalty(),
        item("recommend-lease", -5, "PENALTY: the memo recommends leasing although the "
             "analysis shows buying has the lower present-value cost."),
        item("pretax-rate", -2, "PENALTY: cash flows are discounted at the pre-tax 7.2% "
             "rate instead of the after-tax cost of debt."),
    ]
    return TaskSpec(
        id=ID, title="Lease-versus-buy analysis for a CBCT imaging system",
        occupation="Financial and Investment Analysts", prompt=PROMPT,
        deliverables=[("xlsx", XLSX), ("docx", MEMO)], expert_hours=5.0, rubric=rubric)


def _quote_pdf(ctx: Context) -> None:
    q = QUOTE
    story = [
        PDF.P("Quotation Q-88213", "title"),
        PDF.P("Date: October 19, 2026 &nbsp;&nbsp;|&nbsp;&nbsp; Valid through: November 30, 2026"
              " &nbsp;&nbsp;|&nbsp;&nbsp; Sales rep: Carla Nguyen", "subtitle"),
        PDF.P("<b>Prepared for:</b> Meridian Dental Group, Attn: Priya Raman, CFO, "
              "2140 Lakeshore Drive, Suite 300, Madison, WI 53703"),
        PDF.gap(),
        PDF.P("Option A: Purchase", "h1"),
        PDF.table(["Item", "Description", "Amount"], [
            ["Apex Vista 3D CBCT", "Cone-beam CT unit, 16x13 cm field of view, "
             "acquisition workstation", S.money(q["unit"])],
            ["Installation", "Site preparation, shielding survey, installation",
             S.money(q["install"])],
            ["Training", "On-site clinical and software training (2 days)", S.money(q["training"])],
            ["Freight", "Delivery and rigging", S.money(q["freight"])],
            ["Total purchase price", "", S.money(q["unit"] + q["install"] + q["training"]
                                                 + q["freight"])],
        ], [1.6, 3.6, 1.3], align="llr", total=True),
        PDF.gap(),
        PDF.P(f"<b>Service contract (required with purchase):</b> Apex ProCare, "
              f"{S.money(q['service'])} per year, billed annually in arrears, covering parts, "
              "labor, sensor replacement and software updates."),
        PDF.P(f"<b>Estimated residual value:</b> {S.money(q['residual'], False)} at the end of "
              "year 5 (Apex trade-in guarantee, subject to normal wear)."),
        PDF.P("Option B: Operating lease through Apex Financial Services", "h1"),
        PDF.table(["Term", "Detail"], [
            ["Lease term", "60 months (5 years)"],
            ["Payment", f"{S.money(q['lease'])} per year, payable annually in advance"],
            ["Documentation fee", f"{S.money(q['doc_fee'])}, due at signing"],
            ["Service", "Apex ProCare included for the full term at no extra charge"],
            ["End of term", "Return the unit, renew, or purchase at fair market value"],
        ], [1.8, 4.7], align="ll"),
        PDF.gap(),
        PDF.P("Prices exclude applicable sales tax. Lease subject to credit approval. "
              "Payment terms for purchase: 30% deposit with order, balance net 30 after "
              "installation.", "small"),
    ]
    PDF.build(ctx.input("Vendor_Quote_Q-88213.pdf"), story, title="Quotation Q-88213",
              org="Apex Dental Imaging Systems, Inc.",
              org_lines=["880 Commerce Park Blvd, Itasca, IL 60143", "(630) 555-0148",
                         "quotes@apexdentalimaging.example"],
              footer="Apex Dental Imaging Systems, Inc. - Quotation Q-88213")


def _workbook(ctx: Context, base: Result, sens: list[Result]) -> None:
    q = QUOTE
    wb = X.new_workbook("Lease vs buy analysis - Apex Vista 3D CBCT", "Meridian Dental Group")
    ws = X.sheet(wb, "Summary", first=True)
    X.title_block(ws, "Lease vs. Buy - Apex Vista 3D CBCT",
                  ["Meridian Dental Group | Prepared by Harborline Capital Advisors | "
                   "November 6, 2026"])
    X.header_row(ws, 3, ["Present value of after-tax cost", "Amount", "Check (formula)"])
    rows = [("Buy", base.pv_buy, "=Buy!H14"),
            ("Lease", base.pv_lease, "=Lease!H10"),
            ("Net advantage of leasing (B4 - B5)", base.advantage, "=B4-B5")]
    for i, (label, value, formula) in enumerate(rows):
        r = 4 + i
        ws.cell(r, 1, label)
        ws.cell(r, 2, S.r2(value)).number_format = S.USD_NEG
        ws.cell(r, 3, formula).number_format = S.USD_NEG
        for c in range(1, 4):
            ws.cell(r, c).border = X.BOX
            ws.cell(r, c).font = X.BOLD if i == 2 else X.BODY_FONT
    ws.cell(7, 1, "Decision").font = X.BOLD
    ws.cell(7, 2, "BUY" if base.advantage < 0 else "LEASE").font = X.BOLD
    X.section(ws, 9, "Sensitivity to the pre-tax borrowing rate")
    X.table(ws, 10, ["Borrowing rate", "After-tax rate", "PV cost - buy", "PV cost - lease",
                     "Advantage of leasing"],
            [[s.rate, s.rate * (1 - TAX), S.r2(s.pv_buy), S.r2(s.pv_lease), S.r2(s.advantage)]
             for s in sens], formats=[S.PCT1, "0.00%", S.USD, S.USD, S.USD_NEG])
    X.note(ws, 14, "Negative advantage = leasing costs more than buying in present-value terms.")
    X.widths(ws, [38, 16, 18, 18, 20])

    wa = X.sheet(wb, "Assumptions")
    X.title_block(wa, "Assumptions", ["Blue-shaded inputs feed the Buy and Lease sheets."])
    pairs = [("Purchase price - CBCT unit", q["unit"], S.USD),
             ("Installation", q["install"], S.USD),
             ("Training", q["training"], S.USD), ("Freight", q["freight"], S.USD),
             ("Installed cost (depreciable basis)", "=SUM(B4:B7)", S.USD),
             ("Annual service contract (buy only, year end)", q["service"], S.USD),
             ("Residual value, end of year 5", q["residual"], S.USD),
             ("Annual lease payment (in advance)", q["lease"], S.USD),
             ("Lease documentation fee (at signing)", q["doc_fee"], S.USD),
             ("Useful life / lease term (years)", YEARS, "0"),
             ("Tax rate", TAX, S.PCT1), ("Pre-tax borrowing rate", BORROW, "0.00%"),
             ("After-tax discount rate", "=B15*(1-B14)", "0.00%")]
    X.header_row(wa, 3, ["Input", "Value"])
    X.kv_rows(wa, 4, pairs)
    for r in (4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15):
        wa.cell(r, 2).fill = X.TOTAL_FILL
    X.note(wa, 18, "Source: Apex quotation Q-88213 (Oct 19, 2026); tax and borrowing rate "
           "per Meridian CFO.")
    X.widths(wa, [44, 16])

    years = list(range(YEARS + 1))
    wb_ = X.sheet(wb, "Buy")
    X.title_block(wb_, "Buy - after-tax cash flows", ["Year 0 = signing; service and "
                                                      "depreciation at each year end."])
    X.header_row(wb_, 3, ["Line", *[f"Year {y}" for y in years], "Total / PV"])
    col = lambda y: chr(ord("B") + y)  # noqa: E731
    lines = [
        ("Installed cost", ["=-Assumptions!B8"] + [0] * YEARS),
        ("Service contract (pre-tax)", [0] + ["=-Assumptions!B9"] * YEARS),
        ("Tax saving on service", [0] + [f"=-{col(y)}5*Assumptions!B14" for y in years[1:]]),
        ("Depreciation (straight-line)", [0] + ["=Assumptions!B8/Assumptions!B13"] * YEARS),
        ("Depreciation tax shield", [0] + [f"={col(y)}7*Assumptions!B14" for y in years[1:]]),
        ("Residual value", [0] * YEARS + ["=Assumptions!B10"]),
        ("Tax on gain (book value 0)", [0] * YEARS + ["=-G9*Assumptions!B14"]),
        ("Net after-tax cash flow", [f"={c}4+{c}5+{c}6+{c}8+{c}9+{c}10"
                                     for c in map(col, years)]),
        ("Discount factor", [f"=1/(1+Assumptions!B16)^{y}" for y in years]),
        ("Present value", [f"={col(y)}11*{col(y)}12" for y in years]),
    ]
    for i, (label, vals) in enumerate(lines):
        r = 4 + i
        wb_.cell(r, 1, label).font = X.BOLD if label.startswith(("Net", "Present")) else X.BODY_FONT
        for y, v in enumerate(vals):
            c = wb_.cell(r, 2 + y, v)
            c.number_format = "0.0000" if label == "Discount factor" else S.USD_NEG
            c.border = X.BOX
        wb_.cell(r, 1).border = X.BOX
    wb_.cell(13, 8, "=SUM(B13:G13)").number_format = S.USD_NEG
    wb_.cell(14, 1, "PV of after-tax cost of buying").font = X.BOLD
    wb_.cell(14, 8, "=-H13").number_format = S.USD_NEG
    wb_.cell(14, 8).font = X.BOLD
    wb_.cell(14, 8).fill = X.TOTAL_FILL
    X.widths(wb_, [34] + [15] * 7)

    wl = X.sheet(wb, "Lease")
    X.title_block(wl, "Lease - after-tax cash flows", ["Payments annually in advance (years "
                                                        "0-4); service included."])
    X.header_row(wl, 3, ["Line", *[f"Year {y}" for y in years], "Total / PV"])
    lines = [
        ("Lease payment", ["=-Assumptions!B11" if y < YEARS else 0 for y in years]),
        ("Documentation fee", ["=-Assumptions!B12"] + [0] * YEARS),
        ("Tax saving", [f"=-({col(y)}4+{col(y)}5)*Assumptions!B14" for y in years]),
        ("Net after-tax cash flow", [f"={col(y)}4+{col(y)}5+{col(y)}6" for y in years]),
        ("Discount factor", [f"=1/(1+Assumptions!B16)^{y}" for y in years]),
        ("Present value", [f"={col(y)}7*{col(y)}8" for y in years]),
    ]
    for i, (label, vals) in enumerate(lines):
        r = 4 + i
        wl.cell(r, 1, label).font = X.BOLD if label.startswith(("Net", "Present")) else X.BODY_FONT
        wl.cell(r, 1).border = X.BOX
        for y, v in enumerate(vals):
            c = wl.cell(r, 2 + y, v)
            c.number_format = "0.0000" if label == "Discount factor" else S.USD_NEG
            c.border = X.BOX
    wl.cell(9, 8, "=SUM(B9:G9)").number_format = S.USD_NEG
    wl.cell(10, 1, "PV of after-tax cost of leasing").font = X.BOLD
    wl.cell(10, 8, "=-H9").number_format = S.USD_NEG
    wl.cell(10, 8).font = X.BOLD
    wl.cell(10, 8).fill = X.TOTAL_FILL
    X.widths(wl, [34] + [15] * 7)
    wb.move_sheet("Assumptions", offset=-1)
    X.save(wb, ctx.gold_file(XLSX))


def _memo(ctx: Context, base: Result, sens: list[Result]) -> None:
    doc = D.new_doc("Lease vs. buy recommendation - CBCT system", "Meridian Dental Group")
    D.letterhead(doc, "Harborline Capital Advisors", ["410 East Wisconsin Avenue, Milwaukee, WI",
                                                       "(414) 555-0192"])
    D.memo_block(doc, [("TO:", "Priya Raman, Chief Financial Officer, Meridian Dental Group"),
                       ("FROM:", "Daniel Okoro, Senior Financial Analyst"),
                       ("DATE:", "November 6, 2026"),
                       ("RE:", "Lease vs. buy - Apex Vista 3D CBCT (quote Q-88213)")])
    saving = -base.advantage
    D.heading(doc, "Recommendation")
    D.para(doc, [("Buy the scanner. ", "b"),
                 (f"Over the five-year life, purchasing costs {S.money(base.pv_buy, False)} in "
                  f"present-value after-tax terms against {S.money(base.pv_lease, False)} for the "
                  f"Apex operating lease, a saving of {S.money(saving, False)}. Buying remains "
                  "cheaper across the range of borrowing rates we tested.", "")])
    D.heading(doc, "Key figures")
    D.table(doc, ["Present value of after-tax cost", "Amount"], [
        ["Buy (installed cost, service contract, depreciation shield, residual)",
         S.money(base.pv_buy, False)],
        ["Lease (5 annual payments in advance, documentation fee)", S.money(base.pv_lease, False)],
        ["Net advantage of leasing (negative favors buying)", S.money(base.advantage, False)],
    ], widths=[4.9, 1.6], align="lr")
    D.heading(doc, "Basis of the analysis")
    D.bullets(doc, [
        f"Installed cost {S.money(base.installed, False)}: unit $438,000, installation $18,500, "
        "training $6,500 and freight $2,000, depreciated straight-line over 5 years to zero.",
        f"Discount rate {base.rate * (1 - TAX) * 100:.2f}%: the 7.2% borrowing rate after 25% tax.",
        "Buying adds the $11,400 ProCare service contract at each year end; the lease includes it.",
        "Residual value of $55,000 at the end of year 5 is fully taxable "
        f"({S.money(QUOTE['residual'] * (1 - TAX), False)} after tax).",
        "Lease payments of $112,800 are due at the start of each year, plus a $750 fee at "
        "signing; all lease costs are deductible.",
    ])
    D.heading(doc, "Sensitivity to the borrowing rate")
    D.table(doc, ["Pre-tax borrowing rate", "PV cost - buy", "PV cost - lease",
                  "Saving from buying"],
            [[f"{s.rate * 100:.1f}%", S.money(s.pv_buy, False), S.money(s.pv_lease, False),
              S.money(-s.advantage, False)] for s in sens],
            widths=[1.7, 1.6, 1.6, 1.6], align="rrrr")
    D.para(doc, "A higher borrowing rate narrows the gap because the lease defers cash outflows, "
           "but buying stays cheaper even at 8.2%.")
    D.heading(doc, "Non-financial considerations")
    D.bullets(doc, [
        [("Cash and covenants. ", "b"), ("Buying needs about $139,500 at order (30% deposit) and "
                                         "the balance after installation; confirm this fits the "
                                         "line-of-credit covenants before committing.", "")],
        [("Technology risk. ", "b"), ("CBCT sensors and software improve quickly; the lease's "
                                      "fair-market-value return option hedges obsolescence, "
                                      "which the numbers do not price.", "")],
        [("Service. ", "b"), ("Both options carry Apex ProCare, so uptime risk is similar; "
                              "ownership keeps service renewal in your hands after year 5.", "")],
        [("Tax. ", "b"), ("We used straight-line depreciation as instructed; Section 179 or bonus "
                          "depreciation would bring the tax shield forward and widen the case "
                          "for buying. Please confirm with your tax adviser.", "")],
    ])
    D.heading(doc, "Next steps")
    D.bullets(doc, [
        "Approve the purchase by November 20, 2026 so the quote (valid to November 30) holds.",
        "Ask Apex to confirm the $55,000 trade-in guarantee in the purchase agreement.",
        "We will send the workbook (Lease_vs_Buy_Analysis.xlsx) for your team's review.",
    ], numbered=True)
    D.save(doc, ctx.gold_file(MEMO))
