from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rebuilds", "0001_initial")]

    operations = [
        migrations.AlterField("reading", "value", models.BigIntegerField()),
    ]
