"""Medical secretary: turn a physician's dictation (with spoken corrections) and the patient
face sheet into a finished cardiology referral letter."""

from __future__ import annotations

from .. import docx_kit as D
from .. import pdf_kit as PDF
from .. import style as S
from ..spec import Context, TaskSpec, c_name, c_text, item, placeholder_penalty

ID = "hc-cardiology-referral-letter"
LETTER = "Referral_Letter_Harrington.docx"

PATIENT = {
    "name": "Thomas J. Harrington", "dob": "03/03/1957", "mrn": "CGF-0448201",
    "address": "1874 Maple Avenue, Evanston, IL 60201", "phone": "(847) 555-0163",
    "insurer": "Blue Cross Blue Shield of Illinois PPO", "member": "XJH884512203",
    "group": "77120", "auth": "RA-2026-118734",
}
CLINIC = ("Cedar Grove Family Medicine", "1200 Oak Street, Suite 210, Evanston, IL 60201",
          "Tel (847) 555-0100", "Fax (847) 555-0101")
CARDIO = ["Marcus Bell, MD, FACC", "Lakeside Cardiology Associates",
          "2500 Ridge Avenue, Suite 400", "Evanston, IL 60201"]

DICTATION = """\
[Transcribed by VoiceScribe - raw, unedited]

This is Doctor Anita Patel dictating a referral letter, date today, October twenty-first
twenty twenty-six. To Doctor Marcus Bell at Lakeside Cardiology Associates, address is on file.
Re patient Thomas Harrington, date of birth March third nineteen fifty-seven, MRN is on the face
sheet.

Dear Doctor Bell comma thank you for seeing Mr. Harrington comma a sixty-nine year old man with
hypertension comma hyperlipidemia and type two diabetes comma who presents with a three week
history of exertional chest tightness when walking up two flights of stairs comma relieved by
rest within five minutes period. No rest pain comma no syncope comma no orthopnea period.

ECG in the office today showed normal sinus rhythm at seventy-eight with nonspecific ST T wave
changes in the lateral leads comma no acute changes period. Labs from September twelfth colon LDL
one forty-two comma HDL thirty-eight comma A1c seven point four percent period. Blood pressure
today one forty-eight over ninety-two period.

Current medications colon metformin one thousand milligrams twice daily comma lisinopril twenty
milligrams daily comma atorvastatin forty milligrams at bedtime comma and atenolol fifty
milligrams no scratch that metoprolol succinate twenty-five milligrams daily comma which I
started today comma and aspirin eighty-one milligrams daily comma also started today period.
Allergies colon penicillin comma causes hives period.

He is a former smoker comma quit in twenty fifteen comma thirty pack-years period. Family history
of father with MI at age fifty-eight period.

I am requesting evaluation for suspected stable angina comma with exercise stress testing or
coronary CT angiography as you see fit period. Please see him within two weeks actually make
that within one week comma mark it urgent period. I have advised him to call nine one one for
chest pain at rest or lasting more than fifteen minutes period.

Enclosures colon today's ECG tracing comma September lab results comma medication list period.
CC to his endocrinologist Doctor Susan Wei at North Shore Endocrinology period. Thank you
sincerely etcetera.

End of dictation. Oh and put it on letterhead and include his insurance and the referral
authorization number from the face sheet.
"""

PROMPT = f"""\
You are a medical secretary at Cedar Grove Family Medicine. Dr. Anita Patel has dictated a
referral letter for her patient to a cardiologist; the raw speech-to-text transcript is attached
(Dictation_Dr_Patel_2026-10-21.txt), along with the patient's face sheet
(Patient_Face_Sheet_Harrington.pdf).

Prepare the finished letter for Dr. Patel's signature as {LETTER}: on clinic letterhead, dated
October 21, 2026, addressed to Dr. Marcus Bell at Lakeside Cardiology Associates (his address is
on the face sheet), with a subject line identifying the patient (name, date of birth, MRN),
the referral authorization number and insurance details. Turn the dictation into clear,
correctly punctuated clinical prose organized under short headings, with medications as a
list. Apply every correction Dr. Patel makes while dictating, and mark the urgency she asks
for. Include the enclosures and the cc, and a signature block for Anita Patel, MD. Do not add
clinical information that is not in the dictation or the face sheet.
"""


