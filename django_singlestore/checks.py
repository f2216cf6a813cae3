"""System checks: what SingleStore would refuse or silently weaken, before migrate.

Every check derives from :func:`django_singlestore.tables.plan_for`, so it fires
when, and only when, the DDL the schema editor emits would fail on SingleStore
or would drop a guarantee the model declares. Ids and texts live in
:data:`CATALOG` and nowhere else; ids are never reused (docs/ref/checks.rst).
"""

import difflib
import re

from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import (
    BigAutoField,
    CheckConstraint,
    FloatField,
    OneToOneField,
    UniqueConstraint,
)
from django.db.models.fields import AutoFieldMixin

from .conf import ENV_STORAGE_PREFIX, ENV_UNENFORCED_PREFIX, get_settings
from .fixes import layout_fixes, python_literal
from .fulltext import fulltext_indexes
from .locking import columnstore_tables
from .rebuild import check_interrupted_rebuilds
from .tables import (
    COLUMNSTORE_RULE,
    SHARD_KEY_REFERENCE_PROBLEM,
    SHARD_RULE,
    SORT_KEY_STORAGE_PROBLEM,
    UNENFORCED,
    UNKNOWN_FIELD_PROBLEM,
    PlanError,
    creatable,
    plan_for,
)
from .vector import VectorField, VectorIndex

_UNIQUE_WAYS_OUT = (
    "store {label} as a reference table (SINGLESTORE['STORAGE'][{label!r}] = "
    "'ROWSTORE REFERENCE'), or list {label!r} in SINGLESTORE['UNENFORCED_UNIQUE'] "
    "to declare the key UNENFORCED RELY (duplicates are then not rejected)."
)

_APPLY_LAYOUT = (
    "add a migration to {app} with the operation "
    "django_singlestore.layout.ApplyLayout({model_name!r}) and run migrate, which "
    "rebuilds the table with its rows, "
)

