from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("layouts", "0008_sku_not_unique")]

    operations = [
        migrations.AddConstraint(
            model_name="order",
            constraint=models.UniqueConstraint(
                fields=["customer", "sku"], name="layouts_order_customer_sku"
            ),
        ),
    ]
