"""Customer (a unique field), Tag, Order (a foreign key, a many-to-many,
a JSONField, a datetime) and Gift, a multi-table child of Order. The layouts
under test are in test_layout_matrix.py."""

from django.db import models


class Customer(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=20)

    def __str__(self):
        return self.name


class Order(models.Model):
    customer = models.ForeignKey(Customer, models.CASCADE)
    sku = models.CharField(max_length=20)
    quantity = models.IntegerField(default=1)
    placed = models.DateTimeField()
    data = models.JSONField(default=dict)
    tags = models.ManyToManyField(Tag, blank=True)
    note = models.CharField(max_length=40, default="")

    def __str__(self):
        return f"{self.sku} x{self.quantity}"


class Gift(Order):
    """Multi-table inheritance: a table of its own, keyed by order_ptr."""

    wrapping = models.CharField(max_length=20)
