"""A new app whose migrations makemigrations writes in the test
(test_new_model_layout.py): Shipment has a layout in SINGLESTORE, Carrier
none."""

from django.db import models


class Carrier(models.Model):
    name = models.CharField(max_length=20)


class Shipment(models.Model):
    sku = models.CharField(max_length=20)
    weight = models.IntegerField()
