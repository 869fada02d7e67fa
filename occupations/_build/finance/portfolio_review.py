"""Personal financial advisor: annual review deck with a tax-aware rebalancing proposal."""

from __future__ import annotations

from collections import defaultdict

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
    money_re,
    placeholder_penalty,
)

ID = "pfa-okafor-annual-review"
DECK = "Okafor_Annual_Review.pptx"
CLASSES = ("US Equity", "International Equity", "Bonds", "Cash")
TARGET = {"US Equity": 0.42, "International Equity": 0.18, "Bonds": 0.35, "Cash": 0.05}
BAND = 0.05

JOINT, DANA, LUIS = ("JOINT TENANT ...4471", "DANA OKAFOR TRAD IRA ...8812",
                     "LUIS OKAFOR ROLLOVER IRA ...5530")
ACCOUNT_NAMES = {JOINT: "Joint brokerage (taxable)", DANA: "Dana - Traditional IRA",
                 LUIS: "Luis - Rollover IRA"}
# (account, symbol, description, export label, true class, quantity, price, cost basis)
HOLDINGS = [
    (JOINT, "AAPL", "APPLE INC", "US Equity", "US Equity", 300, 231.40, 38_115.00),
    (JOINT, "MSFT", "MICROSOFT CORP", "U.S. Stock", "US Equity", 180, 418.75, 41_220.00),
    (JOINT, "JNJ", "JOHNSON & JOHNSON", "US Equity", "US Equity", 300, 158.20, 44_310.00),
    (JOINT, "VTI", "VANGUARD TOTAL STOCK MKT ETF", "Domestic Eq", "US Equity", 410, 289.60,
     71_045.00),
    (JOINT, "VXUS", "VANGUARD TOTAL INTL STOCK ETF", "Intl Equity", "International Equity", 900,
     64.85, 49_880.00),
    (JOINT, "BND", "VANGUARD TOTAL BOND MARKET ETF", "Fixed Income", "Bonds", 600, 72.90,
     45_210.00),
    (JOINT, "SWVXX", "SCHWAB VALUE ADVANTAGE MONEY FD", "Cash & Equivalents", "Cash", 24_310.55,
     1.00, 24_310.55),
    (DANA, "FXAIX", "FIDELITY 500 INDEX FUND", "US Equity", "US Equity", 520.113, 212.35, None),
    (DANA, "IEFA", "ISHARES CORE MSCI EAFE ETF", "International", "International Equity", 850,
     78.10, None),
    (DANA, "AGG", "ISHARES CORE US AGGREGATE BOND ETF", "Bond", "Bonds", 1150, 98.45, None),
    (DANA, "VTIP", "VANGUARD SHORT-TERM INFL-PROT SECS", "TIPS", "Bonds", 400, 49.70, None),
    (DANA, "CASH", "CASH SWEEP", "Money Market", "Cash", 8_912.40, 1.00, None),
    (LUIS, "VOO", "VANGUARD S&P 500 ETF", "US Equity", "US Equity", 300, 532.10, None),
    (LUIS, "VB", "VANGUARD SMALL-CAP ETF", "US Equity - Small Cap", "US Equity", 260, 238.40, None),
    (LUIS, "VEA", "VANGUARD FTSE DEVELOPED MKTS ETF", "Intl Eq", "International Equity", 700,
     51.20, None),
    (LUIS, "VWO", "VANGUARD FTSE EMERGING MKTS ETF", "Emerging Mkts", "International Equity",
     500, 46.30, None),
    (LUIS, "BND", "VANGUARD TOTAL BOND MARKET ETF", "Fixed Income", "Bonds", 2100, 72.90, None),
    (LUIS, "BNDX", "VANGUARD TOTAL INTL BOND ETF", "Intl Bond", "Bonds", 600, 49.20, None),
    (LUIS, "SWVXX", "SCHWAB VALUE ADVANTAGE MONEY FD", "Money Market", "Cash", 15_000.00, 1.00,
     None),
]
DUPLICATE = 12  # HOLDINGS[12] (VOO) is exported twice

PROMPT = f"""\
You are a CFP(R) professional at Lakeview Wealth Partners. Your clients Dana (58) and Luis (61)
Okafor come in for their annual review on November 12, 2026. Their custodian export is attached
(Okafor_Holdings_2026-10-30.xlsx). It is messy: asset-class labels are inconsistent, some values
are stored as text, account subtotal rows are mixed in, and one position was exported twice.
Their investment policy statement sets a target allocation of US equity 42%, international
equity 18%, bonds 35% and cash 5%, with a rebalancing band of +/-5 percentage points per class.

Prepare {DECK}, a 7-9 slide deck for the meeting, covering: total household value as of October
30, 2026 and value by account; current vs. target allocation by asset class (with a chart); drift
and which classes are outside their band; a rebalancing proposal that brings every class back to
target, placing trades in the two IRAs first so no gains are realized in the taxable joint
account (show dollar amounts by account and asset class); and next steps. Write for the clients,
in plain language; put technical detail in the speaker notes.
"""


