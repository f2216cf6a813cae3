from django.contrib import admin

from django_singlestore.fulltext_admin import FullTextSearchMixin

from .models import Customer, Listing, Order, Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "price"]
    search_fields = ["sku", "name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    list_filter = ["country"]
    search_fields = ["name"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "customer", "placed_at", "total"]
    list_filter = ["placed_at"]


@admin.register(Listing)
class ListingAdmin(FullTextSearchMixin, admin.ModelAdmin):
    """The search box runs MATCH over the listing's full-text index."""

    list_display = ["title", "product"]
    search_fields = ["title", "description"]
