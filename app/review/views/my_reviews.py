from app.review import my_reviews

my_reviews.render()
