"""Producer: budget and two-day shooting schedule for a hospital recruitment video (xlsx)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .. import pdf_kit as PDF
from .. import style as S
from .. import xlsx_kit as X
from ..spec import Context, TaskSpec, c_cell, c_name, c_sheet, item, placeholder_penalty

ID = "prod-recruitment-video-budget"
BOOK = "Northwind_Video_Budget_Schedule.xlsx"
CONTINGENCY = 0.10
CREW = {"Director": 1400, "Producer": 950, "Director of photography": 1250,
        "B-camera operator": 850, "Gaffer": 750, "Key grip": 650, "Sound mixer": 800,
        "Hair & makeup artist": 600, "Production assistant": 300,
        "Drone pilot (Part 107, drone included)": 1100}
EQUIP = {"Camera package A (cinema camera, lenses, monitors)": 1200,
         "B-camera package": 650, "Lighting & grip package": 900, "Sound package": 350,
         "Teleprompter with operator": 250}
POST = {"Editor": 850, "Colorist": 1200, "Re-recording mixer": 950,
        "Motion graphics designer": 900}
OTHER = {"On-camera talent, non-union (per day)": 600, "Catering (per person per day)": 35,
         "Cargo van rental (per day)": 180, "Stock music license (single track)": 499,
         "Production insurance certificate": 1450}


@dataclass(frozen=True)
class Scene:
    n: int
    desc: str
    location: str
    site: str           # campus | clinic | post
    cast: str
    hours: float
    note: str = ""


SCENES = [
    Scene(1, "Sunrise aerial over main campus", "Aerial - Main Campus", "campus", "Drone",
          1.0, "First setup of the day: sunrise 7:18 a.m."),
    Scene(2, "Lobby arrivals, staff greeting patients", "Main Campus Lobby", "campus",
          "Patient, Daughter, staff", 1.5),
    Scene(3, "Nurse station shift handoff", "Main Campus 4th Fl Nurse Station", "campus",
          "Staff", 1.5),
    Scene(4, "ICU walk-and-talk", "Main Campus 4th Fl ICU corridor", "campus", "Staff", 0.75),
    Scene(5, "CNO to-camera welcome", "Main Campus Conf Rm B", "campus", "CNO", 1.0,
          "Teleprompter"),
    Scene(6, "Interview: ICU nurse Jamal Reed", "Main Campus Conf Rm B", "campus", "Staff", 0.75),
    Scene(7, "Interview: new-graduate nurse", "Main Campus Conf Rm B", "campus", "Staff", 0.75),
    Scene(8, "Cafeteria team lunch b-roll", "Main Campus Cafeteria", "campus", "Staff", 0.75,
          "During lunch service 11:30-1:00"),
    Scene(9, "Exterior: nurses arriving for shift", "Main Campus Exterior", "campus", "Staff",
          0.75),
    Scene(10, "Exam room: NP with patient", "Lakeview Clinic Exam Rm 3", "clinic",
          "Patient, Daughter, NP", 1.5),
    Scene(11, "Reception check-in", "Lakeview Clinic Reception", "clinic",
          "Patient, Daughter", 1.0),
    Scene(12, "Clinic hallway b-roll", "Lakeview Clinic hallway", "clinic", "Staff", 0.5),
    Scene(13, "Interview: clinic manager", "Lakeview Clinic Conf Rm", "clinic", "Staff", 0.75),
    Scene(14, "Closing: patient and daughter leave clinic", "Lakeview Clinic Exterior",
          "clinic", "Patient, Daughter", 0.75),
    Scene(15, "Logo and tagline end card", "GFX only", "post", "-", 0.0, "Motion graphics"),
]
SHOOT_DAYS = {"campus": "Day 1 - Tue Jan 12, 2027", "clinic": "Day 2 - Wed Jan 13, 2027"}
ORDER = {"campus": [1, 2, 3, 4, 8, 0, 5, 6, 7, 9], "clinic": [11, 10, 12, 13, 14, 0]}  # 0 = lunch
CALL = 7.0
ON_SET = ["Director", "Producer", "Director of photography", "B-camera operator", "Gaffer",
          "Key grip", "Sound mixer", "Hair & makeup artist", "Production assistant",
          "Production assistant"]
ESCORTS = 2


def budget() -> dict:
    """Line items per category (item, qty, days, rate) and the totals."""
    days = {site: [s for s in SCENES if s.site == site] for site in ("campus", "clinic")}
    drone_days = sum(any(s.cast == "Drone" for s in v) for v in days.values())
    talent_days = sum(any("Patient" in s.cast for s in v) for v in days.values())
    prompter_days = sum(any("Teleprompter" in s.note for s in v) for v in days.values())
    shoot = len(days)
    heads = [len(ON_SET) + ESCORTS + (2 if any("Patient" in s.cast for s in v) else 0)
             + (1 if any(s.cast == "Drone" for s in v) else 0) for v in days.values()]
    lines = {
        "Pre-production": [("Producer (prep incl. tech scout)", 1, 3, CREW["Producer"]),
                           ("Director (tech scout)", 1, 1, CREW["Director"]),
                           ("Director of photography (tech scout)", 1, 1,
                            CREW["Director of photography"])],
        "Production crew": [(r, 2 if r == "Production assistant" else 1, shoot, CREW[r])
                            for r in dict.fromkeys(ON_SET)]
        + [("Drone pilot (Part 107, drone included)", 1, drone_days,
            CREW["Drone pilot (Part 107, drone included)"])],
        "Equipment": [(k, 1, prompter_days if "Teleprompter" in k else shoot, v)
                      for k, v in EQUIP.items()],
        "Talent": [("On-camera talent: patient and daughter", 2, talent_days,
                    OTHER["On-camera talent, non-union (per day)"])],
        "Catering & transport": [(f"Catering, shoot day {i + 1} ({h} people)", h, 1,
                                  OTHER["Catering (per person per day)"])
                                 for i, h in enumerate(heads)]
        + [("Cargo van rental", 1, shoot, OTHER["Cargo van rental (per day)"])],
        "Post-production": [("Editor", 1, 5, POST["Editor"]), ("Colorist", 1, 1, POST["Colorist"]),
                            ("Re-recording mixer", 1, 1, POST["Re-recording mixer"]),
                            ("Motion graphics designer", 1, 2, POST["Motion graphics designer"]),
                            ("Stock music license (single track)", 1, 1,
                             OTHER["Stock music license (single track)"])],
        "Insurance": [("Production insurance certificate", 1, 1,
                       OTHER["Production insurance certificate"])],
    }
    cats = {c: sum(q * d * r for _, q, d, r in items) for c, items in lines.items()}
    sub = sum(cats.values())
    return {"lines": lines, "cats": cats, "subtotal": sub, "contingency": sub * CONTINGENCY,
            "total": sub * (1 + CONTINGENCY), "heads": heads, "days": days}


PROMPT = f"""\
You are a line producer at Bright Harbor Media. Our client, Northwind Health Alliance, has
approved the script for a 3-minute nurse-recruitment video, to be shot on January 12-13, 2027.
Using our 2027 rate card (Crew_Equipment_Rate_Card_2027.pdf), the script breakdown
(Script_Breakdown_Northwind.csv) and the executive producer's notes (Production_Notes_EP.txt),
build {BOOK} with three sheets:

