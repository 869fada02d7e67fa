from app.review.admin import leaderboard

leaderboard.render()
