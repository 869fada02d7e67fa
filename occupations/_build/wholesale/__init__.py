"""Wholesale Trade: an order acknowledgment from a customer PO, and a quarterly sales
commission calculation."""

from . import commissions, order_ack

SECTOR = "Wholesale Trade"
TASKS = [order_ack.build, commissions.build]
