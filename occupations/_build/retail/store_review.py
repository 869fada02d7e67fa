"""General and operations manager: Q3 store performance review for a six-store region, from a
messy P&L export and the plan (pptx)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .. import style as S
from .. import xlsx_kit as X
from ..pptx_kit import Deck
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

ID = "gm-q3-store-performance-review"
DECK = "Q3_Store_Performance_Review.pptx"
MONTHS = ("Jul", "Aug", "Sep")
SEASON = (0.36, 0.34, 0.30)
OTHER_PCT, OTHER_FIXED = 0.045, 6000


@dataclass(frozen=True)
class Store:
    no: str
    city: str
    sales: float        # actual Q3
    gm: float
    payroll: float
    rent: float         # per month
    plan_sales: float
    plan_gm: float
    plan_payroll: float

    @property
    def name(self) -> str:
        return f"#{self.no} {self.city}"


STORES = [
    Store("102", "Ann Arbor", 1_018_400, 0.462, 0.114, 38_000, 1_000_000, 0.460, 0.115),
    Store("108", "Grand Rapids", 1_151_900, 0.455, 0.110, 41_000, 1_120_000, 0.455, 0.110),
    Store("114", "Kalamazoo", 781_300, 0.409, 0.121, 29_000, 770_000, 0.455, 0.120),
    Store("121", "Toledo", 688_700, 0.451, 0.126, 27_000, 760_000, 0.450, 0.120),
    Store("127", "Lansing", 819_600, 0.454, 0.158, 30_000, 810_000, 0.455, 0.120),
    Store("133", "Traverse City", 962_500, 0.471, 0.108, 33_000, 850_000, 0.465, 0.112),
]
DUP = ("127", "Sep")


def monthly(s: Store) -> list[dict]:
    out = []
    for m, w in zip(MONTHS, SEASON, strict=True):
        sales = round(s.sales * w, 2)
        out.append({"month": m, "sales": sales, "cogs": round(sales * (1 - s.gm), 2),
                    "payroll": round(sales * s.payroll, 2), "rent": s.rent,
                    "other": round(sales * OTHER_PCT + OTHER_FIXED, 2)})
    return out


def contribution(sales: float, gm: float, payroll: float, rent_q: float) -> float:
    return sales * gm - sales * payroll - rent_q - (sales * OTHER_PCT + OTHER_FIXED * 3)


def analyse() -> dict:
    rows = []
    for s in STORES:
        ms = monthly(s)
        sales = sum(m["sales"] for m in ms)
        gp = sales - sum(m["cogs"] for m in ms)
        pay = sum(m["payroll"] for m in ms)
        contrib = gp - pay - sum(m["rent"] + m["other"] for m in ms)
        plan_c = contribution(s.plan_sales, s.plan_gm, s.plan_payroll, s.rent * 3)
        rows.append({"store": s, "sales": sales, "gm": gp / sales, "payroll": pay / sales,
                     "contrib": contrib, "cpct": contrib / sales, "plan_sales": s.plan_sales,
                     "plan_contrib": plan_c, "vs_plan": sales / s.plan_sales - 1,
                     "payroll_gap": (pay / sales - s.plan_payroll) * sales,
                     "gm_gap": (s.plan_gm - gp / sales) * sales})
    rows.sort(key=lambda r: -r["contrib"])
    tot = {k: sum(r[k] for r in rows) for k in ("sales", "contrib", "plan_sales",
                                                 "plan_contrib")}
    gp = sum(r["gm"] * r["sales"] for r in rows)
    pay = sum(r["payroll"] * r["sales"] for r in rows)
    dup = next(m for m in monthly(next(s for s in STORES if s.no == DUP[0]))
               if m["month"] == DUP[1])
    return {"rows": rows, **tot, "gm": gp / tot["sales"], "payroll": pay / tot["sales"],
            "dup_sales": dup["sales"]}


PROMPT = f"""\
You are the regional operations manager for Summit Trail Outfitters' Great Lakes region (six
stores). Karen Whitlock, Regional Vice President, has asked for a Q3 2026 (July-September)
performance review for her November 12, 2026 meeting with the store managers.

