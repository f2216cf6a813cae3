"""Zero configuration: the contrib apps migrate with no SINGLESTORE entry, and the
admin works on them (log in, add, change, delete, filter, search).

tests.settings names no contrib app in SINGLESTORE, so every contrib table
below follows the built-in default (conf.CONTRIB_STORAGE): a rowstore reference
table. pytest-django's test database creation ran every contrib migration
through the backend before these tests.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.flatpages.models import FlatPage
from django.db import IntegrityError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from django_singlestore.conf import get_settings
from django_singlestore.tables import plan_for
from tests.integration import CONTRIB_LABELS

pytestmark = pytest.mark.django_db


REFERENCE = ("ROWSTORE REFERENCE", None, None)

CONTRIB_TABLES = {
    "auth_group": REFERENCE,
    "auth_group_permissions": REFERENCE,
    "auth_permission": REFERENCE,
    "auth_user": REFERENCE,
    "auth_user_groups": REFERENCE,
    "auth_user_user_permissions": REFERENCE,
    "django_admin_log": REFERENCE,
    "django_content_type": REFERENCE,
    "django_flatpage": REFERENCE,
    "django_flatpage_sites": REFERENCE,
    "django_redirect": REFERENCE,
    "django_session": REFERENCE,
    "django_site": REFERENCE,
}

# The key lines of SHOW CREATE TABLE: what the backend's DDL decided.
CONTRIB_KEYS = {
    "auth_group": [
        "PRIMARY KEY (`id`)",
        "UNIQUE KEY `auth_group_name_a6ea08ec_uniq` (`name`)",
    ],
    "auth_group_permissions": [
        "PRIMARY KEY (`group_id`,`permission_id`)",
        "KEY `auth_group_permissions_id_0aa9a612_key` (`id`)",
        "KEY `auth_group_permissions_group_id_b120cbf9` (`group_id`)",
        "KEY `auth_group_permissions_permission_id_84c5c92e` (`permission_id`)",
    ],
    "auth_permission": [
        "PRIMARY KEY (`id`)",
        "UNIQUE KEY `auth_permission_content_type_id_codename_01ab375a_uniq` "
        "(`content_type_id`,`codename`)",
        "KEY `auth_permission_content_type_id_2f476e4b` (`content_type_id`)",
    ],
    "auth_user": [
        "PRIMARY KEY (`id`)",
        "UNIQUE KEY `auth_user_username_6821ab7c_uniq` (`username`)",
    ],
    "auth_user_groups": [
        "PRIMARY KEY (`user_id`,`group_id`)",
        "KEY `auth_user_groups_id_7d232477_key` (`id`)",
        "KEY `auth_user_groups_user_id_6a12ed8b` (`user_id`)",
        "KEY `auth_user_groups_group_id_97559544` (`group_id`)",
    ],
    "auth_user_user_permissions": [
        "PRIMARY KEY (`user_id`,`permission_id`)",
        "KEY `auth_user_user_permissions_id_a1c37961_key` (`id`)",
        "KEY `auth_user_user_permissions_user_id_a95ead1b` (`user_id`)",
        "KEY `auth_user_user_permissions_permission_id_1fbb5f2c` (`permission_id`)",
    ],
    "django_admin_log": [
        "PRIMARY KEY (`id`)",
        "KEY `django_admin_log_content_type_id_c4bce8eb` (`content_type_id`)",
        "KEY `django_admin_log_user_id_c564eba6` (`user_id`)",
    ],
    "django_content_type": [
        "PRIMARY KEY (`id`)",
        "UNIQUE KEY `django_content_type_app_label_model_76bd3d3b_uniq` "
        "(`app_label`,`model`)",
    ],
    "django_flatpage": [
        "PRIMARY KEY (`id`)",
        "KEY `django_flatpage_url_41612362` (`url`)",
    ],
    "django_flatpage_sites": [
        "PRIMARY KEY (`flatpage_id`,`site_id`)",
        "KEY `django_flatpage_sites_id_4ce28c04_key` (`id`)",
        "KEY `django_flatpage_sites_flatpage_id_078bbc8b` (`flatpage_id`)",
        "KEY `django_flatpage_sites_site_id_bfd8ea84` (`site_id`)",
    ],
    "django_redirect": [
        "PRIMARY KEY (`id`)",
        "UNIQUE KEY `django_redirect_site_id_old_path_ac5dd16b_uniq` "
        "(`site_id`,`old_path`)",
        "KEY `django_redirect_site_id_c3e37341` (`site_id`)",
        "KEY `django_redirect_old_path_c6cc94d3` (`old_path`)",
    ],
    "django_session": [
        "PRIMARY KEY (`session_key`)",
        "KEY `django_session_expire_date_a5c62663` (`expire_date`)",
    ],
    "django_site": [
        "PRIMARY KEY (`id`)",
        "UNIQUE KEY `django_site_domain_a2e37b91_uniq` (`domain`)",
    ],
}

KEY_LINE = re.compile(r"^\s+((?:PRIMARY |UNIQUE |SHARD |SORT )?KEY .*?),?$")

PASSWORD = "s3cret-Pa55word"


def fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.description is None:
            return ()
        return tuple(tuple(row) for row in cursor.fetchall())


def show_create(table):
    return fetch(f"SHOW CREATE TABLE {connection.ops.quote_name(table)}")[0][1]


def key_lines(ddl):
    return [m.group(1) for line in ddl.splitlines() if (m := KEY_LINE.match(line))]


def contrib_models():
    return [
        model
        for label in CONTRIB_LABELS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


# Tables


def test_every_contrib_model_has_a_table():
    assert sorted(model._meta.db_table for model in contrib_models()) == sorted(
        CONTRIB_TABLES
    )


def test_settings_name_no_contrib_app():
    settings = get_settings()
    named = {*settings.storage, *settings.shard_keys, *settings.sort_keys}
    assert {key.partition(".")[0] for key in named} & set(CONTRIB_LABELS) == set()
    assert settings.env_storage == {}
    assert {settings.storage_source(model)[1] for model in contrib_models()} == {
        "the built-in default for django.contrib"
    }


def test_contrib_tables_are_rowstore_reference_tables():
    with connection.cursor() as cursor:
        live = {
            table: connection.introspection.get_table_storage(cursor, table)
            for table in CONTRIB_TABLES
        }
    assert live == CONTRIB_TABLES


def test_contrib_tables_match_their_plans():
    with connection.cursor() as cursor:
        for model in contrib_models():
            plan = plan_for(model)
            live = connection.introspection.get_table_storage(
                cursor, model._meta.db_table
            )
            assert live == (plan.storage, plan.shard_key, plan.sort_key), model


def test_migrations_table_is_the_default_columnstore_table():
    table = MigrationRecorder.Migration._meta.db_table
    with connection.cursor() as cursor:
        live = connection.introspection.get_table_storage(cursor, table)
    assert live == ("COLUMNSTORE", ("id",), ())
    assert key_lines(show_create(table)) == [
        "PRIMARY KEY (`id`)",
        "SHARD KEY `__SHARDKEY` (`id`)",
        "SORT KEY `__UNORDERED` ()",
    ]


@pytest.mark.parametrize("table", sorted(CONTRIB_TABLES))
def test_show_create_table(table):
    ddl = show_create(table)
    assert ddl.startswith(f"CREATE ROWSTORE REFERENCE TABLE `{table}` (\n")
    assert key_lines(ddl) == CONTRIB_KEYS[table]


def test_every_contrib_migration_is_applied():
    applied = set(
        MigrationRecorder.Migration.objects.filter(app__in=CONTRIB_LABELS).values_list(
            "app", "name"
        )
    )
    on_disk = {
        (migration.app_label, migration.name)
        for migration in _disk_migrations()
        if migration.app_label in CONTRIB_LABELS
    }
    assert on_disk
    assert applied == on_disk


def _disk_migrations():
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return loader.disk_migrations.values()


def test_reference_table_enforces_unique_username():
    insert = "INSERT INTO auth_user (username, password, is_superuser, first_name, "
    insert += "last_name, email, is_staff, is_active, date_joined) "
    insert += "VALUES (%s, '', 0, '', '', '', 0, 1, '2024-01-01')"
    fetch(insert, ["ada"])
    # A failed statement is undone on its own; the transaction goes on.
    with pytest.raises(IntegrityError) as raised:
        fetch(insert, ["ada"])
    assert raised.value.args[:2] == (
        1062,
        "Duplicate entry 'ada' for key 'auth_user_username_6821ab7c_uniq'",
    )
    assert fetch("SELECT username FROM auth_user") == (("ada",),)


# The admin


@pytest.fixture
def admin_client():
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    return client


def log_entries():
    return fetch(
        "SELECT l.object_repr, l.action_flag, l.change_message, t.app_label, "
        "t.model, u.username FROM django_admin_log l "
        "JOIN django_content_type t ON t.id = l.content_type_id "
        "JOIN auth_user u ON u.id = l.user_id ORDER BY l.id"
    )


def test_admin_login_stores_the_session(admin_client):
    user_id = fetch("SELECT id FROM auth_user WHERE username = 'root'")[0][0]
    sessions = fetch("SELECT session_key FROM django_session")
    assert sessions == ((admin_client.cookies["sessionid"].value,),)
    assert fetch("SELECT last_login IS NOT NULL FROM auth_user") == ((1,),)
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert response.context["user"].pk == user_id


def test_admin_login_refuses_a_wrong_password():
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "wrong", "next": "/admin/"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": [
            "Please enter the correct username and password for a staff account. "
            "Note that both fields may be case-sensitive."
        ]
    }
    assert fetch("SELECT COUNT(*) FROM django_session") == ((0,),)


def flatpage_form(**values):
    data = {
        "url": "/about/",
        "title": "About",
        "content": "<p>About us</p>",
        "sites": ["1"],
        "template_name": "",
        "_save": "Save",
    }
    data.update(values)
    return data


def flatpage_rows():
    return fetch(
        "SELECT url, title, content, enable_comments, template_name, "
        "registration_required FROM django_flatpage ORDER BY url"
    )


def flatpage_sites():
    return fetch(
        "SELECT p.url, s.domain FROM django_flatpage_sites m "
        "JOIN django_flatpage p ON p.id = m.flatpage_id "
        "JOIN django_site s ON s.id = m.site_id ORDER BY p.url, s.domain"
    )


def changelist(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["cl"]


def test_admin_flatpage_add_change_filter_search_delete(admin_client):
    fetch("INSERT INTO django_site (domain, name) VALUES ('shop.example', 'Shop')")
    shop_id = fetch("SELECT id FROM django_site WHERE domain = 'shop.example'")[0][0]
    assert fetch("SELECT id, domain FROM django_site ORDER BY id") == (
        (1, "example.com"),
        (shop_id, "shop.example"),
    )

    response = admin_client.post("/admin/flatpages/flatpage/add/", flatpage_form())
    assert response.status_code == 302
    assert response["Location"] == "/admin/flatpages/flatpage/"
    assert flatpage_rows() == (("/about/", "About", "<p>About us</p>", 0, "", 0),)
    assert flatpage_sites() == (("/about/", "example.com"),)

    response = admin_client.post(
        "/admin/flatpages/flatpage/add/",
        flatpage_form(
            url="/shop/terms/",
            title="Terms",
            content="Be nice.",
            sites=["1", str(shop_id)],
            registration_required="on",
        ),
    )
    assert response.status_code == 302
    about = FlatPage.objects.get(url="/about/")
    response = admin_client.post(
        f"/admin/flatpages/flatpage/{about.pk}/change/",
        flatpage_form(
            title="About us",
            sites=[str(shop_id)],
            template_name="flatpages/about.html",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/flatpages/flatpage/"
    assert flatpage_rows() == (
        ("/about/", "About us", "<p>About us</p>", 0, "flatpages/about.html", 0),
        ("/shop/terms/", "Terms", "Be nice.", 0, "", 1),
    )
    assert flatpage_sites() == (
        ("/about/", "shop.example"),
        ("/shop/terms/", "example.com"),
        ("/shop/terms/", "shop.example"),
    )

    base = "/admin/flatpages/flatpage/"
    by_site = changelist(admin_client, f"{base}?sites__id__exact=1")
    assert [page.url for page in by_site.result_list] == ["/shop/terms/"]
    by_flag = changelist(admin_client, f"{base}?registration_required__exact=0")
    assert [page.url for page in by_flag.result_list] == ["/about/"]
    searched = changelist(admin_client, f"{base}?q=terms")
    assert [page.url for page in searched.result_list] == ["/shop/terms/"]
    everything = changelist(admin_client, base)
    assert sorted(page.url for page in everything.result_list) == [
        "/about/",
        "/shop/terms/",
    ]

    response = admin_client.post(f"{base}{about.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == base
    assert flatpage_rows() == (("/shop/terms/", "Terms", "Be nice.", 0, "", 1),)
    assert flatpage_sites() == (
        ("/shop/terms/", "example.com"),
        ("/shop/terms/", "shop.example"),
    )
    assert log_entries() == (
        ("/about/ -- About", 1, '[{"added": {}}]', "flatpages", "flatpage", "root"),
        (
            "/shop/terms/ -- Terms",
            1,
            '[{"added": {}}]',
            "flatpages",
            "flatpage",
            "root",
        ),
        (
            "/about/ -- About us",
            2,
            '[{"changed": {"fields": ["Title", "Sites", "Template name"]}}]',
            "flatpages",
            "flatpage",
            "root",
        ),
        ("/about/ -- About us", 3, "", "flatpages", "flatpage", "root"),
    )


def user_form(user, **values):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "_save": "Save",
    }
    data.update(values)
    return data


def user_rows():
    return fetch(
        "SELECT username, first_name, last_name, email, is_staff, is_active, "
        "is_superuser FROM auth_user ORDER BY username"
    )


def test_admin_user_add_change_filter_search_delete(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "grace",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    grace = User.objects.get(username="grace")
    assert response["Location"] == f"/admin/auth/user/{grace.pk}/change/"
    assert grace.check_password(PASSWORD)
    assert user_rows() == (
        ("grace", "", "", "", 0, 1, 0),
        ("root", "", "", "root@example.com", 1, 1, 1),
    )

    response = admin_client.post(
        f"/admin/auth/user/{grace.pk}/change/",
        user_form(
            grace,
            first_name="Grace",
            last_name="Hopper",
            email="grace@example.com",
            is_staff="on",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/auth/user/"
    assert user_rows() == (
        ("grace", "Grace", "Hopper", "grace@example.com", 1, 1, 0),
        ("root", "", "", "root@example.com", 1, 1, 1),
    )

    base = "/admin/auth/user/"
    staff = changelist(admin_client, f"{base}?is_superuser__exact=0")
    assert [user.username for user in staff.result_list] == ["grace"]
    searched = changelist(admin_client, f"{base}?q=hopper")
    assert [user.username for user in searched.result_list] == ["grace"]
    searched = changelist(admin_client, f"{base}?q=EXAMPLE.COM")
    assert [user.username for user in searched.result_list] == ["grace", "root"]
    nobody = changelist(admin_client, f"{base}?q=turing")
    assert list(nobody.result_list) == []

    response = admin_client.post(f"{base}{grace.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == base
    assert user_rows() == (("root", "", "", "root@example.com", 1, 1, 1),)
    assert log_entries() == (
        ("grace", 1, '[{"added": {}}]', "auth", "user", "root"),
        (
            "grace",
            2,
            '[{"changed": {"fields": '
            '["First name", "Last name", "Email address", "Staff status"]}}]',
            "auth",
            "user",
            "root",
        ),
        ("grace", 3, "", "auth", "user", "root"),
    )


def test_admin_site_duplicate_domain_is_a_form_error(admin_client):
    response = admin_client.post(
        "/admin/sites/site/add/",
        {"domain": "example.com", "name": "Again", "_save": "Save"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "domain": ["Site with this Domain name already exists."]
    }
    assert fetch("SELECT domain, name FROM django_site") == (
        ("example.com", "example.com"),
    )


def test_admin_redirect_composite_unique_is_a_form_error(admin_client):
    form = {"site": "1", "old_path": "/old/", "new_path": "/new/", "_save": "Save"}
    response = admin_client.post("/admin/redirects/redirect/add/", form)
    assert response.status_code == 302
    response = admin_client.post(
        "/admin/redirects/redirect/add/", {**form, "new_path": "/other/"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["Redirect with this Site and Redirect from already exists."]
    }
    assert fetch("SELECT site_id, old_path, new_path FROM django_redirect") == (
        (1, "/old/", "/new/"),
    )
    searched = changelist(admin_client, "/admin/redirects/redirect/?q=old")
    assert [r.new_path for r in searched.result_list] == ["/new/"]
    by_site = changelist(admin_client, "/admin/redirects/redirect/?site__id__exact=1")
    assert [r.old_path for r in by_site.result_list] == ["/old/"]


def test_admin_session_expiry_is_stored_in_utc(admin_client):
    expire = fetch("SELECT expire_date FROM django_session")[0][0]
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert (
        datetime.timedelta(days=13, hours=23)
        < expire - now
        <= datetime.timedelta(days=14)
    )
