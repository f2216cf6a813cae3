"""Test classes run in definition order (names sort the same way), each
checking exactly what the previous ones left in the database.

The content types are the rows a data migration leaves (contenttypes'
post_migrate handler): Test1SetUpClassWrites deletes one and renames the
other in setUpClass() and adds a note in tearDownClass(); the classes after
it must see the tables as they were.
"""

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase

from .models import Note

CONTENT_TYPES = [("apps_isolation", "note"), ("contenttypes", "contenttype")]


def content_types():
    return sorted(ContentType.objects.values_list("app_label", "model"))


def notes():
    return sorted(Note.objects.values_list("text", flat=True))


class Test1SetUpClassWrites(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Note.objects.bulk_create(Note(text=f"class {n}") for n in range(3))
        ContentType.objects.filter(app_label="contenttypes").delete()
        ContentType.objects.filter(model="note").update(model="renamed")

    @classmethod
    def tearDownClass(cls):
        Note.objects.create(text="teardown")
        super().tearDownClass()

    def test_sees_its_rows(self):
        self.assertEqual(notes(), ["class 0", "class 1", "class 2"])
        self.assertEqual(content_types(), [("apps_isolation", "renamed")])


class Test2SetUpTestData(TestCase):
    @classmethod
    def setUpTestData(cls):
        Note.objects.create(text="data")

    def test_a_sees_only_its_data(self):
        self.assertEqual(notes(), ["data"])
        Note.objects.create(text="test a")

    def test_b_sees_only_its_data(self):
        self.assertEqual(notes(), ["data"])


class Test3Later(TestCase):
    def test_nothing_leaked(self):
        self.assertEqual(notes(), [])
        self.assertEqual(content_types(), CONTENT_TYPES)
