"""Property manager: year-end CAM reconciliation for a retail center (xlsx) and the statement
for one tenant (pdf), applying the lease's exclusions, admin fee and pro rata share."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from .. import pdf_kit as PDF
from .. import style as S
from .. import xlsx_kit as X
from ..spec import (
    Context,
    TaskSpec,
    c_cell,
    c_count,
    c_name,
    c_sheet,
    c_text,
    item,
    placeholder_penalty,
)

ID = "pm-oakmont-cam-reconciliation"
BOOK = "Oakmont_CAM_Reconciliation_FY2026.xlsx"
STATEMENT = "Suite_104_CAM_Statement_FY2026.pdf"
GLA, ADMIN, EST_RATE = 48_000, 0.10, 7.20


@dataclass(frozen=True)
class Line:
    day: dt.date
    gl: str
    vendor: str
    desc: str
    amount: float
    pool: str          # cam | tax | ins | excluded
    why: str = ""      # exclusion reason (lease section)


def d(y: int, m: int, day: int) -> dt.date:
    return dt.date(y, m, day)


L = Line
LINES = [
    L(d(2025, 10, 15), "6110", "GreenScape Grounds", "Landscaping contract Q1", 6150, "cam"),
    L(d(2026, 1, 15), "6110", "GreenScape Grounds", "Landscaping contract Q2", 6150, "cam"),
    L(d(2026, 4, 15), "6110", "GreenScape Grounds", "Landscaping contract Q3", 6150, "cam"),
    L(d(2026, 7, 15), "6110", "GreenScape Grounds", "Landscaping contract Q4", 6150, "cam"),
    L(d(2025, 12, 20), "6120", "NorthPlow Services", "Snow removal - December", 8420, "cam"),
    L(d(2026, 1, 31), "6120", "NorthPlow Services", "Snow removal - January", 11380, "cam"),
    L(d(2026, 2, 28), "6120", "NorthPlow Services", "Snow removal - February", 9960, "cam"),
    L(d(2026, 3, 31), "6120", "NorthPlow Services", "Snow removal - March", 3140, "cam"),
    L(d(2026, 3, 31), "6130", "CleanLot Sweeping", "Parking lot sweeping Oct-Mar", 5400, "cam"),
    L(d(2026, 9, 30), "6130", "CleanLot Sweeping", "Parking lot sweeping Apr-Sep", 5400, "cam"),
    L(d(2026, 6, 12), "6140", "Metro Paving", "Sealcoat and restripe parking lot", 18600, "cam"),
    L(d(2025, 12, 31), "6150", "City Power & Light", "Common area electric Oct-Dec", 7840, "cam"),
    L(d(2026, 3, 31), "6150", "City Power & Light", "Common area electric Jan-Mar", 6920, "cam"),
    L(d(2026, 5, 10), "6150", "City Power & Light", "Billing correction credit", -1140, "cam"),
    L(d(2026, 6, 30), "6150", "City Power & Light", "Common area electric Apr-Jun", 6310, "cam"),
    L(d(2026, 9, 30), "6150", "City Power & Light", "Common area electric Jul-Sep", 7480, "cam"),
    L(d(2026, 3, 31), "6155", "Westbrook Water Dept", "Common water/sewer Oct-Mar", 2860, "cam"),
    L(d(2026, 9, 30), "6155", "Westbrook Water Dept", "Common water/sewer Apr-Sep", 3120, "cam"),
    L(d(2025, 10, 1), "6160", "SecureWatch Patrol", "Security patrol Oct-Mar", 14400, "cam"),
    L(d(2026, 4, 1), "6160", "SecureWatch Patrol", "Security patrol Apr-Sep", 14400, "cam"),
    L(d(2025, 12, 31), "6170", "Waste Partners", "Common dumpsters Q1", 2280, "cam"),
    L(d(2026, 3, 31), "6170", "Waste Partners", "Common dumpsters Q2", 2280, "cam"),
    L(d(2026, 6, 30), "6170", "Waste Partners", "Common dumpsters Q3", 2280, "cam"),
    L(d(2026, 9, 30), "6170", "Waste Partners", "Common dumpsters Q4", 2280, "cam"),
    L(d(2026, 2, 9), "6180", "Brightway Electric", "Parking light pole repair", 2150, "cam"),
    L(d(2026, 5, 21), "6180", "Metro Paving", "Sidewalk trip hazard repair", 3480, "cam"),
    L(d(2026, 9, 30), "6190", "Summit Ridge Property Mgmt", "Property management fee FY2026",
      28800, "excluded", "6.3(f) management fees (covered by the admin fee)"),
    L(d(2025, 11, 1), "6210", "Keystone Insurance", "Property and liability premium", 38460,
      "ins"),
    L(d(2025, 12, 15), "6220", "Lake County Treasurer", "Real estate taxes, 1st installment",
      71250, "tax"),
    L(d(2026, 6, 15), "6220", "Lake County Treasurer", "Real estate taxes, 2nd installment",
      71250, "tax"),
    L(d(2026, 5, 28), "1550", "Summit Roofing", "Roof replacement, building B", 86500,
      "excluded", "6.3(a) capital expenditure"),
    L(d(2026, 1, 20), "6510", "Crossroads Realty", "Leasing commission - Suite 112", 21600,
      "excluded", "6.3(b) leasing commissions"),
    L(d(2026, 3, 4), "6520", "Harmon & Blythe LLP", "Legal fees - former Suite 108 tenant",
      7350, "excluded", "6.3(c) legal fees for leasing and tenant disputes"),
    L(d(2026, 4, 2), "6530", "SignCraft", "Marketing signage - vacant Suite 108", 1980,
      "excluded", "6.3(d) marketing and leasing costs"),
    L(d(2026, 1, 28), "6540", "Ridgeline Builders", "Tenant improvements - Suite 112", 42000,
      "excluded", "6.3(e) tenant improvements"),
    L(d(2026, 4, 15), "6550", "Pine & Co. CPAs", "Owner LLC annual report and tax filing",
      1250, "excluded", "6.3(g) Landlord entity costs"),
]
DUPLICATE = 19  # the April SecureWatch invoice posted twice
# suite, tenant, sf, months occupied, estimates paid
TENANTS = [
    ("101", "FreshWay Grocery", 18000, 12, 129600.00),
    ("104", "Maple Leaf Dental", 2400, 12, 17280.00),
    ("105", "QuickShip Pack & Mail", 1600, 12, 11520.00),
    ("106", "Sunny Side Cafe", 2800, 12, 20160.00),
    ("108", "Vacant", 4200, 0, 0.00),
    ("110", "Iron & Oak Fitness", 9000, 12, 64800.00),
    ("112", "Bright Minds Learning Center", 6000, 8, 28800.00),
    ("114", "Polished Nail Studio", 4000, 12, 26400.00),
]


def reconcile() -> dict:
    cam = sum(x.amount for x in LINES if x.pool == "cam")
    tax = sum(x.amount for x in LINES if x.pool == "tax")
    ins = sum(x.amount for x in LINES if x.pool == "ins")
    admin = cam * ADMIN
    pool = cam + admin + tax + ins
    rows = []
    for suite, name, sf, months, paid in TENANTS:
        share = sf / GLA
        due = pool * share * months / 12
        rows.append({"suite": suite, "tenant": name, "sf": sf, "share": share,
                     "months": months, "charge": S.r2(due), "paid": paid,
                     "balance": S.r2(due - paid)})
    occupied = sum(t[2] for t in TENANTS if t[3])
    return {"cam": cam, "admin": admin, "tax": tax, "ins": ins, "pool": S.r2(pool),
            "rows": rows, "excluded": sum(x.amount for x in LINES if x.pool == "excluded"),
            "landlord_vacancy": S.r2(pool * 4200 / GLA), "occupied": occupied,
            "billed": S.r2(sum(r["charge"] for r in rows)),
            "net_balance": S.r2(sum(r["balance"] for r in rows))}


PROMPT = f"""\
You are the property manager for Oakmont Plaza, a 48,000 sq ft neighborhood retail center
managed by Summit Ridge Property Management for Oakmont Plaza Partners LLC. The lease year
ended September 30, 2026, and the annual CAM reconciliation is due to tenants by January 28,
2027.

