"""Sales manager: Q3 commissions for four reps from a messy sales ledger under a tiered plan
with credits, cancellations, house accounts and new-account bonuses (xlsx)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass

from .. import pdf_kit as PDF
from .. import style as S
from .. import xlsx_kit as X
from ..spec import Context, TaskSpec, c_cell, c_name, c_sheet, item, placeholder_penalty

ID = "sm-q3-commission-calculation"
BOOK = "Q3_Commission_Calculation.xlsx"
BASE, ACCEL, BONUS, BONUS_MIN = 0.04, 0.07, 500.0, 5000.0
REPS = {  # name: (quota, name variants in the ledger)
    "Jorge Alvarez": (300_000, ["Jorge Alvarez", "J. Alvarez", "ALVAREZ, JORGE"]),
    "Priya Nair": (260_000, ["Priya Nair", "P. Nair", "pnair"]),
    "Tom Becker": (280_000, ["Tom Becker", "Thomas Becker", "T. Becker"]),
    "Lena Kowalski": (220_000, ["Lena Kowalski", "L. Kowalski", "KOWALSKI, LENA"]),
}
HOUSE = "Midwest Hospital Group"   # house account: no commission
NEW = [  # new accounts' Q3 orders: (rep, customer, date, amount)
    ("Jorge Alvarez", "Ridgeway Fabrication", dt.date(2026, 8, 11), 12_480.00),
    ("Priya Nair", "Cobalt Brewing Co.", dt.date(2026, 7, 22), 7_260.00),
    ("Priya Nair", "Fenwick Dental Labs", dt.date(2026, 9, 17), 3_980.00),
    ("Tom Becker", "Harbor Point Marina", dt.date(2026, 8, 25), 5_000.00),
    ("Lena Kowalski", "Sable Creek Farms", dt.date(2026, 7, 30), 2_900.00),
    ("Lena Kowalski", "Sable Creek Farms", dt.date(2026, 9, 10), 3_150.00),
]
CUSTOMERS = ["Apex Tool & Die", "Baxter Foods", "Crane Logistics", "Delta Plastics",
             "Elmwood Printing", "Foster Auto Group", "Granite Builders", "Hillcrest Dairy",
             "Ironside Metals", "Juniper Labs"]


@dataclass(frozen=True)
class Inv:
    no: str
    day: dt.date
    rep: str
    customer: str
    amount: float
    status: str         # Paid | Open | Credit Memo | Cancelled
    new: bool = False


def ledger() -> tuple[list[Inv], list[int]]:
    """Q3 invoices and the indexes of the two rows exported twice."""
    rng = random.Random(ID)
    out: list[Inv] = []
    n = 71000
    targets = {"Jorge Alvarez": 352_000, "Priya Nair": 281_000, "Tom Becker": 241_000,
               "Lena Kowalski": 226_000}
    for rep, goal in targets.items():
        total = 0.0
        for r, cust, day, amt in NEW:
            if r == rep:
                n += 7
                out.append(Inv(f"INV-{n}", day, rep, cust, amt, "Open", True))
                total += amt
        while total < goal - 30_000:
            n += 7
            amt = round(rng.uniform(6_000, 38_000), 2)
            day = dt.date(2026, 7, 1) + dt.timedelta(days=rng.randint(0, 91))
            out.append(Inv(f"INV-{n}", day, rep, rng.choice(CUSTOMERS), amt,
                           rng.choice(["Paid", "Paid", "Open"])))
            total += amt
        n += 7
        out.append(Inv(f"INV-{n}", dt.date(2026, 9, 29), rep, rng.choice(CUSTOMERS),
                       round(goal - total, 2), "Open"))
    out += [
        Inv("CM-2291", dt.date(2026, 8, 19), "Jorge Alvarez", "Baxter Foods", -4_850.00,
            "Credit Memo"),
        Inv("CM-2317", dt.date(2026, 9, 8), "Tom Becker", "Granite Builders", -2_310.40,
            "Credit Memo"),
        Inv("INV-72455", dt.date(2026, 8, 2), "Priya Nair", "Elmwood Printing", 18_400.00,
            "Cancelled"),
        Inv("INV-72610", dt.date(2026, 9, 21), "Lena Kowalski", "Foster Auto Group", 9_725.00,
            "Cancelled"),
        Inv("INV-72388", dt.date(2026, 7, 27), "Tom Becker", HOUSE, 41_260.00, "Paid"),
        Inv("INV-72502", dt.date(2026, 9, 3), "Jorge Alvarez", HOUSE, 16_980.00, "Open"),
    ]
    out.sort(key=lambda i: (i.day, i.no))
    return out, [5, 23]


def compute() -> dict:
    rows, dups = ledger()
    reps = {}
    for rep, (quota, _) in REPS.items():
        mine = [i for i in rows if i.rep == rep and i.status != "Cancelled"
                and i.customer != HOUSE]
        net = sum(i.amount for i in mine)
        tier1 = min(net, quota) * BASE
        tier2 = max(net - quota, 0) * ACCEL
        firsts: dict[str, float] = {}
        for i in mine:
            if i.new:
                firsts[i.customer] = firsts.get(i.customer, 0) + i.amount
        bonus = BONUS * sum(v >= BONUS_MIN for v in firsts.values())
        reps[rep] = {"net": S.r2(net), "quota": quota, "attain": net / quota,
                     "tier1": S.r2(tier1), "tier2": S.r2(tier2), "bonus": bonus,
                     "payout": S.r2(tier1 + tier2 + bonus), "new": firsts}
    total = S.r2(sum(r["payout"] for r in reps.values()))
    # the same plan applied without cleaning (duplicates, cancelled and house kept)
    naive = 0.0
    for rep, (quota, _) in REPS.items():
        net = sum(i.amount for i in rows if i.rep == rep)
        net += sum(rows[k].amount for k in dups if rows[k].rep == rep)
        naive += min(net, quota) * BASE + max(net - quota, 0) * ACCEL + reps[rep]["bonus"]
    return {"rows": rows, "dups": dups, "reps": reps, "total": total, "naive": S.r2(naive)}


PROMPT = f"""\
You are the sales manager at Northline Industrial Supply, a wholesale distributor. Q3 2026
commissions are due to payroll by October 16, 2026. The sales ledger export
(Q3_Sales_Ledger_2026.csv) lists every invoice, credit memo and cancellation for July-September;
rep names are entered inconsistently and two invoices were exported twice. The 2026 commission
plan is attached (Commission_Plan_2026.pdf).

