"""Lawyer: review a SaaS vendor's MSA excerpt against the client's contracting playbook and
write a privileged issues memo with proposed revisions (docx)."""

from __future__ import annotations

from .. import docx_kit as D
from .. import pdf_kit as PDF
from .. import style as S
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

ID = "law-saas-msa-issues-memo"
MEMO = "MSA_Issues_Memo_Brightwater.docx"

CLAUSES = [  # (section, heading, vendor text)
    ("4.2", "Payment", "Invoices are due within fifteen (15) days of the invoice date. Late "
     "amounts accrue interest at 1.5% per month. CloudRoute may suspend the Services without "
     "notice if any amount is past due."),
    ("4.4", "Fee changes", "CloudRoute may increase the Fees for any Renewal Term at its "
     "discretion by notice to Customer."),
    ("6.2", "Service levels", "CloudRoute will use commercially reasonable efforts to make the "
     "Services available 99.0% of each calendar month. Service credits of up to 5% of the "
     "monthly Fees are Customer's sole and exclusive remedy for any failure to meet this "
     "target."),
    ("8.1", "Limitation of liability", "EXCEPT FOR CUSTOMER'S PAYMENT OBLIGATIONS, EACH PARTY'S "
     "AGGREGATE LIABILITY ARISING OUT OF THIS AGREEMENT SHALL NOT EXCEED THE FEES PAID BY "
     "CUSTOMER IN THE THREE (3) MONTHS PRECEDING THE EVENT GIVING RISE TO THE CLAIM."),
    ("8.2", "Exclusion of damages", "IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT, "
     "INCIDENTAL, CONSEQUENTIAL OR SPECIAL DAMAGES, INCLUDING LOSS OF DATA OR PROFITS."),
    ("9.1", "Indemnification", "Customer shall defend, indemnify and hold harmless CloudRoute "
     "from all claims arising out of Customer Data or Customer's use of the Services."),
    ("11.1", "Term and renewal", "The Initial Term is three (3) years. This Agreement renews "
     "automatically for successive three (3) year Renewal Terms unless either party gives "
     "notice of non-renewal at least one hundred twenty (120) days before the end of the "
     "then-current term."),
    ("11.3", "Termination", "Either party may terminate for the other party's material breach "
     "not cured within thirty (30) days of notice. No other termination rights apply."),
    ("12.3", "Security incidents", "CloudRoute will notify Customer of a Security Incident "
     "affecting Customer Data without undue delay."),
    ("12.5", "Return of data", "Upon termination, CloudRoute will delete Customer Data ten "
     "(10) days after the effective date of termination."),
    ("14.1", "Governing law", "This Agreement is governed by the laws of the State of "
     "California. The state and federal courts in San Francisco County have exclusive "
     "jurisdiction."),
]
PLAYBOOK = [  # topic, preferred, fallback
    ("Payment", "Net 45; interest at no more than 0.5% per month; suspension only for "
     "undisputed amounts more than 30 days past due, after 10 business days' written notice.",
     "Net 30"),
    ("Price increases", "Renewal increases capped at the lower of 3% or CPI.", "Cap at 5%"),
    ("Service levels", "99.9% monthly uptime; credits up to 25% of monthly fees; right to "
     "terminate for chronic failure (3 misses in any 6 months).", "99.5%; credits up to 15%"),
    ("Liability cap", "At least 12 months' fees. Excluded from the cap (or a super-cap of 3x "
     "annual fees): data breach, breach of confidentiality, indemnities, gross negligence and "
     "wilful misconduct.", "Super-cap of 2x annual fees for data breach"),
    ("Consequential damages", "Mutual exclusion acceptable only with the same carve-outs as "
     "the cap; data breach costs (notification, forensics, credit monitoring) are direct "
     "damages.", "-"),
    ("Indemnities", "Vendor indemnifies for third-party IP infringement and for data breaches "
     "it causes. Customer indemnity limited to Customer Data infringing third-party rights.",
     "Vendor IP indemnity is a walk-away"),
    ("Term and renewal", "Renewals of 1 year; non-renewal notice of no more than 60 days.",
     "90 days' notice"),
    ("Termination", "Termination for convenience on 90 days' notice after year 1; termination "
     "for chronic SLA failure.", "Termination for chronic SLA failure only"),
    ("Security incidents", "Notice within 72 hours of discovery; cooperation and "
     "reimbursement of reasonable response costs.", "Notice within 5 days"),
    ("Data return", "60 days to export data in a standard format, then certified deletion.",
     "30 days"),
    ("Governing law", "Illinois law; courts in Cook County, Illinois.", "Delaware law"),
]
ISSUES = [  # section, issue, risk, proposed revision
    ("8.1", "Cap of 3 months' fees with no carve-outs: a data breach would be compensated at "
     "a fraction of its cost.", "High", "Raise the cap to 12 months' fees; carve out data "
     "breach, confidentiality, indemnities, gross negligence and wilful misconduct (fallback: "
     "3x annual fees super-cap for data breach)."),
    ("9.1", "Indemnity runs only to CloudRoute; no vendor IP infringement indemnity.", "High",
     "Add CloudRoute indemnity for third-party IP claims and data breaches it causes; limit "
     "Brightwater's indemnity to Customer Data infringing third-party rights."),
    ("12.3", "'Without undue delay' gives no deadline and no cost recovery.", "High",
     "Notice within 72 hours of discovery, with cooperation and reimbursement of reasonable "
     "response costs."),
    ("12.5", "Data deleted 10 days after termination: operational continuity risk.", "High",
     "60-day export window in a standard format, then certified deletion."),
    ("8.2", "Exclusion would bar recovery of breach response costs and lost data.", "Medium",
     "Apply the 8.1 carve-outs; treat notification, forensics and credit monitoring as direct "
     "damages."),
    ("11.1", "3-year auto-renewals with 120 days' notice lock Brightwater in.", "Medium",
     "1-year renewals; non-renewal notice of 60 days."),
    ("11.3", "No exit except for uncured material breach.", "Medium",
     "Termination for convenience on 90 days' notice after year 1, and for chronic SLA "
     "failure (3 misses in any 6 months)."),
    ("6.2", "99.0% target allows about 7 hours of downtime a month; 5% credit is the sole "
     "remedy.", "Medium", "99.9% uptime; credits up to 25% of monthly fees; credits not the "
     "sole remedy for chronic failure."),
    ("4.2", "Net 15, 1.5% monthly interest and suspension without notice.", "Medium",
     "Net 45; interest capped at 0.5% per month; suspension only for undisputed amounts more "
     "than 30 days late after 10 business days' notice."),
    ("4.4", "Uncapped renewal price increases.", "Low", "Cap increases at the lower of 3% or "
     "CPI."),
    ("14.1", "California law and exclusive San Francisco venue.", "Low",
     "Illinois law and Cook County courts (fallback: Delaware law)."),
]

