"""Government: a travel-claims compliance review and a day-camp family guide."""

from . import camp_guide, travel_compliance

SECTOR = "Government"
TASKS = [travel_compliance.build, camp_guide.build]
