"""Editor: edit a freelancer's feature to house style and length, fix facts against the
research desk's notes, and send the writer an editor's memo (two docx files)."""

from __future__ import annotations

import re

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

ID = "ed-riverside-library-feature"
EDITED = "Riverside_Library_Feature_Edited.docx"
NOTES = "Editor_Notes_Riverside_Library.docx"
MIN_WORDS, MAX_WORDS = 600, 700

DRAFT_TITLE = "THE RIVERSIDE LIBRARY IS BACK AND BETTER THEN EVER!"
DRAFT = [
    "By Dana Whitcomb",
    "When the doors of the Riverside Branch library swing open at 10:00 AM on Saturday, "
    "September 12th, regulars will find the old oak card catalog right where they left it. "
    "But almost everything else about the building has been changed, and it is very "
    "different now.",
    "The renovation, which took eighteen months and cost a total of $2.4 million dollars, "
    "rebuilt the historic brick building, which was first opened in the year of 1962, from the "
    "basement all the way up. Workers replaced the leaking slate roof, added an elevator and "
    "ramps so that every floor is now accessible, and swapped out the original boiler for a "
    "brand new geothermal system that the city expects will cut energy costs by 40%.",
    "The design, which was done by Halvorsen Stone Architects, a Northfield firm, kept the "
    "original facade and the front steps, and it added a new glass entrance on the side of "
    "the building facing the parking lot. Up until now, patrons who use wheelchairs were only "
    "able to reach the main floor, and the children's room was located at the bottom of a "
    "very narrow staircase. Now the children's room has been moved upstairs to a spot right "
    "next to the reading room, and the brand new elevator serves all three of the levels.",
    "\"We wanted to keep the soul of the place and fix everything that was holding it back,\" "
    "said Branch Manager Lucia Ferrera, who has run Riverside since 2014. \"People told us, "
    "'Don't you dare touch the reading room.' So we didn't. We just made it warmer in winter.\"",
    "It is important to note that the reading room's tall arched windows and it's plaster "
    "ceiling were carefully restored, and the long tables now hide power outlets for laptops. "
    "Upstairs, a former storage attic has been turned into a teen loft with study booths, a "
    "gaming corner, and a small recording studio. The basement, which was once home to boxes "
    "and boxes of withdrawn books, is now a makerspace with two 3D printers, a laser cutter, "
    "sewing machines, and a bench of hand tools.",
    "The loft was designed with the help of a teen advisory group that met on a monthly basis "
    "during construction. \"They vetoed beanbags and asked for outlets, good lighting and a "
    "door that closes,\" said Teen Librarian Marcus Oyelaran. \"The recording studio was "
    "their idea. We already have a waiting list.\"",
    "Northfield itself was founded in 1851 as a mill town on the Aldine River, and for most of "
    "its history the river was the center of civic life. The mills closed in the 1950s, and "
    "the riverfront sat empty for decades until the Riverwalk project of the 1990s brought "
    "cafes and apartments back to the water. Many residents still remember when the old "
    "Aldine Mill burned in 1978, an event that was covered in the newspapers for weeks.",
    "Ferreira said that the makerspace idea grew out of a survey of 1,100 residents that was "
    "conducted in 2023. More than half of the people who responded asked for hands-on "
    "classes, and many of them said that they had no room at home for projects. At this "
    "point in time the libary plans to offer free orientation sessions every Tuesday evening, "
    "and anyone who has a Northfield library card will be able to reserve equipment online "
    "or by e-mail. Classes in 3D design, sewing, and basic bike repair are going to start "
    "in October.",
    "The funding for the project came from three different sources: $2.9 million from a 2022 "
    "city bond, a $900,000 state library construction grant, and $400,000 that was raised by "
    "the Friends of Riverside Library, a volunteer group.",
    "\"A library is the last place in town where you can stay all day without buying "
    "anything,\" said Mayor Jen Alvarez. \"That matters more now than it did in 1926.\"",
    "During construction, the branch operated out of a small storefront on Water Street, "
    "where circulation fell by half. Ferreira expects visitors to come back very quickly "
    "now. In order to make that easier, the branch will be open seven days a week, with new "
    "evening hours until 8:00 PM Monday through Thursday. All of the holds that were placed "
    "during construction, which number more than 2,000, will be ready for pickup on "
    "reopening day.",
    "For longtime patron Mrs. Evelyn Marsh, 84, who has had a Riverside card ever since she "
    "was nine years old, the reopening feels really personal. \"I learned to read in that "
    "room,\" she said. \"I'm glad my great-grandchildren will, too.\"",
    "The reopening celebration will run from 10:00 AM to 2:00 PM on September 12th, and it "
    "will include building tours every half hour, demonstrations in the makerspace, a special "
    "story time in the reading room at 11:00 AM, and cake on the front lawn! Parking is going "
    "to be limited, so the city will run a free shuttle from the Water Street garage. Teh "
    "Friends group says that every visitor will recieve a commemorative bookmark.",
]

