from django.db import models

from django_singlestore.fulltext import FullTextIndex
from django_singlestore.vector import VectorField


class Product(models.Model):
    """A reference table: copied to every node, so its unique SKU is enforced."""

    sku = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    attributes = models.JSONField(default=dict)

    def __str__(self):
        return f"{self.sku} {self.name}"


class Customer(models.Model):
    """A sharded rowstore table (shard key: the primary key)."""

    name = models.CharField(max_length=100)
    country = models.CharField(max_length=2)

    def __str__(self):
        return self.name


class Order(models.Model):
    """A sharded columnstore table, sharded by customer (a non-key column) and
    sorted by placement time, newest first."""

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="orders")
    placed_at = models.DateTimeField()
    products = models.ManyToManyField(Product, related_name="orders")
    total = models.DecimalField(max_digits=12, decimal_places=2)

    def __str__(self):
        return f"order {self.pk} of {self.customer}"


class Listing(models.Model):
    """A product's catalogue text: a sharded columnstore table (the storage
    full-text indexes need) with one full-text index over its title and text,
    and the text's embedding (shop.embeddings) for semantic search."""

    product = models.OneToOneField(
        Product, models.CASCADE, primary_key=True, related_name="listing"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    embedding = VectorField(dimensions=8)

    class Meta:
        indexes = [FullTextIndex(fields=["title", "description"], name="listing_ft")]

    def __str__(self):
        return self.title
