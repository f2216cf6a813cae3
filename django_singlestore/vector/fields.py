"""VectorField: a ``VECTOR(n[, T])`` column, and its form field."""

from django import forms
from django.core import exceptions
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import values


class VectorFormField(forms.CharField):
    """A text input holding a JSON array, e.g. ``[0.1, 0.2, 0.3]``."""

    def __init__(self, *, dimensions=None, element_type="F32", **kwargs):
        self.dimensions = dimensions
        self.element_type = element_type
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return values.to_text(values.parse(value, self.element_type))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                value = values.parse(value, self.element_type)
            except ValueError:
                raise exceptions.ValidationError(
                    _("Enter a JSON array of numbers, e.g. [0.1, 0.2]."),
                    code="invalid",
                ) from None
        try:
            return values.clean(value, self.dimensions, self.element_type)
        except ValueError as error:
            raise exceptions.ValidationError(str(error), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(self.prepare_value(initial))
        except exceptions.ValidationError:
            return True


class VectorField(models.Field):
    """A SingleStore ``VECTOR(dimensions[, element_type])`` column.

    Takes lists, tuples and numpy arrays; rows loaded from the database hold
    a list of floats (a list of ints for I8..I64), or a numpy array with
    ``as_numpy=True``. ``to_python()`` (forms, ``full_clean()``,
    deserialization) always gives a list.
    """

    description = _("Vector of %(dimensions)s %(element_type)s elements")
    empty_strings_allowed = False
    default_error_messages = {"invalid": _("%(error)s")}

    def __init__(
        self,
        *args,
        dimensions=None,
        element_type=values.DEFAULT_ELEMENT_TYPE,
        as_numpy=False,
        **kwargs,
    ):
        self.dimensions = values.check_dimensions(dimensions)
        self.element_type = values.element_type_name(element_type)
        self.as_numpy = as_numpy
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if path.startswith("django_singlestore.vector."):
            path = "django_singlestore.vector.VectorField"
        kwargs["dimensions"] = self.dimensions
        if self.element_type != values.DEFAULT_ELEMENT_TYPE:
            kwargs["element_type"] = self.element_type
        if self.as_numpy:
            kwargs["as_numpy"] = True
        return name, path, args, kwargs

    def db_type(self, connection):
        if self.element_type == values.DEFAULT_ELEMENT_TYPE:
            return f"VECTOR({self.dimensions})"
        return f"VECTOR({self.dimensions}, {self.element_type})"

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def _result(self, items):
        if not self.as_numpy:
            return items
        import numpy

        dtype = {"F16": "float16", "F32": "float32", "F64": "float64"}.get(
            self.element_type, self.element_type.replace("I", "int")
        )
        return numpy.array(items, dtype=dtype)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self._result(values.parse(value, self.element_type))

    def to_python(self, value):
        if value is None:
            return None
        try:
            if isinstance(value, str):
                value = values.parse(value, self.element_type)
            return values.clean(value, self.dimensions, self.element_type)
        except ValueError as error:
            raise exceptions.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"error": error},
            ) from None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, str):
            value = values.parse(value, self.element_type)
        try:
            items = values.clean(value, self.dimensions, self.element_type)
        except ValueError as error:
            raise ValueError(f"{self.name or 'VectorField'}: {error}") from None
        return values.to_text(items)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "form_class": VectorFormField,
                "dimensions": self.dimensions,
                "element_type": self.element_type,
                **kwargs,
            }
        )
