"""The server a benchmark runs on, read from a ``singlestoredb://`` URL
(SINGLESTORE_TEST_URL: the test double, or the real server of SINGLESTORE_URL)."""

from urllib.parse import unquote, urlsplit


def database(url):
    """HOST, PORT, USER and PASSWORD of a Django DATABASES entry for ``url``."""
    parts = urlsplit(url)
    return {
        "HOST": parts.hostname,
        "PORT": parts.port or 3306,
        "USER": unquote(parts.username or "root"),
        "PASSWORD": unquote(parts.password or ""),
    }


def admin_connection(url):
    """A singlestoredb connection to ``url``'s server, outside any database."""
    import singlestoredb

    server = database(url)
    return singlestoredb.connect(
        host=server["HOST"],
        port=server["PORT"],
        user=server["USER"],
        password=server["PASSWORD"],
        autocommit=True,
    )
