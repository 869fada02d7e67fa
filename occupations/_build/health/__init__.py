"""Health Care and Social Assistance: a no-show review deck and a physician referral letter."""

from . import no_show_review, referral_letter

SECTOR = "Health Care and Social Assistance"
TASKS = [no_show_review.build, referral_letter.build]
