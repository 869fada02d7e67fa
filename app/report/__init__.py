"""Reports: build the figures once, then show them in any face.

For the review app's leaderboard page (admins)::

    from app.report import ReportOptions, build_report, figure, FIGURES, sections
    rep = build_report(store, ReportOptions(judges="human", bootstrap=1000))
    rep.win_rates_for("model", pooled=False)    # tidy DataFrames: rep.tables()
    for key in FIGURES:                         # inline SVG strings, no script, no fetches
        for svg in figure(rep, key):
            st.html(svg)
    for s in sections(rep):                     # the formatted tables of the HTML report
        ...                                     # s.title, s.intro, s.tables[i].columns/rows

``render_html(rep)`` (``app.report.html``) gives the whole self-contained page;
``render_markdown`` and ``app.report.export`` the other formats.
"""

from app.report.build import Report, ReportOptions, build_report
from app.report.figures import FIGURES, figure
from app.report.views import Section, TableView, sections

__all__ = ["FIGURES", "Report", "ReportOptions", "Section", "TableView", "build_report",
           "figure", "sections"]
