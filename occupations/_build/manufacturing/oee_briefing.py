"""Industrial engineer: October OEE for a packaging line from a downtime log and production
counts, with a downtime Pareto and countermeasures (pptx)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
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
    placeholder_penalty,
)

ID = "ie-line4-oee-october"
DECK = "Line4_OEE_Briefing.pptx"
SHIFT_MIN, PLANNED = 960, 870        # two 8-hour shifts; minus breaks and lunches
IDEAL_CT = 1.0                       # seconds per bottle
TARGET = 0.75
PM_DAYS = (dt.date(2026, 10, 14), dt.date(2026, 10, 28))
PM_MIN = 60
DAYS = [d for d in (dt.date(2026, 10, 1) + dt.timedelta(n) for n in range(31)) if d.weekday() < 5]
REASONS = {  # clean name: (label variants in the log, weight, minutes range)
    "Changeover": (["Changeover", "CHANGEOVER", "C/O - SKU change"], 0, (40, 75)),
    "Filler jam": (["Filler jam", "filler jam", "FILLER - jam"], 5, (8, 30)),
    "Labeler fault": (["Labeler fault", "Labeler", "LABELER FAULT"], 3, (12, 35)),
    "Material shortage": (["Material shortage", "Mat'l shortage", "Waiting on material"], 1,
                           (20, 60)),
    "Conveyor stoppage": (["Conveyor", "Conveyor stoppage", "CONVEYOR"], 2, (6, 20)),
    "Quality hold": (["Quality hold", "QA hold", "Quality hold"], 1, (25, 50)),
}


@dataclass(frozen=True)
class Stop:
    day: dt.date
    shift: int
    start: str
    minutes: int
    reason: str
    planned: bool = False


@dataclass(frozen=True)
class Day:
    day: dt.date
    planned: int
    total: int
    rejects: int


def generate() -> tuple[list[Stop], list[Day], int]:
    """The month's stops and day totals, and the index of the stop exported twice."""
    rng = random.Random(ID)
    stops: list[Stop] = []
    days: list[Day] = []
    others = [r for r, (_, w, _) in REASONS.items() for _ in range(w)]
    for d in DAYS:
        todays = [Stop(d, 1, "06:20", rng.randint(*REASONS["Changeover"][2]), "Changeover")]
        if rng.random() < 0.6:
            todays.append(Stop(d, 2, "18:05", rng.randint(*REASONS["Changeover"][2]),
                               "Changeover"))
        for _ in range(rng.randint(3, 4)):
            reason = rng.choice(others)
            shift = rng.randint(1, 2)
            start = f"{rng.randint(7, 13) if shift == 1 else rng.randint(15, 21):02d}:" \
                    f"{rng.choice(['05', '20', '35', '50'])}"
            todays.append(Stop(d, shift, start, rng.randint(*REASONS[reason][2]), reason))
        planned = PLANNED - (PM_MIN if d in PM_DAYS else 0)
        if d in PM_DAYS:
            todays.append(Stop(d, 2, "14:00", PM_MIN, "Planned PM", planned=True))
        run = planned - sum(s.minutes for s in todays if not s.planned)
        total = int(run * 60 / IDEAL_CT * rng.uniform(0.80, 0.88))
        days.append(Day(d, planned, total, int(total * rng.uniform(0.009, 0.024))))
        stops += sorted(todays, key=lambda s: (s.shift, s.start))
    return stops, days, 17


def analyse() -> dict:
    stops, days, _ = generate()
    down = sum(s.minutes for s in stops if not s.planned)
    planned = sum(d.planned for d in days)
    run = planned - down
    total = sum(d.total for d in days)
    good = total - sum(d.rejects for d in days)
    a, p, q = run / planned, total * IDEAL_CT / (run * 60), good / total
    pm = sum(s.minutes for s in stops if s.planned)
    by = Counter()
    events = Counter()
    for s in stops:
        if not s.planned:
            by[s.reason] += s.minutes
            events[s.reason] += 1
    pareto = by.most_common()
    daily = []
    for d in days:
        dd = sum(s.minutes for s in stops if s.day == d.day and not s.planned)
        r = d.planned - dd
        daily.append((d.day, (r / d.planned) * (d.total * IDEAL_CT / (r * 60))
                      * ((d.total - d.rejects) / d.total)))
    co, fj = by["Changeover"], by["Filler jam"]
    saved = 0.4 * co + 0.5 * fj       # SMED -40% changeover time, filler jams halved
    a2 = (run + saved) / planned
    return {"A": a, "P": p, "Q": q, "OEE": a * p * q, "down": down, "planned": planned,
            "run": run, "total": total, "good": good, "pareto": pareto, "events": events,
            "daily": daily, "pm": pm, "A_pm_wrong": (run - pm) / planned,
            "oee_next": a2 * p * q, "saved": saved, "days": len(days)}


