"""Named time zones: SingleStore's CONVERT_TZ knows the IANA names
(docs.singlestore.com/db/v9.1/reference/sql-reference/date-and-time-functions/convert-tz)."""

import datetime

from tests.double_tests.util import rows


def test_convert_tz_with_named_zones(s2):
    assert rows(
        s2,
        "SELECT CONVERT_TZ('2014-04-18 12:00:00', 'UTC', 'Europe/Paris'), "
        "CONVERT_TZ('2014-01-18 12:00:00', 'UTC', 'America/New_York')",
    ) == [(datetime.datetime(2014, 4, 18, 14, 0), datetime.datetime(2014, 1, 18, 7, 0))]


def test_unknown_zone_gives_null(s2):
    assert rows(s2, "SELECT CONVERT_TZ('2014-04-18 12:00:00', 'UTC', 'Mars/Base')") == [
        (None,)
    ]
