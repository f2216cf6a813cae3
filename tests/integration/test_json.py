"""JSONField on SingleStore: key paths as arguments, never '$' paths."""

import pytest
from django.db import NotSupportedError, connection
from django.db.models import Value
from django.db.models.fields.json import KT
from django.db.models.functions import JSONObject
from django.test.utils import CaptureQueriesContext

from .models import Item

pytestmark = pytest.mark.django_db

DOCS = {
    1: {"a": 1, "b": {"c": "Deep"}, "list": [10, 20]},
    2: {"a": 5, "b": {"c": "other"}, "n": None},
    3: {"x": "Text"},
    4: None,
}


@pytest.fixture
def docs():
    for pk, data in DOCS.items():
        Item.objects.create(id=pk, name=f"doc{pk}", data=data)


def ids(queryset):
    return sorted(queryset.values_list("id", flat=True))


def where(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).split(" WHERE ", 1)[1]


def test_values_round_trip(docs):
    assert Item.objects.get(pk=1).data == DOCS[1]
    assert Item.objects.get(pk=4).data is None


def test_key_transform_exact(docs):
    queryset = Item.objects.filter(data__a=5)
    assert where(queryset) == (
        "JSON_EXTRACT_JSON(`integration_item`.`data`, 'a') = ('5' :> JSON)"
    )
    assert ids(queryset) == [2]
    assert ids(Item.objects.filter(data__b__c="Deep")) == [1]
    assert ids(Item.objects.filter(data__list__1=20)) == [1]


def test_key_in(docs):
    queryset = Item.objects.filter(data__a__in=[5, 7])
    assert where(queryset) == (
        "JSON_EXTRACT_JSON(`integration_item`.`data`, 'a') IN "
        "(('5' :> JSON), ('7' :> JSON))"
    )
    assert ids(queryset) == [2]
    assert ids(Item.objects.filter(data__b__c__in=["Deep", "x"])) == [1]


def test_array_index_is_an_integer_argument(docs):
    assert where(Item.objects.filter(data__list__0=10)) == (
        "JSON_EXTRACT_JSON(`integration_item`.`data`, 'list', 0) = ('10' :> JSON)"
    )


def test_json_null_versus_missing_key(docs):
    assert ids(Item.objects.filter(data__n=None)) == [2]
    assert ids(Item.objects.filter(data__n__isnull=False)) == [2]
    assert ids(Item.objects.filter(data__isnull=True)) == [4]


def test_has_key_lookups(docs):
    queryset = Item.objects.filter(data__has_key="a")
    assert where(queryset) == "JSON_MATCH_ANY_EXISTS(`integration_item`.`data`, 'a')"
    assert ids(queryset) == [1, 2]
    assert ids(Item.objects.filter(data__has_keys=["a", "n"])) == [2]
    assert ids(Item.objects.filter(data__has_any_keys=["n", "x"])) == [2, 3]
    nested = Item.objects.filter(data__b__has_key="c")
    assert where(nested) == (
        "JSON_MATCH_ANY_EXISTS(`integration_item`.`data`, 'b', 'c')"
    )
    assert ids(nested) == [1, 2]


def test_key_text_lookups(docs):
    queryset = Item.objects.filter(data__b__c__icontains="DEE")
    assert where(queryset) == (
        "LOWER(JSON_EXTRACT_STRING(`integration_item`.`data`, 'b', 'c')) "
        "LIKE LOWER('%DEE%')"
    )
    assert ids(queryset) == [1]
    assert ids(Item.objects.filter(data__x__startswith="Te")) == [3]


def test_key_numeric_comparison(docs):
    queryset = Item.objects.filter(data__a__gt=2)
    assert where(queryset) == (
        "JSON_EXTRACT_DOUBLE(`integration_item`.`data`, 'a') > 2"
    )
    assert ids(queryset) == [2]
    assert ids(Item.objects.filter(data__a__lte=1)) == [1]


