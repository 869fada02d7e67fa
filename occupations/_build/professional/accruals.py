"""Accountant: September 30 quarter-end accruals for goods received not invoiced and services
performed, from a messy receiving log, the AP register and a PDF invoice (xlsx)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from .. import pdf_kit as PDF
from .. import style as S
from .. import xlsx_kit as X
from ..spec import Context, TaskSpec, c_cell, c_name, c_sheet, item, placeholder_penalty

ID = "acct-q3-accruals-review"
BOOK = "Q3_Accruals_Schedule.xlsx"
CUTOFF = dt.date(2026, 9, 30)
GL = {"raw": ("1310", "Inventory - Raw Materials"), "pack": ("1320", "Inventory - Packaging"),
      "mro": ("6150", "Repairs & Maintenance Supplies"), "fees": ("6420", "Professional Fees")}
CREDIT = {"goods": ("2110", "Accrued Liabilities - GRNI"),
          "services": ("2120", "Accrued Expenses")}
VENDOR_NAMES = {
    "Prairie Mills Flour Co.": ["Prairie Mills Flour Co.", "PRAIRIE MILLS", "Prairie Mills Flour"],
    "Golden Valley Dairy": ["Golden Valley Dairy", "Golden Valley Dairy Inc", "GOLDEN VALLEY"],
    "Crestline Packaging": ["Crestline Packaging", "Crestline Pkg", "CRESTLINE PACKAGING LLC"],
    "Sunrise Sugar Refining": ["Sunrise Sugar Refining", "Sunrise Sugar", "SUNRISE SUGAR"],
    "Orchard Fresh Produce": ["Orchard Fresh Produce", "Orchard Fresh", "ORCHARD FRESH"],
    "Midstate Industrial Supply": ["Midstate Industrial Supply", "Midstate Ind.", "MIDSTATE"],
    "ClearPak Films": ["ClearPak Films", "Clearpak", "CLEARPAK FILMS"],
}


@dataclass(frozen=True)
class Receipt:
    po: str
    vendor: str
    day: dt.date
    desc: str
    qty: int
    cost: float
    gl: str
    invoice: tuple[str, dt.date] | None  # (invoice no., GL posting date)

    @property
    def amount(self) -> float:
        return S.r2(self.qty * self.cost)


def d(m: int, day: int) -> dt.date:
    return dt.date(2026, m, day)


R = Receipt
RECEIPTS = [
    R("PO-4410", "Prairie Mills Flour Co.", d(9, 2), "Bread flour 50 lb", 400, 18.75, "raw",
      ("PM-20931", d(9, 8))),
    R("PO-4411", "Golden Valley Dairy", d(9, 3), "Butter 36 lb case", 60, 112.40, "raw",
      ("GVD-7718", d(9, 10))),
    R("PO-4412", "Sunrise Sugar Refining", d(9, 3), "Brown sugar 50 lb", 100, 28.90, "raw",
      ("SSR-55102", d(9, 11))),
    R("PO-4415", "Crestline Packaging", d(9, 4), "Folding cartons 10 oz", 20000, 0.182, "pack",
      ("CP-118840", d(9, 14))),
    R("PO-4418", "Sunrise Sugar Refining", d(9, 8), "Granulated sugar 50 lb", 300, 24.10, "raw",
      ("SSR-55177", d(9, 16))),
    R("PO-4420", "Orchard Fresh Produce", d(9, 9), "Honeycrisp apples, bin", 12, 385.00, "raw",
      ("OFP-3391", d(9, 17))),
    R("PO-4419", "Crestline Packaging", d(9, 10), "Corrugated shippers", 4000, 0.96, "pack",
      ("CP-118902", d(9, 18))),
    R("PO-4422", "Midstate Industrial Supply", d(9, 11), "Conveyor belt, 24 in", 2, 1245.00,
      "mro", ("MIS-90417", d(10, 5))),
    R("PO-4424", "Midstate Industrial Supply", d(9, 14), "Sanitation chemicals, drum", 12,
      64.75, "mro", ("MIS-90388", d(9, 22))),
    R("PO-4410", "Prairie Mills Flour Co.", d(9, 15), "Bread flour 50 lb", 400, 18.75, "raw",
      ("PM-21044", d(10, 2))),
    R("PO-4425", "Golden Valley Dairy", d(9, 16), "Heavy cream 40 qt case", 80, 54.60, "raw",
      ("GVD-7790", d(9, 29))),
    R("PO-4427", "ClearPak Films", d(9, 17), "Shrink film roll", 24, 96.50, "pack", None),
    R("PO-4428", "Crestline Packaging", d(9, 18), "Labels 4x6, roll", 150, 14.20, "pack",
      ("CP-119230", d(10, 7))),
    R("PO-4430", "Sunrise Sugar Refining", d(9, 22), "Powdered sugar 50 lb", 120, 31.80, "raw",
      None),
    R("PO-4431", "Orchard Fresh Produce", d(9, 23), "Granny Smith apples, bin", 10, 342.00,
      "raw", ("OFP-3455", d(10, 6))),
    R("PO-4432", "ClearPak Films", d(9, 24), "Pallet wrap", 30, 42.80, "pack",
      ("CPF-2207", d(10, 9))),
    R("PO-4433", "Golden Valley Dairy", d(9, 25), "Butter 36 lb case", 50, 112.40, "raw", None),
    R("PO-4434", "Prairie Mills Flour Co.", d(9, 28), "Whole wheat flour 50 lb", 200, 21.30,
      "raw", ("PM-21102", d(10, 8))),
    R("PO-4436", "Midstate Industrial Supply", d(9, 29), "Bearing and seal kit", 6, 87.50,
      "mro", None),
    R("PO-4437", "Crestline Packaging", d(9, 30), "Folding cartons 16 oz", 15000, 0.214, "pack",
      ("CP-119388", d(10, 12))),
    R("PO-4440", "ClearPak Films", d(10, 1), "Shrink film roll", 24, 96.50, "pack",
      ("CPF-2251", d(10, 14))),
    R("PO-4441", "Prairie Mills Flour Co.", d(10, 2), "Bread flour 50 lb", 400, 18.75, "raw",
      ("PM-21160", d(10, 13))),
    R("PO-4442", "Golden Valley Dairy", d(10, 5), "Butter 36 lb case", 60, 112.40, "raw", None),
]
DUPLICATES = (12, 16)  # RECEIPTS[12] (PO-4428) and RECEIPTS[16] (PO-4433) logged twice
SERVICE = {"vendor": "Brightline Consulting Services", "invoice": "BCS-7741", "po": "PO-4399",
           "date": d(10, 6), "posted": d(10, 8), "hours": 62.0, "rate": 165.00,
           "travel": 412.80, "period": "September 1-30, 2026"}


def accruals() -> dict:
    """Receipts on or before the cutoff that were not invoiced with a September GL date."""
    accrue, excluded = [], []
    for r in RECEIPTS:
        if r.day > CUTOFF:
            excluded.append((r, "Received after September 30 (October receipt)"))
        elif r.invoice and r.invoice[1] <= CUTOFF:
            excluded.append((r, f"Invoice {r.invoice[0]} posted "
                                f"{r.invoice[1].strftime('%m/%d/%Y')}: already in AP"))
        else:
            accrue.append(r)
    svc = S.r2(SERVICE["hours"] * SERVICE["rate"] + SERVICE["travel"])
    goods = sum(r.amount for r in accrue)
    by_gl: dict[str, float] = {}
    for r in accrue:
        by_gl[r.gl] = by_gl.get(r.gl, 0) + r.amount
    by_gl["fees"] = svc
    by_gl = dict(sorted(by_gl.items(), key=lambda kv: GL[kv[0]][0]))
    dup = sum(RECEIPTS[i].amount for i in DUPLICATES)
    return {"accrue": accrue, "excluded": excluded, "goods": S.r2(goods), "services": svc,
            "total": S.r2(goods + svc), "by_gl": by_gl, "with_dups": S.r2(goods + svc + dup)}


PROMPT = f"""\
You are a senior staff accountant at Harlow & Finch Specialty Foods, closing the books for the
quarter ended September 30, 2026. The controller, Mei Lin, needs the accrual for goods received
and services performed on or before September 30 that were not invoiced in September.

