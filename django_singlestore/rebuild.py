"""Table rebuilds for the changes SingleStore cannot make in place.

A rebuild of table ``t`` runs these autocommitted statements:

1. ``CREATE TABLE t__rebuild_new (...)``: the new table plan;
2. ``ALTER TABLE t RENAME TO t__rebuild_old``: from here on, writers get
   "table does not exist" instead of writing rows the copy would miss;
3. ``INSERT INTO t__rebuild_new (...) SELECT ... FROM t__rebuild_old``, with
   the conversion the change needs;
4. two ``SELECT COUNT(*)``: the copy must hold every row;
5. ``ALTER TABLE t__rebuild_new RENAME TO t``: the change is complete;
6. ``AGGREGATOR SYNC AUTO_INCREMENT`` on a sharded table with an
   auto-increment column (explicitly inserted values do not advance the
   counter there);
7. ``DROP TABLE t__rebuild_old``.

The old table keeps every row until the new one is verified and in place. A
failure before step 5 undoes the rebuild at once (drop the new table, give the
old one its name back), reconnecting first if the connection was lost; a
failure after it is logged with what to do (the change is complete).
Whatever a lost server leaves, :func:`recover` (run before every rebuild, so
re-running ``migrate`` is enough) recognises it from the leftover names:
before the swap it undoes, after the swap it finishes.
"""

import copy
import logging
import time

from django.apps.registry import Apps
from django.db import DatabaseError, Error, NotSupportedError, connections
from django.db.backends.utils import truncate_name
from django.db.models import BigIntegerField, CompositePrimaryKey
from django.db.models.fields import AutoFieldMixin

from . import tables

logger = logging.getLogger(__name__)

NEW_SUFFIX = "__rebuild_new"
OLD_SUFFIX = "__rebuild_old"


def leftover_names(connection, table):
    """(new, old): the names a rebuild of ``table`` gives its two copies."""
    length = connection.ops.max_name_length()
    return (
        truncate_name(table + NEW_SUFFIX, length),
        truncate_name(table + OLD_SUFFIX, length),
    )


def altered_model(
    model, old_field=None, new_field=None, removed=None, live=None, **options
):
    """A class like ``model`` with ``old_field`` replaced by ``new_field`` (or
    ``new_field`` added last, without ``old_field``), without the field
    ``removed``, and with the given Meta ``options`` (``constraints``,
    ``unique_together``), in a registry of its own, for :meth:`table_sql` to
    plan the new table.

    A ``new_field`` that is a primary key takes the key from the fields that
    held it: they stay as plain columns when ``live`` (the table's columns, or
    None when unknown) holds them, and go when they are an ``id`` Django
    added to a model state whose key was removed. A class left without a
    primary key gets Django's automatic ``id``; it is the key only when the
    table has that column, and otherwise the table has no primary key (its
    plan says so, see tables.primary_key_columns).
    """
    opts = model._meta
    takes_key = new_field is not None and new_field.primary_key
    replaced = old_field.name if old_field is not None else None
    gone = removed.name if removed is not None else None
    body = {"__module__": model.__module__}
    for field in opts.local_fields:
        if field.name == gone:
            continue
        if field.name == replaced:
            chosen = _copy(new_field)
        elif takes_key and field.primary_key:
            chosen = _without_key(field, live)
            if chosen is None:
                continue
        else:
            chosen = _copy(field)
        # Fields are ordered by creation: the new one keeps the old one's place.
        chosen.creation_counter = field.creation_counter
        body[chosen.name] = chosen
    if old_field is None and new_field is not None:
        body[new_field.name] = _copy(new_field)
    meta = {
        "app_label": opts.app_label,
        "db_table": opts.db_table,
        "db_table_comment": opts.db_table_comment,
        "unique_together": opts.unique_together,
        "indexes": opts.indexes,
        "constraints": opts.constraints,
        "auto_created": opts.auto_created,
        **options,
    }
    meta = {name: copy.deepcopy(value) for name, value in meta.items()}
    meta["apps"] = Apps()
    body["Meta"] = type("Meta", (), meta)
    new_model = type(opts.object_name, model.__bases__, body)
    _settle_added_key(new_model, set(body.values()))
    return new_model


def _copy(field):
    """A copy of ``field`` for another class. A deep copy keeps what a
    relation points at; a composite key is built anew, since a copy would keep
    the component fields of its old class."""
    if isinstance(field, CompositePrimaryKey):
        return field.clone()
    return copy.deepcopy(field)


def _without_key(field, live):
    """``field``, which held the primary key, as a plain column; None when it
    has no column in the table (a composite key, or an automatic ``id`` of a
    model state whose key was removed)."""
    if field.column is None:
        return None
    if field.auto_created and (live is None or field.column not in live):
        return None
    if isinstance(field, AutoFieldMixin):
        # Auto-increment belongs to the key; the values stay (BIGINT, see
        # schema.widen).
        plain = BigIntegerField(name=field.name, db_column=field.db_column)
        plain.set_attributes_from_name(field.name)
        return plain
    plain = _copy(field)
    plain.primary_key = False
    # Field.unique is cached, and a key field is unique.
    plain.__dict__.pop("unique", None)
    return plain


