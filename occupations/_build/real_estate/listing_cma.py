"""Real estate agent: comparative market analysis from a messy MLS export, delivered as a
listing presentation with a recommended list price (pptx)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass

from .. import style as S
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

ID = "rea-juniper-lane-listing-cma"
DECK = "48_Juniper_Lane_Listing_Presentation.pptx"
SUBJECT_SF = 2150
WINDOW = (dt.date(2026, 5, 1), dt.date(2026, 10, 31))
MAX_MI, SF_RANGE = 1.0, (1800, 2500)


@dataclass(frozen=True)
class Listing:
    mls: str
    address: str
    status: str
    list_price: int
    sold_price: int | None
    close: dt.date | None
    sf: int
    beds: int
    baths: float
    built: int
    dom: int
    miles: float
    note: str = ""

    @property
    def ppsf(self) -> float:
        return (self.sold_price or self.list_price) / self.sf


def d(y: int, m: int, day: int) -> dt.date:
    return dt.date(y, m, day)


LISTINGS = [
    Listing("4410231", "12 Birch Ct", "Sold", 499900, 505000, d(2026, 6, 12), 2080, 4, 2.5,
            1996, 9, 0.4),
    Listing("4411876", "301 Aspen Dr", "Sold", 535000, 532500, d(2026, 7, 28), 2240, 4, 2.5,
            2001, 6, 0.7),
    Listing("4412090", "77 Cedar Hollow Rd", "Sold", 495000, 489000, d(2026, 8, 15), 1960, 3,
            2.5, 1994, 14, 0.6),
    Listing("4413357", "18 Juniper Ln", "Sold", 529900, 541000, d(2026, 9, 3), 2190, 4, 2.5,
            1998, 5, 0.1, "multiple offers"),
    Listing("4409912", "5 Hemlock Way", "Sold", 479000, 468000, d(2026, 5, 20), 2010, 4, 2.0,
            1989, 21, 0.9, "original kitchen"),
    Listing("4414101", "240 Spruce St", "Sold", 559900, 559900, d(2026, 10, 9), 2420, 4, 3.0,
            2004, 4, 0.8),
    Listing("4413780", "9 Larch Pl", "Sold", 519000, 517000, d(2026, 9, 22), 2120, 4, 2.5,
            1999, 11, 0.5),
    Listing("4411002", "61 Poplar Ave", "Sold", 625000, 612000, d(2026, 7, 1), 3050, 5, 3.5,
            2008, 16, 0.8),
    Listing("4412455", "14 Willow Bend", "Sold", 399000, 398000, d(2026, 8, 8), 1480, 3, 2.0,
            1978, 10, 0.6, "ranch"),
    Listing("4410877", "880 Ridge Rd", "Sold", 545000, 540000, d(2026, 6, 30), 2200, 4, 2.5,
            2000, 8, 1.6, "Lakeside school district"),
    Listing("4389544", "33 Maple Ter", "Sold", 479900, 475000, d(2025, 9, 15), 2100, 4, 2.5,
            1997, 12, 0.3),
    Listing("4401223", "2 Oak Knoll", "Sold", 525000, 520000, d(2026, 3, 28), 2150, 4, 2.5,
            1998, 19, 0.4),
    Listing("4414590", "102 Aspen Dr", "Active", 549900, None, None, 2260, 4, 2.5, 2002, 18,
            0.7),
    Listing("4413002", "45 Cypress Ln", "Active", 575000, None, None, 2300, 4, 2.5, 2003, 41,
            0.9, "reduced from $599,000"),
    Listing("4414712", "19 Sequoia Ct", "Pending", 529000, None, None, 2150, 4, 2.5, 1998, 7,
            0.5),
    Listing("4414388", "700 Elm St", "Active", 489900, None, None, 1880, 3, 2.5, 1992, 25, 0.8),
    Listing("4408870", "27 Fir Ridge", "Expired", 589000, None, None, 2230, 4, 2.5, 2001, 120,
            0.6),
    Listing("4410455", "3 Chestnut Ct", "Withdrawn", 545000, None, None, 2050, 4, 2.5, 1995,
            60, 1.2),
]
DUPLICATES = (3, 12)  # 18 Juniper Ln exported twice; 102 Aspen Dr relisted


def comps() -> list[Listing]:
    return [x for x in LISTINGS if x.status == "Sold" and x.close
            and WINDOW[0] <= x.close <= WINDOW[1] and x.miles <= MAX_MI
            and SF_RANGE[0] <= x.sf <= SF_RANGE[1]]


def analyse() -> dict:
    cs = comps()
    ppsf = [x.ppsf for x in cs]
    med = statistics.median(ppsf)
    q1, _, q3 = statistics.quantiles(ppsf, n=4, method="inclusive")
    indicated = med * SUBJECT_SF
    active = [x for x in LISTINGS if x.status in ("Active", "Pending")
              and x.miles <= MAX_MI and SF_RANGE[0] <= x.sf <= SF_RANGE[1]]
    return {"comps": cs, "median": med, "low": q1 * SUBJECT_SF, "high": q3 * SUBJECT_SF,
            "indicated": indicated, "list": round(indicated / 5000) * 5000, "active": active,
            "avg_dom": statistics.mean(x.dom for x in cs),
            "sale_to_list": statistics.mean(x.sold_price / x.list_price for x in cs)}


PROMPT = f"""\
You are a listing agent with Keystone Realty Group. Mark and Julia Brennan are selling 48
Juniper Lane, Westbrook: a 1998 colonial with 4 bedrooms, 2.5 baths and 2,150 sq ft on 0.31
acres, with a 2021 kitchen remodel and a 2019 roof. Your listing appointment with them is on
November 6, 2026.