def build(ctx: Context) -> TaskSpec:
    ctx.input("Dictation_Dr_Patel_2026-10-21.txt").write_text(DICTATION, encoding="utf-8")
    _face_sheet(ctx)
    _letter(ctx)
    p = PATIENT
    rubric = [
        item("file-name", 1, f"Delivers a Word document named {LETTER}.",
             c_name("Referral_Letter_Harrington", "docx")),
        item("letterhead", 1, "Uses Cedar Grove Family Medicine letterhead with address, "
             "phone and fax, and is dated October 21, 2026.",
             c_text(pattern=r"October\s+21,\s*2026")),
        item("recipient", 1, "Inside address and salutation are for Dr. Marcus Bell, Lakeside "
             "Cardiology Associates, 2500 Ridge Avenue, Suite 400, Evanston, IL 60201.",
             c_text("2500 Ridge Avenue")),
        item("identifiers", 2, f"The subject line identifies the patient by name, date of birth "
             f"({p['dob']} or March 3, 1957) and MRN {p['mrn']}.", c_text(p["mrn"])),
        item("authorization", 1, f"Includes the referral authorization number {p['auth']}.",
             c_text(p["auth"])),
        item("insurance", 1, f"Includes insurance details: {p['insurer']}, member ID "
             f"{p['member']}, group {p['group']}.", c_text(p["member"])),
        item("urgency", 2, "Marks the referral urgent and asks for an appointment within one "
             "week.", c_text(pattern=r"(?i)within\s+(?:one|1)\s+week")),
        item("metoprolol", 2, "Lists metoprolol succinate 25 mg daily (started October 21, "
             "2026) as the corrected beta-blocker.",
             c_text(pattern=r"(?i)metoprolol\s+succinate\s+25\s*mg")),
        item("med-list", 2, "Lists all five medications with dose and frequency: metformin "
             "1000 mg twice daily, lisinopril 20 mg daily, atorvastatin 40 mg at bedtime, "
             "metoprolol succinate 25 mg daily, aspirin 81 mg daily."),
        item("clinical", 2, "Presents the history, ECG findings, labs (LDL 142, HDL 38, A1c "
             "7.4%), blood pressure 148/92, smoking and family history accurately, in clinical "
             "prose with numerals and units.", c_text(pattern=r"148/92")),
        item("allergy", 1, "States the penicillin allergy (hives).", c_text("penicillin")),
        item("request", 1, "States the question for the consultant: evaluation of suspected "
             "stable angina, with stress testing or coronary CT angiography at his discretion."),
        item("safety-advice", 1, "Notes the patient was told to call 911 for chest pain at rest "
             "or lasting more than 15 minutes."),
        item("enclosures-cc", 1, "Lists the enclosures (ECG, September labs, medication list) "
             "and a cc to Dr. Susan Wei, North Shore Endocrinology.", c_text("Susan Wei")),
        item("signature", 1, "Ends with a closing and a signature block for Anita Patel, MD."),
        item("formatting", 5, "Overall professionalism and formatting: a correctly laid-out "
             "business letter, ready to sign and fax, on one to two pages."),
        placeholder_penalty(),
        item("retracted-drug", -5, "PENALTY: lists atenolol, which Dr. Patel retracted while "
             "dictating.", c_text("atenolol")),
        item("old-urgency", -2, "PENALTY: asks for an appointment within two weeks (the "
             "superseded timeframe).", c_text(pattern=r"(?i)(?:two|2)\s+weeks")),
        item("artifacts", -2, "PENALTY: keeps dictation artifacts such as 'comma', 'period', "
             "'scratch that' or 'end of dictation'.",
             c_text(pattern=r"(?i)\bcomma\b|scratch that|end of dictation|\betcetera\b")),
        item("invented", -2, "PENALTY: adds clinical facts (diagnoses, results, doses) that are "
             "not in the dictation or the face sheet."),
    ]
    return TaskSpec(id=ID, title="Cardiology referral letter from dictation",
                    occupation="Medical Secretaries and Administrative Assistants",
                    prompt=PROMPT, deliverables=[("docx", LETTER)], expert_hours=1.5,
                    rubric=rubric)


