"""VectorField values, the form field and VectorIndex arguments (no database)."""

import struct

import numpy
import pytest
from django.core.exceptions import ValidationError

from django_singlestore.vector import (
    CosineSimilarity,
    DotProduct,
    EuclideanDistance,
    VectorField,
    VectorFormField,
    VectorIndex,
    normalize,
)


def test_db_type_and_deconstruct():
    field = VectorField(dimensions=4)
    assert field.db_type(None) == "VECTOR(4)"
    assert field.deconstruct()[1:] == (
        "django_singlestore.vector.VectorField",
        [],
        {"dimensions": 4},
    )
    typed = VectorField(dimensions=8, element_type="i16", as_numpy=True, null=True)
    assert typed.db_type(None) == "VECTOR(8, I16)"
    assert typed.deconstruct()[3] == {
        "null": True,
        "dimensions": 8,
        "element_type": "I16",
        "as_numpy": True,
    }


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({}, "dimensions must be a positive integer (the n of VECTOR(n)), not None."),
        (
            {"dimensions": 0},
            "dimensions must be a positive integer (the n of VECTOR(n)), not 0.",
        ),
        (
            {"dimensions": 3, "element_type": "F8"},
            "element_type 'F8' is not a SingleStore vector element type; use one "
            "of F32, F16, F64, I8, I16, I32, I64.",
        ),
    ],
)
def test_bad_field_arguments(kwargs, error):
    with pytest.raises(ValueError) as caught:
        VectorField(**kwargs)
    assert str(caught.value) == error


def test_values_travel_as_compact_json_text():
    field = VectorField(dimensions=3)
    assert field.get_prep_value([1, 0.5, -2]) == "[1.0,0.5,-2.0]"
    assert field.get_prep_value((0.1, 0.2, 0.3)) == "[0.1,0.2,0.3]"
    assert field.get_prep_value(numpy.array([1, 2, 3], dtype="float32")) == (
        "[1.0,2.0,3.0]"
    )
    assert field.get_prep_value(None) is None
    # Finite floats whose sum overflows are still accepted.
    assert field.get_prep_value([1e308, 1e308, 0.0]) == "[1e+308,1e+308,0.0]"
    ints = VectorField(dimensions=2, element_type="I8")
    assert ints.get_prep_value([3, -128.0]) == "[3,-128]"


@pytest.mark.parametrize(
    "element_type, value, error",
    [
        ("F32", [1, 2], "a VECTOR(3) value needs 3 elements, got 2."),
        ("F32", [1, "2", 3], "element 1 of the vector is '2', not a number."),
        ("F32", [1, True, 3], "element 1 of the vector is True, not a number."),
        (
            "F32",
            [1, float("nan"), 3],
            "element 1 of the vector is nan; SingleStore vectors hold finite "
            "numbers only.",
        ),
        (
            "F32",
            [0.5, float("-inf"), float("inf")],
            "element 1 of the vector is -inf; SingleStore vectors hold finite "
            "numbers only.",
        ),
        (
            "F64",
            [float("inf"), 0, 0],
            "element 0 of the vector is inf; SingleStore vectors hold finite "
            "numbers only.",
        ),
        (
            "I8",
            [1, 128, 0],
            "element 1 of the vector is 128, outside the I8 range -128..127.",
        ),
        (
            "I16",
            [1, 2.5, 0],
            "element 1 of the vector is 2.5; I16 vectors hold integers only.",
        ),
        (
            "F32",
            7,
            "a vector must be a list, tuple or numpy array of numbers, not int.",
        ),
    ],
)
def test_bad_values_are_refused_with_the_reason(element_type, value, error):
    field = VectorField(dimensions=3, element_type=element_type, name="emb")
    with pytest.raises(ValueError) as caught:
        field.get_prep_value(value)
    assert str(caught.value) == f"emb: {error}"
    with pytest.raises(ValidationError) as invalid:
        field.to_python(value)
    assert invalid.value.messages == [error]


def test_reads_accept_every_form_the_driver_returns():
    field = VectorField(dimensions=3)
    assert field.from_db_value("[0.6,0.8,0]", None, None) == [0.6, 0.8, 0.0]
    packed = struct.pack("<3f", 0.5, 1.0, -2.0)
    assert field.from_db_value(packed, None, None) == [0.5, 1.0, -2.0]
    assert field.from_db_value((0.5, 1.0, 2.0), None, None) == [0.5, 1.0, 2.0]
    assert field.from_db_value(numpy.array([1, 2, 3], dtype="float32"), None, None) == [
        1.0,
        2.0,
        3.0,
    ]
    ints = VectorField(dimensions=2, element_type="I16")
    assert ints.from_db_value(struct.pack("<2h", -3, 7), None, None) == [-3, 7]
    as_array = VectorField(dimensions=3, as_numpy=True).from_db_value(
        "[1,2,3]", None, None
    )
    assert (as_array.dtype.name, as_array.tolist()) == ("float32", [1.0, 2.0, 3.0])


