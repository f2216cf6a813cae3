"""migrate for SingleStore: a table rebuild shows its progress in the output.

A change SingleStore cannot make in place rebuilds the table
(django_singlestore.rebuild), which takes as long as copying its rows. The
rebuild reports through the ``django_singlestore.rebuild`` logger; while this
command runs at verbosity 1 or more, those records (the table being rebuilt,
the rows copied and the time taken, a recovered leftover) are also written to
its output, each on its own line under the migration being applied (and the
closing notice of model changes without a migration covers layout changes,
see django_singlestore.layout.LayoutAutodetector)::

      Applying shop.0008_widen_total...
        Rebuilding table shop_order.
        Rebuilt table shop_order: 1000000 rows copied in 41.3 s. OK
"""

import logging

from django.core.management.commands import migrate

from ... import rebuild
from ...layout import LayoutAutodetector


class OutputHandler(logging.Handler):
    """Writes log records to a command's output, indented under the line of
    the migration being applied (which Django leaves open until " OK")."""

    def __init__(self, command):
        super().__init__(logging.INFO)
        self.command = command

    def emit(self, record):
        try:
            text = self.format(record)
            if record.levelno >= logging.WARNING:
                text = self.command.style.WARNING(text)
            self.command.stdout.write("\n    " + text, ending="")
            self.command.stdout.flush()
        except Exception:
            self.handleError(record)


class Command(migrate.Command):
    # Its closing "changes not yet reflected in a migration" covers layouts.
    autodetector = LayoutAutodetector

    def handle(self, *args, **options):
        if options["verbosity"] < 1:
            return super().handle(*args, **options)
        logger = rebuild.logger
        handler, level = OutputHandler(self), logger.level
        logger.addHandler(handler)
        if not logger.isEnabledFor(logging.INFO):
            logger.setLevel(logging.INFO)
        try:
            return super().handle(*args, **options)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
