from app.review.admin import coverage

coverage.render()