PROMPT = f"""\
You are the industrial engineer for the bottling plant's Line 4. The operations manager, Luis
Ortega, wants a briefing for the November 5, 2026 operations review on Line 4's October
performance. Attached are the line's downtime log (Line4_Downtime_Log_Oct2026.csv, typed in by
operators: reason names and duration formats are inconsistent, one stop was entered twice, and
scheduled PM is logged too) and the daily production summary (Line4_Production_Oct2026.xlsx,
where planned production time already excludes breaks and scheduled PM). The ideal cycle time is
1.0 second per bottle, and the plant's OEE target is 75%.

Prepare {DECK} (6-8 slides): October OEE with availability, performance and quality (standard
definitions), the daily OEE trend against target, a downtime Pareto by cleaned reason code, the
top losses with likely root causes, countermeasures with owners and dates, and the OEE you
expect next quarter if changeover time falls 40% (SMED) and filler-jam downtime is halved,
with performance and quality unchanged. Add a slide on how you cleaned the data.
"""


def build(ctx: Context) -> TaskSpec:
    st = analyse()
    # the slide titles and bullets state these facts about the generated month
    assert [r for r, _ in st["pareto"][:2]] == ["Changeover", "Filler jam"]
    assert 1 - st["A"] > 1 - st["P"] > 1 - st["Q"] and st["OEE"] < st["oee_next"] < TARGET
    assert sum(v < TARGET for _, v in st["daily"]) > len(st["daily"]) / 2
    _inputs(ctx)
    _deck(ctx, st)
    p1 = lambda x: f"{x * 100:.1f}"  # noqa: E731
    top = [r for r, _ in st["pareto"][:3]]
    rubric = [
        item("file-name", 1, f"Delivers a PowerPoint deck named {DECK}.",
             c_name("Line4_OEE_Briefing", "pptx")),
        item("slides", 1, "The deck has 6 to 8 slides.", c_count("slide_count", 6, 8)),
        item("oee", 2, f"States October OEE as {p1(st['OEE'])}% against the 75% target.",
             c_text(pattern=rf"{p1(st['OEE'])}\s*%")),
        item("availability", 2, f"States availability as {p1(st['A'])}% ({st['down']:,} minutes "
             f"of unplanned downtime in {st['planned']:,} planned minutes).",
             c_text(pattern=rf"{p1(st['A'])}\s*%")),
        item("performance", 1, f"States performance as {p1(st['P'])}% (ideal cycle time x "
             "total count / run time).", c_text(pattern=rf"{p1(st['P'])}\s*%")),
        item("quality", 1, f"States quality as {p1(st['Q'])}% (good / total count).",
             c_text(pattern=rf"{p1(st['Q'])}\s*%")),
        item("pareto-heading", 1, "Has a slide titled with the downtime Pareto.",
             c_heading("Pareto")),
        item("pareto", 2, "The Pareto ranks cleaned reason codes by downtime minutes, led by "
             f"{top[0]} ({st['pareto'][0][1]:,} min), {top[1]} and {top[2]}.",
             c_text("Changeover")),
        item("trend", 1, "Shows daily OEE for October against the 75% target."),
        item("root-causes", 2, "Gives plausible root causes for the top losses (e.g. "
             "changeover steps done while the line is stopped, filler jams from worn star "
             "wheels or bottle spacing) rather than restating the reason codes."),
        item("countermeasures", 2, "Lists countermeasures with owners and due dates (e.g. SMED "
             "workshop, filler preventive maintenance, labeler setup standard)."),
        item("projection", 2, f"Projects next-quarter OEE of about {p1(st['oee_next'])}% from "
             f"recovering {st['saved']:,.0f} minutes a month (40% of changeover and 50% of "
             "filler-jam downtime), with P and Q unchanged.",
             c_text(pattern=rf"{p1(st['oee_next'])}\s*%")),
        item("cleaning", 1, "Explains the cleaning: reason names mapped to six codes, duration "
             "formats converted to minutes, the duplicate stop removed and scheduled PM "
             "excluded from downtime."),
        item("formatting", 5, "Overall professionalism and formatting: message-style slide "
             "titles, readable charts and tables, consistent design."),
        placeholder_penalty(),
        item("pm-counted", -2, f"PENALTY: counts the {st['pm']} minutes of scheduled PM as "
             f"downtime (e.g. availability of {p1(st['A_pm_wrong'])}%).",
             c_text(pattern=rf"{p1(st['A_pm_wrong'])}\s*%")),
        item("wrong-formula", -2, "PENALTY: computes OEE with a non-standard formula (e.g. "
             "averaging A, P and Q instead of multiplying them)."),
    ]
    return TaskSpec(id=ID, title="Line 4 October OEE briefing", occupation="Industrial Engineers",
                    prompt=PROMPT, deliverables=[("pptx", DECK)], expert_hours=5.0,
                    rubric=rubric)


