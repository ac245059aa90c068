from celery import Celery
from celery.schedules import crontab

app = Celery("proj")

app.conf.beat_schedule = {
    "nightly-cleanup": {"task": "proj.tasks.cleanup", "schedule": crontab(hour=3, minute=0)},
    "charge-every-minute": {"task": "custom.charge", "schedule": 60.0},
    "library-task": {"task": "celery.backend_cleanup", "schedule": 3600},
}


@app.on_after_finalize.connect
def setup_periodic_tasks(sender, **kwargs):
    from proj.tasks import refresh

    sender.add_periodic_task(300.0, refresh.s(), name="refresh every 5 minutes")