HEADLINE = "Riverside Library turns the page"
DEK = ("After 18 months and $4.2 million, Northfield's oldest branch library reopens Sept. 12 "
       "with a makerspace, a teen loft and the reading room its neighbors love.")
EDIT = [
    "By Dana Whitcomb",
    "When the doors of the Riverside Branch Library swing open at 10 a.m. Saturday, Sept. 12, "
    "regulars will find the old oak card catalog right where they left it. Almost everything "
    "else has changed.",
    "The 18-month, $4.2 million renovation rebuilt the 1926 brick building from the basement "
    "up. Workers replaced the leaking slate roof, added an elevator and ramps so every floor "
    "is accessible, and swapped the original boiler for a geothermal system the city expects "
    "to cut energy costs by 40 percent.",
    "The design, by Northfield firm Halvorsen Stone Architects, kept the original facade and "
    "front steps and added a glass entrance facing the parking lot. Until now, patrons who "
    "use wheelchairs could reach only the main floor, and the children's room sat at the "
    "bottom of a narrow staircase. The children's room has moved upstairs next to the reading "
    "room, and the new elevator serves all three levels.",
    "\"We wanted to keep the soul of the place and fix everything that was holding it back,\" "
    "said branch manager Lucia Ferreira, who has run Riverside since 2014. \"People told us, "
    "'Don't you dare touch the reading room.' So we didn't. We just made it warmer in winter.\"",
    "The reading room's tall arched windows and plaster ceiling have been restored, and its "
    "long tables now hide power outlets for laptops. Upstairs, a former storage attic is now "
    "a teen loft with study booths, a gaming corner and a small recording studio. The "
    "basement, once home to boxes of withdrawn books, has become a makerspace with two 3D "
    "printers, a laser cutter, sewing machines and a bench of hand tools.",
    "A teen advisory group that met monthly during construction helped design the loft. "
    "\"They vetoed beanbags and asked for outlets, good lighting and a door that closes,\" "
    "said teen librarian Marcus Oyelaran. \"The recording studio was their idea. We already "
    "have a waiting list.\"",
    "Ferreira said the makerspace grew out of a 2023 survey of 1,100 residents. More than "
    "half asked for hands-on classes, and many said they had no room at home for projects. "
    "The library will offer free orientation sessions every Tuesday evening, and anyone with "
    "a Northfield library card can reserve equipment online or by email. Classes in 3D "
    "design, sewing and basic bike repair start in October.",
    "The project drew on three sources: $2.9 million from a 2022 city bond, a $900,000 state "
    "library construction grant and $400,000 raised by the Friends of Riverside Library, a "
    "volunteer group.",
    "Library board president Harold Kim said the branch shows how much the community still "
    "values its libraries. \"A library is the last place in town where you can stay all day "
    "without buying anything,\" Kim said. \"That matters more now than it did in 1926.\"",
    "During construction, the branch operated from a storefront on Water Street, where "
    "circulation fell by about a third. Ferreira expects visitors to return quickly. The "
    "branch will now be open seven days a week, with new evening hours until 8 p.m. Monday "
    "through Thursday. More than 2,000 holds placed during construction will be ready for "
    "pickup on reopening day.",
    "For longtime patron Evelyn Marsh, 84, who has carried a Riverside card since she was 9, "
    "the reopening is personal. \"I learned to read in that room,\" Marsh said. \"I'm glad my "
    "great-grandchildren will, too.\"",
    "The reopening celebration runs from 10 a.m. to 2 p.m. Sept. 12, with building tours "
    "every half hour, makerspace demonstrations, a story time in the reading room at 11 a.m. "
    "and cake on the front lawn. Every visitor will receive a commemorative bookmark from the "
    "Friends group. Parking is limited, so the city will run a free shuttle from the Water "
    "Street garage.",
]
def words(paragraphs: list[str]) -> int:
    return sum(len(re.findall(r"\S+", p)) for p in paragraphs)


