"""ORM queries through the backend: exact SQL and exact rows."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import (
    IntegrityError,
    NotSupportedError,
    ProgrammingError,
    connection,
    transaction,
)
from django.db.models import (
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractIsoYear,
    ExtractWeekDay,
    Greatest,
    RowNumber,
    TruncDay,
    TruncMonth,
)
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .models import Category, Counter, Item, Shift, Tag

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def sqls(captured):
    return [query["sql"] for query in captured]


@pytest.fixture
def items():
    kitchen = Category.objects.create(slug="kitchen", name="Kitchen")
    rows = [
        Item.objects.create(
            id=1,
            name="Bowl",
            price=Decimal("4.50"),
            created=datetime.datetime(2024, 1, 31, 23, 30, tzinfo=UTC),
            category=kitchen,
        ),
        Item.objects.create(
            id=2,
            name="bowl large",
            price=Decimal("9.00"),
            created=datetime.datetime(2024, 2, 1, 8, 0, tzinfo=UTC),
        ),
        Item.objects.create(id=3, name="Cup_1", price=Decimal("2.25")),
    ]
    return rows


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_insert_and_select_sql():
    with CaptureQueriesContext(connection) as captured:
        Item.objects.create(id=7, name="Plate", price=Decimal("3.10"))
        row = Item.objects.get(pk=7)
    assert sqls(captured) == [
        "INSERT INTO `integration_item` (`id`, `name`, `price`, `created`, "
        "`data`, `category_id`) VALUES (7, 'Plate', 3.10, NULL, NULL, NULL)",
        "SELECT `integration_item`.`id`, `integration_item`.`name`, "
        "`integration_item`.`price`, `integration_item`.`created`, "
        "`integration_item`.`data`, `integration_item`.`category_id` "
        "FROM `integration_item` WHERE `integration_item`.`id` = 7 LIMIT 21",
    ]
    assert (row.id, row.name, row.price) == (7, "Plate", Decimal("3.10"))


def test_auto_increment_ids_come_back():
    first = Item.objects.create(name="a")
    second = Item.objects.create(name="b")
    assert isinstance(first.id, int) and second.id > first.id


def test_case_insensitive_lookups_lower_both_sides(items):
    with CaptureQueriesContext(connection) as captured:
        assert names(Item.objects.filter(name__iexact="BOWL")) == ["Bowl"]
        assert names(Item.objects.filter(name__icontains="OWL")) == [
            "Bowl",
            "bowl large",
        ]
        assert names(Item.objects.filter(name__istartswith="BO")) == [
            "Bowl",
            "bowl large",
        ]
        assert names(Item.objects.filter(name__iendswith="LARGE")) == ["bowl large"]
    assert (
        "WHERE LOWER(`integration_item`.`name`) LIKE LOWER('BOWL')"
        in (sqls(captured)[0])
    )
    assert (
        "WHERE LOWER(`integration_item`.`name`) LIKE LOWER('%OWL%')"
        in (sqls(captured)[1])
    )


def test_case_sensitive_lookups(items):
    assert names(Item.objects.filter(name__contains="owl")) == ["Bowl", "bowl large"]
    assert names(Item.objects.filter(name__startswith="bowl")) == ["bowl large"]
    assert names(Item.objects.filter(name__endswith="_1")) == ["Cup_1"]
    assert names(Item.objects.filter(name__contains="p_")) == ["Cup_1"]
    assert names(Item.objects.filter(name="Bowl")) == ["Bowl"]


def test_pattern_lookups_against_expressions(items):
    Item.objects.create(id=4, name="Bo", price=0)
    matched = Item.objects.filter(name__istartswith=F("name")).exclude(pk=4)
    assert names(matched) == ["Bowl", "Cup_1", "bowl large"]


def test_regex_lookups(items):
    with CaptureQueriesContext(connection) as captured:
        assert names(Item.objects.filter(name__regex=r"^b")) == ["bowl large"]
        assert names(Item.objects.filter(name__iregex=r"^b")) == [
            "Bowl",
            "bowl large",
        ]
    assert (
        "WHERE REGEXP_INSTR(`integration_item`.`name`, '^b', 1, 1, 0, 'c') > 0"
        in sqls(captured)[0]
    )
    assert (
        "REGEXP_INSTR(`integration_item`.`name`, '^b', 1, 1, 0, 'i') > 0"
        in (sqls(captured)[1])
    )


def test_cast_uses_the_singlestore_operator(items):
    with CaptureQueriesContext(connection) as captured:
        values = list(
            Item.objects.order_by("id").annotate(
                whole=Cast("price", output_field=Item._meta.get_field("id"))
            )
        )
    assert [item.whole for item in values] == [5, 9, 2]
    assert "(`integration_item`.`price`) :> BIGINT AS `whole`" in sqls(captured)[0]


def test_datetimes_are_stored_as_utc(items):
    with connection.cursor() as cursor:
        cursor.execute("SELECT `created` FROM `integration_item` WHERE `id` = 1")
        assert cursor.fetchone() == (datetime.datetime(2024, 1, 31, 23, 30),)
    assert Item.objects.get(pk=1).created == datetime.datetime(
        2024, 1, 31, 23, 30, tzinfo=UTC
    )


def test_date_truncation_and_extraction_in_utc(items, settings):
    settings.TIME_ZONE = "UTC"
    with CaptureQueriesContext(connection) as captured:
        months = list(
            Item.objects.filter(pk__in=[1, 2])
            .order_by("id")
            .values_list(TruncMonth("created"), TruncDay("created"))
        )
        extracted = list(
            Item.objects.filter(pk__in=[1, 2])
            .order_by("id")
            .values_list(ExtractWeekDay("created"), ExtractIsoYear("created"))
        )
    assert months == [
        (
            datetime.datetime(2024, 1, 1, tzinfo=UTC),
            datetime.datetime(2024, 1, 31, tzinfo=UTC),
        ),
        (
            datetime.datetime(2024, 2, 1, tzinfo=UTC),
            datetime.datetime(2024, 2, 1, tzinfo=UTC),
        ),
    ]
    assert extracted == [(4, 2024), (5, 2024)]
    assert sqls(captured)[0].startswith(
        "SELECT DATE_TRUNC('month', `integration_item`.`created`) AS "
    )


def test_update_counts_matched_rows_and_has_no_order_by(items):
    with CaptureQueriesContext(connection) as captured:
        matched = Item.objects.order_by("name").filter(pk=3).update(price=2.25)
    assert matched == 1
    assert sqls(captured) == [
        "UPDATE `integration_item` SET `price` = 2.25 WHERE `integration_item`.`id` = 3"
    ]


def test_delete_through_a_join(items):
    with CaptureQueriesContext(connection) as captured:
        Item.objects.filter(category__slug="kitchen").delete()
        Counter.objects.filter(label__startswith="x").delete()
    assert names(Item.objects.all()) == ["Cup_1", "bowl large"]
    assert sqls(captured)[1:] == [
        "DELETE FROM `integration_item_tags` WHERE "
        "`integration_item_tags`.`item_id` IN (1)",
        "DELETE FROM `integration_item` WHERE `integration_item`.`id` IN (1)",
        "DELETE FROM `integration_counter` WHERE "
        "`integration_counter`.`label` LIKE BINARY 'x%'",
    ]


def test_bulk_create_ignore_conflicts():
    Counter.objects.create(code="a", hits=1)
    with CaptureQueriesContext(connection) as captured:
        Counter.objects.bulk_create(
            [Counter(code="a", hits=5), Counter(code="b", hits=2)],
            ignore_conflicts=True,
        )
    assert sqls(captured) == [
        "INSERT IGNORE INTO `integration_counter` (`code`, `hits`, `label`) "
        "VALUES ('a', 5, ''), ('b', 2, '')"
    ]
    assert list(Counter.objects.order_by("code").values_list("code", "hits")) == [
        ("a", 1),
        ("b", 2),
    ]


def test_bulk_create_update_conflicts():
    Counter.objects.create(code="a", hits=1, label="old")
    with CaptureQueriesContext(connection) as captured:
        Counter.objects.bulk_create(
            [Counter(code="a", hits=5, label="new"), Counter(code="c", hits=3)],
            update_conflicts=True,
            update_fields=["hits"],
        )
    assert sqls(captured) == [
        "INSERT INTO `integration_counter` (`code`, `hits`, `label`) "
        "VALUES ('a', 5, 'new'), ('c', 3, '') "
        "ON DUPLICATE KEY UPDATE `hits` = VALUES(`hits`)"
    ]
    assert list(
        Counter.objects.order_by("code").values_list("code", "hits", "label")
    ) == [("a", 5, "old"), ("c", 3, "")]


def test_update_conflicts_with_target_refused():
    with pytest.raises(NotSupportedError):
        Counter.objects.bulk_create(
            [Counter(code="a")],
            update_conflicts=True,
            update_fields=["hits"],
            unique_fields=["code"],
        )


def test_select_for_update_on_a_rowstore_table():
    Counter.objects.create(code="a", hits=1)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        locked = list(Counter.objects.select_for_update().filter(code="a"))
    assert [row.code for row in locked] == ["a"]
    assert sqls(captured) == [
        "SELECT `integration_counter`.`code`, `integration_counter`.`hits`, "
        "`integration_counter`.`label` FROM `integration_counter` "
        "WHERE `integration_counter`.`code` = 'a' FOR UPDATE"
    ]


def test_select_for_update_options_refused():
    with transaction.atomic(), pytest.raises(NotSupportedError):
        list(Counter.objects.select_for_update(nowait=True))


def test_window_functions(items):
    rows = list(
        Item.objects.annotate(rank=Window(RowNumber(), order_by=F("price").desc()))
        .order_by("rank")
        .values_list("name", "rank")
    )
    assert rows == [("bowl large", 1), ("Bowl", 2), ("Cup_1", 3)]


def test_aggregate(items):
    assert Item.objects.aggregate(total=Sum("price")) == {"total": Decimal("15.75")}


def test_explain():
    with CaptureQueriesContext(connection) as captured:
        Counter.objects.filter(code="a").explain()
        Counter.objects.filter(code="a").explain(format="json")
    assert sqls(captured)[0].startswith("EXPLAIN SELECT ")
    assert sqls(captured)[1].startswith("EXPLAIN JSON SELECT ")
    with pytest.raises(ValueError, match="Unknown options: analyze"):
        Counter.objects.explain(analyze=True)


def test_nested_atomic_without_savepoints():
    with CaptureQueriesContext(connection) as captured:
        with transaction.atomic():
            Counter.objects.create(code="n")
            with transaction.atomic():
                Counter.objects.create(code="m")
    assert not any("SAVEPOINT" in sql for sql in sqls(captured))
    assert names_of_counters() == ["m", "n"]


def names_of_counters():
    return sorted(Counter.objects.values_list("code", flat=True))


def test_many_to_many(items):
    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    items[0].tags.add(red, blue)
    items[1].tags.add(red)
    assert sorted(Tag.objects.filter(item__id=1).values_list("name", flat=True)) == [
        "blue",
        "red",
    ]
    assert names(Item.objects.filter(tags=red)) == ["Bowl", "bowl large"]
    items[0].tags.remove(red)
    assert list(items[0].tags.values_list("name", flat=True)) == ["blue"]


def test_ids_beyond_32_bits():
    """Auto fields are BIGINT: ids above 2**31 store, load and filter."""
    big = 2**33 + 5
    kitchen = Category.objects.create(id=big, slug="k", name="K")
    item = Item.objects.create(id=big + 1, name="big", category=kitchen)
    assert Item.objects.get(pk=big + 1).category_id == big
    assert Item.objects.filter(category__id=big).get() == item


@pytest.mark.parametrize("zone_names, source", [(True, "'UTC'"), (False, "'+00:00'")])
def test_truncation_in_a_fixed_offset_zone(
    items, settings, monkeypatch, zone_names, source
):
    # Without zone names (a server whose CONVERT_TZ knows none) UTC is spelt as
    # an offset, which every server understands.
    monkeypatch.setattr(connection.features, "has_zoneinfo_database", zone_names)
    settings.TIME_ZONE = "UTC"
    plus_one = datetime.timezone(datetime.timedelta(hours=1))
    with timezone.override(plus_one), CaptureQueriesContext(connection) as captured:
        days = list(
            Item.objects.filter(pk=1).values_list(TruncDay("created"), flat=True)
        )
    assert days == [datetime.datetime(2024, 2, 1, tzinfo=plus_one)]
    assert (
        "DATE_TRUNC('day', CONVERT_TZ(`integration_item`.`created`, "
        f"{source}, '+01:00'))" in sqls(captured)[0]
    )


def test_named_zone_truncation(items, settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert connection.features.has_zoneinfo_database is True
    days = list(Item.objects.filter(pk=1).values_list(TruncDay("created"), flat=True))
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    assert days == [datetime.datetime(2024, 2, 1, tzinfo=paris)]


def test_named_zone_without_tz_tables_is_refused(items, settings, monkeypatch):
    monkeypatch.setattr(connection.features, "has_zoneinfo_database", False)
    settings.TIME_ZONE = "Europe/Paris"
    with pytest.raises(NotSupportedError) as error:
        list(Item.objects.values_list(TruncDay("created"), flat=True))
    assert str(error.value) == (
        "Converting datetimes to the time zone 'Europe/Paris' needs SingleStore's "
        "time zone tables, which this server has not loaded (CONVERT_TZ would "
        "return NULL). Load them, or use UTC or a fixed-offset zone for this query."
    )


def test_unique_violation_is_an_integrity_error():
    Category.objects.create(slug="same", name="A")
    with pytest.raises(IntegrityError) as error:
        Category.objects.create(slug="same", name="B")
    assert error.value.args[0] == 1062


def test_null_into_not_null_column_is_an_integrity_error():
    with pytest.raises(IntegrityError) as error:
        Counter.objects.create(code="z", hits=None)
    assert error.value.args[0] == 1048


def test_sliced_union_is_wrapped_so_limit_covers_every_branch(items):
    cheap = Item.objects.filter(price__lt=3).values_list("name", flat=True)
    dear = Item.objects.filter(price__gt=5).values_list("name", flat=True)
    with CaptureQueriesContext(connection) as captured:
        first_two = list(cheap.union(dear).order_by("name")[:2])
    assert first_two == ["bowl large", "Cup_1"]
    assert sqls(captured) == [
        "SELECT * FROM (SELECT `integration_item`.`name` AS `name` FROM "
        "`integration_item` WHERE `integration_item`.`price` < 3 UNION "
        "SELECT `integration_item`.`name` AS `name` FROM `integration_item` "
        "WHERE `integration_item`.`price` > 5) AS `__compound` "
        "ORDER BY 1 ASC LIMIT 2"
    ]


def test_exists_of_a_compound_drops_limit_1_so_branches_see_outer_refs(items):
    same = Item.objects.order_by().filter(pk=OuterRef("pk")).values("pk")
    dear = Item.objects.order_by().filter(price__gt=5).values("pk")
    outer = Item.objects.filter(Exists(same.intersection(dear))).values_list(
        "name", flat=True
    )
    with CaptureQueriesContext(connection) as captured:
        assert list(outer) == ["bowl large"]
    assert sqls(captured) == [
        "SELECT `integration_item`.`name` AS `name` FROM `integration_item` "
        "WHERE EXISTS(SELECT U0.`id` AS `pk` FROM `integration_item` U0 WHERE "
        "U0.`id` = (`integration_item`.`id`) INTERSECT SELECT U0.`id` AS `pk` "
        "FROM `integration_item` U0 WHERE U0.`price` > 5)"
    ]


def test_aware_values_that_cannot_be_stored(settings):
    aware = datetime.datetime(2024, 1, 1, 12, tzinfo=UTC)
    settings.USE_TZ = False
    with pytest.raises(ValueError) as error:
        connection.ops.adapt_datetimefield_value(aware)
    assert str(error.value) == (
        "SingleStore backend does not support timezone-aware datetimes when "
        "USE_TZ is False. It stores naive datetimes, and datetime.datetime(2024, "
        "1, 1, 12, 0, tzinfo=datetime.timezone.utc) is aware. Set USE_TZ = True "
        "(values are then stored as UTC) or pass a naive datetime."
    )
    with pytest.raises(ValueError) as error:
        connection.ops.adapt_timefield_value(datetime.time(1, tzinfo=UTC))
    assert str(error.value) == (
        "SingleStore backend does not support timezone-aware times. TIME "
        "columns have no time zone, and datetime.time(1, 0, "
        "tzinfo=datetime.timezone.utc) is aware. Pass a naive time."
    )


def test_logged_sql_binds_parameters_also_when_the_statement_fails():
    with CaptureQueriesContext(connection) as captured:
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s, %s, '100%%'", ["it's", 3])
            with pytest.raises(ProgrammingError) as failure:
                cursor.execute("SELECT name FROM no_such_table WHERE id = %s", [5])
    assert failure.value.args[0] == 1146
    assert sqls(captured) == [
        "SELECT 'it\\'s', 3, '100%'",
        "SELECT name FROM no_such_table WHERE id = 5",
    ]


def test_logged_sql_with_unbindable_parameters_shows_them_apart():
    with CaptureQueriesContext(connection) as captured:
        with connection.cursor() as cursor:
            with pytest.raises(ProgrammingError):
                cursor.execute("SELECT %s, %s", [1])
    assert sqls(captured) == ["QUERY = 'SELECT %s, %s' - PARAMS = (1,)"]


def test_logged_sql_of_a_closed_cursor_shows_the_parameters_apart():
    cursor = connection.cursor()
    cursor.close()
    assert connection.ops.last_executed_query(cursor, "SELECT %s", [2]) == (
        "QUERY = 'SELECT %s' - PARAMS = (2,)"
    )


@pytest.fixture
def shifts():
    return [
        Shift.objects.create(
            id=1,
            starts=datetime.time(8),
            ends=datetime.time(16, 30, 0, 500),
            length=datetime.timedelta(hours=1, microseconds=3),
            day=datetime.date(2024, 3, 1),
        ),
        Shift.objects.create(
            id=2,
            starts=datetime.time(22, 15),
            length=datetime.timedelta(microseconds=5),
        ),
    ]


def test_duration_times_and_over_a_number(shifts):
    with CaptureQueriesContext(connection) as captured:
        rows = list(
            Shift.objects.annotate(
                double=ExpressionWrapper(F("length") * 2, DurationField()),
                third=ExpressionWrapper(F("length") / 3, DurationField()),
                scaled=ExpressionWrapper(Value(0.5) * F("length"), DurationField()),
            )
            .order_by("id")
            .values_list("double", "third", "scaled")
        )
    assert sqls(captured) == [
        "SELECT (`integration_shift`.`length` * 2) AS `double`, "
        "(`integration_shift`.`length` / 3) AS `third`, "
        "(0.5e0 * `integration_shift`.`length`) AS `scaled` "
        "FROM `integration_shift` ORDER BY `integration_shift`.`id` ASC"
    ]
    hour = datetime.timedelta(hours=1)
    micro = datetime.timedelta(microseconds=1)
    # 5 µs / 3 and 5 µs * 0.5 round half to even, as timedelta does.
    assert rows == [
        (2 * hour + 6 * micro, hour / 3 + micro, hour / 2 + 2 * micro),
        (10 * micro, 2 * micro, 2 * micro),
    ]
    assert rows[1] == (
        shifts[1].length * 2,
        shifts[1].length / 3,
        shifts[1].length * 0.5,
    )


def test_datetime_times_a_duration_is_refused_by_the_server(shifts):
    with pytest.raises(ProgrammingError):
        list(Item.objects.filter(created=F("created") * datetime.timedelta(0)))


def test_time_subtraction_in_microseconds(shifts):
    with CaptureQueriesContext(connection) as captured:
        rows = list(
            Shift.objects.annotate(span=F("ends") - F("starts"))
            .order_by("id")
            .values_list("span", flat=True)
        )
    micros = (
        "((HOUR(`integration_shift`.`{0}`) * 3600 + "
        "MINUTE(`integration_shift`.`{0}`) * 60 + "
        "SECOND(`integration_shift`.`{0}`)) * 1000000 + "
        "MICROSECOND(`integration_shift`.`{0}`))"
    )
    assert sqls(captured) == [
        f"SELECT ({micros.format('ends')} - {micros.format('starts')}) AS `span` "
        "FROM `integration_shift` ORDER BY `integration_shift`.`id` ASC"
    ]
    assert rows == [datetime.timedelta(hours=8, minutes=30, microseconds=500), None]


def test_temporal_defaults_from_python_come_back_typed(shifts):
    missing = Shift.objects.filter(id=99)
    assert missing.aggregate(
        ends=Min("ends", default=datetime.time(17)),
        day=Max("day", default=datetime.date(2000, 1, 2)),
    ) == {"ends": datetime.time(17), "day": datetime.date(2000, 1, 2)}
    assert Shift.objects.aggregate(
        ends=Min("ends", default=datetime.time(17)),
        day=Max("day", default=datetime.date(2000, 1, 2)),
    ) == {"ends": datetime.time(16, 30, 0, 500), "day": datetime.date(2024, 3, 1)}


def test_greatest_of_coalesced_datetimes(items):
    past = datetime.datetime(1900, 1, 1, tzinfo=UTC)
    with CaptureQueriesContext(connection) as captured:
        rows = list(
            Item.objects.annotate(
                latest=Greatest(Coalesce("created", past), Coalesce("created", past))
            )
            .order_by("id")
            .values_list("latest", flat=True)
        )
    assert sqls(captured) == [
        "SELECT GREATEST(COALESCE(`integration_item`.`created`, "
        "'1900-01-01 00:00:00'), COALESCE(`integration_item`.`created`, "
        "'1900-01-01 00:00:00')) AS `latest` FROM `integration_item` "
        "ORDER BY `integration_item`.`id` ASC"
    ]
    assert rows == [
        datetime.datetime(2024, 1, 31, 23, 30, tzinfo=UTC),
        datetime.datetime(2024, 2, 1, 8, 0, tzinfo=UTC),
        datetime.datetime(1900, 1, 1, tzinfo=UTC),
    ]


def test_logged_sql_is_what_execute_wrappers_sent():
    def comment(execute, sql, params, many, context):
        return execute(f"/* wrapped */ {sql}", params, many, context)

    with CaptureQueriesContext(connection) as captured:
        with connection.execute_wrapper(comment):
            assert Counter.objects.filter(code="x'").count() == 0
            with pytest.raises(ProgrammingError):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM no_such_table WHERE id = %s", [1])
    assert sqls(captured) == [
        "/* wrapped */ SELECT COUNT(*) AS `__count` FROM `integration_counter` "
        "WHERE `integration_counter`.`code` = 'x\\''",
        "/* wrapped */ SELECT * FROM no_such_table WHERE id = 1",
    ]


def test_text_that_is_no_date_names_the_output_field(shifts):
    query = Shift.objects.annotate(
        when=RawSQL("'soon'", [], output_field=DateField())
    ).values_list("when", flat=True)
    with pytest.raises(ValueError) as error:
        list(query)
    assert str(error.value) == (
        "SingleStore returned 'soon' for an expression whose output_field is a "
        "DateField; it is not in the server's date/time format. Give the "
        "expression the output_field that matches what it returns."
    )