def _inputs(ctx: Context) -> None:
    stops, days, dup = generate()
    rng = random.Random(ID + "-log")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "shift", "start", "duration", "reason", "comments", "entered_by"])
    ops = ["KM", "DT", "RJ", "AP"]
    for i, s in enumerate(stops):
        variants = ["Planned PM"] if s.planned else REASONS[s.reason][0]
        dur = [f"{s.minutes // 60}:{s.minutes % 60:02d}", f"{s.minutes} min", str(s.minutes)][i % 3]
        note = "scheduled - excluded from planned time" if s.planned else ""
        row = [s.day.strftime("%m/%d/%Y" if i % 2 else "%Y-%m-%d"), s.shift, s.start, dur,
               rng.choice(variants), note, ops[i % 4]]
        w.writerow(row)
        if i == dup:
            w.writerow(row[:-1] + [ops[(i + 1) % 4]])
    ctx.input("Line4_Downtime_Log_Oct2026.csv").write_text(buf.getvalue(), encoding="utf-8")

    wb = X.new_workbook("Line 4 production October 2026", "Bottling plant")
    X.plain(wb, "Daily", ["Date", "Shifts", "Shift time (min)", "Planned production time (min)",
                          "Ideal cycle time (s)", "Total count", "Reject count"],
            [[d.day, 2, SHIFT_MIN, d.planned, IDEAL_CT, d.total, d.rejects] for d in days],
            col_widths=[12, 8, 15, 26, 18, 12, 12])
    ws = wb["Daily"]
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "mm/dd/yyyy"
    ws.append([])
    ws.append(["Planned production time = shift time - breaks/lunch (90 min) - scheduled PM."])
    X.save(wb, ctx.input("Line4_Production_Oct2026.xlsx"))


