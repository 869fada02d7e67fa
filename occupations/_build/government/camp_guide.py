"""Recreation worker: turn a director's messy planning notes into a parent-facing PDF guide."""

from __future__ import annotations

import csv
import datetime as dt
import io

from .. import docx_kit as D
from .. import pdf_kit as PDF
from .. import style as S
from ..spec import (
    Context,
    TaskSpec,
    c_count,
    c_name,
    c_text,
    item,
    placeholder_penalty,
)

ID = "rec-summer-camp-family-guide"
GUIDE = "Summer_Day_Camp_Family_Guide_2027.pdf"
RES, NONRES, BEFORE, AFTER, REG, SIBLING = 165, 205, 25, 30, 15, 0.10
HOLIDAY = dt.date(2027, 7, 5)
# week start (Monday), theme, field trip, trip weekday, trip fee
WEEKS = [
    (dt.date(2027, 6, 14), "Under the Sea", "Millbrook Aquarium", "Thu", 12),
    (dt.date(2027, 6, 21), "Superheroes & Inventors", "Discovery Science Center", "Thu", 10),
    (dt.date(2027, 6, 28), "Around the World", "", "", 0),
    (dt.date(2027, 7, 5), "Stars & Stripes", "Lakeside Park fishing derby", "Thu", 5),
    (dt.date(2027, 7, 12), "Wild Animals", "Prairie County Zoo", "Thu", 14),
    (dt.date(2027, 7, 19), "Outdoor Adventures", "Hawk Ridge Nature Preserve hike", "Thu", 6),
    (dt.date(2027, 7, 26), "Mad Science", "Stellar Planetarium", "Thu", 9),
    (dt.date(2027, 8, 2), "Sports Spectacular", "Millbrook Mudcats baseball game", "Wed", 11),
    (dt.date(2027, 8, 9), "Camp Olympics & Talent Show", "", "", 0),
]
SCHEDULE = [("7:30-9:00", "Before care (enrolled campers)"), ("9:00", "Arrival and morning circle"),
            ("9:30", "Theme activity of the week"), ("10:30", "Outdoor games"),
            ("11:45", "Lunch (bring from home)"), ("12:30", "Quiet time and reading"),
            ("1:15", "Arts & crafts or STEM lab"), ("2:30", "Snack"),
            ("2:45", "Sports, or swimming on Wednesdays"), ("3:45", "Closing circle"),
            ("4:00", "Dismissal"), ("4:00-5:45", "After care (enrolled campers)")]


def fees() -> dict[str, float]:
    """Every fee the guide states, from the council-approved rates."""
    f = 4 / 5  # the holiday week has four camp days
    weeks = len(WEEKS)
    return {"res": RES, "nonres": NONRES, "res_hol": RES * f, "nonres_hol": NONRES * f,
            "before_hol": BEFORE * f, "after_hol": AFTER * f,
            "res_sib": RES * (1 - SIBLING), "nonres_sib": NONRES * (1 - SIBLING),
            "summer_res": RES * (weeks - 1) + RES * f,
            "summer_nonres": NONRES * (weeks - 1) + NONRES * f,
            "trips": sum(w[4] for w in WEEKS)}


def _span(start: dt.date) -> str:
    end = start + dt.timedelta(days=4)
    if start == HOLIDAY:
        start = start + dt.timedelta(days=1)
    return f"{start.strftime('%b %-d')}-{end.strftime('%b %-d')}"


PROMPT = f"""\
You are a recreation program coordinator with the City of Millbrook Parks & Recreation
Department. The camp director, Jordan Ellis, has left her planning notes
(Camp_Planning_Notes_2027.docx) and the week-by-week plan (Camp_Weeks_2027.csv) for the 2027
Summer Day Camp. Some notes were superseded by later decisions; always use the latest ones.

Produce {GUIDE}, a 2-3 page guide for parents that will be posted online and handed out at the
front desk when registration opens on March 1, 2027. Include: camp basics (ages, dates, hours,
location); a table of the nine weeks with dates, themes, field trips and trip fees; a clear fee
table (resident and non-resident weekly fees, the holiday week, before and after care, the
registration fee and the sibling discount) with a worked example of the full-summer camp fee
for one resident child; a sample daily schedule; what to bring and what to leave at home; key
policies (pick-up, illness, medication, refunds); registration and scholarship dates; and who to
contact. Write so a busy parent can find any answer in seconds.
"""


