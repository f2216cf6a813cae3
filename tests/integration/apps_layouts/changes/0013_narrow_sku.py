from django.db import migrations, models


class Migration(migrations.Migration):
    """A narrowing the data does not fit: refused on every layout."""

    dependencies = [("layouts", "0012_no_unique_together")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="sku",
            field=models.CharField(max_length=10),
        ),
    ]
