from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("layouts", "0007_unique_sku")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="sku",
            field=models.CharField(max_length=40),
        ),
    ]
