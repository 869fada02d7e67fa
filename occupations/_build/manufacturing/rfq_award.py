"""Buyer: normalize three suppliers' quotes (PDF, xlsx, csv), compute landed cost and
recommend an award (xlsx bid tabulation + docx memo)."""

from __future__ import annotations

import csv
import io

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

ID = "buy-rfq-2611-bearing-award"
BOOK, MEMO = "RFQ-2611_Bid_Tabulation.xlsx", "RFQ-2611_Award_Recommendation.docx"
MAX_LEAD = 4  # weeks
# sku, description, annual volume
SKUS = [("6205-2RS", "Deep groove ball bearing, 25x52x15, sealed", 4800),
        ("6308-ZZ", "Deep groove ball bearing, 40x90x23, shielded", 1200),
        ("NU210", "Cylindrical roller bearing, 50x90x20", 600),
        ("32212", "Tapered roller bearing, 60x110x29.75", 450),
        ("UCP208", "Pillow block unit, 40 mm bore", 900),
        ("MS-35", "Mechanical seal kit, 35 mm shaft", 750)]
A, B, C = "Midwest Bearing Supply", "Great Lakes Industrial", "Pacific Rim Components"
SUPPLIERS = {
    A: {"freight": 0.00, "discount": 0.00, "terms": "Net 30", "note": "incumbent"},
    B: {"freight": 0.03, "discount": 0.02, "terms": "2% 10, net 30", "note": ""},
    C: {"freight": 0.06, "discount": 0.00, "terms": "Net 45", "note": ""},
}
# per-each prices and lead times (weeks); None = no quote
PRICES = {
    A: {"6205-2RS": (3.42, 2), "6308-ZZ": (9.85, 2), "NU210": (28.40, 2), "32212": (34.90, 2),
        "UCP208": (21.75, 2), "MS-35": (46.20, 2)},
    B: {"6205-2RS": (3.15, 3), "6308-ZZ": (9.40, 3), "NU210": (26.90, 3), "32212": (33.80, 3),
        "UCP208": (19.80, 3), "MS-35": (44.90, 3)},
    C: {"6205-2RS": (2.95, 4), "6308-ZZ": (8.90, 4), "NU210": (24.10, 8), "32212": (31.20, 8),
        "UCP208": (18.60, 4), "MS-35": None},
}
B_UNITS = {"6205-2RS": ("box of 10", 10), "NU210": ("per 100", 100), "UCP208": ("box of 10", 10)}


def landed(supplier: str, sku: str, vol: int) -> float | None:
    """Annual landed cost: merchandise less early-pay discount plus freight; None if the
    quote is missing or breaks the lead-time limit."""
    q = PRICES[supplier][sku]
    if q is None or q[1] > MAX_LEAD:
        return None
    s = SUPPLIERS[supplier]
    return q[0] * vol * (1 - s["discount"] + s["freight"])


def evaluate() -> dict:
    rows = []
    for sku, desc, vol in SKUS:
        costs = {s: landed(s, sku, vol) for s in SUPPLIERS}
        best = min((c, s) for s, c in costs.items() if c is not None)
        rows.append({"sku": sku, "desc": desc, "vol": vol, "costs": costs, "winner": best[1],
                     "award": best[0], "incumbent": costs[A]})
    total = sum(r["award"] for r in rows)
    base = sum(r["incumbent"] for r in rows)
    single_b = sum(r["costs"][B] for r in rows)
    return {"rows": rows, "total": total, "base": base, "savings": base - total,
            "single_b": single_b}


PROMPT = f"""\
You are a senior buyer at Caldera Pump Works in Dayton, Ohio. RFQ-2611 asked three suppliers to
quote our six highest-volume bearing and seal items for calendar 2027 (annual volumes in
RFQ-2611_Line_Items.xlsx). The quotes arrived in three formats: Midwest Bearing Supply, our
incumbent (Quote_Midwest_Bearing.pdf), Great Lakes Industrial (Quote_Great_Lakes.xlsx, some
prices per box or per 100) and Pacific Rim Components (Quote_Pacific_Rim.csv).

Evaluate on annual landed cost: unit price x annual volume, less any early-payment discount
(we always pay within the discount window), plus freight as quoted. A quote is compliant only
if lead time is 4 weeks or less. Award each item to the lowest compliant landed cost.

Deliver:
1. {BOOK}: a 'Bid Tab' sheet normalizing every quote to a price per each, with landed cost by
supplier and item, and an 'Award' sheet showing the winner per item. On 'Award', put the total
annual landed cost of your recommended award in B3 and the annual savings versus awarding
everything to the incumbent in B4.
2. {MEMO}: a one-page recommendation to Janet Liu, Director of Supply Chain, with the award,
savings, risks and next steps.
"""


