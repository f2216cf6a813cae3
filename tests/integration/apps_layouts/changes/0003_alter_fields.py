import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """An index on quantity, then its type change; sku widened; note and the
    foreign key made nullable (backwards: NOT NULL again)."""

    dependencies = [("layouts", "0002_order_note")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="quantity",
            field=models.IntegerField(db_index=True, default=1),
        ),
        migrations.AlterField(
            model_name="order",
            name="quantity",
            field=models.BigIntegerField(db_index=True, default=1),
        ),
        migrations.AlterField(
            model_name="order",
            name="sku",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="order",
            name="note",
            field=models.CharField(default="", max_length=40, null=True),
        ),
        migrations.AlterField(
            model_name="order",
            name="customer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                to="layouts.customer",
            ),
        ),
    ]