CATALOG = {
    "singlestore.E001": (
        checks.Error,
        "The unique set from {origin} ({columns}) cannot be enforced: {reason}.",
        "Shard {label} by some of these fields (SINGLESTORE['SHARD_KEYS'][{label!r}]"
        " = {fields!r}), " + _UNIQUE_WAYS_OUT,
    ),
    "singlestore.E002": (
        checks.Error,
        "The unique set from {origin} ({columns}) cannot be enforced: {reason}.",
        "Remove one of the unique sets, store {label} as a rowstore table "
        "(SINGLESTORE['STORAGE'][{label!r}] = 'ROWSTORE' or 'ROWSTORE REFERENCE'), "
        "or list {label!r} in SINGLESTORE['UNENFORCED_UNIQUE'] to declare the key "
        "UNENFORCED RELY (duplicates are then not rejected).",
    ),
    "singlestore.E003": (
        checks.Error,
        "{field} is a floating-point primary key column; SingleStore refuses "
        "FLOAT and DOUBLE primary keys on {storage} (columnstore) tables.",
        "Use an integer or DecimalField primary key, or store {label} as a "
        "rowstore table (SINGLESTORE['STORAGE'][{label!r}] = 'ROWSTORE').",
    ),
    "singlestore.E004": (
        checks.Error,
        "OneToOneField {name!r} is not the primary key of a sharded table, so its "
        "unique key cannot be enforced: {reason}.",
        "Make it the primary key (primary_key=True), shard {label} by it "
        "(SINGLESTORE['SHARD_KEYS'][{label!r}] = [{name!r}]), " + _UNIQUE_WAYS_OUT,
    ),
    "singlestore.E005": (
        checks.Error,
        "{where} names the app {app!r}, which is not installed.",
        "Use the label of an installed app{suggestion}.",
    ),
    "singlestore.E006": (
        checks.Error,
        "{where} names the model {model!r}, which does not exist.",
        'Use "app_label.ModelName" of an existing model{suggestion}.',
    ),
    "singlestore.E007": (checks.Error, "{message}", "{hint}"),
    "singlestore.E008": (checks.Error, "{message}", "{hint}"),
    "singlestore.E009": (checks.Error, "{message}", "{hint}"),
    "singlestore.E010": (
        checks.Error,
        "VectorIndex {name!r} is on {label}, a {storage} table; SingleStore "
        "builds vector indexes on columnstore tables only.",
        "Store {label} as a columnstore table (SINGLESTORE['STORAGE'][{label!r}] "
        "= 'COLUMNSTORE'), or remove the index: exact nearest-neighbour search "
        "needs none.",
    ),
    "singlestore.E011": (
        checks.Error,
        "VectorIndex {name!r} covers {count} fields ({fields}); a SingleStore "
        "vector index is built on exactly one column.",
        "Give each vector field its own VectorIndex.",
    ),
    "singlestore.E012": (
        checks.Error,
        "VectorIndex {name!r} is on {field}, a {kind}; SingleStore builds vector "
        "indexes on VECTOR columns only.",
        "Index a django_singlestore.vector.VectorField, or use models.Index for "
        "this field.",
    ),
    "singlestore.E013": (
        checks.Error,
        "VectorIndex {name!r} is on {field}, a VECTOR({dimensions}, "
        "{element_type}) column; SingleStore indexes F32 vectors only.",
        "Declare the field with element_type='F32' (the default), or remove the index.",
    ),
    "singlestore.E014": (
        checks.Error,
        "VectorIndex {name!r} is on {field}, which allows NULL; SingleStore "
        "{version} (database {alias!r}) builds vector indexes only on NOT NULL "
        "columns.",
        "Make the field NOT NULL (null=False), or upgrade to SingleStore 8.9 or "
        "later, which indexes nullable vector columns.",
    ),
    "singlestore.E015": (
        checks.Error,
        "{label} has {count} FullTextIndex entries ({names}); SingleStore allows "
        "one FULLTEXT key per table.",
        "Put every field to search in one FullTextIndex(fields=[...]); a version "
        "2 query names the field it searches (title:word).",
    ),
    "singlestore.E016": (
        checks.Error,
        "FullTextIndex {name!r} is on {label}, a {storage} table; SingleStore "
        "creates FULLTEXT keys on columnstore tables only.",
        "Store {label} as a columnstore table (SINGLESTORE['STORAGE'][{label!r}] "
        "= 'COLUMNSTORE'), or remove the index.",
    ),
    "singlestore.E017": (
        checks.Error,
        "FullTextIndex {name!r} includes {field} ({db_type}); SingleStore "
        "indexes CHAR, VARCHAR, TEXT, LONGTEXT and JSON columns only.",
        "Remove {field_name!r} from the index's fields, or make it a CharField, "
        "TextField or JSONField.",
    ),
    "singlestore.E018": (
        checks.Error,
        "{admin} uses FullTextSearchMixin, but {label} has no FullTextIndex.",
        "Add FullTextIndex(fields=[...]) to the model's Meta.indexes, or remove "
        "the mixin.",
    ),
    "singlestore.E019": (
        checks.Error,
        "{admin}.search_fields names {name!r}, which is not a field of {label}'s "
        "FullTextIndex {index!r}.",
        "List only fields of the index, without lookups or prefixes ({fields}).",
    ),
    "singlestore.W001": (
        checks.Warning,
        "The unique set from {origin} ({columns}) is declared UNENFORCED RELY, "
        "so SingleStore will not reject duplicates: {reason}.",
        "Check uniqueness in the application (Django's validate_unique() runs in "
        "forms and full_clean()), or choose a shard key or storage type that can "
        "enforce it.",
    ),
    "singlestore.W002": (
        checks.Warning,
        "{field} is a 32-bit {kind} on a sharded table; SingleStore's "
        "AUTO_INCREMENT values on sharded tables exceed 32 bits, so the backend "
        "stores the column as BIGINT.",
        'Set DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField" (or the app\'s '
        "default_auto_field) and make a migration.",
    ),
    "singlestore.W003": (
        checks.Warning,
        "Check constraint {name!r} is not created: SingleStore has no CHECK "
        "constraints.",
        "Validate the condition in the application (Django runs it in "
        "full_clean() and forms), or remove the constraint.",
    ),
    "singlestore.W004": (
        checks.Warning,
        "Index {name!r} is not created: SingleStore has no indexes on expressions.",
        "Index a stored generated column instead (GeneratedField(..., "
        "db_persist=True) with db_index=True), or remove the index.",
    ),
    "singlestore.W005": (
        checks.Warning,
        "Unique constraint {name!r} is not created, so duplicates are not "
        "rejected: SingleStore has no unique keys with {features}.",
        "Rewrite it as UniqueConstraint(fields=[...], name=...) without those "
        "options, or validate it in the application (Django runs it in "
        "full_clean() and forms).",
    ),
    "singlestore.W006": (
        checks.Warning,
        "Table {table!r} on database {alias!r} is a {live} table, but the "
        "settings plan a {planned} table.",
        "SingleStore cannot change a table's storage type in place: "
        + _APPLY_LAYOUT
        + "or change SINGLESTORE['STORAGE'] to match the database.",
    ),
    "singlestore.W007": (
        checks.Warning,
        "Table {table!r} on database {alias!r} has the shard key {live}, but the "
        "settings plan {planned}.",
        "SingleStore cannot change a shard key in place: "
        + _APPLY_LAYOUT
        + "or change SINGLESTORE['SHARD_KEYS'] to match the database.",
    ),
    "singlestore.W008": (
        checks.Warning,
        "Table {table!r} on database {alias!r} has the sort key {live}, but the "
        "settings plan {planned}.",
        "SingleStore cannot change a sort key in place: "
        + _APPLY_LAYOUT
        + "or change SINGLESTORE['SORT_KEYS'] to match the database.",
    ),
    "singlestore.W009": (
        checks.Warning,
        "SKIP_AUTOCOMMIT is on (SINGLESTORE['SKIP_AUTOCOMMIT'] or "
        "DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT), so the backend never turns "
        "autocommit off and atomic() gives no atomicity: every statement commits "
        "on its own, a rolled-back atomic() block keeps the rows it wrote, "
        "select_for_update() locks nothing past its own statement, and Django's "
        "TestCase cannot roll a test back.",
        "Turn it off. If the application writes to reference tables through a "
        "child aggregator (error 2549), send those writes to the master "
        "aggregator instead (a DATABASES entry for it and a router), which runs "
        "them in real transactions.",
    ),
    "singlestore.W010": (
        checks.Warning,
        "Table {table!r} on database {alias!r} was being rebuilt when a "
        "migration stopped: {found}.",
        "{hint}",
    ),
    "singlestore.I001": (
        checks.Info,
        "SingleStore does not enforce foreign keys: the database accepts rows "
        "that reference missing rows.",
        "Django's on_delete handling still runs for deletes made through the "
        "ORM; raw SQL, QuerySet.update() and bulk loads are not checked.",
    ),
    "singlestore.I002": (
        checks.Info,
        "The AUTO layout policy stores {label} (table {table!r}) as a {storage} "
        "table: no sharded layout enforces all of its unique sets, {sets}.",
        "A reference table keeps a full copy on every node and takes its writes "
        "through the master aggregator. To shard it instead, give {label} its own "
        "SINGLESTORE['STORAGE'] and SINGLESTORE['SHARD_KEYS'] entries (or list it "
        "in SINGLESTORE['UNENFORCED_UNIQUE']).",
    ),
    "singlestore.I003": (
        checks.Info,
        "These settings give every model whose unique sets cannot be enforced "
        "({labels}) a layout that enforces them; they replace SINGLESTORE in "
        "settings.py:\n\nSINGLESTORE = {setting}\n",
        "Or set SINGLESTORE['DEFAULT_STORAGE'] = 'AUTO' to have such a layout "
        "chosen for every model (see the AUTO section of the settings docs first if "
        "the tables already exist).",
    ),
    "singlestore.I004": (
        checks.Info,
        "select_for_update() on {label} cannot lock: its queries join the "
        "parent tables {parents}, and SingleStore refuses FOR UPDATE with a join "
        "involving a columnstore table ({columnstore}).",
        "Lock through the parent instead ({parent}.objects.select_for_update()"
        ".get(pk=...) runs without a join), with every writer of {label} doing "
        "the same, or store {label} and its parents as rowstore tables "
        "(SINGLESTORE['STORAGE']).",
    ),
}

