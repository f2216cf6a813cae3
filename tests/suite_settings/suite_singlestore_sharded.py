"""django_singlestore with Django's test apps on the layout users get: sharded
columnstore tables wherever SingleStore can enforce the models' unique sets
(``scripts/django_suite.py --layout sharded``). Its own test databases keep
it apart from the reference layout of ``suite_singlestore``."""

from suite_common import *  # noqa: F403
from suite_common import database_pair

DATABASES = database_pair(
    ("SINGLESTORE_TEST_URL", "SINGLESTORE_URL"), "django_singlestore", "t_suite_ssh"
)

SINGLESTORE = {
    # The AUTO layout policy (docs/ref/settings.rst) decides per model, not
    # per app: the sharded columnstore default, else a columnstore table
    # sharded by the model's one unique set, else (several unique sets, which
    # no one shard key can contain) a ROWSTORE REFERENCE table. The
    # django.contrib apps keep their built-in reference tables.
    # https://docs.singlestore.com/db/v9.1/reference/troubleshooting-reference/query-errors/why-do-i-get-errors-about-unique-keys/
    "DEFAULT_STORAGE": "AUTO",
    # Reference tables only where nothing else works:
    "STORAGE": {
        # The test migrations add a unique_together to a table an earlier
        # operation created, which a columnstore table refuses; the failed
        # migration then leaves its tables behind for every later test.
        "migrations": "ROWSTORE REFERENCE",
        # The models with a db_table_comment (introspection.DbCommentModel,
        # inspectdb.DbComment) stay on the default: CREATE TABLE declares the
        # comment, and the backend no longer sends the ALTER TABLE ... COMMENT
        # after it that columnstore refuses.
        # A FLOAT primary key, which a columnstore table cannot hold; a
        # sharded rowstore table can, so the model stays sharded.
        "serializers.FloatPKData": "ROWSTORE",
    },
    # Models with several unique sets, which AUTO would make reference
    # tables, whose tests never rely on the database refusing a duplicate (no
    # IntegrityError expected: they test related-object caching, joins, and
    # Django's own validate_unique(), which queries for duplicates): their
    # unique sets are declared UNENFORCED RELY and the tables stay sharded
    # columnstore. Apps whose tests expect the database to refuse duplicates
    # or read the unique keys back (one_to_one, bulk_create's conflict
    # handling, model_forms, inspectdb, introspection) keep the reference
    # tables AUTO picks; the other models AUTO makes reference tables (19,
    # in model_inheritance, composite_pk, auth_tests, serializers, ...) have
    # not been examined one by one yet.
    "UNENFORCED_UNIQUE": [
        "known_related_objects.PoolStyle",  # pool, another_pool
        "select_related_onetoone.Child1",  # parent2_ptr
        "select_related_onetoone.Child2",  # parent2
        "select_related_regress.Connection",  # start, end
        "validation",  # UniqueFieldsModel, UniqueTogetherModel, +2 models
    ],
}

# Name the passing tests that touched a lenient gap of the test double.
TEST_RUNNER = "suite_lenient.LenientGapRunner"