def build(ctx: Context) -> TaskSpec:
    f = fees()
    _notes_docx(ctx)
    _weeks_csv(ctx)
    _guide_pdf(ctx, f)
    m0 = lambda x: f"${x:,.0f}" if float(x).is_integer() else f"${x:,.2f}"  # noqa: E731
    rubric = [
        item("file-name", 1, f"Delivers a PDF named {GUIDE}.",
             c_name("Summer_Day_Camp_Family_Guide_2027", "pdf")),
        item("length", 1, "The guide is 2 to 3 pages long (up to 4 accepted).",
             c_count("page_count", 2, 4)),
        item("weekly-fees", 2, f"States the 2027 council-approved weekly fees: {m0(RES)} "
             f"resident and {m0(NONRES)} non-resident.", c_text(pattern=r"\$205\b")),
        item("holiday-week", 2, f"Prorates the July 6-9 holiday week (no camp Monday, July 5): "
             f"{m0(f['res_hol'])} resident, {m0(f['nonres_hol'])} non-resident.",
             c_text(pattern=r"\$132\b")),
        item("closure", 1, "States there is no camp on Monday, July 5, 2027.",
             c_text(pattern=r"July\s+5")),
        item("extended-care", 1, f"Lists before care ({m0(BEFORE)}/week, 7:30-9:00) and after "
             f"care ({m0(AFTER)}/week, 4:00-5:45), prorated in the holiday week."),
        item("sibling", 1, "Explains the 10% sibling discount on the weekly camp fee for the "
             "second and additional children, not on extended care or trips.",
             c_text(pattern=r"10\s?%")),
        item("summer-example", 2, f"Gives the full-summer camp fee for one resident child as "
             f"{m0(f['summer_res'])} (8 x $165 + $132).", c_text(pattern=r"\$1,?452\b")),
        item("weeks-table", 2, "Has a table of all nine weeks with dates, themes, field trips "
             "and trip fees, matching Camp_Weeks_2027.csv (including the Wednesday ballgame in "
             "week 8)."),
        item("location", 1, "Gives the location as Riverside Community Center, 400 River Road.",
             c_text(pattern=r"Riverside\s+Community\s+Center")),
        item("dates", 1, "Gives registration opening (March 1 residents, March 15 "
             "non-residents), the weekly deadline and the April 30 scholarship deadline.",
             c_text(pattern=r"April\s+30")),
        item("schedule", 1, "Includes a sample daily schedule from arrival to dismissal."),
        item("bring", 1, "Lists what to bring (water bottle, nut-free lunch, snacks, "
             "sunscreen, swimsuit and towel on Wednesdays) and what to leave at home."),
        item("policies", 1, "Covers pick-up with photo ID and the late fee, the illness rule, "
             "medication forms and the refund policy."),
        item("contacts", 1, "Lists the camp director and phone numbers to call.",
             c_text("014-2210")),
        item("readability", 1, "Plain, friendly language with scannable headings and tables; "
             "no internal notes or staff shorthand."),
        item("formatting", 5, "Overall professionalism and formatting: a polished, branded "
             "handout that looks ready to post and print."),
        placeholder_penalty(),
        item("old-fees", -5, "PENALTY: states the superseded 2026 fees ($155 resident or $195 "
             "non-resident).", c_text(pattern=r"\$(?:155|195)\b")),
        item("old-location", -2, "PENALTY: gives the superseded location (Lincoln "
             "Elementary).", c_text("Lincoln")),
    ]
    return TaskSpec(id=ID, title="Summer day camp family guide",
                    occupation="Recreation Workers", prompt=PROMPT,
                    deliverables=[("pdf", GUIDE)], expert_hours=4.0, rubric=rubric)


