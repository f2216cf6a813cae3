from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)


class Book(models.Model):
    title = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    published = models.DateTimeField()
    pages = models.IntegerField()
    author = models.ForeignKey(Author, models.DO_NOTHING)
    data = models.JSONField()


class Entry(models.Model):
    """bulk_create's and bulk_update's table, emptied before every run."""

    number = models.IntegerField()
    label = models.CharField(max_length=30)


class Reading(models.Model):
    """The 1,000,000 rows .iterator() streams."""

    value = models.IntegerField()
    label = models.CharField(max_length=20)
    taken = models.DateTimeField()
