"""The AUTO layout policy migrates reusable-app-shaped models from zero.

tests/integration/apps_reusable declares unique fields, a unique_together, a
one-to-one and a many-to-many. Under the default layout migrate refuses it,
naming every model at once with one setting that fixes them all
(singlestore.I003). With SINGLESTORE["DEFAULT_STORAGE"] = "AUTO" and no entry
for any of its models (the test settings' entries name only the integration
app) it migrates on the double, and SingleStore rejects a duplicate of every
unique set the models declare.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, NotSupportedError, connection
from django.test.utils import CaptureQueriesContext

from tests.integration.test_migrate_checks import table_names
from tests.settings import SINGLESTORE as BASE

pytestmark = pytest.mark.django_db(transaction=True)

REUSABLE_APPS = [*settings.INSTALLED_APPS, "tests.integration.apps_reusable"]
TABLES = {
    "apps_reusable_author",
    "apps_reusable_book",
    "apps_reusable_book_authors",
    "apps_reusable_cover",
    "apps_reusable_edition",
    "apps_reusable_note",
}


def migrate(*args, **options):
    call_command(
        "migrate", "apps_reusable", *args, verbosity=0, stdout=StringIO(), **options
    )


@pytest.fixture
def reusable_app(settings):
    """Install apps_reusable; afterwards undo the test's migration of it."""
    settings.INSTALLED_APPS = REUSABLE_APPS
    yield settings
    if TABLES & table_names():
        migrate("zero")


CREATE_SQL = [
    "CREATE TABLE `apps_reusable_author` (`id` bigint AUTO_INCREMENT NOT NULL, "
    "`slug` varchar(40) NOT NULL, `name` varchar(40) NOT NULL, "
    "KEY `apps_reusable_author_id_3bd47258_key` (`id`), "
    "UNIQUE KEY `apps_reusable_author_slug_f2f8691a_uniq` (`slug`), "
    "SHARD KEY (`slug`), SORT KEY ())",
    "CREATE TABLE `apps_reusable_note` (`id` bigint AUTO_INCREMENT NOT NULL, "
    "`text` varchar(100) NOT NULL, PRIMARY KEY (`id`), SHARD KEY (`id`), "
    "SORT KEY ())",
    "CREATE ROWSTORE REFERENCE TABLE `apps_reusable_book` "
    "(`id` bigint AUTO_INCREMENT NOT NULL, `isbn` varchar(13) NOT NULL, "
    "`code` varchar(10) NOT NULL, PRIMARY KEY (`id`), "
    "UNIQUE KEY `apps_reusable_book_isbn_04d54426_uniq` (`isbn`), "
    "UNIQUE KEY `apps_reusable_book_code_c7108973_uniq` (`code`))",
    "CREATE TABLE `apps_reusable_book_authors` "
    "(`id` bigint AUTO_INCREMENT NOT NULL, `book_id` bigint NOT NULL, "
    "`author_id` bigint NOT NULL, PRIMARY KEY (`book_id`, `author_id`), "
    "KEY `apps_reusable_book_authors_id_9785ded2_key` (`id`), "
    "KEY `apps_reusable_book_authors_book_id_205e7fed` (`book_id`), "
    "KEY `apps_reusable_book_authors_author_id_95a23aa5` (`author_id`), "
    "SHARD KEY (`book_id`), SORT KEY ())",
    "CREATE TABLE `apps_reusable_cover` (`id` bigint AUTO_INCREMENT NOT NULL, "
    "`book_id` bigint NOT NULL, KEY `apps_reusable_cover_id_edae51e1_key` (`id`), "
    "UNIQUE KEY `apps_reusable_cover_book_id_c7801f6c_uniq` (`book_id`), "
    "SHARD KEY (`book_id`), SORT KEY ())",
    "CREATE TABLE `apps_reusable_edition` (`id` bigint AUTO_INCREMENT NOT NULL, "
    "`number` integer NOT NULL, `book_id` bigint NOT NULL, "
    "KEY `apps_reusable_edition_id_7bb598de_key` (`id`), "
    "UNIQUE KEY `apps_reusable_edition_book_id_number_7bdebdd7_uniq` "
    "(`book_id`, `number`), KEY `apps_reusable_edition_book_id_acd115ae` "
    "(`book_id`), SHARD KEY (`book_id`, `number`), SORT KEY ())",
]

FIX_SETTING = """\
SINGLESTORE = {
    "STORAGE": {
        "integration.Category": "ROWSTORE REFERENCE",
        "integration.Counter": "ROWSTORE",
        "apps_reusable.Book": "ROWSTORE REFERENCE",
    },
    "SORT_KEYS": {
        "integration.Item": ["-created"],
    },
    "SHARD_KEYS": {
        "apps_reusable.Author": ["slug"],
        "apps_reusable.Edition": ["book", "number"],
        "apps_reusable.Cover": ["book"],
    },
}
"""

REFUSAL = (
    "SingleStore cannot hold the unique keys of the table apps_reusable_author. "
    "singlestore.E001: The unique set from field 'slug' (slug) cannot be "
    "enforced: SingleStore enforces a unique key on a sharded table only when it "
    "contains every shard-key column, and the shard key is (id). Shard "
    "apps_reusable.Author by some of these fields "
    "(SINGLESTORE['SHARD_KEYS']['apps_reusable.Author'] = ['slug']), store "
    "apps_reusable.Author as a reference table "
    "(SINGLESTORE['STORAGE']['apps_reusable.Author'] = 'ROWSTORE REFERENCE'), or "
    "list 'apps_reusable.Author' in SINGLESTORE['UNENFORCED_UNIQUE'] to declare "
    "the key UNENFORCED RELY (duplicates are then not rejected). "
    "singlestore.I003: These settings give every model whose unique sets cannot "
    "be enforced (apps_reusable.Author, apps_reusable.Book, "
    "apps_reusable.Edition, apps_reusable.Cover) a layout that enforces them; "
    "they replace SINGLESTORE in settings.py:\n\n" + FIX_SETTING + " Or set "
    "SINGLESTORE['DEFAULT_STORAGE'] = 'AUTO' to have such a layout chosen for "
    "every model (see the AUTO section of the settings docs first if the tables "
    "already exist)."
)

