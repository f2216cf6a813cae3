from django.db import migrations

from django_singlestore.layout import ApplyLayout


class Migration(migrations.Migration):
    """Gives the orders table the layout SINGLESTORE plans for it (a no-op on
    a database created under the current settings; see the demo's last step
    and docs/ref/schema-changes.rst)."""

    dependencies = [("shop", "0002_listing")]

    # Unapplied, it returns the table to the layout of 0001_initial.
    operations = [
        ApplyLayout(
            "Order",
            previous={
                "STORAGE": "COLUMNSTORE",
                "SHARD_KEY": ["customer"],
                "SORT_KEY": ["-placed_at"],
            },
        )
    ]
