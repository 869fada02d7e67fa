"""Information: a magazine feature edit and a corporate video budget and schedule."""

from . import feature_edit, video_budget

SECTOR = "Information"
TASKS = [feature_edit.build, video_budget.build]
