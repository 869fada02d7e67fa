"""Health services manager: Q3 no-show review across three clinics, with an SMS-reminder
pilot to evaluate, as a leadership deck."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
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

ID = "hc-q3-no-show-review"
DECK = "Q3_No-Show_Review.pptx"
REVENUE = 142.0          # average net revenue per completed visit (prompt)
TARGET = 0.10
SITES = ("Northside Family Clinic", "Eastside Clinic", "Downtown Health Center")
ALIASES = {SITES[0]: ["Northside Family Clinic", "NORTHSIDE", "Northside Family Clinic"],
           SITES[1]: ["Eastside Clinic", "East Side Clinic", "Eastside"],
           SITES[2]: ["Downtown Health Center", "Downtown HC", "Downtown Health Ctr"]}
WEEKS = [dt.date(2026, 6, 29) + dt.timedelta(weeks=i) for i in range(13)]
SMS_START = dt.date(2026, 8, 17)          # Northside pilot go-live
DUP = (SITES[2], dt.date(2026, 8, 10))    # exported twice


@dataclass(frozen=True)
class Row:
    site: str
    week: dt.date
    scheduled: int
    no_shows: int
    cancels: int
    sms: bool

    @property
    def completed(self) -> int:
        return self.scheduled - self.no_shows - self.cancels


def rows() -> list[Row]:
    rng = random.Random(ID)
    base = {SITES[0]: (410, 0.148), SITES[1]: (305, 0.092), SITES[2]: (520, 0.171)}
    out = []
    for site in SITES:
        n0, rate = base[site]
        for w in WEEKS:
            sms = site == SITES[1] or (site == SITES[0] and w >= SMS_START)
            r = 0.086 if (site == SITES[0] and sms) else rate
            if w == dt.date(2026, 7, 6):
                r += 0.02          # holiday week
            n = n0 + rng.randint(-25, 25) - (40 if w == dt.date(2026, 7, 6) else 0)
            ns = round(n * (r + rng.uniform(-0.012, 0.012)))
            out.append(Row(site, w, n, ns, round(n * rng.uniform(0.035, 0.06)), sms))
    return out


def stats(data: list[Row]) -> dict:
    def rate(rs: list[Row]) -> float:
        return sum(r.no_shows for r in rs) / sum(r.scheduled for r in rs)
    north = [r for r in data if r.site == SITES[0]]
    by_site = {s: rate([r for r in data if r.site == s]) for s in SITES}
    no_shows = sum(r.no_shows for r in data)
    down = [r for r in data if r.site == SITES[2]]
    down_sched = sum(r.scheduled for r in down)
    post = rate([r for r in north if r.sms])
    recover = (by_site[SITES[2]] - post) * down_sched
    return {"overall": rate(data), "by_site": by_site, "no_shows": no_shows,
            "scheduled": sum(r.scheduled for r in data), "lost": no_shows * REVENUE,
            "north_pre": rate([r for r in north if not r.sms]), "north_post": post,
            "down_sched": down_sched, "recover_visits": recover,
            "recover_usd": recover * REVENUE,
            "site_counts": {s: sum(r.no_shows for r in data if r.site == s) for s in SITES},
            "weekly": {s: [r.no_shows / r.scheduled for r in data if r.site == s] for s in SITES}}


PROMPT = f"""\
You are the practice operations manager at Riverbend Community Health, which runs three
primary-care clinics. The COO, Dr. Helen Park, wants a short deck for the November 10, 2026
leadership meeting on third-quarter no-shows. The scheduling system export is attached
(Visits_Q3_2026_by_site_week.csv: one row per clinic per week, weeks starting June 29 through
September 21, 2026). It was pulled by hand, so clinic names vary, dates are in mixed formats,
one clinic-week was exported twice, and a total row was appended.

Northside Family Clinic started automated SMS appointment reminders on August 17, 2026; Eastside
Clinic has used them all year; Downtown Health Center has none. The organization's target is a
no-show rate of 10% or less (no-shows divided by scheduled visits), and each no-show costs about
$142 in net revenue.

