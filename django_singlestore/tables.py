"""TablePlan: how SingleStore stores one model's table.

:func:`plan_for` is pure: (model, settings) in, :class:`TablePlan` out. It is
the single source of truth for the storage type, the shard key, the sort key
and the fate of every unique set; the schema editor emits exactly the plan and
the system checks report exactly the plan. The rules it encodes, from
SingleStore's documentation (see the project's singlestore-facts.md §1-§2):

- A sharded table (COLUMNSTORE, ROWSTORE) gets an explicit SHARD KEY: the
  configured fields, else the primary key. Without one SingleStore shards by the
  primary key anyway; writing it makes the DDL say what the server does.
- A unique key (PRIMARY KEY included) on a sharded table must contain every
  shard-key column: the shard key picks the partition and uniqueness is checked
  inside one partition only. A keyless table (``SHARD KEY ()``) spreads rows at
  random, so none of its unique sets can be checked.
- A unique set that breaks a rule is *unenforced* when the model or its app is
  listed in ``UNENFORCED_UNIQUE`` (the DDL declares ``UNIQUE KEY ... UNENFORCED
  RELY``: the optimizer trusts it, nothing checks it) and *impossible*
  otherwise (the checks report it; the schema editor refuses to emit it).
- When the configured shard key is not contained in the model's primary key,
  SingleStore cannot declare that PRIMARY KEY; its columns stay as a plain KEY
  (``demoted_columns``). An AUTO_INCREMENT primary key still gets unique
  values from the engine; any other primary key becomes a unique set of its own
  (origin ``"primary key"``) under the rules above.
- A columnstore table (COLUMNSTORE, REFERENCE) holds more than one unique key
  only when every one of them is single-column. Unique sets are taken in model
  order (primary key, unique fields, ``unique_together``, ``UniqueConstraint``);
  the first ones that fit are enforced, the rest are unenforced or impossible.
- A unique set on the same columns as the primary key or an earlier unique set
  is declared once (SingleStore refuses two hash indexes on the same columns);
  the plan lists it in ``covered``.
- Reference tables have no shard key and always declare their primary key
  (SingleStore requires one). Sort keys exist on columnstore tables only; a
  columnstore table always carries a SORT KEY clause (``SORT KEY ()`` when none
  is configured), so it is a columnstore table whatever the server's
  ``default_table_type`` says.
- An auto-created many-to-many table gets PRIMARY KEY (from_id, to_id), its
  ``id`` column kept AUTO_INCREMENT with a plain KEY, and SHARD KEY (from_id) on
  sharded storage. Django's own shape, PRIMARY KEY (id) plus UNIQUE (from_id,
  to_id), cannot be sharded: the shard key must fit inside both keys, and the
  only columns they share are none. The (from_id, to_id) primary key fits on
  every storage type and is the unique set Django relies on. Its storage follows
  the model declaring the field unless ``"app_label.Model_field"`` is configured.
- Storage ``"AUTO"`` is a layout policy, not a storage type: the plan is the
  first layout that enforces every unique set the model declares (see
  :func:`auto_layout`), and ``TablePlan.auto`` says the policy chose it.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import UniqueConstraint
from django.db.models.fields import AutoFieldMixin

from .conf import AUTO, STORAGE_TYPES, get_settings

ENFORCED = "enforced"
UNENFORCED = "unenforced"
IMPOSSIBLE = "impossible"

# Which rule made a unique set unenforceable (UniqueKey.rule).
SHARD_RULE = "shard key"
COLUMNSTORE_RULE = "columnstore"

SHARDED_TYPES = ("COLUMNSTORE", "ROWSTORE")
COLUMNSTORE_TYPES = ("COLUMNSTORE", "REFERENCE")

__all__ = [
    "STORAGE_TYPES",
    "PlanError",
    "TablePlan",
    "UniqueKey",
    "auto_layout",
    "plan_for",
]


@dataclass(frozen=True)
class UniqueKey:
    """One unique set the model declares, and what SingleStore makes of it."""

    columns: tuple[str, ...]
    name: str | None
    origin: str
    enforcement: str
    reason: str
    rule: str = ""
    fields: tuple[str, ...] = ()

    @property
    def enforced(self):
        return self.enforcement == ENFORCED


@dataclass(frozen=True)
class TablePlan:
    """The table the schema editor creates for one model."""

    db_table: str
    storage: str
    primary_key: tuple[str, ...]
    shard_key: tuple[str, ...] | None
    sort_key: tuple[tuple[str, bool], ...] | None
    uniques: tuple[UniqueKey, ...]
    demoted_columns: tuple[str, ...]
    covered: tuple[UniqueKey, ...] = ()
    auto: bool = False

    @property
    def enforces_all(self):
        """Whether SingleStore enforces every unique set the model declares."""
        return all(key.enforced for key in self.uniques)

    @property
    def sharded(self):
        return self.storage in SHARDED_TYPES

    @property
    def columnstore(self):
        return self.storage in COLUMNSTORE_TYPES

    @property
    def rowstore(self):
        return not self.columnstore

    @property
    def reference(self):
        return not self.sharded

    def create_table_keyword(self):
        """The words between CREATE and the table name."""
        return "TABLE" if self.storage == "COLUMNSTORE" else f"{self.storage} TABLE"


class PlanError(ImproperlyConfigured):
    """A SINGLESTORE entry that no table of this model can follow.

    ``problem`` is one of the ``*_PROBLEM`` constants so the checks can report it
    under its own id.
    """

    def __init__(self, problem, message, hint):
        super().__init__(f"{message} {hint}")
        self.problem = problem
        self.message = message
        self.hint = hint


UNKNOWN_FIELD_PROBLEM = "unknown field"
SORT_KEY_STORAGE_PROBLEM = "sort key storage"
SHARD_KEY_REFERENCE_PROBLEM = "shard key reference"
# Only a table rebuilt without its primary key meets it: a model always has one.
REFERENCE_KEY_PROBLEM = "reference key"


def is_auto_through(model):
    """Whether ``model`` is a many-to-many table Django created on its own."""
    return bool(model._meta.auto_created)


def _column(model, name, setting):
    opts = model._meta
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        field = None
    # Columns of this table only: not many-to-many, reverse or parent fields.
    if field not in opts.local_concrete_fields:
        names = ", ".join(f.name for f in opts.local_concrete_fields)
        raise PlanError(
            UNKNOWN_FIELD_PROBLEM,
            f"SINGLESTORE[{setting!r}][{opts.label!r}] names {name!r}, which is not "
            f"a column of {opts.label}.",
            f"Use field names of {opts.label}: {names}.",
        )
    return field.column


def _shard_key(model, storage, configured, candidate):
    opts = model._meta
    if storage not in SHARDED_TYPES:
        if configured is not None:
            raise PlanError(
                SHARD_KEY_REFERENCE_PROBLEM,
                f"SINGLESTORE['SHARD_KEYS'] has an entry for {opts.label}, whose "
                f"table is a {storage} table; reference tables are copied to every "
                f"node and have no shard key.",
                f"Remove the entry or store {opts.label} as COLUMNSTORE or ROWSTORE.",
            )
        return None
    if configured is not None:
        return tuple(_column(model, name, "SHARD_KEYS") for name in configured)
    return candidate[:1] if is_auto_through(model) else candidate


def _sort_key(model, storage, settings):
    configured = settings.sort_key_for(model)
    if storage not in COLUMNSTORE_TYPES:
        if configured is not None:
            label = model._meta.label
            raise PlanError(
                SORT_KEY_STORAGE_PROBLEM,
                f"SINGLESTORE['SORT_KEYS'] has an entry for {label}, whose table is "
                f"a {storage} table; only columnstore tables have a sort key.",
                f"Remove the entry or store {label} as COLUMNSTORE or REFERENCE.",
            )
        return None
    return tuple(
        (_column(model, name, "SORT_KEYS"), descending)
        for name, descending in configured or ()
    )


def _declared_uniques(model):
    """Yield (columns, name, origin, field names) in model order."""
    opts = model._meta
    for field in opts.local_concrete_fields:
        if field.unique and not field.primary_key:
            yield (field.column,), None, f"field {field.name!r}", (field.name,)
    for names in opts.unique_together:
        names = tuple(names)
        columns = tuple(opts.get_field(name).column for name in names)
        yield columns, None, f"unique_together {names!r}", names
    for constraint in opts.constraints:
        if isinstance(constraint, UniqueConstraint) and creatable(constraint):
            names = tuple(constraint.fields)
            columns = tuple(opts.get_field(name).column for name in names)
            origin = f"constraint {constraint.name!r}"
            yield columns, constraint.name, origin, names


def creatable(constraint):
    """Whether SingleStore can hold ``constraint`` as a plain unique key.

    Functional, conditional, covering, deferrable and NULLS [NOT] DISTINCT unique
    constraints have no SingleStore syntax; Django skips them on backends
    without the matching feature.
    """
    return bool(constraint.fields) and not (
        constraint.expressions
        or constraint.condition is not None
        or constraint.include
        or constraint.deferrable is not None
        or constraint.nulls_distinct is not None
    )


def _describe(columns):
    return "(" + ", ".join(columns) + ")"


def _break_reason(columns, shard_key, kept, storage):
    """Return (rule, reason) when ``columns`` cannot be an enforced key, else None."""
    if storage in SHARDED_TYPES and not shard_key:
        return SHARD_RULE, (
            "the table is keyless-sharded (SHARD KEY ()), so equal values can land "
            "on different partitions and SingleStore enforces no unique key"
        )
    if storage in SHARDED_TYPES and not set(shard_key) <= set(columns):
        return SHARD_RULE, (
            "SingleStore enforces a unique key on a sharded table only when it "
            f"contains every shard-key column, and the shard key is "
            f"{_describe(shard_key)}"
        )
    if storage in COLUMNSTORE_TYPES and kept:
        if len(columns) > 1 or any(len(key) > 1 for key, _ in kept):
            held = ", ".join(f"{what} {_describe(key)}" for key, what in kept)
            return COLUMNSTORE_RULE, (
                "a columnstore table holds more than one unique key only when all "
                f"of them are single-column, and this table already has {held}"
            )
    return None


def plan_for(model, settings=None):
    """Return the :class:`TablePlan` of ``model`` (a concrete or through model).

    Raises :class:`PlanError` when a SINGLESTORE entry cannot apply to it.
    """
    settings = settings or get_settings()
    storage = settings.storage_for(model)
    if storage == AUTO:
        return auto_layout(model, settings)[2]
    return _plan(model, settings, storage, settings.shard_key_for(model))


def auto_layout(model, settings):
    """The AUTO layout policy: the first layout that enforces every unique set.

    Returns (storage type, shard-key field names or None for the default, plan).

    In order: the sharded columnstore default; the columnstore table sharded by
    the model's one unique set, when it declares exactly one; for a model in
    UNENFORCED_UNIQUE, the default with those keys unenforced (the user chose
    that over a reference table); a rowstore reference table, or a columnstore
    one when a sort key is configured. When none fits, the default, whose
    problems the checks report. A configured shard key is kept, so then only
    the sharded storage types are tried.
    """
    configured = settings.shard_key_for(model)
    default = ("COLUMNSTORE", configured)
    # (layout, whether unenforced keys are acceptable on it)
    if configured is not None:
        layouts = [(default, False), (("ROWSTORE", configured), False)]
    else:
        pk_names = tuple(field.name for field in model._meta.pk_fields)
        sets = {names for *_, names in _declared_uniques(model)} - {pk_names}
        layouts = [(default, False)]
        if len(sets) == 1:
            layouts.append((("COLUMNSTORE", *sets), False))
        if settings.unenforced_unique_for(model):
            # Listed in UNENFORCED_UNIQUE: no key of the plan is impossible.
            layouts.append((default, True))
        layouts.append((("ROWSTORE REFERENCE", None), False))
        layouts.append((("REFERENCE", None), False))
    for (storage, shard_fields), unenforced_fits in layouts:
        try:
            plan = _plan(model, settings, storage, shard_fields, auto=True)
        except PlanError:
            continue
        if unenforced_fits or plan.enforces_all:
            return storage, shard_fields, plan
    return *default, _plan(model, settings, *default, auto=True)


def primary_key_columns(model):
    """The columns of ``model``'s primary key; none when the key is not a
    column of its table (a table rebuilt without its primary key, see
    django_singlestore.rebuild.altered_model)."""
    opts = model._meta
    columns = opts.local_concrete_fields
    return tuple(field.column for field in opts.pk_fields if field in columns)


def _plan(model, settings, storage, shard_fields, auto=False):
    """The plan of ``model`` on ``storage``, sharded by ``shard_fields``
    (field names; None for the default shard key)."""
    opts = model._meta
    pk_columns = primary_key_columns(model)
    if not pk_columns and storage not in SHARDED_TYPES:
        raise PlanError(
            REFERENCE_KEY_PROBLEM,
            f"The table of {opts.label} would have no primary key, and a "
            f"{storage} table must have one.",
            f"Store {opts.label} as COLUMNSTORE or ROWSTORE while it has none.",
        )
    if is_auto_through(model):
        links = [field for field in opts.local_concrete_fields if field.is_relation]
        candidate, demoted = tuple(field.column for field in links), pk_columns
    else:
        candidate, demoted = pk_columns, ()
    shard_key = _shard_key(model, storage, shard_fields, candidate)
    sort_key = _sort_key(model, storage, settings)
    declared = list(_declared_uniques(model))
    if shard_key is None or (shard_key and set(shard_key) <= set(candidate)):
        primary_key = candidate
    else:
        primary_key = ()
        if not is_auto_through(model):
            demoted = pk_columns
            if pk_columns and not isinstance(opts.pk, AutoFieldMixin):
                names = tuple(field.name for field in opts.pk_fields)
                declared.insert(0, (pk_columns, None, "primary key", names))

    kept = [(primary_key, "PRIMARY KEY")] if primary_key else []
    seen = {frozenset(primary_key): (ENFORCED, "the primary key")}
    uniques, covered = [], []
    unenforced = UNENFORCED if settings.unenforced_unique_for(model) else IMPOSSIBLE
    for columns, name, origin, names in declared:
        same = seen.get(frozenset(columns))
        if same:
            reason = f"declared once, as {same[1]}"
            key = UniqueKey(columns, name, origin, same[0], reason, "", names)
            covered.append(key)
            continue
        broken = _break_reason(columns, shard_key, kept, storage)
        if broken:
            rule, reason = broken
            key = UniqueKey(columns, name, origin, unenforced, reason, rule, names)
        else:
            key = UniqueKey(columns, name, origin, ENFORCED, "", "", names)
            kept.append((columns, "UNIQUE KEY"))
        seen[frozenset(columns)] = (key.enforcement, origin)
        uniques.append(key)
    return TablePlan(
        db_table=opts.db_table,
        storage=storage,
        primary_key=primary_key,
        shard_key=shard_key,
        sort_key=sort_key,
        uniques=tuple(uniques),
        demoted_columns=demoted,
        covered=tuple(covered),
        auto=auto,
    )
