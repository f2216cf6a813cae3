"""The inspectdb command, with SingleStore table layouts."""
