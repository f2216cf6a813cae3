from django.db import migrations, models


class Migration(migrations.Migration):
    """A narrowing the data does not fit: refused on every layout."""

    dependencies = [("layouts", "0014_coupon_code_key")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="sku",
            field=models.CharField(max_length=10),
        ),
    ]
