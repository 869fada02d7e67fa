"""Compliance officer: review a subrecipient's Q3 travel claims against the state travel
policy and write the findings memo with questioned costs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import docx_kit as D
from .. import pdf_kit as PDF
from .. import style as S
from .. import xlsx_kit as X
from ..spec import (
    Context,
    TaskSpec,
    c_count,
    c_heading,
    c_name,
    c_text,
    item,
    money_re,
    placeholder_penalty,
)

ID = "gov-q3-travel-claims-review"
MEMO = "Q3_Travel_Compliance_Review.docx"
CAP, MIE, EDGE, MILE, RECEIPT_MIN, DAYS = 150.0, 64.0, 0.75, 0.70, 75.0, 30
NONREIMB = {"alcohol": "4.5", "movie": "4.5", "citation": "4.5", "upgrade": "4.6"}


@dataclass
class Line:
    kind: str            # lodging | mie | mileage | other
    day: int             # offset from trip start
    amount: float
    desc: str
    qty: float = 1
    receipt: bool = True
    flag: str = ""       # a NONREIMB key, or "duplicate"


@dataclass
class Trip:
    claim: str
    employee: str
    dest: str
    start: dt.date
    end: dt.date
    submitted: dt.date
    preapproved: bool
    lines: list[Line] = field(default_factory=list)


def d(m: int, day: int) -> dt.date:
    return dt.date(2026, m, day)


TRIPS = [
    Trip("CLM-26-0712", "Maria Lopez", "Springfield, IL", d(7, 14), d(7, 16), d(7, 28), False, [
        Line("lodging", 0, 344.00, "Hotel, 2 nights @ $172.00", 2),
        Line("mie", 0, 192.00, "Per diem, 3 days @ $64.00", 3),
        Line("mileage", 0, 148.40, "POV 212 miles round trip", 212),
        Line("other", 0, 275.00, "Conference registration - IL Workforce Summit")]),
    Trip("CLM-26-0721", "James Whitaker", "Peoria, IL", d(7, 21), d(7, 22), d(8, 3), False, [
        Line("lodging", 0, 139.00, "Hotel, 1 night", 1),
        Line("mie", 0, 96.00, "Per diem, 2 days", 2),
        Line("mileage", 0, 135.00, "POV 180 miles @ $0.75", 180),
        Line("other", 0, 38.00, "Hotel bar - 2 drinks w/ partner staff", flag="alcohol")]),
    Trip("CLM-26-0804", "Aisha Rahman", "Chicago, IL", d(8, 4), d(8, 7), d(8, 14), True, [
        Line("other", 0, 486.20, "Airfare MLI-ORD round trip, economy"),
        Line("other", 0, 89.00, "Economy Plus seat upgrade", flag="upgrade"),
        Line("lodging", 0, 657.00, "Conference hotel, 3 nights @ $219.00 (TA-2 attached)", 3),
        Line("mie", 0, 224.00, "Per diem, 4 days", 4),
        Line("other", 2, 62.40, "Taxi, hotel to convention center", receipt=False),
        Line("other", 0, 395.00, "Registration - Midwest Employment & Training Conf.")]),
    Trip("CLM-26-0811", "Maria Lopez", "Bloomington, IL", d(8, 11), d(8, 12), d(8, 20), False, [
        Line("lodging", 0, 148.00, "Hotel, 1 night", 1),
        Line("mie", 0, 96.00, "Per diem, 2 days", 2),
        Line("mileage", 0, 67.20, "POV 96 miles", 96),
        Line("other", 1, 18.00, "Parking garage", receipt=False),
        Line("lodging", 0, 148.00, "Hotel, 1 night", 1, flag="duplicate")]),
    Trip("CLM-26-0825", "Derek Owens", "Rockford, IL", d(8, 25), d(8, 27), d(9, 4), False, [
        Line("lodging", 0, 290.00, "Hotel, 2 nights @ $145.00", 2),
        Line("mie", 0, 192.00, "Per diem, 3 days @ $64.00", 3),
        Line("other", 0, 231.60, "Rental car, 3 days", receipt=False),
        Line("other", 2, 41.20, "Fuel for rental car")]),
    Trip("CLM-26-0908", "James Whitaker", "Champaign, IL", d(9, 8), d(9, 9), d(10, 22), False, [
        Line("lodging", 0, 151.80, "Hotel, 1 night", 1),
        Line("mileage", 0, 105.00, "POV 150 miles", 150),
        Line("mie", 0, 96.00, "Per diem, 2 days", 2)]),
    Trip("CLM-26-0915", "Aisha Rahman", "Springfield, IL", d(9, 15), d(9, 18), d(9, 25), False, [
        Line("lodging", 0, 447.00, "Hotel, 3 nights @ $149.00", 3),
        Line("mie", 0, 224.00, "Per diem, 4 days", 4),
        Line("mileage", 0, 142.80, "POV 204 miles", 204),
        Line("other", 1, 14.99, "In-room movie rental", flag="movie")]),
    Trip("CLM-26-0922", "Derek Owens", "Peoria, IL", d(9, 22), d(9, 23), d(10, 2), False, [
        Line("lodging", 0, 132.00, "Hotel, 1 night", 1),
        Line("mie", 0, 96.00, "Per diem, 2 days", 2),
        Line("mileage", 0, 168.00, "POV 240 miles", 240),
        Line("other", 1, 45.00, "Parking citation, city lot", flag="citation")]),
]


@dataclass
class Finding:
    claim: str
    employee: str
    date: dt.date
    issue: str
    section: str
    amount: float


def review() -> tuple[list[Finding], list[Finding]]:
    """Apply the policy to every line: (monetary findings, administrative findings)."""
    money: list[Finding] = []
    admin: list[Finding] = []
    for t in TRIPS:
        days = (t.end - t.start).days + 1
        for ln in t.lines:
            when = t.start + dt.timedelta(days=ln.day)
            def f(issue: str, sec: str, amt: float, t: Trip = t, when: dt.date = when) -> None:
                money.append(Finding(t.claim, t.employee, when, issue, sec, S.r2(amt)))
            if ln.flag == "duplicate":
                f("Duplicate lodging line: same night and amount claimed twice", "4.8", ln.amount)
            elif ln.flag in NONREIMB:
                what = {"alcohol": "Alcoholic beverages", "movie": "In-room entertainment",
                        "citation": "Parking citation (fine)",
                        "upgrade": "Seat upgrade beyond economy"}[ln.flag]
                f(f"{what} - not reimbursable", NONREIMB[ln.flag], ln.amount)
            elif ln.kind == "lodging" and ln.amount / ln.qty > CAP and not t.preapproved:
                f(f"Lodging {S.money(ln.amount / ln.qty)}/night exceeds the $150 cap without "
                  "TA-2 pre-approval", "4.1", ln.amount - CAP * ln.qty)
            elif ln.kind == "mie":
                allowed = MIE * EDGE * 2 + MIE * (days - 2)
                if ln.amount > allowed + 0.005:
                    f(f"M&IE claimed at full rate on travel days; allowed {S.money(allowed)} "
                      "(75% on first and last day)", "4.2", ln.amount - allowed)
            elif ln.kind == "mileage" and ln.amount > ln.qty * MILE + 0.005:
                f(f"Mileage claimed above $0.70/mile ({ln.qty:.0f} mi allowed "
                  f"{S.money(ln.qty * MILE)})", "4.3", ln.amount - ln.qty * MILE)
            elif ln.kind == "other" and not ln.receipt and ln.amount >= RECEIPT_MIN:
                f("No receipt for an expense of $75 or more", "4.4", ln.amount)
        late = (t.submitted - t.end).days
        if late > DAYS:
            admin.append(Finding(t.claim, t.employee, t.submitted,
                                 f"Claim submitted {late} days after travel ended (limit 30); "
                                 "no director approval on file", "4.7", 0.0))
    return money, admin


PROMPT = f"""\
You are a senior compliance officer in the Office of Grants Compliance at the State Department
of Workforce Development. As part of monitoring subaward SA-26-114, review the Tri-County
Workforce Development Board's travel claims for July-September 2026
(Q3_Travel_Claims_TriCounty.xlsx, exported from their finance system, so formats are
inconsistent) against the state travel policy (State_Travel_Policy_Excerpt.pdf).

