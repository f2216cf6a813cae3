from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("layouts", "0009_add_constraint")]

    operations = [
        migrations.RemoveConstraint(
            model_name="order", name="layouts_order_customer_sku"
        ),
    ]