DRAFT_WORDS = round(words([DRAFT_TITLE, *DRAFT]), -1)
EDIT_WORDS = words([HEADLINE, DEK, *EDIT])
CHANGES = [
    ("Founding year", "1962 (para. 2) vs. 1926 (Kim quote)", "1926 throughout",
     "Research desk: city records"),
    ("Renovation cost", "$2.4 million dollars", "$4.2 million",
     "Research desk; matches $2.9M + $900,000 + $400,000"),
    ("Manager's name", "Lucia Ferrera (first reference)", "Lucia Ferreira", "Research desk"),
    ("Quote attribution", "\"Last place in town\" quote credited to Mayor Jen Alvarez",
     "Credited to board president Harold Kim", "Research desk: interview notes, Aug. 3"),
    ("Circulation drop", "fell by half", "fell by about a third", "Library statistics: 34%"),
    ("Length", f"About {DRAFT_WORDS} words, incl. a history digression",
     f"{EDIT_WORDS} words; cut the "
     "Northfield mill-town paragraph (off topic)", "House style: 600-700 words"),
    ("House style", "%, 10:00 AM, September 12th, serial commas, courtesy title, "
     "exclamation point, e-mail", "percent, 10 a.m., Sept. 12, no serial comma, no Mrs., "
     "no exclamation, email", "House style sheet, rules 1-10"),
    ("Headline", "All caps, 'then', exclamation point", "Sentence case with a one-line dek",
     "House style, rule 8"),
]
QUERIES = [
    "Geothermal savings: the 40 percent figure is attributed to the city. Can you send the "
    "source (Public Works estimate or the engineer's report)?",
    "Evelyn Marsh: please reconfirm her age (84) and that she has held a card since age 9.",
    "Bookmark giveaway: is it the Friends group or the library providing it? I credited the "
    "Friends as in your draft.",
    "Photos: we need captions and credits for the reading room and makerspace images by "
    "Oct. 2.",
]

PROMPT = f"""\
You are an associate editor at Northfield Quarterly, a regional magazine. Freelancer Dana
Whitcomb has filed a feature on the reopening of the Riverside Branch Library
(Draft_Riverside_Library_Feature.docx). It runs long, drifts off topic and does not follow
house style; the research desk's fact-check notes and our style sheet are in
Northfield_Quarterly_Style_Sheet.pdf.

Edit the piece for the October issue and deliver two Word files:
1. {EDITED}: the clean, publication-ready article, 600-700 words including headline, dek and
byline. Fix every factual error flagged by the research desk, apply house style throughout,
tighten wordy passages, correct spelling and grammar, and keep the writer's voice and quotes
(quotes may be trimmed, not reworded). Do not add new facts.
2. {NOTES}: a short memo to the writer listing the substantive changes (what changed, why,
and the source) and your open queries for her, under a heading 'Queries for the writer'.
"""




