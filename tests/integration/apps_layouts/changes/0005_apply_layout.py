from django.db import migrations

from django_singlestore.layout import ApplyLayout


class Migration(migrations.Migration):
    """Applied after SINGLESTORE changed Order's layout."""

    dependencies = [("layouts", "0004_note_not_null")]

    operations = [ApplyLayout("Order")]