def _notes_docx(ctx: Context) -> None:
    doc = D.new_doc("Camp planning notes 2027", "Camp Millbrook")
    D.para(doc, [("Camp Millbrook 2027 - planning notes (J. Ellis)", "b")], size=14)
    D.para(doc, "working doc - last updated 11/10/26 after council mtg", size=9, color=S.GREY)
    notes = [
        "Where: Lincoln Elementary gym (Riverside CC closed for gym reno) -- UPDATE 10/2: reno "
        "done, camp moves back to Riverside Community Center, 400 River Rd.",
        "Ages 6-12 (must have finished kindergarten). Ratio 1:10. All staff background-checked "
        "+ CPR/First Aid.",
        "Dates: Mon Jun 14 - Fri Aug 13, 9 wks. NO CAMP Mon July 5 (Independence Day observed) "
        "-> 4-day week, prorate.",
        "Hours 9-4. Before care 7:30-9 = $25/wk. After care 4-5:45 = $30/wk. Holiday wk: "
        "council says prorate everything incl. ext care (4/5).",
        "Fees: weekly $155 res / $195 non-res (same as 2026). UPDATE 11/9: council approved "
        "$165 res / $205 non-res for 2027.",
        "Sibling discount 10% off weekly camp fee, 2nd child and up. NOT on ext care or trips.",
        "Reg fee $15/child, one time per summer, non-refundable.",
        "Registration opens Mar 1 for residents, Mar 15 non-res. Online "
        "(millbrookparks.example/camp) or front desk. Deadline noon Wed before the week, "
        "space permitting.",
        "Scholarships up to 50% off camp fees - apply by Apr 30, income guidelines online.",
        "Refunds: full refund minus the $15 if cancelled 14+ days before the week starts. "
        "After that no refund; medical w/ doctor's note = credit.",
        "Wed = pool day at Millbrook Aquatic Center, swim test in week 1. Swimsuit + towel.",
        "Trips Thursdays, except wk 8 = Wed ballgame (no pool that wk). Trip fees due at "
        "registration. Camp T-shirt required on trips (1 free, extras $10).",
        "Bring: water bottle, nut-free lunch (no fridge/microwave), 2 snacks, sunscreen put on "
        "before drop-off, closed-toe shoes, spare clothes for 6-7 yr olds.",
        "Leave home: phones/tablets/games, toys, money.",
        "Pick-up: authorized adults only, photo ID EVERY time. Late fee $1/min after 4:15 (or "
        "after 5:45 if in after care).",
        "Sick: fever 100.4+, vomiting, diarrhea -> home until 24 hrs symptom-free w/o meds.",
        "Meds: Medication Authorization Form signed by doctor, original container. Staff keep "
        "all meds except inhalers & EpiPens (camper carries).",
        "Family talent show Fri Aug 13, 3:00 pm, gym - families welcome!",
        "Contacts: me (Jordan Ellis, Camp Director) 555-014-2210, jellis@millbrook.example. "
        "Rec office M-F 8-5, 555-014-2200. Camp day line 555-014-2299 (7:30-5:45).",
        "TODO: guide for parents before Mar 1 launch -- see weeks csv for themes/trips.",
    ]
    D.bullets(doc, notes)
    D.save(doc, ctx.input("Camp_Planning_Notes_2027.docx"))


def _weeks_csv(ctx: Context) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["wk", "start", "end", "theme", "field_trip", "trip_day", "trip_fee", "notes"])
    for i, (start, theme, trip, day, fee) in enumerate(WEEKS, 1):
        end = start + dt.timedelta(days=4)
        s_fmt = start.strftime("%-m/%-d/%Y") if i % 2 else start.isoformat()
        note = {4: "closed Mon 7/5 holiday", 8: "trip WED - no pool", 9: "talent show Fri 3pm",
                3: "International Day, no trip"}.get(i, "")
        w.writerow([i, s_fmt, end.strftime("%-m/%-d/%Y"), theme, trip or "none", day,
                    f"${fee}" if fee else "", note])
    ctx.input("Camp_Weeks_2027.csv").write_text(buf.getvalue(), encoding="utf-8")