PLAN_PROBLEM_IDS = {
    UNKNOWN_FIELD_PROBLEM: "singlestore.E007",
    SORT_KEY_STORAGE_PROBLEM: "singlestore.E008",
    SHARD_KEY_REFERENCE_PROBLEM: "singlestore.E009",
}


def message(check_id, obj=None, **values):
    """Build the CheckMessage ``check_id`` of :data:`CATALOG` from ``values``."""
    level, text, hint = CATALOG[check_id]
    return level(
        text.format(**values), hint=hint.format(**values), obj=obj, id=check_id
    )


def _columns(columns):
    return ", ".join(columns)


def _key_text(columns):
    return "(" + _columns(columns) + ")" if columns is not None else "none"


def _sort_text(sort_key):
    return "(" + ", ".join(c + (" DESC" if d else "") for c, d in sort_key) + ")"


def _concrete_target(field):
    while field.is_relation:
        field = field.target_field
    return field


def _unique_messages(model, plan):
    opts = model._meta
    found = []
    for key in plan.uniques:
        if key.enforced:
            continue
        values = {
            "label": opts.label,
            "origin": key.origin,
            "columns": _columns(key.columns),
            "reason": key.reason,
            "fields": list(key.fields),
        }
        field = opts.get_field(key.fields[0]) if len(key.fields) == 1 else None
        if key.enforcement == UNENFORCED:
            found.append(message("singlestore.W001", model, **values))
        elif key.rule == SHARD_RULE and isinstance(field, OneToOneField):
            found.append(message("singlestore.E004", field, name=field.name, **values))
        elif key.rule == SHARD_RULE:
            found.append(message("singlestore.E001", model, **values))
        elif key.rule == COLUMNSTORE_RULE:
            found.append(message("singlestore.E002", model, **values))
    return found


