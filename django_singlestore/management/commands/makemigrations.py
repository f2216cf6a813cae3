"""makemigrations for SingleStore: layout changes are written too.

Django's command with :class:`django_singlestore.layout.LayoutAutodetector`:
when SINGLESTORE gives a model another storage type, shard key or sort key
than the last ``ApplyLayout(..., layout=...)`` of its app recorded, the new
migration holds ``ApplyLayout(model, previous=<recorded>, layout=<new>)``,
which rebuilds the table on ``migrate`` and returns it on unapplying. A new
model with a SINGLESTORE entry gets ``ApplyLayout(model, layout=<its
layout>)`` after its CreateModel, which records the layout it is created with.
"""

from django.core.management.commands import makemigrations

from ...layout import LayoutAutodetector


class Command(makemigrations.Command):
    autodetector = LayoutAutodetector
