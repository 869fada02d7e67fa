"""Pharmacist: a personalized, plain-language guide for a patient starting apixaban, built from
the pharmacy's counseling checklist and the patient's profile (pdf)."""

from __future__ import annotations

from .. import pdf_kit as PDF
from ..spec import Context, TaskSpec, c_count, c_name, c_text, item, placeholder_penalty

ID = "rx-apixaban-patient-guide"
GUIDE = "Apixaban_Guide_Ruth_Bergstrom.pdf"
PHARMACY = ("Lakeside Community Pharmacy", "310 Harbor Street, Westbrook, IL 60085",
            "(847) 555-0175")

PROFILE = """\
PATIENT PROFILE - Lakeside Community Pharmacy (printed 11/02/2026)

Patient: Ruth A. Bergstrom      DOB: 04/19/1948 (78 y)      Rx #: 7718204
Allergies: sulfa (rash)
Weight: 64 kg (11/2026)         SCr: 0.9 mg/dL (10/28/2026)

NEW Rx 11/02/2026: apixaban (Eliquis) 5 mg tablet - take 1 tablet by mouth twice daily
  #60, refills 5. Indication: atrial fibrillation (stroke prevention).
  Prescriber: Alan Cho, MD (cardiology), (847) 555-0230

Active medications on file:
  metoprolol tartrate 25 mg - 1 tab twice daily
  atorvastatin 20 mg - 1 tab at bedtime
  levothyroxine 75 mcg - 1 tab every morning before breakfast

OTC / supplements (per patient at pickup):
  ibuprofen 200 mg - 2 tabs as needed for knee arthritis, 2-3 times a week
  fish oil 1,000 mg - 1 capsule daily
  calcium 600 mg + vitamin D - 1 tab daily

Pharmacist notes (D. Whitfield): Dose check - age < 80, weight > 60 kg, SCr < 1.5: no apixaban
dose reduction criteria met; 5 mg twice daily is appropriate. Patient eats breakfast ~8 am and
dinner ~6 pm, uses a weekly AM/PM pill organizer, daughter (Karen) helps with meds and asked for
something in writing. Patient reads best with large print.
"""

CHECKLIST = [
    ("What it is for", "Name the condition and what the medicine prevents."),
    ("How to take it", "Dose, times of day, with or without food; tie the times to the "
     "patient's routine. Apixaban: every 12 hours, with or without food."),
    ("Missed dose (apixaban)", "Take it as soon as remembered on the same day, then go back to "
     "the usual schedule. Never take two doses at once to make up."),
    ("Do not stop", "Stopping suddenly raises the risk of stroke. Only stop if the prescriber "
     "says so; plan procedures and dental work with the prescriber."),
    ("Bleeding: call the doctor", "Nosebleeds that are frequent or hard to stop, bleeding gums, "
     "unusual bruising, pink or brown urine, heavier menstrual bleeding."),
    ("Bleeding: call 911", "Vomiting blood or material like coffee grounds, red or black tarry "
     "stools, severe headache, a fall or hit to the head, bleeding that will not stop."),
    ("Medicines to avoid", "NSAIDs (ibuprofen/Advil/Motrin, naproxen/Aleve) and aspirin unless "
     "the prescriber approves. For pain, acetaminophen (Tylenol) is usually preferred; store "
     "policy for adults 65+: no more than 3,000 mg a day. Ask before taking supplements such as "
     "fish oil, turmeric, ginkgo or St. John's wort."),
    ("Tell every provider", "Tell all doctors, dentists and pharmacists; carry the wallet card."),
    ("Monitoring", "No routine INR blood tests are needed with apixaban; keep follow-up "
     "appointments with the prescriber."),
    ("Handout standard", "Plain language (about a 6th-8th grade reading level), 12 pt type or "
     "larger, personalized to the patient's other medicines, pharmacy phone number on every "
     "page. Confirm understanding with teach-back."),
]