- 'Budget': every line item (category, item, quantity, days or units, rate, total) for
  pre-production, shoot crew, equipment, talent, catering and transport, post-production,
  music and insurance, then a subtotal, a 10% contingency and the grand total.
- 'Schedule': a two-day shooting schedule with call and wrap times, scenes grouped by location
  in a sensible order, estimated durations, cast, lunch and any company moves, respecting the
  EP's day rules.
- 'Summary': the subtotal for each category, the contingency and, in cell B4, the grand total
  including contingency.

Pay crew, talent and equipment only for the days the schedule actually needs them.
"""


def build(ctx: Context) -> TaskSpec:
    b = budget()
    _rate_card(ctx)
    _breakdown(ctx)
    _notes(ctx)
    _book(ctx, b)
    fx = "*.xlsx"
    rubric = [
        item("file-name", 1, f"Delivers an Excel workbook named {BOOK}.",
             c_name("Northwind_Video_Budget_Schedule", "xlsx")),
        item("sheet-budget", 1, "Has a 'Budget' sheet.", c_sheet("Budget", fx)),
        item("sheet-schedule", 1, "Has a 'Schedule' sheet.", c_sheet("Schedule", fx)),
        item("sheet-summary", 1, "Has a 'Summary' sheet.", c_sheet("Summary", fx)),
        item("grand-total", 2, f"Summary!B4 shows the grand total including contingency of "
             f"{S.money(b['total'])} (within $50).",
             c_cell("Summary", "B4", S.r2(b["total"]), tolerance=50, file=fx)),
        item("contingency", 1, f"Applies a 10% contingency of {S.money(b['contingency'])} on "
             f"a subtotal of {S.money(b['subtotal'])}."),
        item("grouping", 2, "Schedules all main-campus scenes on one day and all Lakeview "
             "Clinic scenes on the other, avoiding an unnecessary company move."),
        item("day-rules", 2, "Each shoot day fits the 10-hour day with a 1-hour lunch (day 1: "
             "8.75 shooting hours; day 2: 4.5), with the sunrise aerial as the first setup."),
        item("drone", 1, "Books the drone pilot for one day only (the sunrise aerial day)."),
        item("talent", 1, "Books both actors for both shoot days, since the patient and "
             "daughter appear in lobby (day 1) and clinic (day 2) scenes."),
        item("teleprompter", 1, "Books the teleprompter only for the day of the CNO "
             "to-camera welcome."),
        item("prep", 1, "Includes pre-production: 3 producer prep days (with the tech scout) "
             "and a scout day for the director and DP."),
        item("catering", 1, f"Caters lunch for everyone on set: {b['heads'][0]} people on day "
             f"1 and {b['heads'][1]} on day 2 (crew, talent, drone pilot, two Northwind "
             "escorts)."),
        item("post", 1, "Budgets post as specified: editor 5 days, colorist 1, mixer 1, "
             "motion graphics 2, one music track."),
        item("gfx-scene", 1, "Treats scene 15 (logo end card) as motion graphics in post, not "
             "as a shoot scene."),
        item("formulas", 1, "Line totals and subtotals are calculated with formulas so the "
             "budget updates when a rate or day count changes."),
        item("formatting", 5, "Overall professionalism and formatting: a clean, printable "
             "budget and call-sheet style schedule with currency formats, clear categories and "
             "totals."),
        placeholder_penalty(),
        item("no-contingency", -2, "PENALTY: the grand total omits the 10% contingency."),
        item("overbooked", -2, "PENALTY: pays the drone, teleprompter or talent for days on "
             "which the schedule does not use them."),
    ]
    return TaskSpec(id=ID, title="Budget and shooting schedule for a recruitment video",
                    occupation="Producers and Directors", prompt=PROMPT,
                    deliverables=[("xlsx", BOOK)], expert_hours=5.0, rubric=rubric)


def _rate_card(ctx: Context) -> None:
    m = lambda v: S.money(v)  # noqa: E731
    story = [
        PDF.P("2027 Rate Card: Crew, Equipment and Post", "title"),
        PDF.P("Effective January 1, 2027. Day rates are for 10-hour days including a 1-hour "
              "meal break; overtime at 1.5x after 10 hours.", "subtitle"),
        PDF.P("Crew (per day)", "h1"),
        PDF.table(["Position", "Day rate"], [[k, m(v)] for k, v in CREW.items()], [4.5, 1.5],
                  align="lr"),
        PDF.P("Equipment (per day)", "h1"),
        PDF.table(["Package", "Day rate"], [[k, m(v)] for k, v in EQUIP.items()], [4.5, 1.5],
                  align="lr"),
        PDF.P("Post-production (per day)", "h1"),
        PDF.table(["Position", "Day rate"], [[k, m(v)] for k, v in POST.items()], [4.5, 1.5],
                  align="lr"),
        PDF.P("Talent, logistics and other", "h1"),
        PDF.table(["Item", "Rate"], [[k, m(v)] for k, v in OTHER.items()], [4.5, 1.5],
                  align="lr"),
    ]
    PDF.build(ctx.input("Crew_Equipment_Rate_Card_2027.pdf"), story,
              title="Bright Harbor Media 2027 rate card", org="Bright Harbor Media",
              org_lines=["Video production", "Rates confidential"],
              footer="Bright Harbor Media - 2027 rate card")


def _breakdown(ctx: Context) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Scene", "Description", "Location", "Cast", "Est. hours", "Notes"])
    for s in SCENES:
        w.writerow([s.n, s.desc, s.location, s.cast, f"{s.hours:g}" if s.hours else "",
                    s.note])
    ctx.input("Script_Breakdown_Northwind.csv").write_text(buf.getvalue(), encoding="utf-8")


def _notes(ctx: Context) -> None:
    text = """\
