"""A SingleStore test double: a MySQL-protocol proxy in front of a private MariaDB.

See DESIGN.md §5 and KNOWN_GAPS.md beside this file. Not shipped in the wheel.
"""