def build(ctx: Context) -> TaskSpec:
    n = words([HEADLINE, DEK, *EDIT])
    assert MIN_WORDS + 20 <= n <= MAX_WORDS - 20, n
    _draft(ctx)
    _style_sheet(ctx)
    _edited(ctx)
    _notes(ctx, n)
    fe, fn = "*Edited*", "*Notes*"
    rubric = [
        item("edited-name", 1, f"Delivers the edited article as {EDITED}.",
             c_name("Riverside_Library_Feature_Edited", "docx")),
        item("notes-name", 1, f"Delivers the editor's memo as {NOTES}.",
             c_name("Editor_Notes_Riverside_Library", "docx")),
        item("length", 2, "The edited article is 600-700 words including headline, dek and "
             "byline.", c_count("word_count", MIN_WORDS, MAX_WORDS, file=fe)),
        item("year", 2, "Uses 1926 as the founding year consistently.",
             c_text("1926", file=fe)),
        item("cost", 2, "States the renovation cost as $4.2 million (not $2.4 million), "
             "consistent with the $2.9 million + $900,000 + $400,000 funding.",
             c_text(pattern=r"\$4\.2\s+million", file=fe)),
        item("name", 1, "Spells the branch manager's name Lucia Ferreira throughout.",
             c_text("Lucia Ferreira", file=fe)),
        item("quote", 2, "Attributes the 'last place in town' quote to library board "
             "president Harold Kim, not the mayor.", c_text("Harold Kim", file=fe)),
        item("circulation", 1, "Corrects the circulation drop to about a third."),
        item("house-style", 2, "Applies house style: 'percent', a.m./p.m. times, 'Sept. 12', "
             "no serial comma, lowercase title after a name, no courtesy titles, numerals per "
             "the numbers rule.", c_text(pattern=r"40\s+percent", file=fe)),
        item("headline", 1, "Has a sentence-case headline without end punctuation and a "
             "one-sentence dek."),
        item("digression", 1, "Cuts the off-topic paragraph on Northfield's mill-town history."),
        item("facts-kept", 2, "Keeps the key facts: reopening date and time, the celebration "
             "program, new hours, the makerspace, teen loft and funding sources."),
        item("voice", 1, "Keeps the writer's voice and the quotes' wording (trims only)."),
        item("memo-changes", 2, "The memo lists each substantive change with the reason and "
             "source (research desk, style sheet)."),
        item("memo-queries", 1, "The memo has a 'Queries for the writer' section with "
             "specific open questions.", c_heading("Queries", file=fn)),
        item("formatting", 5, "Overall professionalism and formatting: clean copy with "
             "consistent styles, and a concise, collegial memo."),
        placeholder_penalty(),
        item("wrong-year", -2, "PENALTY: the edited article still gives 1962 as the "
             "founding year.", c_text("1962", file=fe)),
        item("wrong-cost", -2, "PENALTY: the edited article still states $2.4 million.",
             c_text(pattern=r"2\.4\s+million", file=fe)),
        item("typos", -2, "PENALTY: the edited article keeps spelling errors from the draft "
             "(e.g. 'teh', 'libary', 'recieve', 'then ever').",
             c_text(pattern=r"(?i)\bteh\b|libary|recieve|better then", file=fe)),
        item("new-facts", -2, "PENALTY: the edit adds facts that are in neither the draft nor "
             "the research notes."),
    ]
    return TaskSpec(id=ID, title="Edit a magazine feature to house style and length",
                    occupation="Editors", prompt=PROMPT,
                    deliverables=[("docx", EDITED), ("docx", NOTES)], expert_hours=3.0,
                    rubric=rubric)


def _draft(ctx: Context) -> None:
    doc = D.new_doc("Riverside library feature - draft", "Northfield Quarterly")
    D.para(doc, [(DRAFT_TITLE, "b")], size=14)
    for p in DRAFT:
        D.para(doc, p)
    D.para(doc, f"[{words([DRAFT_TITLE, *DRAFT])} words - filed Sept. 21 - DW]", size=9,
           color=S.GREY)
    D.save(doc, ctx.input("Draft_Riverside_Library_Feature.docx"))


