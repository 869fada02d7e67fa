from app.review.admin import export

export.render()