def _settle_added_key(model, declared):
    """Django gives a class without a primary key an automatic ``id``: keep it
    as the key when another field of ``model`` already has that column (the
    key of a migration state whose own key was removed), else leave the table
    without it."""
    opts = model._meta
    pk = opts.pk
    if pk in declared:
        return
    namesakes = [
        field
        for field in opts.local_fields
        if field is not pk and field.column == pk.column
    ]
    keep = [field for field in opts.local_fields if field not in namesakes]
    if not namesakes:
        keep.remove(pk)
    opts.local_fields[:] = keep
    opts._expire_cache()


class Rebuild:
    """One rebuild of ``new_model``'s table through ``editor``.

    ``sources`` maps a column of the new table to the SQL that reads its value
    from the old one, with params, or None for a column the new table fills
    itself (an added AUTO_INCREMENT key); columns it leaves out are copied as
    they are. ``plan`` is the new table's plan (default: the one SINGLESTORE gives
    ``new_model``).
    """

    def __init__(self, editor, new_model, sources, plan=None):
        self.editor = editor
        self.model = new_model
        self.plan = plan if plan is not None else tables.plan_for(new_model)
        self.sources = sources
        self.table = new_model._meta.db_table
        self.new, self.old = leftover_names(editor.connection, self.table)
        self.step = self.failure = None

    def _quote(self, name):
        return self.editor.quote_name(name)

    def _rename(self, old, new):
        return self.editor.sql_rename_table % {
            "old_table": self._quote(old),
            "new_table": self._quote(new),
        }

    def _copy_sql(self):
        targets, values, params = [], [], []
        for field in self.model._meta.local_concrete_fields:
            if getattr(field, "generated", False):
                continue
            source = self.sources.get(field.column, (self._quote(field.column), []))
            if source is None:
                continue
            sql, extra = source
            targets.append(self._quote(field.column))
            values.append(sql)
            params.extend(extra)
        sql = "INSERT INTO {} ({}) SELECT {} FROM {}".format(
            self._quote(self.new),
            ", ".join(targets),
            ", ".join(values),
            self._quote(self.old),
        )
        return sql, params

    def _count(self, table):
        with self.editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {self._quote(table)}")
            return cursor.fetchone()[0]

    def _sync_sql(self):
        """AGGREGATOR SYNC AUTO_INCREMENT for a sharded table with an auto
        field (explicitly inserted values do not advance its counter), or
        None."""
        opts = self.model._meta
        if not self.plan.sharded or opts.auto_field not in opts.local_concrete_fields:
            return None
        database = self.editor.connection.settings_dict["NAME"]
        return (
            f"AGGREGATOR SYNC AUTO_INCREMENT ON "
            f"{self._quote(database)}.{self._quote(self.table)} ALL"
        )

    def run(self):
        editor = self.editor
        if not editor.collect_sql:
            recover(editor, self.table)
        create_sql, create_params = editor.table_sql(
            self.model, name=self.new, plan=self.plan
        )
        if not editor.collect_sql:
            logger.info("Rebuilding table %s.", self.table)
        started = time.monotonic()
        rows, swapped = None, False
        try:
            self.step = f"creating {self.new}"
            editor.execute(create_sql, create_params or None)
            self.step = f"renaming {self.table} to {self.old}"
            editor.execute(self._rename(self.table, self.old))
            self.step = "copying the rows"
            copy_sql, copy_params = self._copy_sql()
            editor.execute(copy_sql, copy_params or None)
            if not editor.collect_sql:
                self.step = "counting the rows"
                rows = self._verify()
            self.step = f"renaming {self.new} to {self.table}"
            editor.execute(self._rename(self.new, self.table))
        except Error as error:
            if editor.collect_sql:
                raise
            swapped = self._after_failure(error)
        self._finish(drop_old=not swapped)
        if editor.collect_sql:
            return
        logger.info(
            "Rebuilt table %s: %s rows copied in %.1f s.",
            self.table,
            rows,
            time.monotonic() - started,
        )

    def _verify(self):
        """The number of rows copied; DatabaseError unless it is all of them."""
        old_rows, new_rows = self._count(self.old), self._count(self.new)
        if old_rows != new_rows:
            raise DatabaseError(f"the copy holds {new_rows} rows, the table {old_rows}")
        return new_rows

    def _after_failure(self, error):
        """Undo the rebuild after ``error`` and raise it again, retold; return
        True only when the swap had happened after all (the change is complete
        and recovery dropped the old table)."""
        try:
            reconnect_if_lost(self.editor.connection)
            state = recover(self.editor, self.table)
        except Error as undo_error:
            raise type(error)(
                f"Rebuilding table {self.table} failed while {self.step}: {error}. "
                f"Undoing it failed too: {undo_error}. The rows are intact in "
                f"{self.old}; run migrate again to undo and retry the rebuild."
            ) from error
        if state == "finished":
            return True
        raise type(error)(
            f"Rebuilding table {self.table} failed while {self.step}: {error}. The "
            f"rebuild was undone and the table is unchanged; fix the cause and run "
            f"migrate again."
        ) from error

    def _finish(self, drop_old=True):
        """The new table is in place: sync its counter and drop the old one.
        The change is complete whatever happens here, so a failure is logged
        with what to do, not raised."""
        sync_sql = self._sync_sql()
        if sync_sql is not None and self._finishing(sync_sql):
            logger.warning(
                "Table %s was rebuilt, but syncing its auto-increment counter "
                "failed: %s. Run %s before the application inserts rows, or new "
                "ids may collide with copied ones.",
                self.table,
                self.failure,
                sync_sql,
            )
        if drop_old and self._finishing(f"DROP TABLE {self._quote(self.old)}"):
            logger.warning(
                "Table %s was rebuilt, but dropping %s failed: %s. It holds the "
                "rows as they were before the change; the next rebuild of the "
                "table drops it.",
                self.table,
                self.old,
                self.failure,
            )

    def _finishing(self, sql):
        """Run ``sql``; return whether it failed (the error in self.failure)."""
        try:
            self.editor.execute(sql)
        except Error as error:
            if self.editor.collect_sql:
                raise
            reconnect_if_lost(self.editor.connection)
            self.failure = error
            return True
        return False


