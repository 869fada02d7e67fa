from app.review.admin import batches

batches.render()
