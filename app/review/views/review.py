from app.review import review_page

review_page.render()