def household() -> dict:
    """Clean the export: de-duplicate, drop subtotals, map labels; then plan the trades."""
    value = defaultdict(float)          # (account, class) -> $
    for acct, _sym, _d, _lbl, cls, qty, price, _cb in HOLDINGS:
        value[(acct, cls)] += round(qty * price, 2)
    total = sum(value.values())
    by_class = {c: sum(v for (a, k), v in value.items() if k == c) for c in CLASSES}
    by_acct = {a: sum(v for (k, _), v in value.items() if k == a) for a in (JOINT, DANA, LUIS)}
    need = {c: TARGET[c] * total - by_class[c] for c in CLASSES}  # + buy, - sell
    trades: dict[tuple[str, str], float] = defaultdict(float)
    proceeds = defaultdict(float)
    for c in CLASSES:                   # sell overweight classes, IRAs first (Luis, then Dana)
        left = -need[c]
        for acct in (LUIS, DANA, JOINT):
            if left <= 0.005:
                break
            amt = min(left, value[(acct, c)])
            trades[(acct, c)] -= amt
            proceeds[acct] += amt
            left -= amt
    buys = {c: need[c] for c in CLASSES if need[c] > 0}
    for acct in (LUIS, DANA, JOINT):    # spend each account's proceeds on underweight classes
        for c in sorted(buys, key=lambda k: -buys[k]):
            amt = min(proceeds[acct], buys[c])
            if amt > 0.005:
                trades[(acct, c)] += amt
                proceeds[acct] -= amt
                buys[c] -= amt
    dup = HOLDINGS[DUPLICATE]
    return {"total": total, "by_class": by_class, "by_acct": by_acct, "need": need,
            "trades": dict(trades), "dup_value": round(dup[5] * dup[6], 2)}


def build(ctx: Context) -> TaskSpec:
    h = household()
    _export(ctx)
    _deck(ctx, h)
    total = h["total"]
    pct = {c: h["by_class"][c] / total for c in CLASSES}
    outside = [c for c in CLASSES if abs(pct[c] - TARGET[c]) > BAND]
    us_sell = -h["need"]["US Equity"]
    wrong = (money_re(total + h["dup_value"]), money_re(2 * total))
    rubric = [
        item("file-name", 1, f"Delivers a PowerPoint deck named {DECK}.",
             c_name("Okafor_Annual_Review", "pptx")),
        item("slide-count", 1, "The deck has 7 to 9 slides.", c_count("slide_count", 7, 9)),
        item("total-value", 2, f"States the total household value as of October 30, 2026 as "
             f"{S.money(total, False)} (rounding to the nearest thousand is acceptable).",
             c_text(pattern=money_re(total))),
        item("dedupe", 2, f"The duplicated VOO line in the Luis Rollover IRA "
             f"({S.money(h['dup_value'], False)}) and the account subtotal rows are excluded "
             "from all totals."),
        item("by-account", 1, "Shows the value of each of the three accounts: joint "
             f"{S.money(h['by_acct'][JOINT], False)}, Dana's IRA "
             f"{S.money(h['by_acct'][DANA], False)}, Luis's IRA "
             f"{S.money(h['by_acct'][LUIS], False)}."),
        item("label-mapping", 2, "Maps the inconsistent labels correctly: emerging markets and "
             "developed international funds to international equity; TIPS, international bonds "
             "and aggregate bond funds to bonds; money market and sweep to cash."),
        item("us-equity-pct", 2, f"States the current US equity weight as "
             f"{pct['US Equity'] * 100:.1f}% against the 42% target.",
             c_text(pattern=rf"{pct['US Equity'] * 100:.1f}\s*%")),
        item("allocation-chart", 1, "Includes a chart comparing current and target allocation "
             "for all four asset classes."),
        item("band-breach", 2, "Identifies which classes are outside the +/-5 point band: "
             + ", ".join(f"{c} ({(pct[c] - TARGET[c]) * 100:+.1f} pts)" for c in outside)
             + "; the others are within the band."),
        item("rebalance-heading", 1, "Has a slide titled with the rebalancing proposal.",
             c_heading("Rebalanc")),
        item("us-sale", 2, f"Proposes selling about {S.money(us_sell, False)} of US equity "
             "to return it to target.", c_text(pattern=money_re(us_sell))),
        item("trade-table", 2, "Shows trades by account and asset class in dollars, with "
             "each account's sales funding its own purchases."),
        item("ira-first", 2, "Places all trades in the two IRAs and none in the taxable joint "
             "account, explaining that this avoids realizing capital gains."),
        item("post-trade", 1, "Shows that the allocation after the trades matches the target."),
        item("next-steps", 1, "Closes with concrete next steps (e.g., approve trades, drift "
             "monitoring, beneficiary review, RMD or Roth conversion planning)."),
        item("plain-language", 1, "Slides use plain language suitable for the clients, with "
             "technical detail kept to speaker notes or footnotes."),
        item("formatting", 5, "Overall professionalism and formatting: consistent titled "
             "slides, readable tables and charts, no clutter, client-ready."),
        placeholder_penalty(),
        item("wrong-total", -5, f"PENALTY: states a household total that counts the duplicate "
             f"VOO line or the subtotal rows (e.g. {S.money(total + h['dup_value'], False)}).",
             {"kind": "text_contains", "pattern": "|".join(wrong)}),
        item("taxable-sales", -2, "PENALTY: proposes selling appreciated holdings in the "
             "joint taxable account without addressing the capital gains it would realize."),
    ]
    return TaskSpec(id=ID, title="Annual review deck and rebalancing proposal",
                    occupation="Personal Financial Advisors", prompt=PROMPT,
                    deliverables=[("pptx", DECK)], expert_hours=4.0, rubric=rubric)