Your MLS search is attached (MLS_Export_Juniper_Lane.csv). It was exported in two passes, so it
has duplicates, mixed price and date formats, and listings that do not meet your comp criteria.
Use as comparable sales only homes sold between May 1 and October 31, 2026, within 1.0 mile,
with 1,800 to 2,500 sq ft.

Prepare {DECK} (7-9 slides) for the appointment: the home's features; a table of the
comparable sales with price per square foot; the median price per square foot and the value it
indicates for 48 Juniper Lane; current competition (active and pending listings that fit the
size and distance criteria); a recommended list price rounded to the nearest $5,000, with a
value range and your reasoning; a marketing plan; and next steps. Write for homeowners, not
agents.
"""


def build(ctx: Context) -> TaskSpec:
    a = analyse()
    _export(ctx)
    _deck(ctx, a)
    med = a["median"]
    med_re = rf"(?<![\d,.])\$?(?:{int(med)}|{int(med) + 1})(?:\.\d{{1,2}})?(?![\d,])"
    rubric = [
        item("file-name", 1, f"Delivers a PowerPoint deck named {DECK}.",
             c_name("48_Juniper_Lane_Listing_Presentation", "pptx")),
        item("slides", 1, "The deck has 7 to 9 slides.", c_count("slide_count", 7, 9)),
        item("comp-heading", 1, "Has a slide titled with the comparable sales.",
             c_heading("Comparable")),
        item("comp-set", 2, f"Uses exactly the {len(a['comps'])} qualifying sales: "
             + ", ".join(x.address for x in a["comps"]) + "."),
        item("duplicates", 1, "Counts 18 Juniper Ln only once despite the duplicate export."),
        item("exclusions", 2, "Excludes sales outside the criteria: 61 Poplar Ave (3,050 sq "
             "ft), 14 Willow Bend (1,480 sq ft), 880 Ridge Rd (1.6 miles), 33 Maple Ter and 2 "
             "Oak Knoll (closed before May 1, 2026)."),
        item("ppsf", 1, "Shows price per square foot for each comparable sale."),
        item("median", 2, f"States the median sold price per square foot as about "
             f"${med:,.2f}.", c_text(pattern=med_re)),
        item("indicated", 2, f"States the indicated value of about "
             f"{S.money(a['indicated'], False)} (median $/sq ft x 2,150 sq ft).",
             c_text(pattern=money_re(a["indicated"]))),
        item("list-price", 2, f"Recommends a list price of {S.money(a['list'], False)} with a "
             f"value range of about {S.money(a['low'], False)} to "
             f"{S.money(a['high'], False)}, and explains the reasoning (kitchen and roof "
             "updates, competition, recent sale at 18 Juniper Ln).",
             c_text(pattern=money_re(a["list"]))),
        item("competition", 1, "Lists the current competition (102 Aspen Dr, 45 Cypress Ln, "
             "19 Sequoia Ct pending, 700 Elm St) and what it means for pricing."),
        item("overpricing", 1, "Uses the expired 27 Fir Ridge listing or the 45 Cypress Ln price "
             "cut to show the cost of overpricing."),
        item("marketing", 1, "Includes a concrete marketing plan (photography, online "
             "exposure, open houses, timing)."),
        item("next-steps", 1, "Ends with next steps and a timeline to go live."),
        item("audience", 1, "Written for homeowners: plain language, no unexplained MLS "
             "jargon."),
        item("formatting", 5, "Overall professionalism and formatting: a polished, branded "
             "presentation with readable tables and charts."),
        placeholder_penalty(),
        item("bad-comps", -2, "PENALTY: includes non-qualifying sales (too large, too small, "
             "too far or too old) or active listings in the comparable-sales statistics."),
        item("unsupported-price", -2, "PENALTY: recommends a list price outside the value range "
             "without explaining why."),
    ]
    return TaskSpec(id=ID, title="Listing presentation with comparative market analysis",
                    occupation="Real Estate Sales Agents", prompt=PROMPT,
                    deliverables=[("pptx", DECK)], expert_hours=3.0, rubric=rubric)


def _export(ctx: Context) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["MLS#", "Address", "Status", "List Price", "Sold Price", "Close Date", "SqFt",
                "Beds", "Baths", "Year Built", "DOM", "Dist (mi)", "Remarks"])
    rows = list(range(len(LISTINGS)))
    rows.insert(9, DUPLICATES[0])
    rows.insert(16, DUPLICATES[1])
    for n, i in enumerate(rows):
        x = LISTINGS[i]
        sold = "" if x.sold_price is None else [f"${x.sold_price:,}", str(x.sold_price),
                                                f"{x.sold_price / 1000:g}K"][n % 3]
        close = "" if x.close is None else (x.close.strftime("%m/%d/%Y") if n % 2
                                            else x.close.isoformat())
        mls = x.mls if not (i == DUPLICATES[1] and n > 12) else "4415033"
        note = x.note if not (i == DUPLICATES[1] and n > 12) else "relisted"
        w.writerow([mls, x.address if n % 4 else x.address.upper(), x.status,
                    f"${x.list_price:,}" if n % 2 else x.list_price, sold, close, x.sf, x.beds,
                    x.baths, x.built, x.dom, x.miles, note])
    ctx.input("MLS_Export_Juniper_Lane.csv").write_text(buf.getvalue(), encoding="utf-8")


def _deck(ctx: Context, a: dict) -> None:
    m = lambda x: S.money(x, False)  # noqa: E731
    d = Deck("48 Juniper Lane listing presentation", "Keystone Realty Group  |  48 Juniper "
             "Lane, Westbrook  |  Prepared for Mark & Julia Brennan")
    d.cover("48 Juniper Lane: Pricing & Marketing Plan", "Prepared for Mark & Julia Brennan",
            "November 6, 2026  |  Sofia Ramirez, Keystone Realty Group")

    s = d.slide("Your home")
    d.kpis(s, [("4", "Bedrooms"), ("2.5", "Baths"), ("2,150", "Square feet"),
               ("0.31 ac", "Lot")], top=1.6, height=1.3)
    d.bullets(s, ["1998 center-hall colonial on a quiet street, 0.1 mile from the most recent "
                  "sale on Juniper Lane.",
                  "Kitchen remodeled in 2021; roof replaced in 2019: the two updates buyers ask "
                  "about first.",
                  "Sized in the heart of the neighborhood's market (1,800-2,500 sq ft), where "
                  "demand is strongest."], (0.6, 3.2, 12.1, 3.2), size=18)

    s = d.slide(f"Comparable sales: {len(a['comps'])} homes sold May-October 2026")
    rows = [[x.address, m(x.sold_price), f"{x.sf:,}", f"${x.ppsf:,.2f}",
             f"{x.beds} / {x.baths:g}", x.close.strftime("%b %-d"), str(x.dom), f"{x.miles:g}"]
            for x in sorted(a["comps"], key=lambda x: x.close)]
    d.table(s, ["Address", "Sold price", "Sq ft", "$/sq ft", "Bd / Ba", "Closed", "Days on "
                "market", "Miles"], rows, (0.6, 1.6, 12.1, 4.3),
            col_widths=[2.6, 1.6, 1.1, 1.4, 1.2, 1.3, 1.6, 1.3], align="lrrrcrrr", size=13)
    d.text(s, "Criteria: sold May 1 - October 31, 2026; within 1 mile; 1,800-2,500 sq ft. "
           "Duplicate MLS records removed.", (0.6, 6.1, 12.1, 0.5), 12, S.GREY)

    s = d.slide(f"The market says about ${a['median']:,.2f} per square foot")
    cs = sorted(a["comps"], key=lambda x: x.ppsf)
    d.bar_chart(s, [x.address for x in cs], {"Sold $/sq ft": [round(x.ppsf, 2) for x in cs]},
                (0.6, 1.6, 7.4, 5.2), number_format='"$"#,##0', horizontal=True)
    d.kpis(s, [(f"${a['median']:,.2f}", "Median sold $/sq ft")], top=1.7, height=1.3,
           left=8.3, span=4.4)
    d.callout(s, f"x 2,150 sq ft = an indicated value of {m(a['indicated'])}. Homes sold in "
              f"{a['avg_dom']:.0f} days on average, at {a['sale_to_list'] * 100:.1f}% of list "
              "price.", (8.3, 3.4, 4.4, 2.0), size=15)

    s = d.slide("Your competition today")
    rows = [[x.address, x.status, m(x.list_price), f"{x.sf:,}", f"${x.ppsf:,.2f}", str(x.dom),
             x.note or "-"] for x in a["active"]]
    d.table(s, ["Address", "Status", "List price", "Sq ft", "$/sq ft", "Days", "Note"], rows,
            (0.6, 1.6, 12.1, 2.6), col_widths=[2.4, 1.3, 1.6, 1.1, 1.4, 1.0, 3.3],
            align="llrrrrl", size=13)
    d.bullets(s, ["Priced right, homes go under contract in about a week (19 Sequoia Ct, 7 days).",
                  "Overpricing costs time: 45 Cypress Ln cut its price after 41 days, and 27 "
                  "Fir Ridge expired unsold at $589,000 after 120 days."],
              (0.6, 4.5, 12.1, 2.0), size=16)

    s = d.slide(f"Recommended list price: {m(a['list'])}")
    d.kpis(s, [(m(a["low"]), "Low end of value range"), (m(a["indicated"]), "Indicated value"),
               (m(a["high"]), "High end of value range")], top=1.6, height=1.4)
    d.bullets(s, [f"{m(a['list'])} sits at the indicated value: it draws buyers searching up "
                  "to $525,000 and invites competing offers.",
                  "Your 2021 kitchen and 2019 roof support the upper half of the range; 18 "
                  "Juniper Ln sold above list at $541,000 in September.",
                  "Pricing against 102 Aspen Dr ($549,900) makes your home the better value in "
                  "the neighborhood."], (0.6, 3.3, 12.1, 3.2), size=17)

    s = d.slide("Marketing plan")
    d.bullets(s, ["Professional photography, twilight exterior and a 3D virtual tour.",
                  "'Coming soon' on the MLS and Keystone's buyer network the week before launch.",
                  "Launch Thursday, November 12; open houses Saturday and Sunday, November 14-15.",
                  "Targeted social and search ads to buyers in the school district.",
                  "Weekly feedback report to you, with showing activity and online views."],
              (0.6, 1.7, 12.1, 5.0), size=18)

    s = d.slide("Next steps")
    d.table(s, ["When", "What"], [
        ["Nov 6", "Sign listing agreement; agree list price"],
        ["Nov 7-9", "Touch-ups and staging consultation"],
        ["Nov 10", "Photography and 3D tour"],
        ["Nov 12", "Listing goes live"],
        ["Nov 14-15", "Open houses"],
        ["Nov 23", "Review offers and feedback together"],
    ], (0.6, 1.7, 8.0, 3.9), col_widths=[1.8, 6.2], align="ll", size=16)
    d.save(ctx.gold_file(DECK))