def _field_messages(model, plan):
    opts = model._meta
    found = []
    if plan.columnstore:
        by_column = {field.column: field for field in opts.concrete_fields}
        for column in plan.primary_key:
            field = by_column[column]
            if isinstance(_concrete_target(field), FloatField):
                found.append(
                    message(
                        "singlestore.E003",
                        field,
                        field=f"{opts.label}.{field.name}",
                        storage=plan.storage,
                        label=opts.label,
                    )
                )
    pk = opts.pk
    if (
        plan.sharded
        and isinstance(pk, AutoFieldMixin)
        and not isinstance(pk, BigAutoField)
    ):
        found.append(
            message(
                "singlestore.W002",
                pk,
                field=f"{opts.label}.{pk.name}",
                kind=type(pk).__name__,
            )
        )
    return found


def _unsupported_features(constraint):
    features = [
        ("expressions", constraint.expressions),
        ("conditions", constraint.condition is not None),
        ("included columns", constraint.include),
        ("deferral", constraint.deferrable is not None),
        ("NULLS [NOT] DISTINCT", constraint.nulls_distinct is not None),
    ]
    return " or ".join(name for name, used in features if used)


def _schema_messages(model):
    opts = model._meta
    found = []
    for constraint in opts.constraints:
        if isinstance(constraint, CheckConstraint):
            found.append(message("singlestore.W003", model, name=constraint.name))
        elif isinstance(constraint, UniqueConstraint) and not creatable(constraint):
            found.append(
                message(
                    "singlestore.W005",
                    model,
                    name=constraint.name,
                    features=_unsupported_features(constraint),
                )
            )
    for index in opts.indexes:
        if index.contains_expressions:
            found.append(message("singlestore.W004", model, name=index.name))
    return found


# The column types SingleStore's full-text indexes take (Working with
# Full-Text Search: "JSON, CHAR, VARCHAR, TEXT, and LONGTEXT").
_FULLTEXT_TYPES = re.compile(r"(char|varchar|text|longtext|json)\b", re.IGNORECASE)


