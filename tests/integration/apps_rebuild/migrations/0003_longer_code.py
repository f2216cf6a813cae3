from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rebuilds", "0002_widen_value")]

    operations = [
        migrations.AlterField(
            "station",
            "code",
            models.CharField(max_length=8, primary_key=True, serialize=False),
        ),
    ]
