"""Reports: build the figures once (``build``), then render them as Markdown, HTML with
inline SVG charts, or tidy tables (CSV, Parquet, JSON). The review app's leaderboard
calls :func:`build_report` and the chart functions in ``charts`` directly."""

from app.report.build import Report, ReportOptions, build_report

__all__ = ["Report", "ReportOptions", "build_report"]