Test every expense line against the policy and write {MEMO}, a memo to Renee Caldwell,
Director of Grants Management, dated November 4, 2026. Include: purpose and scope (claims and
dollars reviewed); a summary of results with the total questioned costs; a findings table with
claim ID, employee, expense date, issue, policy section and questioned amount; administrative
(non-monetary) findings; and recommendations, including how to recover the questioned costs
and which controls Tri-County should fix. Question only the portion of a cost that breaks the
policy, and do not question costs the policy allows.
"""


def build(ctx: Context) -> TaskSpec:
    money, admin = review()
    total_q = sum(f.amount for f in money)
    claimed = sum(ln.amount for t in TRIPS for ln in t.lines)
    n_lines = sum(len(t.lines) for t in TRIPS)
    _policy_pdf(ctx)
    _claims_xlsx(ctx)
    _memo(ctx, money, admin, total_q, claimed, n_lines)
    by = {(f.claim, f.section): f for f in money}
    q = lambda claim, sec: S.money(by[(claim, sec)].amount)  # noqa: E731
    exact = S.money(total_q).replace("$", r"\$?").replace(".", r"\.")
    rubric = [
        item("file-name", 1, f"Delivers a Word memo named {MEMO}.",
             c_name("Q3_Travel_Compliance_Review", "docx")),
        item("findings-heading", 1, "The memo has a heading for the findings.",
             c_heading("Findings")),
        item("findings-table", 1, "Findings are presented in a table.", c_count("table_count", 1)),
        item("scope", 1, f"States the scope: {len(TRIPS)} claims, {n_lines} expense lines, "
             f"{S.money(claimed)} claimed in July-September 2026.",
             c_text(pattern=money_re(claimed))),
        item("total", 2, f"States total questioned costs of {S.money(total_q)}.",
             c_text(pattern=exact)),
        item("lodging-cap", 2, f"Questions {q('CLM-26-0712', '4.1')} on CLM-26-0712 (two nights "
             "at $172 against the $150 cap, no pre-approval) and "
             f"{q('CLM-26-0908', '4.1')} on CLM-26-0908 ($151.80 for one night)."),
        item("preapproved", 1, "Does not question the Chicago conference hotel on CLM-26-0804, "
             "which had TA-2 pre-approval."),
        item("mie", 2, "Applies the 75% first- and last-day M&IE rate and questions "
             f"{q('CLM-26-0712', '4.2')} on each of CLM-26-0712 and CLM-26-0825."),
        item("mileage", 1, f"Questions {q('CLM-26-0721', '4.3')} on CLM-26-0721, where 180 miles "
             "were claimed at $0.75 instead of $0.70."),
        item("nonreimbursable", 2, "Questions the non-reimbursable items in full: hotel bar "
             "drinks $38.00, seat upgrade $89.00, in-room movie $14.99 and parking citation "
             "$45.00."),
        item("duplicate", 2, "Identifies the duplicated $148.00 lodging line on CLM-26-0811.",
             c_text("CLM-26-0811")),
        item("receipt", 2, "Questions the $231.60 rental car on CLM-26-0825 for lack of a "
             "receipt.", c_text(pattern=r"231\.60")),
        item("late", 1, "Reports CLM-26-0908 (submitted 43 days after travel) as an "
             "administrative finding without questioning its costs for lateness.",
             c_text(pattern=r"\b43\b")),
        item("sections", 1, "Cites the policy section for each finding."),
        item("recommendations", 2, "Recommends recovery of the questioned costs (e.g. offset "
             "against the next reimbursement request) and specific control fixes (claim-form "
             "mileage rate, M&IE travel-day rule, duplicate checks, TA-2 attachment)."),
        item("tone", 1, "Objective, factual tone appropriate for a monitoring report, with "
             "the memo addressed to Renee Caldwell and dated November 4, 2026."),
        item("formatting", 5, "Overall professionalism and formatting: a clear memo a "
             "director could sign off, with a readable findings table and totals."),
        placeholder_penalty(),
        item("allowed-questioned", -2, "PENALTY: questions costs the policy allows, such as "
             "the pre-approved Chicago lodging ($207.00 above the cap) or the $62.40 taxi "
             "below the $75 receipt threshold.", c_text(pattern=r"\$?207\.00")),
        item("wrong-total", -2, "PENALTY: the total questioned costs stated do not equal the "
             "sum of the findings listed."),
    ]
    return TaskSpec(id=ID, title="Subrecipient travel claims compliance review",
                    occupation="Compliance Officers", prompt=PROMPT,
                    deliverables=[("docx", MEMO)], expert_hours=6.0, rubric=rubric)


def _policy_pdf(ctx: Context) -> None:
    sec = lambda n, title, text: [PDF.P(f"{n} {title}", "h2"), PDF.P(text)]  # noqa: E731
    story = [
        PDF.P("State Travel Regulations - Excerpt", "title"),
        PDF.P("Chapter 4: Reimbursement of Travel Expenses. Revised effective July 1, 2026. "
              "Applies to state employees and to subrecipients reimbursed with state or "
              "federal pass-through funds.", "subtitle"),
        *sec("4.1", "Lodging", "Lodging is reimbursed at actual cost up to $150.00 per night, "
             "including taxes. A higher rate is allowed only with written pre-approval on Form "
             "TA-2, which must be attached to the claim. Amounts above the cap without an "
             "approved TA-2 are not reimbursable."),
        *sec("4.2", "Meals and incidental expenses (M&IE)", "Travelers receive a per diem of "
             "$64.00 per day for overnight travel. On the first and last day of travel the per "
             "diem is 75% ($48.00). Receipts are not required. Claims above the per diem are "
             "not reimbursable."),
        *sec("4.3", "Personal vehicle mileage", "Use of a personal vehicle is reimbursed at "
             "$0.70 per mile (rate effective July 1, 2026; the previous rate was $0.75). "
             "Mileage must be supported by a route printout."),
        *sec("4.4", "Receipts", "An itemized receipt is required for every expense of $75.00 or "
             "more, other than per diem and mileage. Expenses of $75.00 or more without a "
             "receipt are not reimbursable."),
        *sec("4.5", "Non-reimbursable expenses", "The following are never reimbursable: "
             "alcoholic beverages; in-room movies, minibar and other personal entertainment; "
             "traffic and parking citations or fines; personal side trips."),
        *sec("4.6", "Air travel", "Air travel is reimbursed at the coach or economy fare. "
             "Seat upgrades, premium economy and priority boarding fees are not reimbursable."),
        *sec("4.7", "Submission deadline", "Claims must be submitted within 30 calendar days "
             "after travel ends. Late claims may be paid only with the written approval of the "
             "agency director; a late claim without approval is reported as an administrative "
             "finding."),
        *sec("4.8", "Duplicate claims", "An expense may be claimed only once. Duplicate lines "
             "are disallowed in full and must be reported to the grantor."),
        PDF.gap(),
        PDF.callout("Questioned costs: in monitoring reviews, only the portion of an expense "
                    "that exceeds or violates this chapter is questioned; the allowable "
                    "portion remains reimbursable."),
    ]
    PDF.build(ctx.input("State_Travel_Policy_Excerpt.pdf"), story,
              title="State Travel Regulations - Chapter 4 excerpt",
              org="State Department of Workforce Development",
              org_lines=["Office of Grants Compliance", "Policy Manual"],
              footer="State Travel Regulations, Chapter 4 (rev. 07/01/2026) - excerpt")


def _claims_xlsx(ctx: Context) -> None:
    fmts = [lambda x: x.strftime("%m/%d/%Y"), lambda x: x.isoformat(),
            lambda x: x.strftime("%b %d, %Y")]
    names = {"Maria Lopez": ["Maria Lopez", "Lopez, Maria"],
             "James Whitaker": ["James Whitaker", "WHITAKER, JAMES"],
             "Aisha Rahman": ["Aisha Rahman", "A. Rahman"], "Derek Owens": ["Derek Owens"]}
    kinds = {"lodging": ["Lodging", "Hotel"], "mie": ["M&IE", "Per Diem"],
             "mileage": ["Mileage", "POV Mileage"], "other": ["Other"]}
    rows, n = [], 0
    for t in TRIPS:
        for ln in t.lines:
            fmt = fmts[n % 3]
            when = t.start + dt.timedelta(days=ln.day)
            who = names[t.employee][n % len(names[t.employee])]
            kind = kinds[ln.kind][n % len(kinds[ln.kind])]
            amount: object = f"${ln.amount:,.2f}" if n % 4 == 2 else ln.amount
            rows.append([t.claim, who, fmt(t.start), fmt(t.end), t.dest, fmt(when), kind,
                         ln.desc, ln.qty if ln.kind in ("lodging", "mileage", "mie") else "",
                         amount, "Y" if ln.receipt else "N", "Y" if t.preapproved else "",
                         fmt(t.submitted)])
            n += 1
    wb = X.new_workbook("Travel claims export Q3 2026", "Tri-County Workforce Development Board")
    X.plain(wb, "Claims_Export", ["Claim ID", "Employee", "Trip Start", "Trip End", "Destination",
                                  "Expense Date", "Expense Type", "Description", "Qty",
                                  "Amount", "Receipt", "TA-2 Pre-Approval", "Date Submitted"],
            rows, col_widths=[13, 18, 12, 12, 16, 13, 12, 46, 6, 10, 8, 10, 13])
    X.save(wb, ctx.input("Q3_Travel_Claims_TriCounty.xlsx"))


def _memo(ctx: Context, money: list[Finding], admin: list[Finding], total_q: float,
          claimed: float, n_lines: int) -> None:
    doc = D.new_doc("Q3 2026 travel claims compliance review - Tri-County WDB",
                    "Subaward SA-26-114 monitoring")
    D.letterhead(doc, "State Department of Workforce Development",
                 ["Office of Grants Compliance", "Subaward monitoring"])
    D.memo_block(doc, [("TO:", "Renee Caldwell, Director, Grants Management Division"),
                       ("FROM:", "Marcus Tran, Senior Compliance Officer"),
                       ("DATE:", "November 4, 2026"),
                       ("RE:", "Travel claims review, Tri-County Workforce Development Board, "
                               "subaward SA-26-114, July-September 2026")])
    claims_hit = sorted({f.claim for f in money})
    D.heading(doc, "Purpose and scope")
    D.para(doc, f"We tested all {len(TRIPS)} travel claims Tri-County submitted for July through "
           f"September 2026: {n_lines} expense lines totaling {S.money(claimed)}. Each line was "
           "compared with Chapter 4 of the State Travel Regulations (revised July 1, 2026) for "
           "rate limits, documentation, allowability, duplication and timeliness.")
    D.heading(doc, "Summary of results")
    D.para(doc, [("Total questioned costs: ", "b"), (S.money(total_q), "b"),
                 (f" across {len(money)} findings on "
                  f"{'all' if len(claims_hit) == len(TRIPS) else f'{len(claims_hit)} of'} "
                  f"{len(TRIPS)} claims "
                  f"({total_q / claimed * 100:.1f}% of dollars reviewed). We also report "
                  f"{len(admin)} administrative finding. The exceptions are mostly rate errors "
                  "that a corrected claim form would prevent; none suggests intentional "
                  "misuse.", "")])
    D.heading(doc, "Findings")
    rows = [[f.claim, f.employee, f.date.strftime("%m/%d/%Y"), f.issue, f"\u00a7{f.section}",
             S.money(f.amount)] for f in sorted(money, key=lambda f: (f.claim, f.date))]
    rows.append(["Total", "", "", "", "", S.money(total_q)])
    D.table(doc, ["Claim", "Employee", "Expense date", "Issue", "Policy", "Questioned"], rows,
            widths=[1.05, 1.0, 0.85, 2.35, 0.5, 0.85], align="lllllr", total=True, size=8.5)
    by_sec: dict[str, float] = {}
    for f in money:
        by_sec[f.section] = by_sec.get(f.section, 0) + f.amount
    labels = {"4.1": "Lodging above cap", "4.2": "M&IE travel-day rate", "4.3": "Mileage rate",
              "4.4": "Missing receipt", "4.5": "Non-reimbursable items", "4.6": "Air upgrade",
              "4.8": "Duplicate claim"}
    D.heading(doc, "Questioned costs by policy section", 2)
    D.table(doc, ["Policy section", "Questioned"],
            [[f"\u00a7{k} {labels[k]}", S.money(v)] for k, v in sorted(by_sec.items())],
            widths=[3.2, 1.3], align="lr", size=9)
    D.heading(doc, "Administrative findings")
    for f in admin:
        D.bullets(doc, [[(f"{f.claim} ({f.employee}). ", "b"),
                         (f"{f.issue} (\u00a7{f.section}). The costs themselves are questioned "
                          "only where listed above; lateness alone does not make them "
                          "unallowable.", "")]])
    D.bullets(doc, [[("Not questioned. ", "b"),
                     ("The Chicago conference hotel on CLM-26-0804 ($219.00/night) had an "
                      "approved TA-2 attached, and the $62.40 taxi and $18.00 parking on other "
                      "claims fall below the $75 receipt threshold.", "")]])
    D.heading(doc, "Recommendations")
    D.bullets(doc, [
        f"Recover {S.money(total_q)} by offsetting it against Tri-County's next reimbursement "
        "request, and ask Tri-County to confirm the adjustment in writing within 30 days.",
        "Update Tri-County's claim form to the $0.70 mileage rate effective July 1, 2026 and "
        "build in the 75% first- and last-day M&IE calculation.",
        "Add a duplicate-line check (same traveler, date, type and amount) before claims are "
        "approved, and require the TA-2 to be attached whenever lodging exceeds $150.",
        "Remind approvers that alcohol, entertainment, fines and upgrades are never "
        "reimbursable, and that claims over 30 days old need the director's written approval.",
        "Re-test a sample of Q4 claims in February 2027 to confirm the fixes.",
    ], numbered=True)
    D.para(doc, "Please let me know if you would like the line-by-line test worksheet.",
           space_after=2)
    D.save(doc, ctx.gold_file(MEMO))
