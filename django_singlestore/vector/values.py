"""Vector values: checked against VECTOR(n, T), written as compact JSON text.

SingleStore takes a vector as a JSON array string (``'[0.1,0.2]'``) and
converts it to the column's type (D/db/v9.1/reference/sql-reference/
data-types/vector-type). The backend sends exactly that text: the shortest
float representation, no spaces, never a Python repr. Reads accept every
form the ``singlestoredb`` driver can hand back: JSON text (the test double,
or ``vector_type_project_format=JSON``), packed little-endian bytes (the
BINARY format the driver asks for by default, when no converter decoded
them), numpy arrays and tuples (what the driver's converters return).
"""

import json
import math
import struct
from numbers import Integral, Real

# element type -> (struct code, (min, max) for integer types or None)
ELEMENT_TYPES = {
    "F32": ("f", None),
    "F16": ("e", None),
    "F64": ("d", None),
    "I8": ("b", (-(2**7), 2**7 - 1)),
    "I16": ("h", (-(2**15), 2**15 - 1)),
    "I32": ("i", (-(2**31), 2**31 - 1)),
    "I64": ("q", (-(2**63), 2**63 - 1)),
}
DEFAULT_ELEMENT_TYPE = "F32"


def element_type_name(element_type):
    """The upper-case element type, or ValueError naming the allowed ones."""
    name = str(element_type).upper()
    if name not in ELEMENT_TYPES:
        raise ValueError(
            f"element_type {element_type!r} is not a SingleStore vector element "
            f"type; use one of {', '.join(ELEMENT_TYPES)}."
        )
    return name


def check_dimensions(dimensions):
    if isinstance(dimensions, bool) or not isinstance(dimensions, int):
        raise ValueError(
            f"dimensions must be a positive integer (the n of VECTOR(n)), "
            f"not {dimensions!r}."
        )
    if dimensions < 1:
        raise ValueError(
            f"dimensions must be a positive integer (the n of VECTOR(n)), "
            f"not {dimensions}."
        )
    return dimensions


def check_positive_integer(what, value):
    """ValueError unless ``value`` is an int above 0 (index and search
    options); ``what`` names the option in the message."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a positive integer, not {value!r}.")


def _sequence(value):
    """A list from a list, tuple, numpy array or other iterable of numbers."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (str, bytes, bytearray, dict)) or not hasattr(
        value, "__iter__"
    ):
        raise ValueError(
            f"a vector must be a list, tuple or numpy array of numbers, "
            f"not {type(value).__name__}."
        )
    return list(value)


def clean(value, dimensions=None, element_type=DEFAULT_ELEMENT_TYPE):
    """``value`` as a list of Python numbers that VECTOR(dimensions, T) holds.

    Raises ValueError saying which element is wrong and why.
    """
    items = _sequence(value)
    if dimensions is not None and len(items) != dimensions:
        raise ValueError(
            f"a VECTOR({dimensions}) value needs {dimensions} elements, "
            f"got {len(items)}."
        )
    bounds = ELEMENT_TYPES[element_type][1]
    if bounds is None and all(type(item) is float for item in items):
        # The common case, checked in C: a sum of finite floats is finite
        # unless it overflows (NaN and inf make it NaN or inf); when it is
        # not, the loop below finds the element to name.
        if math.isfinite(sum(items)):
            return items
    result = []
    for position, item in enumerate(items):
        if hasattr(item, "item") and not isinstance(item, (list, tuple)):
            item = item.item()  # a numpy scalar
        if isinstance(item, bool) or not isinstance(item, Real):
            raise ValueError(
                f"element {position} of the vector is {item!r}, not a number."
            )
        if not math.isfinite(item):
            raise ValueError(
                f"element {position} of the vector is {item!r}; SingleStore "
                "vectors hold finite numbers only."
            )
        if bounds is None:
            result.append(float(item))
            continue
        if not isinstance(item, Integral) and not float(item).is_integer():
            raise ValueError(
                f"element {position} of the vector is {item!r}; {element_type} "
                "vectors hold integers only."
            )
        item = int(item)
        if not bounds[0] <= item <= bounds[1]:
            raise ValueError(
                f"element {position} of the vector is {item}, outside the "
                f"{element_type} range {bounds[0]}..{bounds[1]}."
            )
        result.append(item)
    return result


def to_text(items):
    """Compact JSON array text of already clean ``items``."""
    return json.dumps(items, separators=(",", ":"))


def parse(value, element_type=DEFAULT_ELEMENT_TYPE):
    """A list of numbers from what a query returns for a VECTOR column."""
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, (bytes, bytearray)):
        code = ELEMENT_TYPES[element_type][0]
        count = len(value) // struct.calcsize(code)
        items = list(struct.unpack(f"<{count}{code}", value))
    elif isinstance(value, str):
        items = json.loads(value)
    else:
        items = _sequence(value)
    if ELEMENT_TYPES[element_type][1] is None:
        return [float(item) for item in items]
    return [int(item) for item in items]


def normalize(vector):
    """``vector`` scaled to length 1 (cosine similarity is then a dot product)."""
    items = clean(vector)
    length = math.sqrt(sum(item * item for item in items))
    if length == 0:
        raise ValueError("the zero vector has no direction and cannot be normalized.")
    return [item / length for item in items]