def _style_sheet(ctx: Context) -> None:
    rules = [
        "<b>Numbers.</b> Spell out one through nine; use numerals for 10 and above. Always use "
        "numerals for ages, percentages, money and times.",
        "<b>Percent.</b> Spell out \"percent\" in text (40 percent); never use the % sign.",
        "<b>Dates.</b> With a specific date abbreviate Jan., Feb., Aug., Sept., Oct., Nov. and "
        "Dec.; no -st, -th; omit the year for dates in the current year.",
        "<b>Times.</b> 10 a.m., 8 p.m., noon. No :00.",
        "<b>Commas.</b> No serial (Oxford) comma in a simple series.",
        "<b>Titles.</b> Capitalize a formal title before a name; lowercase it after a name or "
        "standing alone (branch manager Lucia Ferreira).",
        "<b>Names.</b> Full name on first reference, last name after. No courtesy titles.",
        "<b>Headlines.</b> Sentence case, no end punctuation, followed by a one-sentence dek.",
        "<b>Length.</b> Features run 600-700 words including headline, dek and byline.",
        "<b>Tone.</b> No exclamation points outside quotes; avoid \"very\" and \"really\"; "
        "\"email\", not \"e-mail\".",
    ]
    checks = [
        ["Founding year", "Branch opened in 1926 (city records). Draft has 1962 in one place."],
        ["Renovation cost", "$4.2 million: city bond $2.9 million, state grant $900,000, "
         "Friends of Riverside Library $400,000."],
        ["Branch manager", "Lucia Ferreira (manager since 2014)."],
        ["\"Last place in town\" quote", "Said by library board president Harold Kim "
         "(interview notes, Aug. 3), not Mayor Jen Alvarez."],
        ["Survey", "1,100 residents, 2023. Confirmed."],
        ["Circulation", "Fell 34% at the Water Street storefront (library statistics); "
         "\"by half\" is not supported."],
        ["Reopening", "Saturday, Sept. 12, 10 a.m.; celebration until 2 p.m. Confirmed."],
    ]
    story = [
        PDF.P("House Style Sheet (excerpt)", "title"),
        PDF.P("Northfield Quarterly editorial department, rev. 2026", "subtitle"),
        PDF.bullets(rules),
        PDF.P("Research desk fact-check: \"Riverside Library\" (D. Whitcomb, Oct. issue)", "h1"),
        PDF.table(["Item", "Finding"], checks, [1.8, 4.7], align="ll"),
        PDF.P("Checked by M. Osei, research desk, Sept. 23.", "small"),
    ]
    PDF.build(ctx.input("Northfield_Quarterly_Style_Sheet.pdf"), story,
              title="Northfield Quarterly house style sheet", org="Northfield Quarterly",
              org_lines=["Editorial department", "Internal"],
              footer="Northfield Quarterly - internal editorial reference")


def _edited(ctx: Context) -> None:
    doc = D.new_doc(HEADLINE, "Northfield Quarterly, October issue")
    D.para(doc, "NORTHFIELD QUARTERLY  |  OCTOBER ISSUE  |  FEATURE", size=8.5, color=S.GREY)
    doc.add_paragraph(HEADLINE, style="Title")
    D.para(doc, [(DEK, "i")], size=12, color=S.GREY, space_after=8)
    D.para(doc, [(EDIT[0], "b")], space_after=10)
    for p in EDIT[1:]:
        D.para(doc, p, space_after=8)
    D.save(doc, ctx.gold_file(EDITED))


def _notes(ctx: Context, n: int) -> None:
    doc = D.new_doc("Editor's notes - Riverside Library feature", "Northfield Quarterly")
    D.memo_block(doc, [("TO:", "Dana Whitcomb"), ("FROM:", "Priya Anand, Associate Editor"),
                       ("DATE:", "September 25, 2026"),
                       ("RE:", "Your Riverside Library feature: edits and queries")],
                 title="Editor's notes")
    D.para(doc, f"Thanks for a lively piece. The edited version runs {n} words and is attached. "
           "Below are the changes that go beyond routine copy editing, and a few questions I "
           "need answered before it goes to layout on Oct. 2.")
    D.heading(doc, "Substantive changes")
    D.table(doc, ["Item", "Draft", "Edited", "Source / reason"], [list(c) for c in CHANGES],
            widths=[1.15, 1.9, 1.9, 1.55], size=9)
    D.heading(doc, "Queries for the writer")
    D.bullets(doc, QUERIES, numbered=True)
    D.para(doc, "Routine fixes (spelling, it's/its, wordiness such as \"at this point in time\" "
           "and \"in order to\") are made silently in the attached copy.")
    D.para(doc, "Priya")
    D.save(doc, ctx.gold_file(NOTES))
