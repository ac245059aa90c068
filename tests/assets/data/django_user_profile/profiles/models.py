from django.conf import settings
from django.contrib.auth.models import User
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE)
    location = models.CharField(max_length=50, blank=True)

    class Meta:
        db_table = "auth_profile"


class Badge(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE)
    given_by = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
