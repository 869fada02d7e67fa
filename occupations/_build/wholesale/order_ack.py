"""Order clerk: turn a school district's purchase order into an order acknowledgment, with
case-pack conversions, a substitution, tier pricing, freight and tax exemption (pdf)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import pdf_kit as PDF
from .. import style as S
from .. import xlsx_kit as X
from ..spec import Context, TaskSpec, c_count, c_name, c_text, item, placeholder_penalty

ID = "ord-school-district-order-ack"
ACK = "Order_Acknowledgment_SO-26-1187.pdf"
SO, PO = "SO-26-1187", "WSD-27-0415"
TIERS = {"Standard": 0.0, "Silver": 0.07, "Gold": 0.12, "Platinum": 0.15}
FREE_FREIGHT, FREIGHT = 6000.00, 145.00
COMPANY = ("Lakeshore Janitorial Supply Co.", "5100 Industrial Drive, Gurnee, IL 60031",
           "(847) 555-0190", "orders@lakeshorejan.example")


@dataclass(frozen=True)
class Sku:
    sku: str
    desc: str
    uom: str          # selling unit
    pack: int         # customer units per selling unit (EA per CS)
    list_price: float
    status: str = "Active"
    substitute: str = ""


CATALOG = [
    Sku("PT-4016", "Multifold paper towels, white, 16 packs x 250", "CS", 1, 38.50),
    Sku("PT-4020", "Roll towels, natural, 6 x 800 ft", "CS", 1, 44.90),
    Sku("TT-2096", "Toilet tissue 2-ply, 96 rolls", "CS", 1, 64.80),
    Sku("TT-1236", "Jumbo roll tissue 2-ply, 12 rolls", "CS", 1, 52.10),
    Sku("TL-4045", "Can liners 40x46, 1.5 mil, black, 250/cs", "CS", 1, 42.20),
    Sku("TL-3340", "Can liners 33x40, 0.9 mil, clear, 250/cs", "CS", 1, 31.75),
    Sku("HS-1006", "Foam hand soap refill, 1000 ml, 6/cs", "CS", 6, 71.40),
    Sku("HS-1204", "Antibacterial foam soap, 1200 ml, 4/cs", "CS", 4, 64.20),
    Sku("DC-0404", "Neutral disinfectant concentrate, 1 gal, 4/cs", "CS", 4, 58.90),
    Sku("GC-0406", "Glass cleaner RTU, 1 gal, 4/cs", "CS", 4, 29.60),
    Sku("GL-NS10", "Nitrile exam gloves, small, 1000/cs", "CS", 1, 52.75),
    Sku("GL-NM10", "Nitrile exam gloves, medium, 1000/cs", "CS", 1, 52.75),
    Sku("GL-NL10", "Nitrile exam gloves, large, 1000/cs", "CS", 1, 52.75),
    Sku("FF-5005", "Floor finish, 5 gal pail", "EA", 1, 109.00, "Discontinued", "FF-5007"),
    Sku("FF-5007", "High-solids floor finish, 25% solids, 5 gal pail", "EA", 1, 118.00),
    Sku("FS-5010", "Floor stripper, low odor, 5 gal pail", "EA", 1, 96.40),
    Sku("MC-1624", "Microfiber cloths 16x16, 24/pk", "PK", 1, 14.60),
    Sku("MP-2418", "Microfiber flat mop pads, 18 in, 12/pk", "PK", 1, 27.30),
    Sku("WS-0001", "Wet floor caution sign, 2-sided", "EA", 1, 18.25),
    Sku("TB-4432", "Mop bucket with wringer, 35 qt", "EA", 1, 84.50),
]
# customer's PO lines: (customer description, qty, customer UOM, our SKU)
PO_LINES = [
    ("Multifold paper towels, white", 20, "CS", "PT-4016"),
    ("Toilet tissue 2-ply, 96 rolls/case", 30, "CS", "TT-2096"),
    ("Can liners 40-45 gal, black, 250/cs", 25, "CS", "TL-4045"),
    ("Foam hand soap refill 1000 ml", 60, "EA", "HS-1006"),
    ("Neutral disinfectant concentrate, gallon", 18, "GAL", "DC-0404"),
    ("Nitrile gloves, medium, 1000/case", 12, "CS", "GL-NM10"),
    ("Floor finish, 5 gal pail (your item FF-5005)", 6, "EA", "FF-5005"),
    ("Microfiber cloths 16x16, 24/pk", 15, "PK", "MC-1624"),
    ("Wet floor caution sign", 8, "EA", "WS-0001"),
]


def order() -> dict:
    cat = {s.sku: s for s in CATALOG}
    disc = TIERS["Gold"]
    lines, notes = [], []
    for n, (_desc, qty, uom, code) in enumerate(PO_LINES, 1):
        s = cat[code]
        if s.status != "Active":
            notes.append(f"Line {n}: {s.sku} ({s.desc.lower()}) is discontinued; we substituted "
                         f"its replacement {s.substitute} ({cat[s.substitute].desc.lower()}) at "
                         "the same quantity.")
            s = cat[s.substitute]
        ship = qty
        if uom != s.uom and s.pack > 1:
            ship = math.ceil(qty / s.pack)
            rounded = ship * s.pack != qty
            notes.append(f"Line {n}: you ordered {qty} {uom}; {s.sku} is sold in cases of "
                         f"{s.pack}, so {ship} {s.uom} will ship ({ship * s.pack} {uom})"
                         + (", rounded up to a full case." if rounded else "."))
        net = S.r2(s.list_price * (1 - disc))
        lines.append({"sku": s.sku, "desc": s.desc, "qty": ship, "uom": s.uom,
                      "list": s.list_price, "net": net, "ext": S.r2(net * ship),
                      "ordered": f"{qty} {uom}"})
    sub = S.r2(sum(ln["ext"] for ln in lines))
    list_total = S.r2(sum(ln["list"] * ln["qty"] for ln in lines))
    freight = 0.0 if sub >= FREE_FREIGHT else FREIGHT
    return {"lines": lines, "notes": notes, "subtotal": sub, "freight": freight,
            "total": S.r2(sub + freight), "list_total": list_total,
            "discount": S.r2(list_total - sub)}


PROMPT = f"""\
You are an order clerk at Lakeshore Janitorial Supply Co. Purchase order {PO} from Westbrook
Community Unit School District 5 (account WSD-001) arrived this morning, November 4, 2026
(PO_{PO}.pdf). Enter it as sales order {SO} and send the district an order acknowledgment.