PROMPT = f"""\
You are an associate at Kessler Varga LLP. Our client Brightwater Logistics, LLC plans to
license CloudRoute Software's route-optimization platform and has sent us the key sections of
CloudRoute's Master Subscription Agreement (CloudRoute_MSA_Excerpt.pdf) together with
Brightwater's technology contracting playbook (Brightwater_Contracting_Playbook.docx).
Brightwater's general counsel, Elena Marsh, wants to send comments to CloudRoute by November 20,
2026.

Prepare {MEMO}, a privileged memo to Ms. Marsh (partner Daniel Kessler in copy) that: summarizes
the most important issues in a short executive summary; includes an issues table covering every
clause in the excerpt that departs from the playbook, with the section number, the issue, a
risk rating (High/Medium/Low) and proposed revision language or a negotiating position based on
the playbook; recommends a negotiation strategy (what to insist on and what to trade); and lists
next steps. Be precise about what the vendor draft says; do not overstate the playbook.
"""


def build(ctx: Context) -> TaskSpec:
    _msa(ctx)
    _playbook(ctx)
    _memo(ctx)
    rubric = [
        item("file-name", 1, f"Delivers a Word memo named {MEMO}.",
             c_name("MSA_Issues_Memo_Brightwater", "docx")),
        item("privileged", 1, "Marked privileged and confidential / attorney-client "
             "communication, addressed to Elena Marsh with Daniel Kessler in copy.",
             c_text(pattern=r"(?i)privileged")),
        item("exec-summary", 2, "Opens with an executive summary naming the top issues: "
             "liability cap, indemnity, security-incident notice and data return."),
        item("issues-heading", 1, "Has a heading for the issues table.", c_heading("Issues")),
        item("issues-table", 1, "Presents the issues in a table.", c_count("table_count", 1)),
        item("liability", 2, "Identifies that section 8.1 caps liability at 3 months' fees with "
             "no carve-outs and proposes 12 months plus carve-outs (or a super-cap) per the "
             "playbook.", c_text(pattern=r"(?i)12\s+months|twelve\s+\(12\)\s+months")),
        item("indemnity", 2, "Flags that 9.1 is one-sided and asks for a CloudRoute IP "
             "infringement and data-breach indemnity, noting the IP indemnity is a walk-away "
             "point."),
        item("incident", 2, "Requires security-incident notice within 72 hours with "
             "cooperation and cost reimbursement (section 12.3).",
             c_text(pattern=r"72\s*hours")),
        item("data-return", 1, "Replaces 10-day deletion with a 60-day export window and "
             "certified deletion (12.5)."),
        item("renewal", 1, "Addresses the 3-year auto-renewal with 120 days' notice (1-year "
             "renewals, 60 days) and the lack of termination rights (11.3)."),
        item("sla", 1, "Addresses the 99.0% SLA and 5% sole-remedy credits (99.9%, up to 25%, "
             "chronic-failure exit)."),
        item("payment", 1, "Addresses net 15, 1.5% monthly interest and suspension without "
             "notice (4.2) and uncapped renewal increases (4.4)."),
        item("law", 1, "Proposes Illinois law and Cook County venue instead of California "
             "(fallback Delaware).", c_text("Illinois")),
        item("risk-ratings", 1, "Gives each issue a High/Medium/Low rating consistent with its "
             "business impact."),
        item("strategy", 2, "Recommends a negotiation strategy that separates must-haves from "
             "tradeable points, using the playbook fallbacks."),
        item("next-steps", 1, "Lists next steps with dates (e.g. client sign-off, issues list or "
             "redline to CloudRoute by November 20, 2026)."),
        item("formatting", 5, "Overall professionalism and formatting: a concise, well-organized "
             "legal memo with an easy-to-scan issues table."),
        placeholder_penalty(),
        item("misstated", -5, "PENALTY: misstates the vendor draft (e.g. says the cap is 12 "
             "months' fees, or that CloudRoute already gives an IP indemnity)."),
        item("overstated", -2, "PENALTY: presents as playbook requirements positions that are "
             "not in the playbook."),
    ]
    return TaskSpec(id=ID, title="SaaS MSA review: issues memo against the client playbook",
                    occupation="Lawyers", prompt=PROMPT, deliverables=[("docx", MEMO)],
                    expert_hours=6.0, rubric=rubric)