def build(ctx: Context) -> TaskSpec:
    ev = evaluate()
    _inputs(ctx)
    _book(ctx, ev)
    _memo(ctx, ev)
    fx, fd = "*.xlsx", "*.docx"
    wins = {s: [r["sku"] for r in ev["rows"] if r["winner"] == s] for s in SUPPLIERS}
    rubric = [
        item("book-name", 1, f"Delivers the bid tabulation as {BOOK}.",
             c_name("RFQ-2611_Bid_Tabulation", "xlsx")),
        item("memo-name", 1, f"Delivers the memo as {MEMO}.",
             c_name("RFQ-2611_Award_Recommendation", "docx")),
        item("sheet-bidtab", 1, "The workbook has a 'Bid Tab' sheet.", c_sheet("Bid Tab", fx)),
        item("sheet-award", 1, "The workbook has an 'Award' sheet.", c_sheet("Award", fx)),
        item("normalize", 2, "Normalizes Great Lakes prices quoted per box of 10 or per 100 to a "
             "price per each (6205-2RS $3.15, NU210 $26.90, UCP208 $19.80)."),
        item("discount", 2, "Applies Great Lakes' 2% early-payment discount to merchandise and "
             "adds freight at 3% (Great Lakes) and 6% (Pacific Rim) of merchandise."),
        item("lead-time", 2, "Rules out Pacific Rim on NU210 and 32212 (8-week lead time) and "
             "notes it did not quote MS-35."),
        item("award-split", 2, f"Awards {', '.join(wins[C])} to {C} and "
             f"{', '.join(wins[B])} to {B}."),
        item("total", 2, f"Award!B3 shows the recommended award's annual landed cost of "
             f"{S.money(ev['total'])} (within $25).",
             c_cell("Award", "B3", S.r2(ev["total"]), tolerance=25, file=fx)),
        item("savings", 2, f"Award!B4 shows annual savings versus the incumbent of "
             f"{S.money(ev['savings'])} (within $25).",
             c_cell("Award", "B4", S.r2(ev["savings"]), tolerance=25, file=fx)),
        item("memo-savings", 1, "The memo states the annual savings in dollars and as a "
             f"percentage ({ev['savings'] / ev['base'] * 100:.1f}%).",
             c_text(pattern=money_re(ev["savings"]), file=fd)),
        item("memo-risks", 2, "The memo weighs the risks of the split award: moving volume off "
             "the incumbent, Pacific Rim's longer transit and 4-week lead time, qualification "
             "(first-article inspection) and AP's ability to pay within 10 days."),
        item("memo-next", 1, "The memo gives next steps (e.g. supplier notifications, first "
             "articles, blanket POs, safety stock during transition)."),
        item("memo-length", 1, "The memo is addressed to Janet Liu and fits on about one page."),
        item("formatting", 5, "Overall professionalism and formatting: a clear, auditable bid "
             "tab (units, currency formats, compliant/non-compliant marked) and a crisp memo."),
        placeholder_penalty(),
        item("noncompliant-award", -5, "PENALTY: awards NU210 or 32212 to Pacific Rim despite "
             "its 8-week lead time."),
        item("unit-error", -2, "PENALTY: compares Great Lakes' per-box or per-100 prices as if "
             "they were per-each prices."),
    ]
    return TaskSpec(id=ID, title="RFQ bid tabulation and award recommendation",
                    occupation="Buyers and Purchasing Agents", prompt=PROMPT,
                    deliverables=[("xlsx", BOOK), ("docx", MEMO)], expert_hours=4.0,
                    rubric=rubric)


