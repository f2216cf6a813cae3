"""Models of the integration tests (app label "integration").

Item is a sharded columnstore table (the default storage) with a 32-bit
AutoField primary key; Category is a rowstore reference table; Counter a
sharded rowstore table keyed by a string; Item.tags an auto-created
many-to-many table.
"""

from django.db import models


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=50)


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Item(models.Model):
    id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    created = models.DateTimeField(null=True)
    data = models.JSONField(null=True)
    category = models.ForeignKey(Category, models.CASCADE, null=True)
    tags = models.ManyToManyField(Tag)


class Counter(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    hits = models.IntegerField(default=0)
    label = models.CharField(max_length=20, default="")


class Shift(models.Model):
    """Temporal arithmetic: TIME columns and a DurationField (BIGINT µs)."""

    starts = models.TimeField()
    ends = models.TimeField(null=True)
    length = models.DurationField()
    day = models.DateField(null=True)
