"""Integration tests through the double (app label "integration")."""

# The contrib apps that have tables; none is named in tests.settings.SINGLESTORE.
CONTRIB_LABELS = (
    "admin",
    "auth",
    "contenttypes",
    "sessions",
    "sites",
    "flatpages",
    "redirects",
)