From: Gwen Torres (EP)
Re: Northwind recruitment video - production notes for budget & schedule

- Shoot dates: Tue Jan 12 and Wed Jan 13, 2027. Main campus and Lakeview Outpatient Clinic are
  25 min apart; a company move costs 1 hour. Avoid moves if we can.
- Day rules: 10-hour days including a 1-hour lunch (so 9 hours of shooting time max).
  General crew call 7:00 a.m. Sunrise is 7:18 a.m.
- Crew on set both days: director, producer, DP, B-cam op, gaffer, key grip, sound mixer,
  HMU, 2 PAs. Drone pilot only on the day we fly.
- Prep: producer 3 days (includes the tech scout). Director and DP join the 1-day scout.
- Equipment both shoot days: A-cam, B-cam, lighting & grip, sound. Teleprompter only for
  the CNO to-camera piece.
- Talent: 2 non-union actors (patient + daughter). Pay them only for days they are needed.
- Lunch for everyone on set, plus the 2 Northwind staff escorts who are with us each day.
- Van both days. Locations are Northwind-owned: no location fees.
- Post: editor 5 days, colorist 1 day, mix 1 day, motion graphics 2 days (incl. end card),
  one stock music track. Northwind requires our insurance certificate.
- Contingency 10% on everything.
"""
    ctx.input("Production_Notes_EP.txt").write_text(text, encoding="utf-8")


def _book(ctx: Context, b: dict) -> None:
    wb = X.new_workbook("Northwind recruitment video - budget and schedule",
                        "Bright Harbor Media")
    ws = X.sheet(wb, "Summary", first=True, landscape=False)
    X.title_block(ws, "Northwind Health Alliance - Nurse Recruitment Video",
                  ["Budget summary | Bright Harbor Media | Prepared Nov 16, 2026"])
    ws.cell(4, 1, "GRAND TOTAL (incl. 10% contingency)").font = X.BOLD
    ws.cell(4, 2, S.r2(b["total"])).number_format = S.USD
    ws.cell(4, 2).font = X.BOLD
    for c in (1, 2):
        ws.cell(4, c).fill = X.TOTAL_FILL
        ws.cell(4, c).border = X.BOX
    rows = [[c, S.r2(v)] for c, v in b["cats"].items()]
    rows += [["Subtotal", S.r2(b["subtotal"])], ["Contingency (10%)", S.r2(b["contingency"])],
             ["Grand total", S.r2(b["total"])]]
    first, last = X.table(ws, 6, ["Category", "Amount"], rows, formats=[None, S.USD], total=True)
    X.note(ws, last + 2, "Amounts match the Budget sheet (see its category subtotals); B4 "
           "repeats the grand total for the client summary.")
    X.widths(ws, [40, 18])

    wsb = X.sheet(wb, "Budget")
    X.title_block(wsb, "Production Budget", ["Rates: Bright Harbor Media 2027 rate card. "
                                             "Totals = quantity x days x rate."])
    X.header_row(wsb, 4, ["Category", "Item", "Qty", "Days / units", "Rate", "Total"])
    r = 5
    sub_cells = []
    for cat, items in b["lines"].items():
        start = r
        for name, q, d, rate in items:
            vals = [cat, name, q, d, rate, f"=C{r}*D{r}*E{r}"]
            for j, v in enumerate(vals, 1):
                c = wsb.cell(r, j, v)
                c.border, c.font = X.BOX, X.BODY_FONT
                if j >= 5:
                    c.number_format = S.USD
            r += 1
        wsb.cell(r, 2, f"{cat} subtotal").font = X.BOLD
        wsb.cell(r, 6, f"=SUM(F{start}:F{r - 1})").number_format = S.USD
        for j in range(1, 7):
            wsb.cell(r, j).fill = X.ZEBRA_FILL
            wsb.cell(r, j).border = X.BOX
        wsb.cell(r, 6).font = X.BOLD
        sub_cells.append(f"F{r}")
        r += 2
    for label, formula in (("Subtotal", "=" + "+".join(sub_cells)),
                           ("Contingency (10%)", f"=F{r}*0.1"),
                           ("GRAND TOTAL", f"=F{r}+F{r + 1}")):
        wsb.cell(r, 2, label).font = X.BOLD
        c = wsb.cell(r, 6, formula)
        c.number_format, c.font, c.fill = S.USD, X.BOLD, X.TOTAL_FILL
        r += 1
    wsb.freeze_panes = "A5"
    X.widths(wsb, [22, 48, 7, 13, 12, 14])

    wss = X.sheet(wb, "Schedule")
    X.title_block(wss, "Shooting Schedule", ["Crew call 7:00 a.m. | 10-hour days incl. 1-hour "
                                             "lunch | Sunrise 7:18 a.m."])
    X.header_row(wss, 4, ["Day", "Start", "End", "Scene", "Description", "Location", "Cast",
                          "Hours", "Notes"])
    r = 5
    by_n = {sc.n: sc for sc in SCENES}
    for site, day in SHOOT_DAYS.items():
        t = CALL
        for n in ORDER[site]:
            sc = by_n.get(n)
            lunch = sc is None
            hrs = 1.0 if lunch else sc.hours
            vals = [day, _clock(t), _clock(t + hrs), "" if lunch else sc.n,
                    "LUNCH" if lunch else sc.desc, "" if lunch else sc.location,
                    "" if lunch else sc.cast, hrs, "" if lunch else sc.note]
            for j, v in enumerate(vals, 1):
                c = wss.cell(r, j, v)
                c.border, c.font = X.BOX, X.BOLD if lunch else X.BODY_FONT
                if lunch:
                    c.fill = X.ZEBRA_FILL
            wss.cell(r, 8).number_format = "0.00"
            wss.cell(r, 4).alignment = X.Alignment(horizontal="center")
            t += hrs
            r += 1
        shoot = sum(sc.hours for sc in b["days"][site])
        wss.cell(r, 5, f"Wrap {_clock(t)} ({t - CALL:g} h day): {shoot:g} shooting hours"
                 ).font = X.BOLD
        r += 2
    X.note(wss, r, "Scene 15 (logo and tagline end card) is created in post by the motion "
           "graphics designer; no shoot time.")
    X.widths(wss, [24, 9, 9, 7, 38, 30, 22, 7, 28])
    X.save(wb, ctx.gold_file(BOOK))


def _clock(h: float) -> str:
    hh, mm = int(h), round((h - int(h)) * 60)
    suffix = "a.m." if hh < 12 else "p.m."
    return f"{(hh - 1) % 12 + 1}:{mm:02d} {suffix}"