Calculate each rep's Q3 commission under the plan and deliver {BOOK} with:
- 'Clean Ledger': the de-duplicated ledger with standardized rep names and a column showing
  whether each line is commissionable and why not when it is not;
- 'Rep Summary': one row per rep with commissionable net sales, quota, attainment %, commission
  at the base rate, commission at the accelerated rate, new-account bonuses and total payout,
  with the total payout for all reps in cell B3;
- 'Exceptions': every excluded or adjusted item (duplicates, cancellations, house-account sales,
  credit memos, new accounts that did not qualify for a bonus) with the amount and reason.
"""


def build(ctx: Context) -> TaskSpec:
    c = compute()
    _inputs(ctx, c)
    _book(ctx, c)
    fx = "*.xlsx"
    r = c["reps"]
    rubric = [
        item("file-name", 1, f"Delivers an Excel workbook named {BOOK}.",
             c_name("Q3_Commission_Calculation", "xlsx")),
        item("sheet-clean", 1, "Has a 'Clean Ledger' sheet.", c_sheet("Clean Ledger", fx)),
        item("sheet-summary", 1, "Has a 'Rep Summary' sheet.", c_sheet("Rep Summary", fx)),
        item("sheet-exceptions", 1, "Has an 'Exceptions' sheet.", c_sheet("Exceptions", fx)),
        item("total", 2, f"'Rep Summary'!B3 shows total Q3 payout of {S.money(c['total'])} "
             "(within $1).", c_cell("Rep Summary", "B3", c["total"], tolerance=1, file=fx)),
        item("names", 1, "Standardizes rep name variants (e.g. 'J. Alvarez', 'ALVAREZ, JORGE') "
             "to four reps."),
        item("duplicates", 2, "Removes the two duplicated invoice rows."),
        item("cancelled", 2, "Excludes the cancelled invoices INV-72455 ($18,400.00) and "
             "INV-72610 ($9,725.00)."),
        item("house", 2, f"Excludes house-account sales to {HOUSE} (INV-72388 and "
             "INV-72502)."),
        item("credits", 1, "Deducts credit memos CM-2291 and CM-2317 from the reps' net "
             "sales."),
        item("tiers", 2, "Pays 4% up to quota and 7% above quota: "
             + "; ".join(f"{k.split()[1]} {S.money(v['payout'])}" for k, v in r.items()) + "."),
        item("attainment", 1, "Shows attainment: " + ", ".join(
            f"{k.split()[1]} {v['attain'] * 100:.1f}%" for k, v in r.items()) + "."),
        item("bonus", 2, "Pays the $500 new-account bonus only for new customers with at least "
             "$5,000 of Q3 sales, once per customer: "
             + ", ".join(f"{cust} {'yes' if amt >= BONUS_MIN else 'no'} ({S.money(amt)})"
                         for v in r.values() for cust, amt in v["new"].items()) + "."),
        item("formatting", 5, "Overall professionalism and formatting: a payroll-ready "
             "workbook with clear totals, currency and percentage formats and an audit trail."),
        placeholder_penalty(),
        item("naive-total", -5, f"PENALTY: the total payout keeps duplicates, cancellations "
             f"and house sales ('Rep Summary'!B3 = {S.money(c['naive'])}).",
             c_cell("Rep Summary", "B3", c["naive"], tolerance=1, file=fx)),
        item("flat-rate", -2, "PENALTY: pays one rate on all sales, ignoring the quota tiers."),
    ]
    return TaskSpec(id=ID, title="Quarterly sales commission calculation",
                    occupation="Sales Managers", prompt=PROMPT, deliverables=[("xlsx", BOOK)],
                    expert_hours=3.0, rubric=rubric)


def _inputs(ctx: Context, c: dict) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["doc_no", "doc_date", "sales_rep", "customer", "new_account", "amount",
                "status"])
    for k, i in enumerate(c["rows"]):
        variants = REPS[i.rep][1]
        line = [i.no, i.day.strftime("%m/%d/%Y") if k % 2 else i.day.isoformat(),
                variants[k % 3], i.customer, "Y" if i.new else "",
                f"{i.amount:.2f}" if k % 5 else f"${i.amount:,.2f}", i.status]
        w.writerow(line)
        if k in c["dups"]:
            w.writerow(line[:2] + [variants[0]] + line[3:])
    ctx.input("Q3_Sales_Ledger_2026.csv").write_text(buf.getvalue(), encoding="utf-8")

    story = [
        PDF.P("2026 Sales Commission Plan: Outside Sales", "title"),
        PDF.P("Effective January 1, 2026. Paid quarterly with the payroll following quarter "
              "end.", "subtitle"),
        PDF.P("1. Commissionable sales", "h2"),
        PDF.P("Commission is earned on net invoiced sales in the quarter: invoices (paid or "
              "open) less credit memos issued in the quarter. Cancelled invoices are not "
              "sales. Sales to house accounts (currently Midwest Hospital Group) are managed by "
              "the company and earn no commission."),
        PDF.P("2. Rates", "h2"),
        PDF.P("4% of commissionable sales up to the rep's quarterly quota, and 7% of "
              "commissionable sales above quota."),
        PDF.table(["Rep", "Q3 2026 quota"], [[k, S.money(v[0], False)] for k, v in REPS.items()],
                  [3.0, 2.0], align="lr"),
        PDF.P("3. New-account bonus", "h2"),
        PDF.P("$500 for each new customer (flagged as a new account) whose commissionable sales "
              "in the quarter total at least $5,000. Paid once per new customer."),
        PDF.P("4. Administration", "h2"),
        PDF.P("The sales manager reconciles the ledger, documents every exclusion, and submits "
              "payouts to payroll by the 16th day after quarter end."),
    ]
    PDF.build(ctx.input("Commission_Plan_2026.pdf"), story, title="2026 commission plan",
              org="Northline Industrial Supply", org_lines=["Sales compensation",
                                                            "Confidential"],
              footer="Northline Industrial Supply - 2026 outside sales commission plan")


def _book(ctx: Context, c: dict) -> None:
    wb = X.new_workbook("Q3 2026 commissions", "Northline Industrial Supply")
    ws = X.sheet(wb, "Rep Summary", first=True)
    X.title_block(ws, "Q3 2026 Commission Summary")
    ws.cell(3, 1, "Total Q3 payout, all reps").font = X.BOLD
    cell = ws.cell(3, 2, c["total"])
    cell.number_format, cell.font, cell.fill, cell.border = S.USD, X.BOLD, X.TOTAL_FILL, X.BOX
    ws.cell(3, 1).fill, ws.cell(3, 1).border = X.TOTAL_FILL, X.BOX
    rows = [[k, v["net"], v["quota"], round(v["attain"], 4), v["tier1"], v["tier2"], v["bonus"],
             v["payout"]] for k, v in c["reps"].items()]
    first, last = X.table(ws, 5, ["Rep", "Commissionable net sales", "Quota", "Attainment",
                                  "Base 4%", "Accelerated 7%", "New-account bonus",
                                  "Total payout"], rows,
                          formats=[None, S.USD, S.USD0, S.PCT1, S.USD, S.USD, S.USD0, S.USD])
    tr = last + 1
    ws.cell(tr, 1, "Total").font = X.BOLD
    for col in range(2, 9):
        if col in (3, 4):
            continue
        letter = "ABCDEFGH"[col - 1]
        cc = ws.cell(tr, col, f"=SUM({letter}{first}:{letter}{last})")
        cc.number_format, cc.font, cc.fill = S.USD, X.BOLD, X.TOTAL_FILL
    X.note(ws, tr + 2, "B3 equals the Total payout column (H). Prepared Oct 12, 2026 by the "
           "sales manager for payroll.")
    X.widths(ws, [26, 22, 12, 12, 14, 16, 18, 14])

    wl = X.sheet(wb, "Clean Ledger")
    X.title_block(wl, "Clean Ledger", ["Duplicates removed; rep names standardized."])
    rows = []
    for i in c["rows"]:
        why = ("Cancelled invoice" if i.status == "Cancelled" else
               "House account" if i.customer == HOUSE else "")
        rows.append([i.no, i.day, i.rep, i.customer, "Y" if i.new else "", i.amount, i.status,
                     "No" if why else "Yes", why])
    first, last = X.table(wl, 4, ["Doc no.", "Date", "Rep", "Customer", "New", "Amount",
                                  "Status", "Commissionable", "Reason if not"], rows,
                          formats=[None, S.DATE, None, None, None, S.USD_NEG, None, None, None],
                          freeze=True)
    X.widths(wl, [12, 12, 16, 24, 6, 14, 12, 15, 20])

    we = X.sheet(wb, "Exceptions")
    X.title_block(we, "Exceptions and Adjustments")
    ex = []
    for k in c["dups"]:
        i = c["rows"][k]
        ex.append([i.no, i.rep, i.customer, i.amount, "Duplicate export row removed (kept once)"])
    for i in c["rows"]:
        if i.status == "Cancelled":
            ex.append([i.no, i.rep, i.customer, i.amount, "Cancelled: excluded"])
        elif i.customer == HOUSE:
            ex.append([i.no, i.rep, i.customer, i.amount, "House account: excluded"])
        elif i.status == "Credit Memo":
            ex.append([i.no, i.rep, i.customer, i.amount, "Credit memo: reduces net sales"])
    for rep, v in c["reps"].items():
        for cust, amt in v["new"].items():
            ok = amt >= BONUS_MIN
            ex.append(["", rep, cust, S.r2(amt), "New account: $500 bonus" if ok else
                       "New account below $5,000: no bonus"])
    X.table(we, 3, ["Doc no.", "Rep", "Customer", "Amount", "Treatment"], ex,
            formats=[None, None, None, S.USD_NEG, None])
    X.widths(we, [12, 16, 26, 14, 44])
    X.save(wb, ctx.gold_file(BOOK))