def _guide_pdf(ctx: Context, f: dict[str, float]) -> None:
    m = lambda x: f"${x:,.0f}" if float(x).is_integer() else f"${x:,.2f}"  # noqa: E731
    story = [
        PDF.P("Summer Day Camp 2027: Family Guide", "title"),
        PDF.P("Nine weeks of themes, games, swimming and field trips for ages 6-12", "subtitle"),
        PDF.callout("<b>At a glance:</b> June 14 - August 13, 2027 (no camp Monday, July 5) "
                    "&nbsp;|&nbsp; Ages 6-12 (finished kindergarten) &nbsp;|&nbsp; 9:00 am - "
                    "4:00 pm, before care from 7:30 am and after care to 5:45 pm "
                    "&nbsp;|&nbsp; Riverside Community Center, 400 River Road &nbsp;|&nbsp; "
                    "1 counselor for every 10 campers; all staff background-checked and "
                    "CPR/First Aid certified."),
        PDF.P("Weekly themes and field trips", "h1"),
        PDF.table(["Week", "Dates", "Theme", "Field trip", "Trip fee"],
                  [[str(i), _span(s), theme,
                    (f"{trip} ({'Wednesday' if day == 'Wed' else 'Thursday'})" if trip
                     else "No trip - on-site special event"),
                    m(fee) if fee else "-"]
                   for i, (s, theme, trip, day, fee) in enumerate(WEEKS, 1)],
                  [0.5, 1.0, 1.9, 2.5, 0.7], align="clllr"),
        PDF.P("Trip fees are paid at registration. Campers wear their camp T-shirt on trips "
              "(one is included; extras are $10). Week 3 ends with International Day; week 9 "
              "ends with the family talent show on Friday, August 13 at 3:00 pm.", "small"),
        PDF.P("Fees", "h1"),
        PDF.table(["", "Resident", "Non-resident"], [
            ["Weekly camp fee", m(f["res"]), m(f["nonres"])],
            ["Holiday week, July 6-9 (4 days)", m(f["res_hol"]), m(f["nonres_hol"])],
            ["Before care, 7:30-9:00 am (per week / holiday week)",
             f"{m(BEFORE)} / {m(f['before_hol'])}", f"{m(BEFORE)} / {m(f['before_hol'])}"],
            ["After care, 4:00-5:45 pm (per week / holiday week)",
             f"{m(AFTER)} / {m(f['after_hol'])}", f"{m(AFTER)} / {m(f['after_hol'])}"],
            ["Registration fee (once per child per summer, non-refundable)", m(REG), m(REG)],
            ["Sibling rate: 10% off the weekly camp fee for the 2nd and each additional child",
             f"{m(f['res_sib'])}/week", f"{m(f['nonres_sib'])}/week"],
        ], [3.8, 1.35, 1.35], align="lrr"),
        PDF.P(f"<b>Example:</b> one resident child attending all nine weeks pays 8 x $165 + $132 "
              f"= <b>{m(f['summer_res'])}</b> in camp fees, plus the {m(REG)} registration fee "
              f"and any field trips ({m(f['trips'])} for all seven). The sibling discount does not "
              "apply to extended care or trips. Scholarships of up to 50% are available.",
              "body"),
        PDF.P("A day at camp", "h1"),
        PDF.table(["Time", "Activity"], [list(r) for r in SCHEDULE], [1.3, 5.2], align="ll"),
        PDF.P("Wednesday is pool day at the Millbrook Aquatic Center (swim test in week 1). "
              "Field trips are on Thursdays, except the week 8 ballgame on Wednesday, August 4 "
              "(no pool that week).", "small"),
        PDF.P("What to bring", "h1"),
        PDF.bullets(["A labeled water bottle", "A nut-free lunch and two snacks (no "
                     "refrigerator or microwave is available)", "Sunscreen, applied before "
                     "drop-off", "Closed-toe shoes", "Swimsuit and towel on Wednesdays",
                     "A change of clothes for 6- and 7-year-olds"]),
        PDF.P("<b>Please leave at home:</b> phones, tablets and games, toys, and money.", "body"),
        PDF.P("Policies", "h1"),
        PDF.bullets([
            "<b>Pick-up:</b> only adults on your authorized list, with photo ID every time. "
            "A late fee of $1 per minute applies after 4:15 pm (after 5:45 pm for after-care "
            "campers).",
            "<b>Illness:</b> keep your child home with a fever of 100.4\u00b0F or higher, "
            "vomiting or diarrhea until 24 hours symptom-free without medicine.",
            "<b>Medication:</b> bring a Medication Authorization Form signed by your doctor and "
            "the medicine in its original container. Staff hold all medication except inhalers "
            "and EpiPens, which campers carry.",
            "<b>Refunds:</b> cancel at least 14 days before a week starts for a full refund "
            "minus the $15 registration fee. Later cancellations are not refunded; with a "
            "doctor's note, a medical absence becomes a credit.",
        ]),
        PDF.P("Key dates", "h1"),
        PDF.table(["Date", "What happens"], [
            ["March 1, 2027", "Registration opens for Millbrook residents"],
            ["March 15, 2027", "Registration opens for non-residents"],
            ["April 30, 2027", "Scholarship applications due (up to 50% off camp fees)"],
            ["Wednesday before each week, noon", "Registration deadline for that week, "
             "space permitting"],
            ["Monday, July 5, 2027", "No camp: Independence Day observed"],
            ["Friday, August 13, 3:00 pm", "Family talent show in the gym"],
        ], [2.4, 4.1], align="ll"),
        PDF.P("Register online at millbrookparks.example/camp or at the Recreation Office front "
              "desk.", "body"),
        PDF.P("Contacts", "h1"),
        PDF.table(["Who", "Phone", "When"], [
            ["Jordan Ellis, Camp Director", "(555) 014-2210", "jellis@millbrook.example"],
            ["Recreation Office", "(555) 014-2200", "Monday-Friday, 8:00 am - 5:00 pm"],
            ["Camp day line", "(555) 014-2299", "Camp days, 7:30 am - 5:45 pm"],
        ], [2.4, 1.4, 2.7], align="lll"),
    ]
    PDF.build(ctx.gold_file(GUIDE), story, title="Summer Day Camp 2027 - Family Guide",
              subject="City of Millbrook Parks & Recreation",
              org="City of Millbrook Parks & Recreation",
              org_lines=["Camp Millbrook Summer Day Camp", "millbrookparks.example/camp",
                         "(555) 014-2200"],
              footer="Camp Millbrook 2027 Family Guide - fees approved by City Council on "
                     "November 9, 2026")
