from app.review.admin import agreement

agreement.render()
