"""descriptions.decode_row() against the driver's own row reader, on row
packets built byte by byte: the same values, types and errors."""

from decimal import Decimal

import pytest
from singlestoredb.converters import decimal_or_none, int_or_none
from singlestoredb.mysql.protocol import MysqlPacket

from django_singlestore import descriptions

# (column encoding, converter) per column, as the driver's result keeps them
# for BIGINT, VARCHAR, DECIMAL and BLOB columns.
CONVERTERS = [
    ("ascii", int_or_none),
    ("utf8", None),
    ("ascii", decimal_or_none),
    (None, None),
]


def result(converters=CONVERTERS, errors="strict"):
    row_reader = descriptions.Result.__new__(descriptions.Result)
    row_reader.converters = converters
    row_reader.encoding_errors = errors
    row_reader.unbuffered_active = False  # read by the driver's __del__
    row_reader.fields = [type("Field", (), {"name": f"c{i}"}) for i in range(4)]
    return row_reader


def value(data):
    """A length-encoded string, as a text-protocol row holds a value."""
    if data is None:
        return b"\xfb"
    if len(data) < 251:
        return bytes([len(data)]) + data
    if len(data) < 2**16:
        return b"\xfc" + len(data).to_bytes(2, "little") + data
    return b"\xfd" + len(data).to_bytes(3, "little") + data


def both(payload, row_reader=None):
    row_reader = row_reader or result()
    driver = row_reader._read_row_from_packet(MysqlPacket(payload, "utf8"))
    ours = row_reader.decode_row(payload, "utf8")
    return driver, ours


@pytest.mark.parametrize(
    "values",
    [
        (b"7", "näme".encode(), b"3.125", b"\x00\x01"),
        (b"-9", b"", b"0.000", b""),
        (None, None, None, None),
        (b"1", b"x" * 250, b"2.5", bytes(range(250))),  # the longest one-byte length
        (b"1", b"x" * 251, b"2.5", b"y"),  # two-byte length: the driver's reader
        (b"1", b"z", b"2.5", b"\xff" * 70_000),  # three-byte length
    ],
)
def test_the_same_row_as_the_drivers_reader(values):
    driver, ours = both(b"".join(value(v) for v in values))
    assert ours == driver
    assert [type(v) for v in ours] == [type(v) for v in driver]
    assert isinstance(ours, tuple)


def test_values_decoded_and_converted(monkeypatch):
    row_reader = result()
    calls = []
    driver_reader = row_reader._read_row_from_packet
    monkeypatch.setattr(
        row_reader,
        "_read_row_from_packet",
        lambda packet: calls.append(packet) or driver_reader(packet),
    )
    short = (b"42", "näme ✓".encode(), b"1.50", b"\x00")
    row = row_reader.decode_row(b"".join(value(v) for v in short), "utf8")
    assert row == (42, "näme ✓", Decimal("1.50"), b"\x00")
    assert calls == []  # values of up to 250 bytes: decoded here
    long = (b"42", b"t" * 300, None, b"\x00")
    row = row_reader.decode_row(b"".join(value(v) for v in long), "utf8")
    assert row == (42, "t" * 300, None, b"\x00")
    assert len(calls) == 1  # a longer one: the driver's reader


def test_a_short_row_ends_where_the_packet_does():
    # The driver's reader stops at the end of the packet: two values here.
    driver, ours = both(value(b"5") + value(b"ab"))
    assert ours == driver == (5, "ab")


def test_a_truncated_value_raises_the_drivers_error():
    payload = value(b"5") + b"\x09abc"  # says 9 bytes, holds 3
    with pytest.raises(AssertionError, match="Result length not requested length"):
        result().decode_row(payload, "utf8")


def test_bytes_the_encoding_refuses_name_the_column():
    payload = value(b"5") + value(b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError) as raised:
        result().decode_row(payload, "utf8")
    assert str(raised.value) == (
        "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte, "
        "in column 'c1'; OPTIONS['encoding_errors'] (for example 'replace') says "
        "how to read such bytes"
    )
    # The driver's reader means to raise that, with its own words, but
    # calls UnicodeDecodeError with one argument.
    with pytest.raises(TypeError, match="function takes exactly 5 arguments"):
        result()._read_row_from_packet(MysqlPacket(payload, "utf8"))
    # With OPTIONS["encoding_errors"] = "replace", as the driver gives it.
    driver, ours = both(payload, result(errors="replace"))
    assert ours == driver == (5, "\ufffd\ufffd")