def _face_sheet(ctx: Context) -> None:
    p = PATIENT
    kv = lambda rows: PDF.table(["Field", "Value"], rows, [2.0, 4.5], align="ll")  # noqa: E731
    story = [
        PDF.P("Patient Face Sheet", "title"),
        PDF.P("Printed 10/21/2026 09:42 by front desk (K. Morales)", "subtitle"),
        PDF.P("Patient", "h1"),
        kv([["Name", p["name"]], ["Date of birth", p["dob"]], ["Sex", "Male"],
            ["MRN", p["mrn"]], ["Address", p["address"]], ["Phone (mobile)", p["phone"]],
            ["Emergency contact", "Carol Harrington (spouse), (847) 555-0164"]]),
        PDF.P("Insurance", "h1"),
        kv([["Primary insurance", p["insurer"]], ["Member ID", p["member"]],
            ["Group number", p["group"]], ["Subscriber", "Self"]]),
        PDF.P("Referral", "h1"),
        kv([["Referral authorization", f"{p['auth']} (approved 10/21/2026; valid 90 days; "
                                        "consult plus diagnostic testing)"],
            ["Referring provider", "Anita Patel, MD (NPI 1457382910)"],
            ["Referred to", ", ".join(CARDIO)],
            ["Consultant phone / fax", "(847) 555-0290 / (847) 555-0291"],
            ["Other providers", "Susan Wei, MD, North Shore Endocrinology (endocrinology)"]]),
    ]
    PDF.build(ctx.input("Patient_Face_Sheet_Harrington.pdf"), story,
              title="Patient face sheet", org=CLINIC[0], org_lines=list(CLINIC[1:]),
              footer="CONFIDENTIAL: protected health information")


def _letter(ctx: Context) -> None:
    p = PATIENT
    doc = D.new_doc("Referral letter - Thomas J. Harrington", "Cardiology referral")
    D.letterhead(doc, CLINIC[0], list(CLINIC[1:]))
    D.para(doc, "October 21, 2026", space_after=10)
    for i, line in enumerate(CARDIO):
        D.para(doc, line, space_after=0 if i < len(CARDIO) - 1 else 10)
    D.para(doc, [("URGENT REFERRAL: please schedule within one week", "b")], color=S.BAD,
           space_after=4)
    D.para(doc, [("RE: ", "b"), (f"{p['name']}  |  DOB {p['dob']}  |  MRN {p['mrn']}", "b")],
           space_after=0)
    D.para(doc, f"Referral authorization {p['auth']}  |  {p['insurer']}, member ID "
           f"{p['member']}, group {p['group']}", size=10, space_after=10)
    D.para(doc, "Dear Dr. Bell:")
    D.para(doc, "Thank you for seeing Mr. Harrington, a 69-year-old man with hypertension, "
           "hyperlipidemia and type 2 diabetes, for evaluation of suspected stable angina.")
    D.heading(doc, "History of present illness", 3)
    D.para(doc, "He reports a three-week history of exertional chest tightness when climbing two "
           "flights of stairs, relieved by rest within five minutes. He denies rest pain, "
           "syncope and orthopnea.")
    D.heading(doc, "Findings", 3)
    D.bullets(doc, [
        "ECG (October 21, 2026): normal sinus rhythm at 78 bpm with nonspecific ST-T wave "
        "changes in the lateral leads; no acute changes.",
        "Labs (September 12, 2026): LDL 142 mg/dL, HDL 38 mg/dL, HbA1c 7.4%.",
        "Blood pressure today: 148/92 mmHg.",
    ])
    D.heading(doc, "Current medications", 3)
    D.bullets(doc, ["Metformin 1000 mg twice daily", "Lisinopril 20 mg daily",
                    "Atorvastatin 40 mg at bedtime",
                    "Metoprolol succinate 25 mg daily (started October 21, 2026)",
                    "Aspirin 81 mg daily (started October 21, 2026)"])
    D.para(doc, [("Allergies: ", "b"), ("penicillin (hives).", "")])
    D.para(doc, [("Social and family history: ", "b"),
                 ("former smoker, 30 pack-years, quit in 2015. Father had a myocardial "
                  "infarction at age 58.", "")])
    D.heading(doc, "Reason for referral", 3)
    D.para(doc, "I would appreciate your evaluation for suspected stable angina, with exercise "
           "stress testing or coronary CT angiography as you see fit. Please see him within one "
           "week. I have advised him to call 911 for chest pain at rest or lasting more than "
           "15 minutes.")
    D.para(doc, "Thank you for your help with his care. Please send your consultation note to "
           "our office by fax at (847) 555-0101.", space_after=10)
    D.signature(doc, ["Anita Patel, MD", "Family Medicine", CLINIC[0]])
    D.para(doc, "", space_after=4)
    D.para(doc, [("Enclosures: ", "b"), ("ECG tracing (October 21, 2026); laboratory results "
                                          "(September 12, 2026); medication list", "")],
           size=10, space_after=2)
    D.para(doc, [("cc: ", "b"), ("Susan Wei, MD, North Shore Endocrinology", "")], size=10)
    D.save(doc, ctx.gold_file(LETTER))