Attached: the operating expense GL export for the year (Oakmont_OpEx_GL_FY2026.xlsx; amounts
and dates are inconsistently formatted and one invoice was posted twice), Section 6 of the
standard lease (Lease_Section_6_Operating_Expenses.pdf) and the tenant roster with CAM
estimates paid (Tenant_Roster_FY2026.csv).

Deliver:
1. {BOOK} with an 'Expense Pool' sheet classifying every GL line as CAM, taxes, insurance or
excluded (citing the lease section), a 'Tenant Allocation' sheet with each tenant's pro rata
share, charge, estimates paid and balance due or credit, and a 'Summary' sheet with the total
recoverable pool (CAM plus admin fee, taxes and insurance) in cell B4.
2. {STATEMENT}, the one-page reconciliation statement and cover letter for Suite 104, Maple
Leaf Dental (attention Dr. Priya Shah), showing the calculation and the amount due and its due
date.
"""


def build(ctx: Context) -> TaskSpec:
    r = reconcile()
    _inputs(ctx)
    _book(ctx, r)
    t104 = next(x for x in r["rows"] if x["suite"] == "104")
    _statement(ctx, r, t104)
    fx, fp = "*.xlsx", "*.pdf"
    wrong_share = 2400 / r["occupied"] * 100
    exact = lambda x: S.money(x).replace("$", r"\$?").replace(".", r"\.")  # noqa: E731
    rubric = [
        item("book-name", 1, f"Delivers the reconciliation workbook as {BOOK}.",
             c_name("Oakmont_CAM_Reconciliation_FY2026", "xlsx")),
        item("statement-name", 1, f"Delivers the Suite 104 statement as {STATEMENT}.",
             c_name("Suite_104_CAM_Statement_FY2026", "pdf")),
        item("sheet-pool", 1, "The workbook has an 'Expense Pool' sheet classifying every GL "
             "line.", c_sheet("Expense Pool", fx)),
        item("sheet-allocation", 1, "The workbook has a 'Tenant Allocation' sheet.",
             c_sheet("Tenant Allocation", fx)),
        item("pool", 2, f"Summary!B4 shows a recoverable pool of {S.money(r['pool'])} (within "
             "$5).", c_cell("Summary", "B4", r["pool"], tolerance=5, file=fx)),
        item("exclusions", 2, f"Excludes the roof replacement, leasing commission, legal fees, "
             f"marketing, tenant improvements and owner entity costs "
             f"({S.money(r['excluded'])} with the management fee), citing Section 6.3."),
        item("mgmt-fee", 2, "Excludes the $28,800 property management fee because the 10% "
             "administrative fee replaces it (6.3(f))."),
        item("duplicate", 1, "Removes the duplicated SecureWatch April invoice ($14,400)."),
        item("credit", 1, "Nets the $1,140 City Power billing credit against common-area "
             "electric."),
        item("admin-fee", 2, f"Applies the 10% administrative fee to CAM only "
             f"({S.money(r['admin'])}), not to taxes or insurance."),
        item("denominator", 2, "Uses the full 48,000 sq ft GLA as the denominator, so the "
             "landlord bears the vacant Suite 108 share."),
        item("proration", 1, "Prorates Suite 112 (Bright Minds) for its 8 months of "
             "occupancy."),
        item("balances", 1, "Shows each tenant's balance due or credit; the Bright Minds "
             "charge is " + S.money(next(x['charge'] for x in r['rows']
                                          if x['suite'] == '112')) + "."),
        item("stmt-share", 1, "The statement shows Suite 104's pro rata share of 5.00% "
             "(2,400 / 48,000 sq ft).", c_text(pattern=r"(?<![\d.])5(?:\.00?)?\s*%", file=fp)),
        item("stmt-balance", 2, f"The statement shows a balance due of "
             f"{S.money(t104['balance'])} ({S.money(t104['charge'])} charge less "
             f"{S.money(t104['paid'])} paid).", c_text(pattern=exact(t104["balance"]), file=fp)),
        item("stmt-due", 1, "The statement gives the payment due date (30 days from the "
             "statement) and a contact for questions."),
        item("stmt-length", 1, "The statement fits on one page (two at most).",
             c_count("page_count", 1, 2, file=fp)),
        item("formatting", 5, "Overall professionalism and formatting: an auditable workbook "
             "that ties out, and a clear, courteous tenant statement on letterhead."),
        placeholder_penalty(),
        item("occupied-denominator", -2, f"PENALTY: allocates on occupied area instead of GLA "
             f"(e.g. a Suite 104 share of {wrong_share:.2f}%).",
             c_text(pattern=rf"{wrong_share:.2f}\s*%")),
        item("capital-included", -5, "PENALTY: includes the roof replacement or tenant "
             "improvements in the recoverable pool."),
    ]
    return TaskSpec(id=ID, title="Annual CAM reconciliation and tenant statement",
                    occupation="Property, Real Estate, and Community Association Managers",
                    prompt=PROMPT, deliverables=[("xlsx", BOOK), ("pdf", STATEMENT)],
                    expert_hours=6.0, rubric=rubric)


def _inputs(ctx: Context) -> None:
    rows = []
    order = list(range(len(LINES)))
    order.insert(DUPLICATE + 5, DUPLICATE)
    for n, i in enumerate(order):
        x = LINES[i]
        amt: object = (f"({abs(x.amount):,.2f})" if x.amount < 0 else
                       f"${x.amount:,.2f}" if n % 3 == 1 else x.amount)
        day = x.day.strftime("%m/%d/%Y") if n % 2 else x.day.isoformat()
        inv = f"INV-{2600 + i}" if i != DUPLICATE else "SW-0426"
        rows.append([day, x.gl, x.vendor, x.desc, inv, amt])
    wb = X.new_workbook("Oakmont Plaza GL export FY2026", "Summit Ridge Property Management")
    X.plain(wb, "GL Detail", ["Date", "GL", "Vendor", "Description", "Invoice", "Amount"], rows,
            col_widths=[12, 7, 28, 40, 10, 13])
    X.save(wb, ctx.input("Oakmont_OpEx_GL_FY2026.xlsx"))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["suite", "tenant", "rentable_sf", "lease_start", "months_occupied_fy2026",
                "cam_estimates_paid_fy2026"])
    starts = {"108": "vacant since 2025-07-31", "112": "2026-02-01"}
    for suite, name, sf, months, paid in TENANTS:
        w.writerow([suite, name, sf, starts.get(suite, "before 2025-10-01"), months,
                    f"{paid:.2f}"])
    ctx.input("Tenant_Roster_FY2026.csv").write_text(buf.getvalue(), encoding="utf-8")

    story = [
        PDF.P("Section 6. Operating Expenses", "title"),
        PDF.P("Excerpt from the Oakmont Plaza standard retail lease (2022 form)", "subtitle"),
        PDF.P("6.1 Definitions", "h2"),
        PDF.P("\"Operating Expenses\" means the costs Landlord incurs to operate, maintain, "
              "repair, insure and pay taxes on the Shopping Center. \"CAM Costs\" are Operating "
              "Expenses other than Real Estate Taxes and Insurance, including landscaping, snow "
              "removal, sweeping, parking lot maintenance, common-area utilities, security, "
              "trash removal and common-area repairs."),
        PDF.P("6.2 Tenant's share", "h2"),
        PDF.P("Tenant pays its Pro Rata Share of Operating Expenses. Pro Rata Share means the "
              "rentable area of the Premises divided by 48,000 square feet, the gross leasable "
              "area of the Shopping Center, whether or not all space is leased. For a partial "
              "lease year the share is prorated by months of occupancy."),
        PDF.P("6.3 Exclusions", "h2"),
        PDF.P("Operating Expenses exclude: (a) capital expenditures, including roof replacement "
              "and structural repairs; (b) leasing commissions; (c) legal fees for leasing or "
              "disputes with tenants; (d) marketing and advertising for vacant space; (e) costs "
              "of tenant improvements; (f) property management fees; (g) costs of Landlord's "
              "ownership entity, including its tax filings; (h) depreciation."),
        PDF.P("6.4 Administrative fee", "h2"),
        PDF.P("Landlord may add an administrative fee of 10% of CAM Costs, in lieu of any "
              "management fee. No administrative fee applies to Real Estate Taxes or "
              "Insurance."),
        PDF.P("6.5 Estimates and reconciliation", "h2"),
        PDF.P("Tenant pays monthly estimates. Within 120 days after each lease year ending "
              "September 30, Landlord delivers a statement of actual Operating Expenses. Tenant "
              "pays any shortfall within 30 days of the statement; any overpayment is credited "
              "against the next amounts due."),
    ]
    PDF.build(ctx.input("Lease_Section_6_Operating_Expenses.pdf"), story,
              title="Oakmont Plaza lease - Section 6", org="Oakmont Plaza Partners LLC",
              org_lines=["Standard retail lease", "Section 6 excerpt"],
              footer="Oakmont Plaza standard retail lease - Section 6 (excerpt)")


def _book(ctx: Context, r: dict) -> None:
    wb = X.new_workbook("Oakmont Plaza CAM reconciliation FY2026", "Oakmont Plaza Partners LLC")
    ws = X.sheet(wb, "Summary", first=True, landscape=False)
    X.title_block(ws, "Oakmont Plaza - CAM Reconciliation, Lease Year Ended 9/30/2026",
                  ["Summit Ridge Property Management | Prepared January 8, 2027"])
    X.header_row(ws, 3, ["Item", "Amount"])
    X.kv_rows(ws, 4, [("Total recoverable pool", r["pool"], S.USD),
                      ("CAM costs", S.r2(r["cam"]), S.USD),
                      ("Administrative fee (10% of CAM)", S.r2(r["admin"]), S.USD),
                      ("Real estate taxes", S.r2(r["tax"]), S.USD),
                      ("Insurance", S.r2(r["ins"]), S.USD),
                      ("Excluded under Section 6.3", S.r2(r["excluded"]), S.USD),
                      ("Billed to tenants (after proration)", r["billed"], S.USD),
                      ("Estimates paid by tenants", sum(t[4] for t in TENANTS), S.USD),
                      ("Net balance due from tenants", r["net_balance"], S.USD),
                      ("Landlord share: vacant Suite 108", r["landlord_vacancy"], S.USD)])
    ws.cell(4, 1).font = ws.cell(4, 2).font = X.BOLD
    ws.cell(4, 1).fill = ws.cell(4, 2).fill = X.TOTAL_FILL
    ws.cell(15, 1, "Check: CAM + admin + taxes + insurance").font = X.NOTE_FONT
    ws.cell(15, 2, "=B5+B6+B7+B8-B4").number_format = S.USD
    X.widths(ws, [44, 18])

    we = X.sheet(wb, "Expense Pool")
    X.title_block(we, "Expense Pool - GL Classification", ["Duplicate SecureWatch invoice "
                                                           "SW-0426 (second posting) removed."])
    labels = {"cam": "CAM", "tax": "Taxes", "ins": "Insurance", "excluded": "Excluded"}
    rows = [[x.day.strftime("%m/%d/%Y"), x.gl, x.vendor, x.desc, x.amount, labels[x.pool],
             x.why or "6.1 Operating Expenses"] for x in LINES]
    first, last = X.table(we, 4, ["Date", "GL", "Vendor", "Description", "Amount",
                                  "Classification", "Lease reference"], rows,
                          formats=[None, None, None, None, S.USD_NEG, None, None], freeze=True)
    r0 = last + 2
    for i, lab in enumerate(("CAM", "Taxes", "Insurance", "Excluded")):
        we.cell(r0 + i, 4, f"Total {lab}").font = X.BOLD
        c = we.cell(r0 + i, 5, f'=SUMIF(F{first}:F{last},"{lab}",E{first}:E{last})')
        c.number_format, c.font = S.USD, X.BOLD
    X.widths(we, [11, 7, 27, 38, 13, 14, 44])

    wt = X.sheet(wb, "Tenant Allocation")
    X.title_block(wt, "Tenant Allocation", [f"Pro rata share = rentable sf / {GLA:,} sf GLA "
                                            "(6.2); partial year prorated by months."])
    rows = [[x["suite"], x["tenant"], x["sf"], x["share"], x["months"], x["charge"], x["paid"],
             x["balance"]] for x in r["rows"]]
    rows.append(["Total", "", GLA, 1.0, "", r["billed"], sum(t[4] for t in TENANTS),
                 r["net_balance"]])
    X.table(wt, 4, ["Suite", "Tenant", "Rentable sf", "Pro rata share", "Months", "FY2026 "
                    "charge", "Estimates paid", "Balance due / (credit)"], rows,
            formats=[None, None, S.NUM0, "0.00%", "0", S.USD, S.USD, S.USD_NEG], total=True)
    X.note(wt, 15, "Suite 108 was vacant all year; its share stays with the landlord.")
    X.widths(wt, [8, 30, 12, 14, 9, 15, 15, 20])
    X.save(wb, ctx.gold_file(BOOK))


def _statement(ctx: Context, r: dict, t: dict) -> None:
    m = S.money
    share = t["share"]
    story = [
        PDF.P("January 8, 2027", "body"),
        PDF.P("Maple Leaf Dental<br/>Attn: Dr. Priya Shah<br/>Oakmont Plaza, Suite 104<br/>"
              "2200 Oakmont Road, Westbrook, IL 60085", "body"),
        PDF.P("<b>Re: CAM reconciliation, lease year October 1, 2025 - September 30, 2026</b>",
              "body"),
        PDF.P("Dear Dr. Shah,"),
        PDF.P("As provided in Section 6.5 of your lease, below is the reconciliation of actual "
              "operating expenses for Oakmont Plaza against the monthly estimates you paid. "
              "Expenses exclude capital items, leasing costs and management fees under "
              "Section 6.3."),
        PDF.table(["Operating expenses (center total)", "Amount"], [
            ["CAM costs", m(r["cam"])],
            ["Administrative fee (10% of CAM)", m(r["admin"])],
            ["Real estate taxes", m(r["tax"])],
            ["Insurance", m(r["ins"])],
            ["Total recoverable operating expenses", m(r["pool"])],
        ], [4.8, 1.7], align="lr", total=True),
        PDF.table(["Your share", "Amount"], [
            [f"Pro rata share: 2,400 sq ft / 48,000 sq ft = {share * 100:.2f}%", ""],
            ["Your share of operating expenses (12 months)", m(t["charge"])],
            [f"Less: monthly estimates paid (12 x {m(t['paid'] / 12)})", f"({m(t['paid'])})"],
            ["Balance due", m(t["balance"])],
        ], [4.8, 1.7], align="lr", total=True),
        PDF.callout(f"<b>Amount due: {m(t['balance'])}</b>, payable by February 8, 2027 "
                    "(30 days from this statement). Please reference \"Suite 104 CAM "
                    "FY2026\" with your payment."),
        PDF.P("Detailed expense records are available for review at our office by appointment. "
              "If you have questions, please contact me at (847) 555-0118 or "
              "jnoble@summitridgepm.example."),
        PDF.P("Sincerely,<br/><br/><b>Jordan Noble</b><br/>Property Manager, Oakmont Plaza<br/>"
              "Summit Ridge Property Management, agent for Oakmont Plaza Partners LLC"),
    ]
    PDF.build(ctx.gold_file(STATEMENT), story, title="Suite 104 CAM reconciliation statement",
              org="Summit Ridge Property Management",
              org_lines=["Agent for Oakmont Plaza Partners LLC",
                         "1400 Lake Cook Road, Deerfield, IL 60015", "(847) 555-0110"],
              footer="Oakmont Plaza - CAM reconciliation, lease year ended September 30, 2026",
              page_numbers=False)