def _fulltext_messages(model, plan):
    indexes = fulltext_indexes(model)
    label = model._meta.label
    if len(indexes) > 1:
        names = ", ".join(repr(index.name) for index in indexes)
        return [
            message(
                "singlestore.E015", model, label=label, count=len(indexes), names=names
            )
        ]
    found = []
    for index in indexes:
        if plan.rowstore:
            found.append(
                message(
                    "singlestore.E016",
                    model,
                    name=index.name,
                    label=label,
                    storage=plan.storage,
                )
            )
        connection = connections[router.db_for_write(model)]
        for name in index.fields:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # Django's models.E012 names it
            db_type = field.db_type(connection) or ""
            if not _FULLTEXT_TYPES.match(db_type):
                found.append(
                    message(
                        "singlestore.E017",
                        field,
                        name=index.name,
                        field=f"{label}.{name}",
                        field_name=name,
                        db_type=db_type,
                    )
                )
    return found


def check_model(model, settings=None):
    """Return the check messages of one model (concrete or auto-created m2m)."""
    try:
        plan = plan_for(model, settings)
    except PlanError as error:
        return [
            message(
                PLAN_PROBLEM_IDS[error.problem],
                model,
                message=error.message,
                hint=error.hint,
            )
        ]
    return (
        _unique_messages(model, plan)
        + _field_messages(model, plan)
        + _schema_messages(model)
        + _fulltext_messages(model, plan)
        + _auto_messages(model, plan)
        + _lock_messages(model, settings)
        + _vector_messages(model, plan)
    )


def _lock_messages(model, settings):
    """A multi-table child's queries join its parents: FOR UPDATE is refused
    when one of the tables is columnstore."""
    parents = model._meta.get_parent_list()
    if not parents:
        return []
    columnstore = columnstore_tables([model, *parents], settings)
    if not columnstore:
        return []  # none, or a plan error that the model's own check reports
    return [lock_message(model, parents, columnstore)]


def lock_message(model, parents, columnstore):
    """singlestore.I004 for ``model``, whose queries join ``parents``."""
    return message(
        "singlestore.I004",
        model,
        label=model._meta.label,
        parents=", ".join(repr(p._meta.db_table) for p in parents),
        columnstore=", ".join(repr(name) for name in columnstore),
        parent=parents[-1]._meta.object_name,
    )


def _vector_indexes(model):
    """(index, fields) of ``model``'s VectorIndex entries; unknown field names
    are left to Django's own models.E012."""
    opts = model._meta
    for index in opts.indexes:
        if isinstance(index, VectorIndex):
            names = [name for name, _ in index.fields_orders]
            try:
                yield index, [opts.get_field(name) for name in names]
            except FieldDoesNotExist:
                continue


def _vector_messages(model, plan):
    """E010-E013: vector indexes SingleStore refuses whatever its version
    (D/db/v9.1/reference/sql-reference/vector-functions/vector-indexing)."""
    label = model._meta.label
    found = []
    for index, fields in _vector_indexes(model):
        name = index.name
        if not plan.columnstore:
            found.append(
                message(
                    "singlestore.E010",
                    model,
                    name=name,
                    label=label,
                    storage=plan.storage,
                )
            )
        if len(fields) != 1:
            found.append(
                message(
                    "singlestore.E011",
                    model,
                    name=name,
                    count=len(fields),
                    fields=_columns(field.name for field in fields),
                )
            )
            continue
        field = fields[0]
        where = f"{label}.{field.name}"
        if not isinstance(field, VectorField):
            found.append(
                message(
                    "singlestore.E012",
                    model,
                    name=name,
                    field=where,
                    kind=type(field).__name__,
                )
            )
        elif field.element_type != "F32":
            found.append(
                message(
                    "singlestore.E013",
                    model,
                    name=name,
                    field=where,
                    dimensions=field.dimensions,
                    element_type=field.element_type,
                )
            )
    return found


# Versions whose vector-indexing page requires "VECTOR(n[, F32]) NOT NULL"
# (D/db/v8.5/... and D/db/v8.7/reference/sql-reference/vector-functions/
# vector-indexing); 8.9 dropped NOT NULL from the rule.
VECTOR_NOT_NULL_VERSIONS = ((8, 5), (8, 9))