Attached: the warehouse receiving log (Receiving_Log_Sep-Oct2026.xlsx; vendor names and date
formats are inconsistent and two receipts were keyed twice), the AP invoice register with GL
posting dates (AP_Invoice_Register_Sep-Oct2026.csv), and an October invoice for September
consulting services (Invoice_BCS-7741.pdf). Value goods at the PO cost in the receiving log
and services at the invoice amount. A receipt is already recorded if its invoice has a GL
posting date in September.

Prepare {BOOK} with:
- 'Accrual Detail': each accrued item with PO, vendor, date received or service period,
  description, amount, GL account and support;
- 'Excluded': receipts not accrued, with the reason;
- 'Journal Entry': the September 30 accrual entry (reversing October 1), debits by GL account
  (1310 raw materials, 1320 packaging, 6150 R&M supplies, 6420 professional fees), credits to
  2110 GRNI for goods and 2120 accrued expenses for services, balanced;
- 'Summary': the total accrual in cell B4.
"""


def build(ctx: Context) -> TaskSpec:
    a = accruals()
    _inputs(ctx)
    _book(ctx, a)
    fx = "*.xlsx"
    gl_text = ", ".join(f"{GL[k][0]} {S.money(v)}" for k, v in a["by_gl"].items())
    rubric = [
        item("file-name", 1, f"Delivers an Excel workbook named {BOOK}.",
             c_name("Q3_Accruals_Schedule", "xlsx")),
        item("sheet-detail", 1, "Has an 'Accrual Detail' sheet.", c_sheet("Accrual Detail", fx)),
        item("sheet-je", 1, "Has a 'Journal Entry' sheet.", c_sheet("Journal Entry", fx)),
        item("sheet-excluded", 1, "Has an 'Excluded' sheet listing receipts not accrued with "
             "reasons.", c_sheet("Excluded", fx)),
        item("total", 2, f"Summary!B4 shows a total accrual of {S.money(a['total'])} (within "
             "$1).", c_cell("Summary", "B4", a["total"], tolerance=1, file=fx)),
        item("goods", 2, f"Accrues {len(a['accrue'])} September receipts worth "
             f"{S.money(a['goods'])} that had no September-posted invoice (including those "
             "invoiced in October and those not yet invoiced)."),
        item("sept-invoiced", 2, "Excludes receipts whose invoices were posted in September "
             "(e.g. PO-4410 on 9/2, invoice PM-20931)."),
        item("october", 2, "Excludes the October receipts (PO-4440, PO-4441, PO-4442)."),
        item("duplicates", 2, "Removes the duplicated receiving lines for PO-4428 (labels, "
             "$2,130.00) and PO-4433 (butter, $5,620.00)."),
        item("partial-po", 1, "Accrues the second PO-4410 flour receipt (9/15, $7,500.00) even "
             "though the first receipt on the same PO was invoiced in September."),
        item("services", 2, f"Accrues the Brightline consulting invoice BCS-7741 for September "
             f"services at {S.money(a['services'])} (62 hours at $165.00 plus $412.80 travel) "
             "to 6420 and 2120."),
        item("je", 2, f"The journal entry is balanced, dated September 30, 2026, marked to "
             f"reverse October 1, with debits {gl_text} and credits 2110 "
             f"{S.money(a['goods'])} and 2120 {S.money(a['services'])}."),
        item("support", 1, "Each accrued line cites its support (receiving date, PO, and the "
             "October invoice number where one exists)."),
        item("formatting", 5, "Overall professionalism and formatting: a reviewable close "
             "schedule with consistent currency formats, totals that tie between sheets, and "
             "clear labels."),
        placeholder_penalty(),
        item("double-count", -5, f"PENALTY: the total includes the duplicated receiving lines "
             f"(Summary!B4 = {S.money(a['with_dups'])}).",
             c_cell("Summary", "B4", a["with_dups"], tolerance=1, file=fx)),
        item("oct-accrued", -2, "PENALTY: accrues goods received in October."),
        item("unbalanced", -2, "PENALTY: the journal entry does not balance."),
    ]
    return TaskSpec(id=ID, title="Quarter-end accruals: goods received not invoiced",
                    occupation="Accountants and Auditors", prompt=PROMPT,
                    deliverables=[("xlsx", BOOK)], expert_hours=3.5, rubric=rubric)


def _inputs(ctx: Context) -> None:
    fmts = ["%m/%d/%Y", "%Y-%m-%d", "%d-%b-%y"]
    rows, n = [], 0
    for i, r in enumerate(RECEIPTS):
        for copy in range(2 if i in DUPLICATES else 1):
            names = VENDOR_NAMES[r.vendor]
            ext: object = f"${r.amount:,.2f}" if n % 4 == 3 else r.amount
            rows.append([r.po, names[(n + copy) % len(names)], r.day.strftime(fmts[n % 3]),
                         r.desc, r.qty, r.cost, ext, ["JM", "TK", "RS"][n % 3]])
            n += 1
    wb = X.new_workbook("Receiving log", "Harlow & Finch warehouse")
    X.plain(wb, "Receipts", ["PO #", "Vendor", "Receipt Date", "Item", "Qty", "Unit Cost",
                             "Extended", "Rec'd By"], rows,
            col_widths=[10, 28, 13, 28, 8, 10, 12, 9])
    X.save(wb, ctx.input("Receiving_Log_Sep-Oct2026.xlsx"))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["invoice_no", "vendor", "po", "invoice_date", "gl_posting_date", "amount",
                "gl_account"])
    entries = [(r.invoice, r) for r in RECEIPTS if r.invoice]
    entries.sort(key=lambda e: (e[0][1], e[0][0]))
    for (inv, posted), r in entries:
        w.writerow([inv, r.vendor, r.po, (posted - dt.timedelta(days=3)).isoformat(),
                    posted.isoformat(), f"{r.amount:.2f}", GL[r.gl][0]])
    s = SERVICE
    w.writerow([s["invoice"], s["vendor"], s["po"], s["date"].isoformat(), s["posted"].isoformat(),
                f"{s['hours'] * s['rate'] + s['travel']:.2f}", "6420"])
    ctx.input("AP_Invoice_Register_Sep-Oct2026.csv").write_text(buf.getvalue(), encoding="utf-8")

    story = [
        PDF.P(f"Invoice {s['invoice']}", "title"),
        PDF.P(f"Invoice date: October 6, 2026  |  Terms: Net 30  |  Customer PO: {s['po']}",
              "subtitle"),
        PDF.P("<b>Bill to:</b> Harlow & Finch Specialty Foods, Accounts Payable, 77 Mill Race "
              "Road, Cedar Rapids, IA 52401"),
        PDF.P(f"<b>Service period:</b> {s['period']}"),
        PDF.gap(),
        PDF.table(["Description", "Qty", "Rate", "Amount"], [
            ["ERP implementation support: inventory module configuration and user training",
             f"{s['hours']:.1f} hrs", S.money(s["rate"]), S.money(s["hours"] * s["rate"])],
            ["Travel: mileage and lodging (receipts attached)", "", "", S.money(s["travel"])],
            ["Total due", "", "", S.money(s["hours"] * s["rate"] + s["travel"])],
        ], [3.6, 0.9, 0.9, 1.1], align="lrrr", total=True),
        PDF.P("Please remit to Brightline Consulting Services, PO Box 4410, Des Moines, IA "
              "50306. Questions: billing@brightline-consulting.example", "small"),
    ]
    PDF.build(ctx.input("Invoice_BCS-7741.pdf"), story, title=f"Invoice {s['invoice']}",
              org=s["vendor"], org_lines=["Business systems consulting", "Des Moines, Iowa"],
              footer=f"{s['vendor']} - Invoice {s['invoice']}")


def _book(ctx: Context, a: dict) -> None:
    wb = X.new_workbook("Q3 2026 accruals", "Harlow & Finch Specialty Foods")
    ws = X.sheet(wb, "Summary", first=True, landscape=False)
    X.title_block(ws, "Q3 2026 Accruals - Summary", ["Harlow & Finch Specialty Foods | Period "
                                                     "ended September 30, 2026 | Prepared "
                                                     "October 14, 2026"])
    X.header_row(ws, 3, ["Accrual", "Amount"])
    X.kv_rows(ws, 4, [("Total accrual", a["total"], S.USD),
                      ("Goods received not invoiced (2110)", a["goods"], S.USD),
                      ("Services performed not invoiced (2120)", a["services"], S.USD)])
    ws.cell(4, 1).font = ws.cell(4, 2).font = X.BOLD
    ws.cell(4, 1).fill = ws.cell(4, 2).fill = X.TOTAL_FILL
    ws.cell(8, 1, "Tie-out: Journal Entry total credits").font = X.BODY_FONT
    ws.cell(8, 2, "='Journal Entry'!D11").number_format = S.USD
    ws.cell(9, 1, "Difference").font = X.BODY_FONT
    ws.cell(9, 2, "=B4-B8").number_format = S.USD
    X.note(ws, 11, "Prepared by: R. Alvarez, Senior Staff Accountant. Review: M. Lin, Controller.")
    X.widths(ws, [44, 18])

    wd = X.sheet(wb, "Accrual Detail")
    X.title_block(wd, "Accrual Detail", ["Goods at PO cost per receiving log; services at "
                                         "invoice amount."])
    rows = []
    for r in a["accrue"]:
        support = f"Received {r.day.strftime('%m/%d/%Y')}; " + (
            f"invoice {r.invoice[0]} posted {r.invoice[1].strftime('%m/%d/%Y')}" if r.invoice
            else "not yet invoiced")
        rows.append([r.po, r.vendor, r.day.strftime("%m/%d/%Y"), r.desc, r.amount,
                     f"{GL[r.gl][0]} {GL[r.gl][1]}", support])
    s = SERVICE
    rows.append([s["po"], s["vendor"], "Sep 1-30, 2026", "ERP implementation support, 62 hrs "
                 "+ travel", a["services"], f"{GL['fees'][0]} {GL['fees'][1]}",
                 f"Invoice {s['invoice']} dated 10/06/2026, posted 10/08/2026"])
    n = len(rows)
    rows.append(["Total", "", "", "", f"=SUM(E5:E{4 + n})", "", ""])
    X.table(wd, 4, ["PO", "Vendor", "Received / period", "Description", "Amount", "GL account",
                    "Support"], rows, formats=[None, None, None, None, S.USD, None, None],
            total=True, freeze=True)
    X.widths(wd, [10, 28, 16, 34, 13, 32, 52])

    we = X.sheet(wb, "Excluded")
    X.title_block(we, "Receipts Not Accrued", ["Duplicated receiving lines removed before "
                                               "testing."])
    rows = [[r.po, r.vendor, r.day.strftime("%m/%d/%Y"), r.desc, r.amount, why]
            for r, why in a["excluded"]]
    rows += [[RECEIPTS[i].po, RECEIPTS[i].vendor, RECEIPTS[i].day.strftime("%m/%d/%Y"),
              RECEIPTS[i].desc, RECEIPTS[i].amount, "Duplicate receiving line (keyed twice); "
              "one line accrued"] for i in DUPLICATES]
    X.table(we, 4, ["PO", "Vendor", "Received", "Description", "Amount", "Reason"], rows,
            formats=[None, None, None, None, S.USD, None])
    X.widths(we, [10, 28, 12, 30, 13, 56])

    wj = X.sheet(wb, "Journal Entry", landscape=False)
    X.title_block(wj, "Journal Entry JE-Q3-ACC-01", ["Date: 09/30/2026 | Auto-reverse: "
                                                     "10/01/2026 | Q3 accruals"])
    lines = [[GL[k][0], GL[k][1], S.r2(v), None, "Q3 accrual"] for k, v in a["by_gl"].items()]
    lines += [[CREDIT["goods"][0], CREDIT["goods"][1], None, a["goods"], "Goods received not "
               "invoiced"],
              [CREDIT["services"][0], CREDIT["services"][1], None, a["services"],
               "Brightline BCS-7741"]]
    first, last = X.table(wj, 4, ["Account", "Description", "Debit", "Credit", "Memo"], lines,
                          formats=[None, None, S.USD, S.USD, None])
    r = last + 1
    wj.cell(r, 2, "Totals").font = X.BOLD
    for col, letter in ((3, "C"), (4, "D")):
        c = wj.cell(r, col, f"=SUM({letter}{first}:{letter}{last})")
        c.number_format, c.font, c.fill = S.USD, X.BOLD, X.TOTAL_FILL
    wj.cell(r, 5, f"=IF(ROUND(C{r}-D{r},2)=0,\"Balanced\",\"OUT OF BALANCE\")").font = X.BOLD
    assert r == 11, "Summary!B8 ties to 'Journal Entry'!D11"
    X.widths(wj, [10, 34, 14, 14, 28])
    X.save(wb, ctx.gold_file(BOOK))
