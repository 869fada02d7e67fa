"""Finance and Insurance: a lease-versus-buy analysis and a client portfolio review."""

from . import lease_vs_buy, portfolio_review

SECTOR = "Finance and Insurance"
TASKS = [lease_vs_buy.build, portfolio_review.build]