def reconnect_if_lost(connection):
    """Close a connection the server dropped, so the next cursor reconnects."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()


# What an interrupted rebuild left, told from the names that exist.
AMBIGUOUS = "ambiguous"  # the table and both copies
NOT_SWAPPED = "not swapped"  # the old copy, not the table: it has no name
SWAPPED = "swapped"  # the table and the old copy: the change is complete
NOT_COPIED = "not copied"  # the table and the new copy


def leftover_state(existing, table, new, old):
    """The state of an interrupted rebuild of ``table``, or None when
    ``existing`` (table names) holds no leftover of one."""
    if {table, new, old} <= existing:
        return AMBIGUOUS
    if old in existing:
        return SWAPPED if table in existing else NOT_SWAPPED
    if new in existing and table in existing:
        return NOT_COPIED
    return None


def recover(editor, table):
    """Finish or undo an interrupted rebuild of ``table`` from its leftovers.

    Returns "undone", "finished" or None (nothing was left over).
    """
    connection = editor.connection
    new, old = leftover_names(connection, table)
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    quote = editor.quote_name
    state = leftover_state(existing, table, new, old)
    if state == AMBIGUOUS:
        raise NotSupportedError(
            f"Tables {table}, {new} and {old} all exist, so an interrupted "
            f"rebuild of {table} cannot be told apart from later changes. Keep "
            f"the one that holds the current rows under the name {table}, drop "
            f"the others, and run migrate again."
        )
    if state is None:
        return None
    if state == SWAPPED:
        editor.execute(f"DROP TABLE {quote(old)}")
        outcome = "finished"
    else:
        if new in existing:
            editor.execute(f"DROP TABLE {quote(new)}")
        if state == NOT_SWAPPED:
            editor.execute(
                editor.sql_rename_table
                % {"old_table": quote(old), "new_table": quote(table)}
            )
        outcome = "undone"
    logger.warning("An interrupted rebuild of table %s was %s.", table, outcome)
    return outcome


def _leftover_text(state, table, new, old):
    """(what was found, what to do) for check singlestore.W010."""
    if state == NOT_SWAPPED:
        return (
            f"{old} holds its rows and {table} does not exist",
            f"Run manage.py migrate: the migration that stopped runs again, gives "
            f"{old} its name back and retries the rebuild. Until then the "
            f"application cannot read or write {table}.",
        )
    if state == SWAPPED:
        return (
            f"the change is complete and {old} still holds the rows as they were "
            f"before it",
            f"Drop {old} (DROP TABLE `{old}`) once you no longer need it; the next "
            f"rebuild of {table} drops it too.",
        )
    if state == NOT_COPIED:
        return (
            f"{new} was created but never filled",
            f"Run manage.py migrate to retry the rebuild (it drops {new} first), or "
            f"drop {new} (DROP TABLE `{new}`).",
        )
    return (
        f"{table}, {new} and {old} all exist",
        f"Keep the one that holds the current rows under the name {table}, drop "
        f"the others, and run manage.py migrate again.",
    )


def check_interrupted_rebuilds(app_configs=None, databases=None, **kwargs):
    """The database check: tables an interrupted rebuild left behind."""
    from .checks import message, singlestore_models

    found = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "singlestore":
            continue
        with connection.cursor() as cursor:
            existing = set(connection.introspection.table_names(cursor))
        for model in singlestore_models(app_configs, aliases=[alias]):
            table = model._meta.db_table
            new, old = leftover_names(connection, table)
            state = leftover_state(existing, table, new, old)
            if state is None:
                continue
            what, hint = _leftover_text(state, table, new, old)
            found.append(
                message(
                    "singlestore.W010",
                    model,
                    table=table,
                    alias=alias,
                    found=what,
                    hint=hint,
                )
            )
    return found