PROMPT = f"""\
You are the pharmacist on duty at Lakeside Community Pharmacy. Ruth Bergstrom, 78, is picking
up her first prescription for apixaban (Eliquis) 5 mg twice daily for atrial fibrillation. Her
daughter has asked for written instructions she can keep on the refrigerator.

Using the pharmacy's anticoagulant counseling checklist (Counseling_Checklist_Anticoagulants.pdf)
and Mrs. Bergstrom's profile (Patient_Profile_Bergstrom.txt), write {GUIDE}, a personalized
patient guide of no more than 2 pages. Cover every checklist point in plain language: what the
medicine is for; her dosing schedule fitted to her daily routine; what to do about a missed
dose; why she must not stop it on her own; which bleeding signs mean calling the doctor and
which mean calling 911; what to do about the over-the-counter products and supplements she
already takes; telling other providers; and how to reach the pharmacy. Follow the checklist's
handout standard and do not give advice beyond the checklist and her profile.
"""


def build(ctx: Context) -> TaskSpec:
    ctx.input("Patient_Profile_Bergstrom.txt").write_text(PROFILE, encoding="utf-8")
    _checklist(ctx)
    _guide(ctx)
    rubric = [
        item("file-name", 1, f"Delivers a PDF named {GUIDE}.",
             c_name("Apixaban_Guide_Ruth_Bergstrom", "pdf")),
        item("length", 1, "The guide is no more than 2 pages.", c_count("page_count", 1, 2)),
        item("purpose", 1, "Explains in plain words that apixaban lowers the risk of stroke "
             "from atrial fibrillation."),
        item("schedule", 2, "Gives her dose as one 5 mg tablet twice a day about 12 hours "
             "apart, with concrete times that fit her routine (e.g. 8 a.m. and 8 p.m.) and her "
             "AM/PM pill organizer.", c_text(pattern=r"(?i)twice\s+a\s+day|twice\s+daily")),
        item("missed-dose", 2, "States the apixaban missed-dose rule: take it as soon as "
             "remembered the same day, then resume the usual schedule; never double up."),
        item("do-not-stop", 1, "Warns not to stop apixaban without talking to Dr. Cho, because "
             "stopping raises stroke risk, including before procedures or dental work."),
        item("bleeding-doctor", 1, "Lists bleeding signs that mean calling the doctor."),
        item("bleeding-911", 2, "Lists emergency signs that mean calling 911 (e.g. vomiting "
             "blood, black or bloody stools, severe headache, a fall or head injury).",
             c_text("911")),
        item("ibuprofen", 2, "Personalizes the OTC advice: stop taking ibuprofen (Advil/Motrin) "
             "for her knee pain unless Dr. Cho approves, and use acetaminophen (Tylenol) "
             "instead, no more than 3,000 mg a day.", c_text(pattern=r"(?i)ibuprofen")),
        item("fish-oil", 1, "Tells her to ask Dr. Cho before continuing fish oil.",
             c_text(pattern=r"(?i)fish\s+oil")),
        item("providers", 1, "Tells her to inform all doctors, dentists and pharmacists and to "
             "carry a wallet card."),
        item("no-inr", 1, "Notes that routine INR blood tests are not needed with apixaban."),
        item("contact", 1, "Gives the pharmacy phone number and the prescriber's number.",
             c_text("555-0175")),
        item("plain-language", 2, "Written at about a 6th-8th grade reading level, in large "
             "type, with short sentences and headings; no unexplained medical jargon."),
        item("formatting", 5, "Overall professionalism and formatting: a clear, friendly, "
             "well-organized handout that could go on the refrigerator."),
        placeholder_penalty(),
        item("double-dose", -5, "PENALTY: tells the patient to take a double dose or two "
             "tablets at once to make up for a missed dose."),
        item("beyond-scope", -2, "PENALTY: gives advice beyond the checklist and profile, such "
             "as changing her dose or stopping her other prescription medicines."),
        item("once-daily", -2, "PENALTY: describes apixaban as a once-daily medicine.",
             c_text(pattern=r"(?i)once\s+(?:a\s+)?dai?ly|once\s+a\s+day")),
    ]
    return TaskSpec(id=ID, title="Personalized guide for a patient starting apixaban",
                    occupation="Pharmacists", prompt=PROMPT, deliverables=[("pdf", GUIDE)],
                    expert_hours=1.5, rubric=rubric)


def _checklist(ctx: Context) -> None:
    story = [PDF.P("Counseling Checklist: Oral Anticoagulants (DOACs)", "title"),
             PDF.P("Policy RX-114, rev. August 2026. Use for every new DOAC prescription; "
                   "document counseling in the patient profile.", "subtitle"),
             PDF.table(["Point", "What to cover"], [list(c) for c in CHECKLIST], [1.8, 4.7],
                       align="ll")]
    PDF.build(ctx.input("Counseling_Checklist_Anticoagulants.pdf"), story,
              title="Counseling checklist - oral anticoagulants", org=PHARMACY[0],
              org_lines=["Pharmacy policy manual", "Internal use"],
              footer="Lakeside Community Pharmacy - Policy RX-114 (internal)")


