from redis import Redis
from rq import Queue
from rq.decorators import job

queue = Queue(connection=Redis())


def resize(image_id):
    pass


def thumbnail(image_id):
    pass


@job("low")
def report():
    pass


def upload(image_id, scheduler_queue):
    queue.enqueue(resize, image_id)
    queue.enqueue_call(func=thumbnail, args=(image_id,))
    scheduler_queue.enqueue_in(60, "jobs.rq_jobs.resize", image_id)
    queue.enqueue(image_id)  # not a function of ours
    report.delay()