def _deck(ctx: Context, st: dict) -> None:
    p1 = lambda x: f"{x * 100:.1f}%"  # noqa: E731
    d = Deck("Line 4 OEE - October 2026", "Line 4 OEE  |  October 2026  |  Operations review, "
             "November 5, 2026")
    d.cover("Line 4 OEE: October 2026", "Where the line lost time, and how we get it back",
            "Operations review, November 5, 2026  |  Industrial Engineering")

    s = d.slide(f"Line 4 ran at {p1(st['OEE'])} OEE in October, "
                f"{(TARGET - st['OEE']) * 100:.1f} points below target")
    d.kpis(s, [(p1(st["OEE"]), "OEE (target 75%)"), (p1(st["A"]), "Availability"),
               (p1(st["P"]), "Performance"), (p1(st["Q"]), "Quality")])
    d.bullets(s, [f"{st['days']} production days, {st['planned']:,} planned minutes; "
                  f"{st['down']:,} minutes of unplanned stops.",
                  f"{st['total']:,} bottles filled, {st['good']:,} good.",
                  "Availability is the biggest gap: stops cost more than speed or scrap."],
              (0.6, 3.6, 12.1, 2.8), size=18)
    d.notes(s, "OEE = Availability x Performance x Quality. A = run time / planned production "
            "time; P = ideal cycle time x total count / run time; Q = good count / total count.")

    below = sum(v < TARGET for _, v in st["daily"])
    s = d.slide(f"Daily OEE was below the 75% target on {below} of {len(st['daily'])} days")
    labels = [day.strftime("%b %-d") for day, _ in st["daily"]]
    d.bar_chart(s, labels, {"Daily OEE": [round(v, 3) for _, v in st["daily"]],
                            "Target": [TARGET] * len(labels)},
                (0.6, 1.6, 12.1, 5.2), number_format="0%", line=True, labels=False,
                colors=(S.ACCENT, S.BAD))

    s = d.slide("Downtime Pareto: changeovers and filler jams dominate")
    names = [r for r, _ in st["pareto"]]
    d.bar_chart(s, names, {"Minutes": [m for _, m in st["pareto"]]}, (0.6, 1.6, 7.2, 5.2),
                number_format="#,##0", horizontal=True)
    cum, rows = 0, []
    for r, m in st["pareto"]:
        cum += m
        rows.append([r, f"{st['events'][r]}", f"{m:,}", f"{cum / st['down'] * 100:.0f}%"])
    d.table(s, ["Reason", "Stops", "Minutes", "Cum. %"], rows, (8.1, 1.8, 4.6, 3.6),
            col_widths=[2.0, 0.8, 0.9, 0.9], align="lrrr", size=12)

    s = d.slide("Top losses and likely root causes")
    top = st["pareto"][:3]
    causes = {"Changeover": "Most steps (parts swap, label stock, first-off check) are done "
                            "with the line stopped; no standard sequence between crews.",
              "Filler jam": "Jams cluster on lightweight 500 ml bottles: worn star-wheel "
                            "pockets and uneven infeed spacing.",
              "Labeler fault": "Label web breaks and glue-station faults after roll changes.",
              "Material shortage": "Preforms and caps staged late from the warehouse.",
              "Conveyor stoppage": "Photo-eye misreads on the accumulation table.",
              "Quality hold": "Fill-level checks held product pending QA release."}
    d.table(s, ["Loss", "Minutes", "Likely root cause"],
            [[r, f"{m:,}", causes[r]] for r, m in top], (0.6, 1.7, 12.1, 3.6),
            col_widths=[2.2, 1.2, 8.7], align="lrl", size=14)

    s = d.slide("Countermeasures")
    d.table(s, ["Countermeasure", "Owner", "Due"], [
        ["SMED workshop: move parts kitting, label staging and first-off prep off-line",
         "IE + Line 4 leads", "Nov 20, 2026"],
        ["Standard changeover checklist and sequence for all crews", "Production supervisor",
         "Dec 4, 2026"],
        ["Replace worn filler star wheels; set infeed spacing for 500 ml", "Maintenance",
         "Nov 25, 2026"],
        ["Labeler roll-change standard and glue-station PM", "Maintenance", "Dec 11, 2026"],
        ["Daily OEE board at the line; review top 3 stops at shift start",
         "Operations manager", "Nov 9, 2026"],
    ], (0.6, 1.7, 12.1, 3.8), col_widths=[7.4, 2.9, 1.8], align="lll", size=14)

    s = d.slide(f"Expected next quarter: {p1(st['oee_next'])} OEE")
    d.kpis(s, [(p1(st["OEE"]), "October OEE"), (f"{st['saved']:,.0f} min", "Recovered per "
                                                                           "month"),
               (p1(st["oee_next"]), "Projected OEE")], top=1.7, height=1.4)
    d.bullets(s, ["Assumes changeover time falls 40% (SMED) and filler-jam downtime is halved.",
                  "Performance and quality held at October levels; gains come from "
                  "availability only.",
                  "Still short of 75%: labeler faults and speed losses are the next focus."],
              (0.6, 3.4, 12.1, 3.0), size=18)

    s = d.slide("How the data were cleaned")
    d.bullets(s, ["Mapped free-text reasons (e.g. 'C/O - SKU change', 'Mat'l shortage', "
                  "'FILLER - jam') to six reason codes.",
                  "Converted durations logged as h:mm, 'NN min' and plain numbers to minutes.",
                  "Removed one stop entered twice by two operators.",
                  f"Excluded {st['pm']} minutes of scheduled PM, already removed from planned "
                  "production time.",
                  "Counts and planned time from the daily production summary; ideal cycle "
                  "time 1.0 s per bottle."], (0.6, 1.7, 12.1, 5.0), size=18)
    d.save(ctx.gold_file(DECK))
