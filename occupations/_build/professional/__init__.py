"""Professional, Scientific, and Technical Services: a quarter-end accrual schedule and a
contract-review issues memo."""

from . import accruals, msa_review

SECTOR = "Professional, Scientific, and Technical Services"
TASKS = [accruals.build, msa_review.build]
