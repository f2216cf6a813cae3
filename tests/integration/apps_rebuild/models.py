from django.db import models


class Station(models.Model):
    code = models.CharField(max_length=8, primary_key=True)


class Reading(models.Model):
    station = models.ForeignKey(Station, models.CASCADE)
    value = models.BigIntegerField()
