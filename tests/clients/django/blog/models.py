"""Models over the tables of tests/clients/blog_schema.sql (not managed by Django)."""
from django.db import models


class Post(models.Model):
    title = models.TextField()
    meta = models.JSONField()

    class Meta:
        app_label = "blog"
        db_table = "posts"
        managed = False


class PostPlain(models.Model):
    """The same rows, without any index on meta."""

    title = models.TextField()
    meta = models.JSONField()

    class Meta:
        app_label = "blog"
        db_table = "posts_plain"
        managed = False
