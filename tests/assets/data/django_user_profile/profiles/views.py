from django.contrib.auth.models import User


def invite(name):
    return User.objects.create_user(name)


def members():
    return list(User.objects.filter(is_active=True))
