from app.review.admin import reviewers

reviewers.render()
