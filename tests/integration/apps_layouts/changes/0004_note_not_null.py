from django.db import migrations, models


class Migration(migrations.Migration):
    """NULL -> NOT NULL with a default: the NULL notes become "-"."""

    dependencies = [("layouts", "0003_alter_fields")]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="note",
            field=models.CharField(default="-", max_length=40),
        ),
    ]
