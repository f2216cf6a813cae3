from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("layouts", "0006_apply_layout_back")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="sku",
            field=models.CharField(max_length=40, unique=True),
        ),
    ]
