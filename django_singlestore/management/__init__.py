"""Management commands of the SingleStore backend."""
