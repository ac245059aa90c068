from admin.signals import created


def create_admin():
    created.send("admin")


@created.connect
def notify_admins(sender, **extra):
    pass