MIGRATE_NOTES = (
    "System check identified some issues:\n\n"
    "WARNINGS:\n"
    "integration.Item.id: (singlestore.W002) integration.Item.id is a 32-bit "
    "AutoField on a sharded table; SingleStore's AUTO_INCREMENT values on sharded "
    "tables exceed 32 bits, so the backend stores the column as BIGINT.\n"
    '\tHINT: Set DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField" (or the '
    "app's default_auto_field) and make a migration.\n\n"
    "INFOS:\n"
    "apps_reusable.Book: (singlestore.I002) The AUTO layout policy stores "
    "apps_reusable.Book (table 'apps_reusable_book') as a ROWSTORE REFERENCE "
    "table: no sharded layout enforces all of its unique sets, field 'isbn' "
    "(isbn), field 'code' (code).\n"
    "\tHINT: A reference table keeps a full copy on every node and takes its "
    "writes through the master aggregator. To shard it instead, give "
    "apps_reusable.Book its own SINGLESTORE['STORAGE'] and "
    "SINGLESTORE['SHARD_KEYS'] entries (or list it in "
    "SINGLESTORE['UNENFORCED_UNIQUE']).\n"
)


def create_sql(captured):
    return [q["sql"] for q in captured if q["sql"].startswith("CREATE ")]


def migrate_from_zero(test_settings, singlestore):
    """Migrate apps_reusable under ``singlestore``; return (CREATEs, stderr)."""
    test_settings.SINGLESTORE = singlestore
    err = StringIO()
    with CaptureQueriesContext(connection) as captured:
        migrate(skip_checks=False, stderr=err)
    assert TABLES <= table_names()
    return create_sql(captured), err.getvalue()


def duplicate_error(model, **values):
    model.objects.create(**values)
    with pytest.raises(IntegrityError) as raised:
        model.objects.create(**values)
    return raised.value.args[0]


def assert_every_unique_set_is_enforced():
    get = apps.get_model
    author = get("apps_reusable", "Author").objects.create(slug="ann", name="Ann")
    book_model = get("apps_reusable", "Book")
    book = book_model.objects.create(isbn="9780000000001", code="B1")
    for isbn, code in [("9780000000001", "B2"), ("9780000000002", "B1")]:
        with pytest.raises(IntegrityError) as raised:
            book_model.objects.create(isbn=isbn, code=code)
        assert raised.value.args[0] == 1062
    book_model.objects.create(isbn="9780000000002", code="B3")
    assert duplicate_error(get("apps_reusable", "Author"), slug="bo", name="x") == 1062
    edition = get("apps_reusable", "Edition")
    assert duplicate_error(edition, book=book, number=2) == 1062
    edition.objects.create(book=book, number=3)
    assert duplicate_error(get("apps_reusable", "Cover"), book=book) == 1062
    assert duplicate_error(book_model.authors.through, book=book, author=author) == 1062
    assert sorted(book_model.objects.values_list("isbn", "code")) == [
        ("9780000000001", "B1"),
        ("9780000000002", "B3"),
    ]
    assert list(book.authors.values_list("slug", flat=True)) == ["ann"]


def test_migration_matches_the_models(reusable_app):
    call_command(
        "makemigrations", "apps_reusable", check=True, dry_run=True, stdout=StringIO()
    )


def test_default_layout_is_refused_naming_every_model(reusable_app):
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as raised:
            migrate(skip_checks=True)
    assert str(raised.value) == REFUSAL
    assert create_sql(captured) == []
    assert not TABLES & table_names()


def test_auto_migrates_from_zero_and_enforces_every_unique_set(reusable_app):
    statements, notes = migrate_from_zero(
        reusable_app, {**BASE, "DEFAULT_STORAGE": "AUTO"}
    )
    assert statements == CREATE_SQL
    assert notes == MIGRATE_NOTES
    assert_every_unique_set_is_enforced()


def test_the_pasted_setting_migrates_and_enforces_every_unique_set(reusable_app):
    namespace = {}
    exec(FIX_SETTING, namespace)
    statements, _ = migrate_from_zero(reusable_app, namespace["SINGLESTORE"])
    # The tables AUTO picks, except that the many-to-many table follows the
    # STORAGE entry of the model declaring it (Book), as any entry does.
    assert statements == [
        *CREATE_SQL[:3],
        "CREATE ROWSTORE REFERENCE TABLE `apps_reusable_book_authors` "
        "(`id` bigint AUTO_INCREMENT NOT NULL, `book_id` bigint NOT NULL, "
        "`author_id` bigint NOT NULL, PRIMARY KEY (`book_id`, `author_id`), "
        "KEY `apps_reusable_book_authors_id_9785ded2_key` (`id`), "
        "KEY `apps_reusable_book_authors_book_id_205e7fed` (`book_id`), "
        "KEY `apps_reusable_book_authors_author_id_95a23aa5` (`author_id`))",
        *CREATE_SQL[4:],
    ]
    assert_every_unique_set_is_enforced()
