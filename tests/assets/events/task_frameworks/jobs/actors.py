import dramatiq
from huey import RedisHuey, crontab

huey = RedisHuey("shop")


@dramatiq.actor(queue_name="emails")
def fetch(url):
    pass


@huey.task()
def make_thumbnail(path):
    pass


@huey.periodic_task(crontab(minute="0", hour="*/3"))
def every_three_hours():
    pass


def trigger(url, sock):
    fetch.send(url)
    make_thumbnail("a.png")
    sock.send(b"ping")