Use our Q4 2026 price list (Price_List_Q4_2026.xlsx), which also holds customer terms: price
tier, tax status and freight policy. The PO describes items in the district's own words and
units, so match each line to our SKU, convert quantities to our selling units (round up to full
cases and say so), and substitute any discontinued item with the replacement the price list
names. Our warehouse ships in 3 business days.

Produce {ACK} (1-2 pages) on company letterhead with: our order number, their PO number, order
and ship dates, bill-to and ship-to, one line per item (SKU, description, quantity and unit, list
price, discount, net unit price, extended price), merchandise subtotal, freight, sales tax,
order total and payment terms, plus notes explaining every conversion and substitution and a
contact for questions.
"""


def build(ctx: Context) -> TaskSpec:
    o = order()
    _inputs(ctx)
    _ack(ctx, o)
    exact = lambda x: S.money(x).replace("$", r"\$?").replace(".", r"\.")  # noqa: E731
    rubric = [
        item("file-name", 1, f"Delivers a PDF named {ACK}.",
             c_name("Order_Acknowledgment_SO-26-1187", "pdf")),
        item("length", 1, "The acknowledgment is 1-2 pages.", c_count("page_count", 1, 2)),
        item("references", 1, f"Shows sales order {SO} and the customer's PO {PO}.",
             c_text(PO)),
        item("dates", 1, "Shows the order date (November 4, 2026) and a ship date three "
             "business days later (November 9, 2026).",
             c_text(pattern=r"(?i)Nov(?:ember|\.)?\s+9,?\s+2026|11/0?9/2026")),
        item("addresses", 1, "Shows bill-to (district business office) and ship-to (central "
             "warehouse) addresses from the PO."),
        item("all-lines", 2, "Includes all nine PO lines, each matched to the right SKU."),
        item("soap", 2, "Converts 60 each of foam soap to 10 cases of HS-1006 (6 per case)."),
        item("disinfectant", 2, "Converts 18 gallons of disinfectant to 5 cases of DC-0404 "
             "(4 gallons per case), rounding up and telling the customer 20 gallons will "
             "ship."),
        item("substitution", 2, "Substitutes discontinued FF-5005 with FF-5007 at $118.00 list "
             "and notes the substitution.", c_text("FF-5007")),
        item("pricing", 2, "Applies the Gold tier discount of 12% to list prices for every "
             "line."),
        item("freight", 2, f"Charges {S.money(FREIGHT)} freight because the discounted "
             f"merchandise subtotal ({S.money(o['subtotal'])}) is below the "
             f"{S.money(FREE_FREIGHT, False)} free-freight threshold.",
             c_text(pattern=r"\$\s?145(?:\.00)?\b")),
        item("tax", 1, "Charges no sales tax, citing the district's tax-exemption certificate."),
        item("total", 2, f"States the order total of {S.money(o['total'])}.",
             c_text(pattern=exact(o["total"]))),
        item("terms-contact", 1, "States payment terms (Net 30) and a contact for questions."),
        item("formatting", 5, "Overall professionalism and formatting: a clean, business-"
             "standard order acknowledgment a customer can check line by line."),
        placeholder_penalty(),
        item("taxed", -2, "PENALTY: charges sales tax on a tax-exempt order."),
        item("free-freight", -2, "PENALTY: waives freight by applying the threshold to list "
             f"prices (list total {S.money(o['list_total'])})."),
        item("discontinued", -2, "PENALTY: ships the discontinued FF-5005 or drops the line "
             "without telling the customer."),
    ]
    return TaskSpec(id=ID, title="Order acknowledgment for a school district PO",
                    occupation="Order Clerks", prompt=PROMPT, deliverables=[("pdf", ACK)],
                    expert_hours=1.5, rubric=rubric)


def _inputs(ctx: Context) -> None:
    wb = X.new_workbook("Price list Q4 2026", COMPANY[0])
    X.plain(wb, "Price List", ["SKU", "Description", "Selling UOM", "Units per UOM",
                               "List Price (per UOM)", "Status", "Substitute SKU"],
            [[s.sku, s.desc, s.uom, s.pack, s.list_price, s.status, s.substitute]
             for s in CATALOG], col_widths=[10, 48, 12, 13, 18, 13, 15])
    ws = wb.create_sheet("Customer Terms")
    for row in [["Price tiers (discount off list)"], *[[k, v] for k, v in TIERS.items()], [],
                ["Account", "Customer", "Tier", "Tax status", "Certificate", "Terms"],
                ["WSD-001", "Westbrook CUSD 5", "Gold", "Exempt", "E9912-4412-07 (exp. "
                 "06/30/2027)", "Net 30"],
                ["LKF-014", "Lake Forest Medical Offices", "Silver", "Taxable", "", "Net 30"],
                ["GRN-220", "Gurnee Park District", "Platinum", "Exempt", "E9915-0087-03",
                 "Net 45"], [],
                ["Freight: free on orders with a merchandise subtotal of $6,000.00 or more "
                 "after discount; otherwise $145.00 flat per order."],
                ["Ship lead time: 3 business days from order date."]]:
        ws.append(row)
    X.widths(ws, [12, 30, 10, 12, 34, 10])
    X.save(wb, ctx.input("Price_List_Q4_2026.xlsx"))

    story = [
        PDF.P(f"Purchase Order {PO}", "title"),
        PDF.P("Date: November 3, 2026  |  Vendor: Lakeshore Janitorial Supply Co. (vendor "
              "#V-3318)  |  Deliver by: November 13, 2026", "subtitle"),
        PDF.table(["Bill to", "Ship to"], [[
            "Westbrook CUSD 5, Business Office<br/>Attn: Accounts Payable<br/>1000 Academy "
            "Road, Westbrook, IL 60085",
            "Westbrook CUSD 5, Central Warehouse<br/>Attn: Luis Ortega, Facilities<br/>455 "
            "Depot Street, Westbrook, IL 60085<br/>Dock hours 7:00 a.m. - 2:30 p.m."]],
            [3.25, 3.25], align="ll", zebra=False),
        PDF.table(["Line", "Description", "Qty", "Unit"],
                  [[str(i), d, str(q), u] for i, (d, q, u, _) in enumerate(PO_LINES, 1)],
                  [0.5, 4.5, 0.7, 0.8], align="clrl"),
        PDF.P("Tax exempt: certificate on file with vendor. Ship complete if possible. Invoice "
              "must reference this PO number.", "body"),
        PDF.P("Authorized by: Denise Park, Purchasing Coordinator, (847) 555-0305, "
              "dpark@westbrook5.example", "small"),
    ]
    PDF.build(ctx.input(f"PO_{PO}.pdf"), story, title=f"Purchase order {PO}",
              org="Westbrook Community Unit School District 5",
              org_lines=["Purchasing Department", "1000 Academy Road, Westbrook, IL 60085"],
              footer=f"Westbrook CUSD 5 - Purchase Order {PO}")


def _ack(ctx: Context, o: dict) -> None:
    m = S.money
    rows = [[str(i), ln["sku"], ln["desc"], f"{ln['qty']} {ln['uom']}", m(ln["list"]), "12%",
             m(ln["net"]), m(ln["ext"])] for i, ln in enumerate(o["lines"], 1)]
    totals = [["Merchandise subtotal", m(o["subtotal"])],
              [f"Freight (subtotal below {m(FREE_FREIGHT)})", m(o["freight"])],
              ["Sales tax (exempt, certificate E9912-4412-07)", m(0)],
              ["Order total", m(o["total"])]]
    story = [
        PDF.P(f"Order Acknowledgment {SO}", "title"),
        PDF.P(f"Customer PO: {PO}  |  Account: WSD-001  |  Order date: November 4, 2026  |  "
              "Ship date: November 9, 2026", "subtitle"),
        PDF.table(["Bill to", "Ship to"], [[
            "Westbrook CUSD 5, Business Office<br/>Attn: Accounts Payable<br/>1000 Academy "
            "Road, Westbrook, IL 60085",
            "Westbrook CUSD 5, Central Warehouse<br/>Attn: Luis Ortega, Facilities<br/>455 "
            "Depot Street, Westbrook, IL 60085"]], [3.5, 3.5], align="ll", zebra=False),
        PDF.table(["#", "SKU", "Description", "Qty", "List", "Disc.", "Net unit", "Extended"],
                  rows, [0.3, 0.75, 2.45, 0.6, 0.7, 0.45, 0.75, 0.9], align="cllrrrrr"),
        PDF.table(["Summary", "Amount"], totals, [5.0, 1.9], align="lr", total=True),
        PDF.P("Notes", "h2"),
        PDF.bullets(o["notes"] + [f"Prices reflect your Gold account discount of 12% off list "
                                  f"({m(o['discount'])} saved on this order).",
                                  "Delivery to the Central Warehouse dock (7:00 a.m. - 2:30 "
                                  "p.m.) on November 10-11, ahead of your November 13 "
                                  "deadline."]),
        PDF.P("<b>Terms:</b> Net 30 from invoice date. Please reference SO-26-1187 and PO "
              "WSD-27-0415 on payment.", "body"),
        PDF.P(f"Questions about this order? Contact Maria Gonzalez, Customer Service, "
              f"{COMPANY[2]}, {COMPANY[3]}. Please review and let us know of any changes by "
              "noon on November 5.", "body"),
    ]
    PDF.build(ctx.gold_file(ACK), story, title=f"Order acknowledgment {SO}", org=COMPANY[0],
              org_lines=list(COMPANY[1:]), footer=f"{COMPANY[0]} - Order Acknowledgment {SO}",
              margins=0.6)
