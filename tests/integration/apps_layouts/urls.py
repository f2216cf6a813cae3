"""An admin site of its own: tests.urls builds its URLs before this app is
installed, so the layouts models could not be added to it."""

from django.contrib import admin
from django.urls import path

from .models import Customer, Gift, Order, Tag

site = admin.AdminSite(name="layouts_admin")
for model in (Customer, Gift, Order, Tag):
    site.register(model)

urlpatterns = [path("admin/", site.urls)]
