"""Admin pages of the review app. Each ``render`` starts with ``require_admin()``; these
are the only pages that may show run ids and model names."""