def _guide(ctx: Context) -> None:
    b, h, t = 12.5, 15, 12  # large print: the checklist asks for 12 pt or larger
    story = [
        PDF.P("Your New Blood Thinner: Apixaban (Eliquis)", "title", 22),
        PDF.P("A guide for Ruth Bergstrom &nbsp;|&nbsp; Prescribed by Dr. Alan Cho &nbsp;|&nbsp; "
              "Started November 2, 2026", "subtitle", 12),
        PDF.callout("<b>Apixaban lowers your chance of a stroke.</b> With atrial fibrillation "
                    "(AFib), blood can form clots in the heart. Apixaban helps stop those "
                    "clots. It works only if you take it every day, twice a day.", size=13),
        PDF.P("How to take it", "h1", h),
        PDF.table(["When", "What to take"], [
            ["8:00 a.m., with breakfast", "1 apixaban 5 mg tablet (AM side of your pill box)"],
            ["8:00 p.m., in the evening", "1 apixaban 5 mg tablet (PM side of your pill box)"],
        ], [2.6, 3.9], align="ll", size=t),
        PDF.P("Take it with or without food, about 12 hours apart. Keep taking your other "
              "medicines as usual.", "body", b),
        PDF.P("If you miss a dose", "h1", h),
        PDF.bullets(["Take it as soon as you remember <b>on the same day</b>. Then take your "
                     "next dose at the usual time.",
                     "<b>Never take two tablets at once</b> to make up for a missed dose."],
                    size=b),
        PDF.P("Do not stop taking it on your own", "h1", h),
        PDF.P("Stopping apixaban, even for a few days, raises your risk of stroke. Talk to Dr. "
              "Cho before you stop for any reason, including surgery or dental work.", "body", b),
        PDF.P("Watch for bleeding", "h1", h),
        PDF.table(["Call Dr. Cho at (847) 555-0230 if you have", "Call 911 right away if you"], [
            ["Nosebleeds that happen often or are hard to stop", "Vomit blood or something "
             "that looks like coffee grounds"],
            ["Bleeding gums", "Have red or black, tarry stools"],
            ["Bruises you cannot explain", "Have a sudden, severe headache"],
            ["Pink or brown urine", "Fall or hit your head, even if you feel fine"],
            ["", "Have bleeding that will not stop"],
        ], [3.25, 3.25], align="ll", zebra=False, size=t),
        PDF.P("Pain relievers and supplements", "h1", h),
        PDF.bullets([
            "<b>Stop taking ibuprofen (Advil, Motrin)</b> for your knee pain. With apixaban it "
            "raises your risk of bleeding. Do not use naproxen (Aleve) or aspirin either, "
            "unless Dr. Cho tells you to.",
            "For pain, use <b>acetaminophen (Tylenol)</b>. Take no more than <b>3,000 mg a "
            "day</b> (for example, six 500 mg tablets).",
            "<b>Fish oil:</b> ask Dr. Cho before you keep taking it. It can add to bleeding "
            "risk. Ask before starting any new supplement, such as turmeric or ginkgo.",
        ], size=b),
        PDF.P("Good to know", "h1", h),
        PDF.bullets([
            "Tell every doctor, dentist and pharmacist that you take apixaban. Carry the wallet "
            "card we gave you.",
            "You do not need regular INR blood tests with apixaban. Keep your visits with "
            "Dr. Cho.",
            "Refill before you run out: your prescription has 5 refills.",
        ], size=b),
        PDF.callout(f"<b>Questions? Call us.</b> {PHARMACY[0]}, {PHARMACY[2]}. Ask for Dana "
                    "Whitfield, PharmD, or any pharmacist.", size=13),
    ]
    PDF.build(ctx.gold_file(GUIDE), story, title="Apixaban guide for Ruth Bergstrom",
              subject="Patient medication guide", org=PHARMACY[0],
              org_lines=[PHARMACY[1], PHARMACY[2]],
              footer=f"{PHARMACY[0]} | {PHARMACY[2]} | Keep this guide with your medicines")