def _export(ctx: Context) -> None:
    date_styles = ["10/30/2026", "2026-10-30", "30-Oct-2026"]
    rows = []
    order = list(range(len(HOLDINGS)))
    order.insert(DUPLICATE + 3, DUPLICATE)
    sub_after = {6: JOINT, 11: DANA, 18: LUIS}
    for n, i in enumerate(order):
        acct, sym, desc, label, _cls, qty, price, basis = HOLDINGS[i]
        mv = round(qty * price, 2)
        mv_cell: object = f"${mv:,.2f}" if n % 3 == 1 else mv
        rows.append([acct, sym, desc, label, qty, price, mv_cell,
                     basis if basis is not None else "N/A", date_styles[n % 3]])
        if i in sub_after and n != DUPLICATE + 3:
            a = sub_after[i]
            sub = sum(round(q * p, 2) for ac, *_r, q, p, _b in HOLDINGS if ac == a)
            rows.append([a, "", "Account Total", "", "", "", sub, "", ""])
    wb = X.new_workbook("Holdings export", "Okafor household")
    X.plain(wb, "Positions", ["Account", "Symbol", "Description", "Asset Class", "Quantity",
                              "Price", "Market Value", "Cost Basis", "As Of"], rows,
            col_widths=[32, 9, 38, 22, 11, 10, 15, 13, 12])
    X.save(wb, ctx.input("Okafor_Holdings_2026-10-30.xlsx"))