def vector_version_messages(model, alias, version):
    """E014 for ``model`` on a server of ``version`` (a tuple)."""
    low, high = VECTOR_NOT_NULL_VERSIONS
    if not low <= tuple(version[:2]) < high:
        return []
    return [
        message(
            "singlestore.E014",
            model,
            name=index.name,
            field=f"{model._meta.label}.{fields[0].name}",
            version=".".join(str(part) for part in version[:2]),
            alias=alias,
        )
        for index, fields in _vector_indexes(model)
        if len(fields) == 1 and fields[0].null
    ]


def _auto_messages(model, plan):
    if not (plan.auto and plan.reference):
        return []
    opts = model._meta
    sets = [f"{key.origin} ({_columns(key.columns)})" for key in plan.uniques]
    if not isinstance(opts.pk, AutoFieldMixin):
        sets.insert(0, f"the primary key ({_columns(plan.primary_key)})")
    return [
        message(
            "singlestore.I002",
            model,
            label=opts.label,
            table=plan.db_table,
            storage=plan.storage,
            sets=", ".join(sets),
        )
    ]


def layout_fix_messages(models, settings=None, raw=None):
    """singlestore.I003 when some of ``models`` need a layout: the whole
    SINGLESTORE setting that gives each one a layout enforcing its unique sets.

    ``raw`` is the SINGLESTORE value as written (default: settings.py's).
    """
    settings = settings or get_settings()
    if raw is None:
        raw = getattr(django_settings, "SINGLESTORE", {})
    fixes = layout_fixes(models, settings, raw)
    if fixes is None:
        return []
    return [
        message(
            "singlestore.I003",
            labels=", ".join(fixes.labels),
            setting=python_literal(fixes.setting),
        )
    ]


def check_foreign_keys(models):
    """One note for the project when any SingleStore model has a foreign key."""
    for model in models:
        for field in model._meta.local_concrete_fields:
            if field.is_relation and getattr(field, "db_constraint", False):
                return [message("singlestore.I001")]
    return []


def _suggestion(word, choices, prefix=""):
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {prefix + close[0]!r}?)" if close else ""


def _entry_messages(where, key, registry):
    app, _, model_name = key.partition(".")
    labels = [config.label for config in registry.get_app_configs()]
    if app not in labels:
        return [
            message(
                "singlestore.E005",
                where=where,
                app=app,
                suggestion=_suggestion(app, labels),
            )
        ]
    if not model_name:
        return []
    models = registry.get_app_config(app).get_models(include_auto_created=True)
    names = [model._meta.label_lower for model in models]
    if key in names:
        return []
    return [
        message(
            "singlestore.E006",
            where=where,
            model=key,
            suggestion=_suggestion(key, names),
        )
    ]


def _env_messages(prefix, env_apps, registry):
    labels = {
        config.label.upper(): config.label for config in registry.get_app_configs()
    }
    return [
        message(
            "singlestore.E005",
            where=f"The environment variable {prefix}{env_app}",
            app=env_app.lower(),
            suggestion=_suggestion(env_app, list(labels), prefix),
        )
        for env_app in sorted(env_apps)
        if env_app not in labels
    ]


def settings_messages(registry=django_apps, settings=None):
    """Report entries and variables naming unknown apps or models, and
    SKIP_AUTOCOMMIT."""
    settings = settings or get_settings()
    entries = [
        ("SINGLESTORE['STORAGE']", settings.storage),
        ("SINGLESTORE['SHARD_KEYS']", settings.shard_keys),
        ("SINGLESTORE['SORT_KEYS']", settings.sort_keys),
        ("SINGLESTORE['UNENFORCED_UNIQUE']", sorted(settings.unenforced_unique)),
    ]
    found = []
    for where, keys in entries:
        for key in keys:
            found.extend(_entry_messages(where, key, registry))
    found.extend(_env_messages(ENV_STORAGE_PREFIX, settings.env_storage, registry))
    found.extend(
        _env_messages(ENV_UNENFORCED_PREFIX, settings.env_unenforced_unique, registry)
    )
    if settings.skip_autocommit:
        found.append(message("singlestore.W009"))
    return found


