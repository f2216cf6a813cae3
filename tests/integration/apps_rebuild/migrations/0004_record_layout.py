from django.db import migrations

from django_singlestore.layout import ApplyLayout


class Migration(migrations.Migration):
    """Records the readings table's layout, for makemigrations to follow."""

    dependencies = [("rebuilds", "0003_longer_code")]

    operations = [
        ApplyLayout(
            "Reading",
            layout={"STORAGE": "COLUMNSTORE", "SHARD_KEY": None, "SORT_KEY": None},
        ),
    ]