def _inputs(ctx: Context) -> None:
    wb = X.new_workbook("RFQ-2611 line items", "Caldera Pump Works")
    X.plain(wb, "Line Items", ["Line", "Part No.", "Description", "Annual Volume (EA)",
                               "Max Lead Time"],
            [[i, sku, desc, vol, "4 weeks"] for i, (sku, desc, vol) in enumerate(SKUS, 1)],
            col_widths=[6, 12, 44, 18, 14])
    X.save(wb, ctx.input("RFQ-2611_Line_Items.xlsx"))

    story = [PDF.P("Quotation MBS-44190", "title"),
             PDF.P("Re: Caldera Pump Works RFQ-2611 | Date: October 27, 2026 | Valid 60 days",
                   "subtitle"),
             PDF.table(["Part No.", "Description", "Unit", "Price", "Lead time"],
                       [[sku, desc, "EA", S.money(PRICES[A][sku][0]),
                         f"{PRICES[A][sku][1]} weeks"] for sku, desc, _ in SKUS],
                       [1.0, 3.0, 0.5, 0.9, 1.0], align="lllrr"),
             PDF.P("Terms: Net 30. Freight: prepaid and allowed (FOB destination). Prices firm "
                   "for calendar 2027.", "body"),
             PDF.P("Thank you for the continued partnership. - Ray Kowalski, Account Manager",
                   "small")]
    PDF.build(ctx.input("Quote_Midwest_Bearing.pdf"), story, title="Quotation MBS-44190",
              org=A, org_lines=["4410 Industrial Pkwy, Columbus, OH 43228", "(614) 555-0177"],
              footer=f"{A} - Quotation MBS-44190")

    wb = X.new_workbook("Quote RFQ-2611", B)
    rows = []
    for sku, desc, _ in SKUS:
        price, lead = PRICES[B][sku]
        unit, mult = B_UNITS.get(sku, ("EA", 1))
        rows.append([sku, desc.split(",")[0], unit, round(price * mult, 2), f"{lead} wks"])
    ws = X.plain(wb, "Quote", ["Item #", "Description", "UOM", "Price (USD)", "Lead"], rows,
                 col_widths=[12, 34, 12, 12, 8])
    ws.append([])
    ws.append(["Terms: 2% 10, Net 30"])
    ws.append(["Freight: 3% of merchandise value, added to invoice"])
    ws.append(["Quote valid through 12/31/2026. Contact: Dana Ruiz, "
               "dana.ruiz@greatlakes-ind.example"])
    X.save(wb, ctx.input("Quote_Great_Lakes.xlsx"))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["part_number", "unit_price_usd", "uom", "lead_time_weeks", "moq", "remarks"])
    for sku, _, _ in SKUS:
        q = PRICES[C][sku]
        if q is None:
            w.writerow([sku, "", "", "", "", "NO QUOTE - not in our catalog"])
        else:
            w.writerow([sku, f"{q[0]:.2f}", "EA", q[1], 1000 if sku == "6205-2RS" else 100,
                        "ex-works + freight 6% of merchandise; terms net 45"])
    ctx.input("Quote_Pacific_Rim.csv").write_text(buf.getvalue(), encoding="utf-8")


def _book(ctx: Context, ev: dict) -> None:
    wb = X.new_workbook("RFQ-2611 bid tabulation", "Caldera Pump Works")
    wa = X.sheet(wb, "Award", first=True)
    X.title_block(wa, "RFQ-2611 Award Summary")
    for r, (label, v) in enumerate((("Recommended award - annual landed cost", ev["total"]),
                                    ("Annual savings vs. incumbent (all to Midwest)",
                                     ev["savings"]),
                                    ("Savings %", ev["savings"] / ev["base"])), start=3):
        wa.cell(r, 1, label).font = X.BOLD
        c = wa.cell(r, 2, S.r2(v) if r < 5 else round(v, 4))
        c.number_format, c.font, c.border = (S.USD if r < 5 else S.PCT1), X.BOLD, X.BOX
        wa.cell(r, 1).border = X.BOX
        c.fill = wa.cell(r, 1).fill = X.TOTAL_FILL
    rows = [[r["sku"], r["desc"], r["vol"], r["winner"], S.r2(r["award"]), S.r2(r["incumbent"]),
             S.r2(r["incumbent"] - r["award"])] for r in ev["rows"]]
    rows.append(["Total", "", "", "", S.r2(ev["total"]), S.r2(ev["base"]), S.r2(ev["savings"])])
    X.table(wa, 7, ["Part No.", "Description", "Annual vol.", "Awarded to", "Landed cost",
                    "Incumbent landed", "Savings"], rows,
            formats=[None, None, S.NUM0, None, S.USD, S.USD, S.USD], total=True)
    X.widths(wa, [44, 40, 12, 26, 15, 17, 13])

    wt = X.sheet(wb, "Bid Tab")
    X.title_block(wt, "RFQ-2611 Bid Tabulation", [
        "Landed cost = unit price (EA) x annual volume x (1 - early-pay discount + freight %). "
        "Non-compliant: lead time over 4 weeks or no quote."])
    heads = ["Part No.", "Annual vol."]
    for s in SUPPLIERS:
        short = s.split()[0]
        heads += [f"{short} price/EA", f"{short} lead (wk)", f"{short} landed"]
    heads.append("Lowest compliant")
    X.header_row(wt, 4, heads)
    r = 5
    for row in ev["rows"]:
        vals: list[object] = [row["sku"], row["vol"]]
        for s in SUPPLIERS:
            q = PRICES[s][row["sku"]]
            if q is None:
                vals += ["no quote", "", "n/a"]
            else:
                cost = row["costs"][s]
                vals += [q[0], q[1], S.r2(cost) if cost is not None else "non-compliant"]
        vals.append(row["winner"])
        for j, v in enumerate(vals, 1):
            c = wt.cell(r, j, v)
            c.border, c.font = X.BOX, X.BODY_FONT
            if isinstance(v, float):
                c.number_format = S.USD
            if v == "non-compliant":
                c.font = X.Font(name=S.FONT, size=10, color=S.BAD, italic=True)
        r += 1
    r += 1
    X.section(wt, r, "Supplier terms")
    X.table(wt, r + 1, ["Supplier", "Payment terms", "Early-pay discount", "Freight",
                        "Source / units"], [
        [A, "Net 30", 0, 0, "PDF quote, per each"],
        [B, "2% 10, net 30", 0.02, 0.03, "XLSX; 6205-2RS & UCP208 per box of 10, NU210 per 100"],
        [C, "Net 45", 0, 0.06, "CSV, per each; MS-35 not quoted"]],
            formats=[None, None, S.PCT0, S.PCT0, None])
    wt.freeze_panes = "C5"
    X.widths(wt, [24, 14] + [12, 9, 14] * 3 + [24])
    X.save(wb, ctx.gold_file(BOOK))