def singlestore_aliases():
    """The DATABASES aliases served by this backend (read from settings only)."""
    return [
        alias
        for alias in connections
        if connections.settings[alias]["ENGINE"] == "django_singlestore"
        or connections[alias].vendor == "singlestore"
    ]


def creates_table(model, alias):
    """Whether ``migrate`` creates ``model``'s table on the database ``alias``.

    Proxy, swapped and ``managed = False`` models (``inspectdb`` writes them)
    have no table of their own to create. An auto-created many-to-many table is
    created with the model declaring the field, so it follows that model.
    """
    declaring = model._meta.auto_created or model
    return declaring._meta.can_migrate(alias) and router.allow_migrate_model(
        alias, model
    )


def singlestore_models(app_configs=None, aliases=None):
    """Models whose tables Django creates on a SingleStore database."""
    aliases = singlestore_aliases() if aliases is None else aliases
    configs = app_configs or django_apps.get_app_configs()
    return [
        model
        for config in configs
        for model in config.get_models(include_auto_created=True)
        if any(creates_table(model, alias) for alias in aliases)
    ]


def check_models(app_configs=None, **kwargs):
    """The models check: every table's plan, then the layouts that fix them."""
    models = singlestore_models(app_configs)
    found = []
    for model in models:
        found.extend(check_model(model))
    return found + layout_fix_messages(models)


def check_deployment(app_configs=None, **kwargs):
    """The deployment check (check --deploy): the foreign-key note.

    Nothing in the project can change it, so it is said where a deployment is
    reviewed rather than on every management command.
    """
    return check_foreign_keys(singlestore_models(app_configs))


def check_settings(app_configs=None, **kwargs):
    """The settings check: unknown apps and models, SKIP_AUTOCOMMIT."""
    return settings_messages()


def compare_live(model, alias, plan, live):
    """Compare a plan with (storage, shard key, sort key) read from the server."""
    storage, shard_key, sort_key = live
    values = {
        "table": plan.db_table,
        "alias": alias,
        "app": model._meta.app_label,
        "model_name": model._meta.object_name,
    }
    found = []
    if storage != plan.storage:
        found.append(
            message(
                "singlestore.W006", model, live=storage, planned=plan.storage, **values
            )
        )
    if shard_key is not None:
        shard_key = tuple(shard_key)
    if shard_key != plan.shard_key:
        found.append(
            message(
                "singlestore.W007",
                model,
                live=_key_text(shard_key),
                planned=_key_text(plan.shard_key),
                **values,
            )
        )
    live_sort = tuple(sort_key or ())
    if live_sort != (plan.sort_key or ()):
        found.append(
            message(
                "singlestore.W008",
                model,
                live=_sort_text(live_sort),
                planned=_sort_text(plan.sort_key or ()),
                **values,
            )
        )
    return found


def check_live_tables(app_configs=None, databases=None, **kwargs):
    """The database check (check --database): live tables against their plans."""
    found = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "singlestore":
            continue
        models = singlestore_models(app_configs, aliases=[alias])
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
            for model in models:
                try:
                    plan = plan_for(model)
                except PlanError:
                    continue
                if plan.db_table in tables:
                    live = connection.introspection.get_table_storage(
                        cursor, plan.db_table
                    )
                    found.extend(compare_live(model, alias, plan, live))
    return found


def check_vector_versions(app_configs=None, databases=None, **kwargs):
    """The database check of vector indexes against each server's version
    (migrate runs it for the database it migrates)."""
    found = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "singlestore":
            continue
        for model in singlestore_models(app_configs, aliases=[alias]):
            found.extend(
                vector_version_messages(model, alias, connection.singlestore_version)
            )
    return found


def register():
    """Register the checks (idempotent: the registry keeps a set)."""
    checks.register(check_settings, checks.Tags.models)
    checks.register(check_models, checks.Tags.models)
    checks.register(check_deployment, checks.Tags.models, deploy=True)
    checks.register(check_live_tables, checks.Tags.database)
    checks.register(check_interrupted_rebuilds, checks.Tags.database)
    checks.register(check_vector_versions, checks.Tags.database)
