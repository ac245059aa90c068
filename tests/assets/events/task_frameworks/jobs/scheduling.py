import schedule
from apscheduler.schedulers.background import BackgroundScheduler

scheduler = BackgroundScheduler()


def backup():
    pass


def poll_feeds():
    pass


@scheduler.scheduled_job("cron", hour=3, id="nightly")
def nightly():
    pass


scheduler.add_job(backup, "interval", minutes=5, id="backup")
schedule.every(10).minutes.do(poll_feeds)
