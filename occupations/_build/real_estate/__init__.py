"""Real Estate and Rental and Leasing: a CAM reconciliation with a tenant statement, and a
listing presentation built on a comparative market analysis."""

from . import cam_reconciliation, listing_cma

SECTOR = "Real Estate and Rental and Leasing"
TASKS = [cam_reconciliation.build, listing_cma.build]
