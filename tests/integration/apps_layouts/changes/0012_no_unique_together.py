from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("layouts", "0011_unique_together")]

    operations = [migrations.AlterUniqueTogether(name="order", unique_together=set())]