def test_kt_annotation(docs):
    with CaptureQueriesContext(connection) as captured:
        values = list(
            Item.objects.filter(pk__in=[1, 2, 3])
            .order_by("id")
            .values_list(KT("data__b__c"), KT("data__list__0"))
        )
    assert values == [("Deep", "10"), ("other", None), (None, None)]
    assert captured[0]["sql"].startswith(
        "SELECT JSON_EXTRACT_STRING(`integration_item`.`data`, 'b', 'c') AS "
        "`keytexttransform1`, JSON_EXTRACT_STRING(`integration_item`.`data`, "
        "'list', 0) AS `keytexttransform2` FROM "
    )


def test_whole_document_exact(docs):
    queryset = Item.objects.filter(data={"x": "Text"})
    assert where(queryset) == (
        '`integration_item`.`data` = (\'{\\"x\\": \\"Text\\"}\' :> JSON)'
    )
    assert ids(queryset) == [3]


def test_json_object(docs):
    queryset = Item.objects.filter(pk=3).annotate(
        obj=JSONObject(name="name", k=Value("v"))
    )
    assert queryset.values_list("obj", flat=True).get() == {
        "name": "doc3",
        "k": "v",
    }


def test_contains(docs):
    queryset = Item.objects.filter(data__contains={"a": 1})
    assert where(queryset) == (
        "(JSON_GET_TYPE(`integration_item`.`data`) = 'object' AND "
        "(JSON_EXTRACT_JSON(`integration_item`.`data`, 'a') = ('1' :> JSON) OR "
        "(JSON_GET_TYPE(JSON_EXTRACT_JSON(`integration_item`.`data`, 'a')) = "
        "'array' AND JSON_ARRAY_CONTAINS_JSON(JSON_EXTRACT_JSON("
        "`integration_item`.`data`, 'a'), ('1' :> JSON)))))"
    )
    assert ids(queryset) == [1]
    assert ids(Item.objects.filter(data__contains={"b": {"c": "Deep"}})) == [1]
    assert ids(Item.objects.filter(data__contains={"list": [20]})) == [1]
    assert ids(Item.objects.filter(data__contains={})) == [1, 2, 3]
    assert ids(Item.objects.filter(data__list__contains=10)) == [1]
    assert ids(Item.objects.filter(data__contains={"n": None})) == [2]


def test_contains_not_expressible(docs):
    with pytest.raises(NotSupportedError, match="contains an object or an array"):
        list(Item.objects.filter(data__contains={"list": [{"x": 1}]}))
    with pytest.raises(NotSupportedError, match="contained_by is not supported"):
        list(Item.objects.filter(data__contained_by={"a": 1}))


def test_has_key_with_a_digit_key():
    Item.objects.create(id=9, name="digits", data={"123": 1, "arr": [{"7": 0}]})
    Item.objects.create(id=10, name="array", data=[5, 6])
    assert where(Item.objects.filter(data__has_key="123")) == (
        "(JSON_GET_TYPE(`integration_item`.`data`) = 'object' AND "
        "JSON_MATCH_ANY_EXISTS(`integration_item`.`data`, '123'))"
    )
    assert ids(Item.objects.filter(data__has_key="123")) == [9]
    assert where(Item.objects.filter(data__arr__0__has_key="7")) == (
        "(JSON_GET_TYPE(JSON_EXTRACT_JSON(`integration_item`.`data`, 'arr', 0)) = "
        "'object' AND JSON_MATCH_ANY_EXISTS(`integration_item`.`data`, 'arr', 0, '7'))"
    )
    assert ids(Item.objects.filter(data__arr__0__has_key="7")) == [9]
    # A digit key names an object key, never an array position (as in Django).
    assert ids(Item.objects.filter(data__has_key="0")) == []
    assert ids(Item.objects.filter(data__has_any_keys=["000", "x"])) == []
    assert ids(Item.objects.filter(data__has_key="name")) == []