def _deck(ctx: Context, h: dict) -> None:
    total = h["total"]
    pct = {c: h["by_class"][c] / total for c in CLASSES}
    m = lambda x: S.money(x, False)  # noqa: E731
    d = Deck("Okafor annual review", "Lakeview Wealth Partners  |  Okafor household review  |  "
             "Values as of October 30, 2026")
    d.cover("Annual Portfolio Review", "Dana & Luis Okafor",
            "November 12, 2026  |  Lakeview Wealth Partners")

    s = d.slide("Your household portfolio at a glance")
    us_drift = (pct["US Equity"] - TARGET["US Equity"]) * 100
    d.kpis(s, [(m(total), "Total household value"), ("3", "Accounts reviewed"),
               (f"{pct['US Equity'] * 100:.1f}%", "US equity (target 42%)"),
               ("Rebalance", "Recommended action")])
    d.callout(s, f"Strong US stock returns have pushed your US equity share {us_drift:.1f} points "
              "above target. We recommend rebalancing inside your IRAs, which brings every "
              "asset class back to target without creating a tax bill.", (0.6, 3.7, 12.1, 1.4),
              size=17)
    d.notes(s, "Export cleaned before analysis: the VOO line in Luis's Rollover IRA appeared "
            f"twice ({m(h['dup_value'])} removed), account subtotal rows were excluded, and "
            "text-formatted market values were converted to numbers.")

    s = d.slide("What you own, by account")
    rows = [[ACCOUNT_NAMES[a], "Taxable" if a == JOINT else "Tax-deferred", m(h["by_acct"][a]),
             f"{h['by_acct'][a] / total * 100:.1f}%"] for a in (JOINT, DANA, LUIS)]
    rows.append(["Household total", "", m(total), "100.0%"])
    d.table(s, ["Account", "Tax treatment", "Value", "Share"], rows, (0.6, 1.7, 12.1, 2.6),
            col_widths=[5.0, 2.8, 2.4, 1.9], align="llrr", size=16, total=True)
    d.bullets(s, ["The joint account holds most of your individual stocks, with sizeable "
                  "unrealized gains (AAPL, MSFT, VTI).",
                  "The two IRAs can be rebalanced freely: trades inside them are not taxed."],
              (0.6, 4.7, 12.1, 1.8), size=17)

    s = d.slide("Current vs. target allocation")
    d.bar_chart(s, list(CLASSES), {"Current": [round(pct[c], 3) for c in CLASSES],
                                   "Target": [TARGET[c] for c in CLASSES]},
                (0.6, 1.6, 7.6, 5.2), number_format="0%")
    d.bullets(s, [f"US equity: {pct['US Equity'] * 100:.1f}% vs 42% target",
                  f"International equity: {pct['International Equity'] * 100:.1f}% vs 18%",
                  f"Bonds: {pct['Bonds'] * 100:.1f}% vs 35%",
                  f"Cash: {pct['Cash'] * 100:.1f}% vs 5%"], (8.5, 2.0, 4.3, 4.0), size=16)

    s = d.slide("Drift against your +/-5 point bands")
    rows = []
    for c in CLASSES:
        drift = (pct[c] - TARGET[c]) * 100
        rows.append([c, f"{pct[c] * 100:.1f}%", f"{TARGET[c] * 100:.0f}%", f"{drift:+.1f} pts",
                     "Outside band" if abs(drift) > BAND * 100 else "Within band"])
    d.table(s, ["Asset class", "Current", "Target", "Drift", "Status"], rows,
            (0.6, 1.7, 12.1, 3.0), col_widths=[3.6, 2.0, 2.0, 2.2, 2.3], align="lrrrl", size=16)
    d.callout(s, "Any class outside its band triggers a rebalance back to target, as your "
              "investment policy statement sets out.", (0.6, 5.2, 12.1, 1.0))

    s = d.slide("Proposed rebalancing trades (IRAs only)")
    rows = []
    for a in (LUIS, DANA, JOINT):
        amounts = [h["trades"].get((a, c), 0.0) for c in CLASSES]
        cells = [("Sell " + m(-x)) if x < -0.5 else ("Buy " + m(x)) if x > 0.5 else "-"
                 for x in amounts]
        rows.append([ACCOUNT_NAMES[a], *cells])
    d.table(s, ["Account", *CLASSES], rows, (0.6, 1.7, 12.1, 2.4),
            col_widths=[3.7, 2.1, 2.3, 2.0, 2.0], align="lrrrr", size=15)
    us_sell = -h["need"]["US Equity"]
    sellers = [ACCOUNT_NAMES[a].split(" - ")[0] + "'s " + ACCOUNT_NAMES[a].split(" - ")[1]
               for a in (LUIS, DANA) if h["trades"].get((a, "US Equity"), 0) < 0]
    d.bullets(s, [f"Sell about {m(us_sell)} of US equity index funds inside "
                  f"{' and '.join(sellers)}.",
                  "Use the proceeds to buy international equity and bond funds in the same "
                  "account, so each IRA's trades net to zero.",
                  "No trades in the joint account: no capital gains are realized."],
              (0.6, 4.4, 12.1, 2.3), size=16)
    d.notes(s, "Targets are computed on the household total; sells are taken from Luis's "
            "Rollover IRA first, then Dana's IRA, and each account buys the underweight classes "
            "with its own proceeds. Fund choices follow the existing holdings (VEA/IEFA, BND/AGG).")

    s = d.slide("After rebalancing")
    rows = [[c, m(h["by_class"][c]), m(TARGET[c] * total), f"{TARGET[c] * 100:.0f}%"]
            for c in CLASSES]
    d.table(s, ["Asset class", "Value today", "Value after trades", "Weight after"], rows,
            (0.6, 1.7, 12.1, 2.8), col_widths=[3.6, 2.9, 3.2, 2.4], align="lrrr", size=16)
    d.callout(s, "Every class returns to its target weight. Your total value is unchanged "
              "apart from minor trading costs, and no taxes are due on trades inside an IRA.",
              (0.6, 5.0, 12.1, 1.1))

    s = d.slide("Next steps")
    d.bullets(s, ["Approve the IRA trades today; we place them within two business days and "
                  "send confirmations.",
                  "We will monitor drift quarterly and rebalance only when a class leaves its "
                  "band.",
                  "Review beneficiary designations on both IRAs and the joint account (TOD).",
                  "Plan Roth conversions in the low-income years before Social Security; Luis's "
                  "required distributions start at age 75 under current law.",
                  "Confirm your cash reserve: after rebalancing you hold "
                  f"{m(TARGET['Cash'] * total)} in cash and money market funds across the "
                  "three accounts."], (0.6, 1.7, 12.1, 5.0), size=18)
    d.save(ctx.gold_file(DECK))
