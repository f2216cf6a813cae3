from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("layouts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="note",
            field=models.CharField(default="", max_length=40),
        ),
    ]
