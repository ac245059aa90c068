from django.db import models

BaseModel = models.Model


class Note(BaseModel):
    text = models.TextField()