Attached: the monthly store P&L export (Q3_Store_PL_Export.xlsx; store names and month labels
are inconsistent, some numbers are stored as text, one store-month was exported twice and a
region total row is included) and the Q3 plan by store (Q3_Plan_by_Store.csv).

Prepare {DECK} (6-8 slides): region results against plan (sales, gross margin %, payroll as %
of sales, four-wall contribution = sales - COGS - payroll - rent - other operating expense); a
store scorecard ranking all six stores by four-wall contribution with sales vs plan; a chart of
sales against plan by store; the biggest profit problems with their dollar impact against plan
(margin, payroll or sales); and specific actions with owners and dates for Q4, including the
holiday season. Lead each slide with its conclusion.
"""


def build(ctx: Context) -> TaskSpec:
    a = analyse()
    _inputs(ctx)
    _deck(ctx, a)
    by = {r["store"].no: r for r in a["rows"]}
    p1 = lambda x: f"{x * 100:.1f}"  # noqa: E731
    rubric = [
        item("file-name", 1, f"Delivers a PowerPoint deck named {DECK}.",
             c_name("Q3_Store_Performance_Review", "pptx")),
        item("slides", 1, "The deck has 6 to 8 slides.", c_count("slide_count", 6, 8)),
        item("region-sales", 2, f"States Q3 region sales of {S.money(a['sales'], False)} "
             f"against a plan of {S.money(a['plan_sales'], False)}.",
             c_text(pattern=money_re(a["sales"]))),
        item("region-contrib", 2, f"States region four-wall contribution of "
             f"{S.money(a['contrib'], False)} against a plan of "
             f"{S.money(a['plan_contrib'], False)}.", c_text(pattern=money_re(a["contrib"]))),
        item("region-ratios", 1, f"States region gross margin of {p1(a['gm'])}% and payroll "
             f"of {p1(a['payroll'])}% of sales."),
        item("scorecard-heading", 1, "Has a slide titled with the store scorecard.",
             c_heading("Scorecard")),
        item("ranking", 2, "Ranks the six stores by four-wall contribution: "
             + ", ".join(r["store"].city for r in a["rows"]) + "."),
        item("chart", 1, "Includes a chart of actual vs. plan sales by store."),
        item("lansing", 2, f"Identifies Lansing's payroll at {p1(by['127']['payroll'])}% of "
             f"sales (plan 12.0%), costing about {S.money(by['127']['payroll_gap'], False)}.",
             c_text(pattern=rf"{p1(by['127']['payroll'])}\s*%")),
        item("kalamazoo", 2, f"Identifies Kalamazoo's gross margin at {p1(by['114']['gm'])}% "
             f"(plan 45.5%), costing about {S.money(by['114']['gm_gap'], False)}."),
        item("toledo", 1, f"Identifies Toledo's sales at {p1(-by['121']['vs_plan'])}% below "
             "plan."),
        item("actions", 2, "Gives specific Q4 actions with owners and dates (e.g. Lansing "
             "schedule to traffic, Kalamazoo markdown and shrink review, Toledo local "
             "marketing), tied to the holiday season."),
        item("message-titles", 1, "Slide titles state conclusions rather than topics."),
        item("formatting", 5, "Overall professionalism and formatting: executive-ready, "
             "consistent, legible tables and charts."),
        placeholder_penalty(),
        item("double-count", -2, f"PENALTY: counts Lansing's September twice or the region "
             f"total row, e.g. region sales of {S.money(a['sales'] + a['dup_sales'], False)}.",
             c_text(pattern=money_re(a["sales"] + a["dup_sales"]) + "|"
                    + money_re(2 * a["sales"]))),
        item("wrong-definition", -2, "PENALTY: computes four-wall contribution without "
             "deducting rent or other operating expense."),
    ]
    return TaskSpec(id=ID, title="Q3 regional store performance review",
                    occupation="General and Operations Managers", prompt=PROMPT,
                    deliverables=[("pptx", DECK)], expert_hours=5.0, rubric=rubric)


def _inputs(ctx: Context) -> None:
    names = {"102": ["#102 Ann Arbor", "Ann Arbor", "Store 102"],
             "108": ["#108 Grand Rapids", "Grand Rapids", "STORE 108 GRAND RAPIDS"],
             "114": ["#114 Kalamazoo", "Kalamazoo", "Store 114"],
             "121": ["#121 Toledo", "TOLEDO", "Store 121"],
             "127": ["#127 Lansing", "Lansing", "Store 127"],
             "133": ["#133 Traverse City", "Traverse City", "Store 133 - TC"]}
    mlabels = {"Jul": ["Jul-26", "2026-07", "July 2026"], "Aug": ["Aug-26", "2026-08",
                                                                 "August 2026"],
               "Sep": ["Sep-26", "2026-09", "September 2026"]}
    rows, n, total = [], 0, [0.0] * 5
    for s in STORES:
        for m in monthly(s):
            vals = [m["sales"], m["cogs"], m["payroll"], m["rent"], m["other"]]
            total = [t + v for t, v in zip(total, vals, strict=True)]
            cells = [f"${v:,.2f}" if (n + j) % 5 == 0 else v for j, v in enumerate(vals)]
            row = [names[s.no][n % 3], mlabels[m["month"]][n % 3], *cells]
            rows.append(row)
            if (s.no, m["month"]) == DUP:
                rows.append([names[s.no][0], mlabels[m["month"]][0], *vals])
            n += 1
    rows.append(["REGION TOTAL", "Q3", *[round(t, 2) for t in total]])
    wb = X.new_workbook("Store P&L export Q3 2026", "Summit Trail Outfitters")
    X.plain(wb, "PL_Export", ["Store", "Month", "Net Sales", "COGS", "Payroll", "Rent",
                              "Other Opex"], rows, col_widths=[24, 16, 14, 14, 14, 12, 12])
    X.save(wb, ctx.input("Q3_Store_PL_Export.xlsx"))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["store", "plan_sales_q3", "plan_gross_margin_pct", "plan_payroll_pct",
                "plan_four_wall_contribution_q3"])
    for s in STORES:
        w.writerow([s.no, f"{s.plan_sales:.0f}", f"{s.plan_gm * 100:.1f}",
                    f"{s.plan_payroll * 100:.1f}",
                    f"{contribution(s.plan_sales, s.plan_gm, s.plan_payroll, s.rent * 3):.0f}"])
    ctx.input("Q3_Plan_by_Store.csv").write_text(buf.getvalue(), encoding="utf-8")


def _deck(ctx: Context, a: dict) -> None:
    m = lambda x: S.money(x, False)  # noqa: E731
    p1 = lambda x: f"{x * 100:.1f}%"  # noqa: E731
    by = {r["store"].no: r for r in a["rows"]}
    d = Deck("Great Lakes region Q3 2026 review", "Summit Trail Outfitters  |  Great Lakes "
             "region  |  Q3 2026 performance review")
    d.cover("Great Lakes Region: Q3 2026 Store Performance", "Review for Karen Whitlock, RVP",
            "Store managers' meeting, November 12, 2026  |  Regional Operations")

    gap = a["contrib"] - a["plan_contrib"]
    s = d.slide(f"Sales beat plan by {(a['sales'] / a['plan_sales'] - 1) * 100:.1f}%, but "
                f"contribution missed by {m(-gap)}")
    d.kpis(s, [(m(a["sales"]), f"Sales (plan {m(a['plan_sales'])})"),
               (p1(a["gm"]), "Gross margin"), (p1(a["payroll"]), "Payroll % of sales"),
               (m(a["contrib"]), f"4-wall contribution (plan {m(a['plan_contrib'])})")])
    d.bullets(s, [f"Traverse City carried the top line ({by['133']['vs_plan'] * 100:+.1f}% vs "
                  f"plan); Toledo fell {-by['121']['vs_plan'] * 100:.1f}% short.",
                  "Profit leaked in two places: Lansing payroll and Kalamazoo margin.",
                  "Four-wall contribution = sales - COGS - payroll - rent - other operating "
                  "expense."], (0.6, 3.6, 12.1, 2.8), size=18)

    behind = [r["store"].city for r in a["rows"] if r["contrib"] < r["plan_contrib"]]
    s = d.slide(f"Store scorecard: {a['rows'][0]['store'].city} leads; "
                f"{', '.join(behind[:-1])} and {behind[-1]} missed plan")
    rows = [[r["store"].name, m(r["sales"]), f"{r['vs_plan'] * 100:+.1f}%", p1(r["gm"]),
             p1(r["payroll"]), m(r["contrib"]), p1(r["cpct"]),
             m(r["contrib"] - r["plan_contrib"])] for r in a["rows"]]
    rows.append(["Region", m(a["sales"]), f"{(a['sales'] / a['plan_sales'] - 1) * 100:+.1f}%",
                 p1(a["gm"]), p1(a["payroll"]), m(a["contrib"]),
                 p1(a["contrib"] / a["sales"]), m(gap)])
    d.table(s, ["Store", "Sales", "vs plan", "GM %", "Payroll %", "4-wall contrib.",
                "Contrib. %", "vs plan ($)"], rows, (0.6, 1.6, 12.1, 4.6),
            col_widths=[2.3, 1.6, 1.1, 1.1, 1.3, 1.8, 1.3, 1.6], align="lrrrrrrr", size=13,
            total=True)

    s = d.slide(f"Traverse City beat its sales plan by {by['133']['vs_plan'] * 100:.0f}%; "
                f"Toledo missed by {-by['121']['vs_plan'] * 100:.0f}%")
    order = sorted(a["rows"], key=lambda r: r["store"].no)
    d.bar_chart(s, [r["store"].city for r in order],
                {"Actual": [round(r["sales"]) for r in order],
                 "Plan": [round(r["plan_sales"]) for r in order]},
                (0.6, 1.6, 12.1, 5.2), number_format='"$"#,##0,"K"', labels=True)

    toledo_gp = (by["121"]["plan_sales"] - by["121"]["sales"]) * by["121"]["store"].plan_gm
    hit = by["127"]["payroll_gap"] + by["114"]["gm_gap"] + toledo_gp
    s = d.slide(f"Three problems cost about {m(round(hit, -3))} against plan")
    issues = [["Lansing payroll", f"{p1(by['127']['payroll'])} of sales vs 12.0% plan",
               m(by["127"]["payroll_gap"]), "Schedules built to last year's traffic; two "
               "extra full-time associates since the spring reset"],
              ["Kalamazoo margin", f"{p1(by['114']['gm'])} gross margin vs 45.5% plan",
               m(by["114"]["gm_gap"]), "Deep clearance on summer camping; shrink up after "
               "the July remodel"],
              ["Toledo sales", f"{by['121']['vs_plan'] * 100:+.1f}% vs plan",
               m(toledo_gp),
               "Road construction on Monroe St. cut August traffic; no local marketing"]]
    d.table(s, ["Problem", "Q3 result", "Impact vs plan", "Likely cause"], issues,
            (0.6, 1.7, 12.1, 3.2), col_widths=[2.2, 3.0, 1.8, 5.1], align="llrl", size=14)
    d.text(s, "Toledo's impact is lost gross profit: the sales shortfall at its 45.0% plan "
           "margin.", (0.6, 5.3, 12.1, 0.5), 12, S.GREY)

    s = d.slide("Q4 actions: fix the leaks before the holiday peak")
    d.table(s, ["Action", "Owner", "By"], [
        ["Rebuild Lansing schedules to hourly traffic; hold payroll at 12.5% through December",
         "Lansing SM + district HR", "Nov 20, 2026"],
        ["Kalamazoo: end clearance on camping, weekly shrink audit of high-theft SKUs",
         "Kalamazoo SM + loss prevention", "Nov 27, 2026"],
        ["Toledo: local holiday campaign and in-store events while construction continues",
         "Toledo SM + marketing", "Dec 1, 2026"],
        ["Copy Traverse City's clienteling playbook to all stores for holiday",
         "Regional ops manager", "Nov 24, 2026"],
        ["Weekly contribution scorecard to Karen through January", "Regional ops manager",
         "Weekly from Nov 16"],
    ], (0.6, 1.7, 12.1, 4.2), col_widths=[7.2, 3.1, 1.8], align="lll", size=14)

    s = d.slide("What we need from you")
    d.bullets(s, ["Approve a $6,000 local marketing budget for Toledo's holiday campaign.",
                  "Support a temporary payroll cap at Lansing while schedules are rebuilt.",
                  "Hold a January review of Kalamazoo's margin after the holiday clearance."],
              (0.6, 1.7, 12.1, 4.0), size=20)
    d.save(ctx.gold_file(DECK))
