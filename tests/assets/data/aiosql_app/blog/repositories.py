from blog.db.queries import queries
from blog.cache import store


class UsersRepository:
    def __init__(self, connection):
        self.connection = connection

    async def get(self, user_id):
        return await queries.get_user_by_id(self.connection, id=user_id)

    def add(self, name):
        return queries.create_user(
            self.connection,
            name=name,
        )


def feed(conn):
    cached = store.get_feed(conn)  # not a loader: no edge
    return cached or queries.posts.get_feed(conn)


def publish(conn, post_id):
    queries.posts.publish(conn, id=post_id)
    queries.get_user_by_id.sql  # an attribute, not a call
