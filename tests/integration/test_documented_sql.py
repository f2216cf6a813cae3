"""The backend sends only statement shapes SingleStore documents
(tests/double/GRAMMAR.md lists the grammar each one relies on)."""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext, isolate_apps

pytestmark = pytest.mark.django_db(transaction=True)


@isolate_apps("tests.integration")
def test_delete_model_sends_drop_table_without_cascade():
    class Gadget(models.Model):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "integration"
            db_table = "t_documented_gadget"

    with connection.schema_editor() as editor:
        editor.create_model(Gadget)
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.delete_model(Gadget)
    assert [query["sql"] for query in captured] == [
        "DROP TABLE `t_documented_gadget`"
    ]
    assert "t_documented_gadget" not in connection.introspection.table_names()