Prepare {DECK} (6-8 slides): Q3 no-show rate overall and by clinic against target, total
no-shows and estimated lost revenue, the Northside rate before and after SMS reminders, a
recommendation with the expected benefit of extending reminders to Downtown (assume it would
reach Northside's post-launch rate), an implementation plan, and a note on how the data were
cleaned.
"""


def build(ctx: Context) -> TaskSpec:
    data = rows()
    st = stats(data)
    rates = st["by_site"]  # the slide titles and rubric assume this ordering
    assert rates[SITES[1]] < TARGET < rates[SITES[0]] < rates[SITES[2]]
    _csv(ctx, data)
    _deck(ctx, st)
    dup_row = next(r for r in data if (r.site, r.week) == DUP)
    p1 = lambda x: f"{x * 100:.1f}"  # noqa: E731
    wrong_count = st["no_shows"] + dup_row.no_shows
    rubric = [
        item("file-name", 1, f"Delivers a PowerPoint deck named {DECK}.",
             c_name("Q3_No-Show_Review", "pptx")),
        item("slides", 1, "The deck has 6 to 8 slides.", c_count("slide_count", 6, 8)),
        item("overall-rate", 2, f"States the Q3 overall no-show rate as {p1(st['overall'])}% "
             f"({st['no_shows']:,} no-shows of {st['scheduled']:,} scheduled visits).",
             c_text(pattern=rf"{p1(st['overall'])}\s*%")),
        item("site-rates", 2, "States each clinic's Q3 rate: " + ", ".join(
            f"{s} {p1(v)}%" for s, v in st["by_site"].items()) + "; only Eastside meets the "
             "10% target.", c_text(pattern=rf"{p1(st['by_site'][SITES[2]])}\s*%")),
        item("target", 1, "Shows every rate against the 10% target (e.g. a target line or "
             "column)."),
        item("lost-revenue", 2, f"Estimates Q3 lost revenue as about "
             f"{S.money(st['lost'], False)} ({st['no_shows']:,} x $142).",
             c_text(pattern=money_re(st["lost"]))),
        item("sms-effect", 2, f"Shows Northside's rate fell from {p1(st['north_pre'])}% before "
             f"August 17 to {p1(st['north_post'])}% after SMS reminders started.",
             c_text(pattern=rf"{p1(st['north_post'])}\s*%")),
        item("chart", 1, "Includes at least one chart of no-show rates (by clinic or weekly "
             "trend)."),
        item("recommend-heading", 1, "Has a slide titled with the recommendation.",
             c_heading("Recommend")),
        item("benefit", 2, f"Quantifies the benefit of SMS reminders at Downtown as about "
             f"{st['recover_visits']:,.0f} recovered visits and "
             f"{S.money(st['recover_usd'], False)} per quarter."),
        item("plan", 1, "Gives an implementation plan with owners, dates and a measure of "
             "success."),
        item("caveat", 1, "Notes that the before/after comparison is observational (seasonality "
             "such as the July 4 week may contribute)."),
        item("cleaning", 1, "Notes the data cleaning: clinic names standardized, dates "
             "normalized, the duplicate Downtown week of August 10 removed, the total row "
             "excluded."),
        item("formatting", 5, "Overall professionalism and formatting: executive-ready slides "
             "with clear titles that state the message, legible charts and consistent style."),
        placeholder_penalty(),
        item("double-count", -2, f"PENALTY: counts the duplicated Downtown week or the total "
             f"row, e.g. reporting {wrong_count:,} no-shows.",
             c_text(pattern=rf"\b{wrong_count:,}\b|\b{wrong_count}\b|\b{2 * st['no_shows']:,}\b")),
    ]
    return TaskSpec(id=ID, title="Q3 no-show review for clinic leadership",
                    occupation="Medical and Health Services Managers", prompt=PROMPT,
                    deliverables=[("pptx", DECK)], expert_hours=4.5, rubric=rubric)


def _csv(ctx: Context, data: list[Row]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Clinic", "Week Starting", "Scheduled", "Completed", "No-Shows",
                "Same-Day Cancels", "SMS Reminders"])
    fmts = ["%m/%d/%Y", "%Y-%m-%d", "%-m/%-d/%y"]
    for i, r in enumerate(data):
        line = [ALIASES[r.site][i % 3], r.week.strftime(fmts[i % 3]), r.scheduled, r.completed,
                r.no_shows, r.cancels, "Y" if r.sms else "N"]
        w.writerow(line)
        if (r.site, r.week) == DUP:
            w.writerow([ALIASES[r.site][0], r.week.strftime("%m/%d/%Y"), *line[2:]])
    w.writerow(["TOTAL", "", sum(r.scheduled for r in data), sum(r.completed for r in data),
                sum(r.no_shows for r in data), sum(r.cancels for r in data), ""])
    ctx.input("Visits_Q3_2026_by_site_week.csv").write_text(buf.getvalue(), encoding="utf-8")


def _deck(ctx: Context, st: dict) -> None:
    p1 = lambda x: f"{x * 100:.1f}%"  # noqa: E731
    m = lambda x: S.money(x, False)  # noqa: E731
    short = {SITES[0]: "Northside", SITES[1]: "Eastside", SITES[2]: "Downtown"}
    d = Deck("Q3 2026 no-show review", "Riverbend Community Health  |  Q3 2026 no-show review  "
             "|  Leadership meeting, November 10, 2026")
    d.cover("Q3 2026 No-Show Review", "Three clinics, one fix that works",
            "Leadership meeting, November 10, 2026  |  Practice Operations")

    s = d.slide(f"Q3 no-shows ran at {p1(st['overall'])}, above our 10% target")
    d.kpis(s, [(p1(st["overall"]), "Overall no-show rate (target 10%)"),
               (f"{st['no_shows']:,}", "Missed visits, Q3"),
               (m(st["lost"]), "Estimated lost net revenue"),
               ("1 of 3", "Clinics meeting target")])
    d.bullets(s, [f"{st['scheduled']:,} visits scheduled across the three clinics, weeks of "
                  "June 29 - September 21, 2026.",
                  "Each no-show costs about $142 in net revenue and leaves a slot another "
                  "patient could have used."], (0.6, 3.6, 12.1, 2.5), size=18)

    s = d.slide("Downtown is furthest from target; Eastside already meets it")
    d.bar_chart(s, [short[x] for x in SITES], {"Q3 no-show rate": [round(st["by_site"][x], 3)
                                                                  for x in SITES],
                                               "Target": [TARGET] * 3},
                (0.6, 1.6, 7.4, 5.2), number_format="0.0%", colors=(S.ACCENT, "BFBFBF"))
    d.table(s, ["Clinic", "Rate", "No-shows", "SMS"],
            [[short[x], p1(st["by_site"][x]), f"{st['site_counts'][x]:,}",
              {SITES[0]: "From Aug 17", SITES[1]: "All quarter", SITES[2]: "None"}[x]]
             for x in SITES], (8.3, 2.0, 4.4, 2.0), col_widths=[1.3, 0.9, 1.1, 1.1],
            align="lrrl", size=13)

    s = d.slide(f"SMS reminders cut Northside no-shows from {p1(st['north_pre'])} to "
                f"{p1(st['north_post'])}")
    labels = [w.strftime("%b %-d") for w in WEEKS]
    d.bar_chart(s, labels, {short[x]: [round(v, 3) for v in st["weekly"][x]] for x in SITES},
                (0.6, 1.6, 8.4, 5.2), number_format="0%", line=True, labels=False)
    d.bullets(s, [f"Northside: {p1(st['north_pre'])} in the 7 weeks before go-live, "
                  f"{p1(st['north_post'])} in the 6 weeks after.",
                  f"Eastside, with reminders all quarter: {p1(st['by_site'][SITES[1]])}.",
                  f"Downtown, no reminders: {p1(st['by_site'][SITES[2]])}."],
              (9.2, 1.9, 3.6, 4.6), size=15)
    d.notes(s, "Before/after is observational: the July 4 holiday week lifted early-quarter "
            "rates at every clinic, but Northside's drop is far larger than that effect and "
            "matches Eastside's level.")

    s = d.slide("Recommendation: extend SMS reminders to Downtown in December")
    d.kpis(s, [(f"{st['recover_visits']:,.0f}", "Visits recovered per quarter"),
               (m(st["recover_usd"]), "Net revenue recovered per quarter"),
               (m(st["recover_usd"] * 4), "Annualized")], top=1.6, height=1.4)
    d.bullets(s, [f"If Downtown matches Northside's post-launch rate ({p1(st['north_post'])}), "
                  f"about {st['recover_visits']:,.0f} of its {st['down_sched']:,} quarterly "
                  "scheduled visits would be kept.",
                  "Same vendor and templates as the Northside pilot: no new contract needed.",
                  "Pair reminders with a same-day waitlist so any remaining late cancellations "
                  "are refilled."], (0.6, 3.3, 12.1, 3.2), size=18)

    s = d.slide("Implementation plan")
    d.table(s, ["Step", "Owner", "By"], [
        ["Configure SMS reminders (72 h and 24 h) for Downtown", "IT / scheduling vendor",
         "Dec 1, 2026"],
        ["Verify mobile numbers and text consent at check-in", "Downtown front desk lead",
         "Dec 1, 2026"],
        ["Go live; start same-day waitlist", "Downtown practice manager", "Dec 7, 2026"],
        ["Weekly no-show dashboard for all three clinics", "Practice operations", "Dec 14, 2026"],
        ["Review results: Downtown at or below 10%", "COO / leadership", "Mar 2027 meeting"],
    ], (0.6, 1.7, 12.1, 3.6), col_widths=[6.4, 3.5, 2.2], align="lll", size=15)

    s = d.slide("About the data")
    d.bullets(s, ["Source: scheduling system export, one row per clinic per week (13 weeks).",
                  "Standardized clinic names (e.g. 'Downtown HC', 'East Side Clinic') and "
                  "normalized three date formats.",
                  "Removed the duplicated Downtown row for the week of August 10 and the "
                  "appended TOTAL row.",
                  "No-show rate = no-shows / scheduled visits; same-day cancellations are "
                  "tracked separately and not counted as no-shows.",
                  "Lost revenue = no-shows x $142 average net revenue per visit."],
              (0.6, 1.7, 12.1, 5.0), size=18)
    d.save(ctx.gold_file(DECK))
