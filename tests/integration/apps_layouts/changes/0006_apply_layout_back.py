from django.db import migrations

from django_singlestore.layout import ApplyLayout


class Migration(migrations.Migration):
    """Applied after SINGLESTORE changed Order's layout back."""

    dependencies = [("layouts", "0005_apply_layout")]

    operations = [ApplyLayout("Order")]
