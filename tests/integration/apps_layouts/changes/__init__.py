"""The layouts app's migrations with the schema changes of the layout matrix
after them (test_layout_matrix.py selects this module with MIGRATION_MODULES).

0001 and 0002 are the app's own migrations, loaded from its migrations
package; 0003 onwards change Order on tables that hold rows. Steps that a
layout cannot take (a unique set its plan cannot enforce, a narrowing the data
does not fit) are refused, so the chain is for that test alone.
"""
