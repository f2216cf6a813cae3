"""Two models with the default plan: COLUMNSTORE, SHARD KEY (id), SORT KEY ()."""

from django.db import models


class Reading(models.Model):
    value = models.IntegerField()


class Sensor(models.Model):
    name = models.CharField(max_length=20)
