from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("layouts", "0010_remove_constraint")]

    operations = [
        migrations.AlterUniqueTogether(
            name="order", unique_together={("sku", "quantity")}
        ),
    ]
