"""BENCH_CLASSES TestCase classes of BENCH_TESTS tests each. Every class
writes BENCH_ROWS notes in setUpClass() (BENCH_SETUP=class) or in
setUpTestData() (BENCH_SETUP=data); every test reads all notes and counts
a filter that scans them, as a listing view's or a serializer's test does.
"""

import os

from django.test import TestCase

from .models import Note

CLASSES = int(os.environ.get("BENCH_CLASSES", "40"))
TESTS = int(os.environ.get("BENCH_TESTS", "5"))
ROWS = int(os.environ.get("BENCH_ROWS", "250"))
SETUP = os.environ.get("BENCH_SETUP", "class")


def write_notes(label):
    Note.objects.bulk_create(Note(text=f"{label} {n}", rank=n) for n in range(ROWS))


class NotesCase(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if SETUP == "class":
            write_notes(cls.__name__)

    @classmethod
    def setUpTestData(cls):
        if SETUP == "data":
            write_notes(cls.__name__)


def scan(self):
    notes = list(Note.objects.all())
    self.assertGreaterEqual(len(notes), ROWS)
    self.assertEqual(Note.objects.filter(rank__gte=ROWS).count(), 0)
    type(self).seen = len(notes)


class Last(TestCase):
    """Reports the rows the last class's tests saw (bench/isolation.py reads it)."""

    @classmethod
    def tearDownClass(cls):
        print(f"rows seen by the last class: {NotesCase.last.seen}", flush=True)
        super().tearDownClass()

    def test_nothing(self):
        pass


def load_tests(loader, tests, pattern):
    suite = loader.suiteClass()
    for number in range(CLASSES):
        body = {f"test_{test}": scan for test in range(TESTS)}
        case = type(f"Notes{number:03}", (NotesCase,), {**body, "__module__": __name__})
        suite.addTests(loader.loadTestsFromTestCase(case))
        NotesCase.last = case
    suite.addTests(loader.loadTestsFromTestCase(Last))
    return suite
