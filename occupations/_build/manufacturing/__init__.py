"""Manufacturing: an RFQ bid tabulation with award memo, and a packaging-line OEE briefing."""

from . import oee_briefing, rfq_award

SECTOR = "Manufacturing"
TASKS = [rfq_award.build, oee_briefing.build]
