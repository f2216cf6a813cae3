from django.db import migrations, models


class Migration(migrations.Migration):
    """A model whose primary key 0014 moves."""

    dependencies = [("layouts", "0012_no_unique_together")]

    operations = [
        migrations.CreateModel(
            name="Coupon",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("code", models.CharField(max_length=8)),
            ],
        ),
    ]