def _msa(ctx: Context) -> None:
    story = [PDF.P("Master Subscription Agreement (excerpt)", "title"),
             PDF.P("CloudRoute Software, Inc. standard terms, version 2026.2. Sections not "
                   "relevant to this review are omitted.", "subtitle")]
    for sec, head, text in CLAUSES:
        story += [PDF.P(f"{sec} {head}", "h2"), PDF.P(text)]
    story.append(PDF.P("Capitalized terms are defined in Section 1 (not included).", "small"))
    PDF.build(ctx.input("CloudRoute_MSA_Excerpt.pdf"), story, title="CloudRoute MSA excerpt",
              org="CloudRoute Software, Inc.", org_lines=["Master Subscription Agreement",
                                                          "Vendor draft"],
              footer="CloudRoute MSA v2026.2 - excerpt provided for customer review")


def _playbook(ctx: Context) -> None:
    doc = D.new_doc("Technology contracting playbook", "Brightwater Logistics")
    D.para(doc, [("Brightwater Logistics, LLC", "b")], size=14, color=S.PRIMARY, space_after=0)
    D.para(doc, "Technology & SaaS Contracting Playbook (v3, approved by the GC, March 2026)",
           size=10, color=S.GREY)
    D.para(doc, "Use this playbook for any software or cloud service agreement. Positions are "
           "listed as preferred and fallback; escalate anything beyond the fallback to the GC.",
           size=10)
    D.table(doc, ["Topic", "Preferred position", "Fallback"], [list(p) for p in PLAYBOOK],
            widths=[1.3, 3.8, 1.4], size=8.5)
    D.para(doc, "Walk-away: no vendor IP infringement indemnity. Data breach must never be "
           "limited to less than 12 months' fees.", size=10)
    D.save(doc, ctx.input("Brightwater_Contracting_Playbook.docx"))


