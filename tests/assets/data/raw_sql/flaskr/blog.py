def index(db):
    return db.execute(
        "SELECT p.id, body, username FROM post p JOIN user u ON p.author_id = u.id ORDER BY p.id DESC"
    ).fetchall()


def create(db, body, author_id):
    db.execute("INSERT INTO post (body, author_id) VALUES (?, ?)", (body, author_id))
