"""makemigrations for SingleStore: layout changes are written too.

Django's command with :class:`django_singlestore.layout.LayoutAutodetector`:
when SINGLESTORE gives a model another storage type, shard key or sort key
than the last ``ApplyLayout(..., layout=...)`` of its app recorded, the new
migration holds ``ApplyLayout(model, previous=<recorded>, layout=<new>)``,
which rebuilds the table on ``migrate`` and returns it on unapplying.
"""

from django.core.management.commands import makemigrations

from ...layout import LayoutAutodetector


class Command(makemigrations.Command):
    autodetector = LayoutAutodetector