def _memo(ctx: Context) -> None:
    doc = D.new_doc("CloudRoute MSA - issues memo", "Brightwater Logistics")
    D.letterhead(doc, "Kessler Varga LLP", ["200 West Madison Street, Chicago, IL 60606",
                                             "(312) 555-0140"])
    D.para(doc, [("PRIVILEGED & CONFIDENTIAL | ATTORNEY-CLIENT COMMUNICATION", "b")], size=9,
           color=S.BAD)
    D.memo_block(doc, [("TO:", "Elena Marsh, General Counsel, Brightwater Logistics, LLC"),
                       ("CC:", "Daniel Kessler, Partner"),
                       ("FROM:", "Aaron Feld, Associate"), ("DATE:", "November 9, 2026"),
                       ("RE:", "CloudRoute Master Subscription Agreement: issues and proposed "
                               "positions")])
    D.heading(doc, "Executive summary")
    D.para(doc, "CloudRoute's draft departs from the playbook on every clause in the excerpt. "
           "Four issues carry real risk for Brightwater and should be resolved before "
           "signature:")
    D.bullets(doc, [
        [("Liability (8.1): ", "b"), ("a cap of three months' fees with no carve-outs, so a data "
                                      "breach would be largely uncompensated.", "")],
        [("Indemnity (9.1): ", "b"), ("one-sided in CloudRoute's favor, with no IP "
                                      "infringement indemnity, which is a playbook walk-away.",
                                      "")],
        [("Security incidents (12.3): ", "b"), ("no notice deadline and no cost recovery.", "")],
        [("Data return (12.5): ", "b"), ("customer data is deleted ten days after "
                                         "termination.", "")],
    ])
    D.para(doc, "The remaining points (term, termination, service levels, payment, pricing and "
           "governing law) are commercial and can be traded against the four above.")
    D.heading(doc, "Issues and proposed positions")
    D.table(doc, ["Sec.", "Issue in vendor draft", "Risk", "Proposed revision / position"],
            [list(i) for i in ISSUES], widths=[0.45, 2.5, 0.6, 2.95], size=8.5)
    D.heading(doc, "Negotiation strategy")
    D.bullets(doc, [
        [("Insist on: ", "b"), ("a CloudRoute IP indemnity (walk-away), data-breach exposure "
                                "of no less than 12 months' fees (ideally outside the cap), "
                                "72-hour incident notice and a workable data-return "
                                "period.", "")],
        [("Trade if needed: ", "b"), ("accept the fallbacks on service levels (99.5%, 15% "
                                      "credits), renewal notice (90 days), payment (net 30), "
                                      "price caps (5%) and Delaware law to secure the "
                                      "must-haves.", "")],
        [("Sequence: ", "b"), ("send a single consolidated issues list rather than piecemeal "
                               "redlines, leading with the risk allocation package (8.1, 8.2, "
                               "9.1, 12.3, 12.5).", "")],
    ])
    D.heading(doc, "Next steps")
    D.bullets(doc, ["Confirm these positions with you by November 13, 2026.",
                    "We send CloudRoute the issues list with proposed language by "
                    "November 20, 2026.",
                    "Ask CloudRoute for its SOC 2 Type II report and data processing addendum "
                    "to support the security and data positions.",
                    "Review the full agreement, including definitions (Section 1), before "
                    "signature."], numbered=True)
    D.save(doc, ctx.gold_file(MEMO))