def _memo(ctx: Context, ev: dict) -> None:
    doc = D.new_doc("RFQ-2611 award recommendation", "Caldera Pump Works purchasing")
    D.memo_block(doc, [("TO:", "Janet Liu, Director of Supply Chain"),
                       ("FROM:", "Sam Okonkwo, Senior Buyer"), ("DATE:", "November 3, 2026"),
                       ("RE:", "RFQ-2611 bearings and seals: award recommendation for 2027")])
    pct = ev["savings"] / ev["base"] * 100
    wins = {s: [r for r in ev["rows"] if r["winner"] == s] for s in SUPPLIERS}
    D.heading(doc, "Recommendation")
    D.para(doc, [("Split the award between Pacific Rim Components and Great Lakes Industrial. ",
                  "b"),
                 (f"Annual landed cost falls from {S.money(ev['base'], False)} with Midwest "
                  f"Bearing (incumbent) to {S.money(ev['total'], False)}, saving "
                  f"{S.money(ev['savings'], False)} ({pct:.1f}%). Awarding everything to Great "
                  f"Lakes would cost {S.money(ev['single_b'], False)}.", "")])
    D.table(doc, ["Supplier", "Items", "Annual landed cost"],
            [[s, ", ".join(r["sku"] for r in wins[s]),
              S.money(sum(r["award"] for r in wins[s]), False)] for s in (C, B)]
            + [["Total", "", S.money(ev["total"], False)]],
            widths=[2.2, 2.6, 1.7], align="llr", total=True)
    D.heading(doc, "Basis")
    D.bullets(doc, [
        "Landed cost = price per each x 2027 volume, less Great Lakes' 2% early-pay discount, "
        "plus freight (Great Lakes 3%, Pacific Rim 6%; Midwest freight allowed).",
        "Great Lakes prices quoted per box of 10 (6205-2RS, UCP208) and per 100 (NU210) were "
        "converted to per-each.",
        "Pacific Rim is non-compliant on NU210 and 32212 (8-week lead time) and did not quote "
        "MS-35.",
    ])
    D.heading(doc, "Risks and mitigations")
    D.bullets(doc, [
        [("New supplier. ", "b"), ("Pacific Rim has not supplied us before: require first-"
                                   "article inspection and certificates of conformance before "
                                   "the first production order.", "")],
        [("Lead time. ", "b"), ("Pacific Rim's 4 weeks is at our limit; carry two weeks of "
                                "safety stock on its three items during the first quarter.", "")],
        [("Early-pay discount. ", "b"), ("The Great Lakes saving depends on AP paying within 10 "
                                         "days; confirm with Accounts Payable.", "")],
        [("Incumbent. ", "b"), ("Midwest loses all six items but stays qualified as our backup "
                                "source; tell them early and keep the relationship.", "")],
    ])
    D.heading(doc, "Next steps")
    D.bullets(doc, ["Approve the split award by November 13, 2026.",
                    "Notify all three suppliers; issue 2027 blanket POs by December 1.",
                    "Schedule first-article inspection of Pacific Rim samples in December.",
                    "Review delivery and quality performance after Q1 2027."], numbered=True)
    D.save(doc, ctx.gold_file(MEMO))
