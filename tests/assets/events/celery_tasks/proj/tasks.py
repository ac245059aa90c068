from celery import shared_task
from invoke import task

from proj.celery import app


@shared_task
def cleanup():
    pass


@app.task(bind=True, max_retries=3)
def send_mail(self, to):
    pass


@app.task(name="custom.charge")
def charge(order_id):
    pass


@app.task
def refresh():
    pass


def instrumented_task(fn):
    """The project's own wrapper around app.task: not recognised by name."""
    return app.task(fn)


@instrumented_task
def reindex(x):
    return x


@task
def deploy(c):
    """An invoke task: not a background job."""


def make_tasks():
    @app.task
    def inner():
        """A task made at run time inside a function: no node to point at."""

    return inner
