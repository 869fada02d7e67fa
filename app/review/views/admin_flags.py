from app.review.admin import flags

flags.render()
