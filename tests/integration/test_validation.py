"""Field checks the backend adds to or removes from MySQL's."""

from django.db import connection, models
from django.test.utils import isolate_apps


@isolate_apps("tests.integration")
def test_long_unique_charfield_is_fine_but_text_index_is_reported():
    class Page(models.Model):
        slug = models.CharField(max_length=400, unique=True)
        body = models.TextField(db_index=True)

        class Meta:
            app_label = "integration"

    slug, body = Page._meta.get_field("slug"), Page._meta.get_field("body")
    assert connection.validation.check_field(slug) == []
    assert [issue.id for issue in connection.validation.check_field(body)] == [
        "fields.W162"
    ]