def test_form_field():
    form_field = VectorField(dimensions=2).formfield()
    assert isinstance(form_field, VectorFormField)
    assert form_field.clean("[1, 2.5]") == [1.0, 2.5]
    assert form_field.prepare_value([1.0, 2.5]) == "[1.0,2.5]"
    assert not form_field.has_changed([1.0, 2.5], "[1, 2.5]")
    assert form_field.has_changed([1.0, 2.5], "[1, 2]")
    for text, error in [
        ("1, 2", "Enter a JSON array of numbers, e.g. [0.1, 0.2]."),
        ("[1]", "a VECTOR(2) value needs 2 elements, got 1."),
    ]:
        with pytest.raises(ValidationError) as caught:
            form_field.clean(text)
        assert caught.value.messages == [error]


def test_normalize():
    assert normalize([3, 4]) == [0.6, 0.8]
    with pytest.raises(ValueError) as caught:
        normalize([0, 0])
    assert str(caught.value) == (
        "the zero vector has no direction and cannot be normalized."
    )


def test_expressions_bind_the_query_vector_as_json_text():
    assert DotProduct("emb", [1, 2]).source_expressions[1].value == "[1.0,2.0]"
    assert CosineSimilarity("emb", [3, 4]).source_expressions[1].value == ("[0.6,0.8]")
    with pytest.raises(ValueError) as caught:
        DotProduct("emb", ["x"])
    assert str(caught.value) == "element 0 of the vector is 'x', not a number."


def test_vector_index_options_and_deconstruct():
    index = VectorIndex(
        fields=["emb"],
        name="ix",
        index_type="ivf_pq",
        metric="dot_product",
        options={"nlist": 64, "m": 8},
    )
    assert index.index_options() == (
        '{"index_type":"IVF_PQ","metric_type":"DOT_PRODUCT","nlist":64,"m":8}'
    )
    assert index.deconstruct() == (
        "django_singlestore.vector.VectorIndex",
        (),
        {
            "name": "ix",
            "fields": ["emb"],
            "index_type": "IVF_PQ",
            "metric": "DOT_PRODUCT",
            "options": {"nlist": 64, "m": 8},
        },
    )
    assert index.clone() == index
    assert VectorIndex(fields=["emb"], name="ix").index_options() == (
        '{"index_type":"AUTO"}'
    )


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (
            {"index_type": "FLAT"},
            "VectorIndex index_type 'FLAT' is not one SingleStore documents; use "
            "one of AUTO, IVF_FLAT, IVF_PQ, IVF_PQFS, HNSW_FLAT, HNSW_PQ.",
        ),
        (
            {"metric": "COSINE"},
            "VectorIndex metric 'COSINE' is not one SingleStore documents; use "
            "one of DOT_PRODUCT, EUCLIDEAN_DISTANCE.",
        ),
        (
            {"index_type": "IVF_FLAT", "options": {"M": 4}},
            "VectorIndex option 'M' is not a parameter of IVF_FLAT; IVF_FLAT takes "
            "nlist, nprobe.",
        ),
        (
            {"options": {"nlist": 4}},
            "VectorIndex option 'nlist' is not a parameter of AUTO; AUTO takes none "
            "(choose an index type to tune it).",
        ),
        (
            {"index_type": "HNSW_FLAT", "options": {"ef": "'; DROP"}},
            "VectorIndex option 'ef' must be a positive integer, not \"'; DROP\".",
        ),
    ],
)
def test_vector_index_refuses_undocumented_arguments(kwargs, error):
    with pytest.raises(ValueError) as caught:
        VectorIndex(fields=["emb"], name="ix", **kwargs)
    assert str(caught.value) == error


def test_migrations_write_the_public_import_paths():
    from django.db.migrations.writer import MigrationWriter

    field_source, field_imports = MigrationWriter.serialize(
        VectorField(dimensions=3, element_type="I8")
    )
    assert field_source == (
        "django_singlestore.vector.VectorField(dimensions=3, element_type='I8')"
    )
    index_source, index_imports = MigrationWriter.serialize(
        VectorIndex(fields=["emb"], name="ix", index_type="HNSW_FLAT", options={"M": 8})
    )
    assert index_source == (
        "django_singlestore.vector.VectorIndex(fields=['emb'], "
        "index_type='HNSW_FLAT', name='ix', options={'M': 8})"
    )
    assert field_imports == index_imports == {"import django_singlestore.vector"}


def test_search_options_are_checked():
    order = DotProduct("emb", [1, 2]).nearest(nprobe=8)
    assert (order.descending, order.search_options) == (True, {"nprobe": 8})
    assert EuclideanDistance("emb", [1, 2]).nearest().descending is False
    for options, error in [
        (
            {"probes": 3},
            "search option 'probes' is not one SingleStore documents; "
            "use k, nprobe, ef.",
        ),
        ({"ef": 0}, "search option 'ef' must be a positive integer, not 0."),
    ]:
        with pytest.raises(ValueError) as caught:
            DotProduct("emb", [1, 2]).nearest(**options)
        assert str(caught.value) == error
