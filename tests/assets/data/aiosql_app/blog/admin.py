import os

from aiosql import from_path

from blog.db import queries as loaded

# a path as written, relative to where the program runs: the tree's folder
user_queries = from_path(os.path.join("blog", "db", "sql", "users.sql"), "sqlite3")


def rename(conn, user_id, name):
    user = user_queries.get_user_by_id(conn, id=user_id)
    return user, loaded.queries.posts.get_feed(conn)
