"""Unusual JSON keys through every JSONField lookup and transform.

Only a key of ASCII digits reads an array position (an integer key-path
argument); every other key, '²' and '٣' included (``str.isdigit()`` is true
for both), is an object member passed as a string.
"""

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.fields.json import KT, KeyTextTransform, KeyTransform

from .models import Item

pytestmark = pytest.mark.django_db

KEYS = [
    "²",  # superscript two: isdigit(), int() refuses it
    "٣",  # Arabic-Indic three: isdigit() and isdecimal(), int() reads 3
    "½",  # vulgar fraction: isnumeric() only
    "-1",
    "1.5",
    " 1",
    "",
    "'",
    '"',
    "\\",
    "%",
    "%s",
    "a.b",
    "$.a",
    "k" * 300,
]

# values_list("data__<key>") makes the key part of a column alias: Django
# refuses whitespace and quotes there on every backend, and a '%' in an alias
# reaches the driver's parameter formatting (issue 7, item 4, the '%' in a
# name; not a key-path question).
NO_ALIAS = {" 1", "'", '"', "%", "%s"}


def ids(queryset):
    return sorted(queryset.values_list("id", flat=True))


@pytest.fixture
def doc_per_key():
    """Item i holds {key_i: "v<i>", "n": i} and a decoy with the other keys'
    values under "x"."""
    for number, key in enumerate(KEYS, start=1):
        Item.objects.create(id=number, name=f"k{number}", data={key: f"v{number}"})
    Item.objects.create(id=100, name="decoy", data={"x": "v1", "list": ["v1"]})


def where(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).split(" WHERE ", 1)[1]


def test_superscript_key_is_a_string_argument():
    assert where(Item.objects.filter(**{"data__²": "v"})) == (
        "JSON_EXTRACT_JSON(`integration_item`.`data`, '²') = ('\\\"v\\\"' :> JSON)"
    )
    assert where(Item.objects.filter(data__list__0="v")) == (
        "JSON_EXTRACT_JSON(`integration_item`.`data`, 'list', 0) = "
        "('\\\"v\\\"' :> JSON)"
    )


@pytest.mark.parametrize("number,key", list(enumerate(KEYS, start=1)))
def test_every_path_finds_the_key(doc_per_key, number, key):
    value = f"v{number}"
    path = f"data__{key}"
    assert ids(Item.objects.filter(**{path: value})) == [number]
    assert ids(Item.objects.filter(**{f"{path}__in": [value, "w"]})) == [number]
    assert ids(Item.objects.filter(**{f"{path}__startswith": value})) == [number]
    assert ids(Item.objects.filter(**{f"{path}__iexact": value.upper()})) == [number]
    assert ids(Item.objects.filter(**{f"{path}__isnull": False})) == [number]
    assert ids(Item.objects.filter(data__has_key=key)) == [number]
    assert ids(Item.objects.filter(data__has_keys=[key])) == [number]
    assert ids(Item.objects.filter(data__has_any_keys=[key, "nothing"])) == [number]
    assert ids(Item.objects.filter(data__contains={key: value})) == [number]
    assert ids(Item.objects.filter(**{f"{path}__gt": "v"})) == [number]
    mine = Item.objects.filter(pk=number)
    if key not in NO_ALIAS:
        assert list(mine.values_list(path, flat=True)) == [value]
    assert list(mine.values_list(KT(path), flat=True)) == [value]
    assert list(mine.values_list(KeyTransform(key, "data"), flat=True)) == [value]
    assert list(mine.values_list(KeyTextTransform(key, "data"), flat=True)) == [value]
    assert list(mine.annotate(v=F(path)).values_list("v", flat=True)) == [value]
    assert list(mine.order_by(path).values_list("id", flat=True)) == [number]


def test_a_key_with_double_underscores_through_key_transform(doc_per_key):
    Item.objects.create(id=200, name="dunder", data={"a__b": 7})
    queryset = Item.objects.annotate(v=KeyTransform("a__b", "data")).filter(v=7)
    assert ids(queryset) == [200]


def test_unicode_digit_keys_do_not_index_arrays():
    Item.objects.create(id=1, name="array", data=["zero", "one", "two", "three"])
    Item.objects.create(id=2, name="object", data={"٣": "three", "3": "III"})
    assert ids(Item.objects.filter(data__3="three")) == [1]
    assert ids(Item.objects.filter(**{"data__٣": "three"})) == [2]
    assert ids(Item.objects.filter(data__has_key="٣")) == [2]
    # As in Django: a final has_key key names an object member, while a
    # digit key inside a transform reads an array position.
    assert ids(Item.objects.filter(data__has_key="3")) == [2]
    assert list(
        Item.objects.order_by("id").values_list(KT("data__٣"), KT("data__3"))
    ) == [(None, "three"), ("three", None)]


def test_numeric_comparison_on_an_unusual_key():
    Item.objects.create(id=1, name="low", data={"²": 1, "-1": 10})
    Item.objects.create(id=2, name="high", data={"²": 5, "-1": -10})
    assert ids(Item.objects.filter(**{"data__²__gt": 2})) == [2]
    assert ids(Item.objects.filter(**{"data__-1__lt": 0})) == [2]
    assert where(Item.objects.filter(**{"data__²__gte": 2})) == (
        "JSON_EXTRACT_DOUBLE(`integration_item`.`data`, '²') >= 2"
    )
