from django.db import migrations, models


class Migration(migrations.Migration):
    """The primary key moves from id to code, in the two operations
    makemigrations writes for it."""

    dependencies = [("layouts", "0013_coupon")]

    operations = [
        migrations.RemoveField(model_name="coupon", name="id"),
        migrations.AlterField(
            model_name="coupon",
            name="code",
            field=models.CharField(max_length=8, primary_key=True),
        ),
    ]
