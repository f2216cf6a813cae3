"""`make demo`: the example project, from an empty database to a working shop.

Runs against SINGLESTORE_URL (a real SingleStore) or the test double that
`make demo` starts. Each step prints what it does and what SingleStore said.
"""

import os
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exampleproject.settings")
os.environ.setdefault("EXAMPLE_DATABASE", "example_demo")

import django  # noqa: E402

django.setup()

from django.apps.registry import Apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, IntegrityError, connection, models  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)
from shop.embeddings import embed  # noqa: E402
from shop.models import Customer, Listing, Order, Product  # noqa: E402

from django_singlestore.checks import check_model  # noqa: E402
from django_singlestore.fulltext import BM25, Match, SearchQuery  # noqa: E402
from django_singlestore.hybrid import hybrid_search  # noqa: E402
from django_singlestore.vector import DotProduct  # noqa: E402

STEP = 0


def step(title):
    global STEP
    STEP += 1
    print(f"\n== {STEP}. {title}")


def say(text=""):
    print(f"   {text}")


def fresh_database():
    name = connection.settings_dict["NAME"]
    step(f"Start from an empty database `{name}`")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    version = ".".join(map(str, connection.singlestore_version))
    say(f"connected to SingleStore {version} at {connection.settings_dict['HOST']}")


def check_and_migrate():
    step("manage.py check: the system checks look at every model first")
    call_command("check")
    step("manage.py migrate: contrib apps with no configuration, plus the shop")
    call_command("migrate", verbosity=1)


def show_tables():
    step("What SingleStore made of the shop's models (from introspection)")
    with connection.cursor() as cursor:
        tables = [m._meta.db_table for m in (Product, Customer, Order)]
        tables.append(Order.products.through._meta.db_table)
        for table in tables:
            storage, shard, sort = connection.introspection.get_table_storage(
                cursor, table
            )
            sort_text = ", ".join(c + (" DESC" if d else "") for c, d in sort or ())
            say(
                f"{table:<22} {storage:<19} shard key: "
                f"{'(' + ', '.join(shard) + ')' if shard is not None else '-':<16}"
                f" sort key: {sort_text or '-'}"
            )
        cursor.execute(f"SHOW CREATE TABLE {Order._meta.db_table}")
        say("SHOW CREATE TABLE shop_order:")
        for line in cursor.fetchone()[1].splitlines():
            say("    " + line)


def use_the_orm():
    step("Create and query data across a reference, a rowstore and a columnstore table")
    mug = Product.objects.create(
        sku="MUG-1",
        name="Mug",
        price=Decimal("9.50"),
        attributes={"color": "red", "dishwasher": True},
    )
    pen = Product.objects.create(
        sku="PEN-2", name="Pen", price=Decimal("1.20"), attributes={"color": "blue"}
    )
    ada = Customer.objects.create(name="Ada", country="GB")
    grace = Customer.objects.create(name="Grace", country="US")
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    for i, (customer, items) in enumerate(
        [(ada, [mug, pen]), (grace, [pen]), (ada, [mug]), (grace, [mug, pen])]
    ):
        order = Order.objects.create(
            customer=customer,
            placed_at=start + timedelta(days=i),
            total=sum((p.price for p in items), Decimal(0)),
        )
        order.products.set(items)
    say(
        f"{Product.objects.count()} products, {Customer.objects.count()} customers, "
        f"{Order.objects.count()} orders"
    )
    for row in (
        Order.objects.values("customer__country")
        .annotate(orders=Count("id"), revenue=Sum("total"))
        .order_by("customer__country")
    ):
        say(
            f"country {row['customer__country']}: {row['orders']} orders, "
            f"revenue {row['revenue']}"
        )
    latest = Order.objects.order_by("-placed_at").select_related("customer").first()
    say(f"latest order: {latest} placed {latest.placed_at:%Y-%m-%d}")
    mugs = Order.objects.filter(products__sku="MUG-1").count()
    say(f"orders containing a mug (many-to-many): {mugs}")
    red = list(
        Product.objects.filter(attributes__color="red").values_list("sku", flat=True)
    )
    say(f"products whose JSON attributes say color=red: {red}")
    washable = list(
        Product.objects.filter(attributes__has_key="dishwasher").values_list(
            "sku", flat=True
        )
    )
    say(f"products with a 'dishwasher' attribute: {washable}")


def show_statements(queries):
    for query in queries.captured_queries:
        say(f"    {query['sql']}")


def edit_a_sharded_order():
    step("Orders are sharded by customer, a non-key column: edit one with save()")
    order = Order.objects.select_related("customer").order_by("placed_at").first()
    grace = Customer.objects.get(name="Grace")
    order.total += 1
    with CaptureQueriesContext(connection) as queries:
        order.save()
    say(f"a new total, same customer: {len(queries)} statement(s), no shard key SET")
    show_statements(queries)
    order.customer = grace
    with CaptureQueriesContext(connection) as queries:
        order.save()
    say("a new customer moves the row to its new partition, in one transaction:")
    show_statements(queries)
    moved = Order.objects.filter(pk=order.pk)
    say(
        f"order {order.pk} now belongs to {moved.get().customer}; rows with id "
        f"{order.pk}: {moved.count()}; products kept: "
        f"{sorted(moved.get().products.values_list('sku', flat=True))}"
    )


def unique_violation():
    step("A duplicate SKU on the reference table is refused by SingleStore")
    try:
        Product.objects.create(sku="MUG-1", name="Another mug", price=Decimal("3"))
    except IntegrityError as exc:
        say(f"IntegrityError: {exc}")
    else:
        raise SystemExit(
            "the duplicate SKU was accepted: the unique key is not enforced"
        )


def refused_statement():
    step("SQL that SingleStore refuses gets SingleStore's own error")
    sql = "ALTER TABLE shop_order ADD UNIQUE KEY placed_once (id, placed_at)"
    say(sql)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        errno, message = exc.args[0], exc.args[1]
        say(f"refused, error {errno}: {message}")
    else:
        raise SystemExit("a unique key was added to an existing columnstore table")


def rejected_shape():
    step("A model SingleStore cannot store as asked: the checks say so before migrate")
    isolated = Apps(["shop"])

    class Subscriber(models.Model):
        email = models.EmailField(unique=True)

        class Meta:
            app_label = "shop"
            apps = isolated

    say(
        "class Subscriber(models.Model): email = EmailField(unique=True)   "
        "# sharded columnstore, shard key id"
    )
    for message in check_model(Subscriber):
        say(f"{message.id}: {message.msg}")
        say(f"    hint: {message.hint}")


LISTINGS = [
    ("MUG-1", "Red ceramic mug", "A dishwasher-safe mug for coffee and tea."),
    ("PEN-2", "Blue ballpoint pen", "Smooth ink for notes, sketches and lists."),
    ("POT-3", "Stoneware teapot", "Brews four cups of tea; keeps tea hot."),
    ("BOOK-4", "Dotted notebook", "Paper for notes and for sketches."),
]


def search_the_catalog():
    step("Full-text search over the product listings (FULLTEXT USING VERSION 2)")
    for sku, title, description in LISTINGS:
        product, _ = Product.objects.get_or_create(
            sku=sku, defaults={"name": title.split()[-1].title(), "price": Decimal(5)}
        )
        Listing.objects.create(
            product=product,
            title=title,
            description=description,
            embedding=embed(f"{title} {description}"),
        )
    with connection.cursor() as cursor:
        # Recent writes reach the full-text index once flushed (see the docs).
        cursor.execute("OPTIMIZE TABLE shop_listing FLUSH")
    with CaptureQueriesContext(connection) as queries:
        ranked = list(
            Listing.objects.filter(Match("tea"))
            .annotate(score=BM25("tea"))
            .order_by("-score")
        )
    say("'tea', best match first: " + ", ".join(str(item) for item in ranked))
    show_statements(queries)
    titles = Listing.objects.filter(title__search="notebook").values_list(
        "title", flat=True
    )
    say(f"title__search='notebook': {list(titles)}")
    phrase = SearchQuery("dishwasher-safe mug", search_type="phrase")
    say(
        "the phrase 'dishwasher-safe mug': "
        f"{list(Listing.objects.filter(Match(phrase)).values_list('title', flat=True))}"
    )
    hostile = "tea) OR title:*"
    found = Listing.objects.filter(Match(hostile)).order_by("title")
    say(
        f"user input «{hostile}» is sent escaped, as «{SearchQuery(hostile).text()}»,"
        f" and finds {[item.title for item in found]}"
    )


def semantic_and_hybrid_search():
    step("Semantic search (VECTOR embeddings) and one hybrid query")
    question = "something to write with"
    nearest = Listing.objects.annotate(
        similarity=DotProduct("embedding", embed(question))
    ).order_by("-similarity")[:2]
    say(
        f"nearest to {question!r} (no word in common needed): "
        + ", ".join(f"{item} ({item.similarity:.2f})" for item in nearest)
    )
    with CaptureQueriesContext(connection) as queries:
        ranked = list(
            hybrid_search(
                Listing.objects.all(),
                text="tea",
                vector=DotProduct("embedding", embed("a hot drink")),
            )[:3]
        )
    say("hybrid: the word 'tea' and the idea 'a hot drink', by reciprocal rank fusion")
    for item in ranked:
        say(
            f"  {item.title}: text {item.text_score:.2f}, vector "
            f"{item.vector_score:.2f}, hybrid {item.hybrid_score:.4f}"
        )
    show_statements(queries)


def admin_tour():
    step("The admin works: log in, add, change, search, filter, delete")
    setup_test_environment()
    User.objects.create_superuser("admin", "admin@example.com", "demo-password")
    client = Client()
    assert client.login(username="admin", password="demo-password")
    say("logged in as admin")
    response = client.post(
        "/admin/shop/customer/add/", {"name": "Linus", "country": "FI"}
    )
    linus = Customer.objects.get(name="Linus")
    say(f"added customer {linus.name} (HTTP {response.status_code})")
    client.post(
        f"/admin/shop/customer/{linus.pk}/change/", {"name": "Linus", "country": "US"}
    )
    say(f"changed country to {Customer.objects.get(pk=linus.pk).country}")
    found = client.get("/admin/shop/customer/", {"q": "Lin"}).context["cl"].result_count
    say(f"search 'Lin' found {found} customer(s)")
    listings = client.get("/admin/shop/listing/", {"q": "sketches"}).context["cl"]
    say(
        "listing search 'sketches' (MATCH through FullTextSearchMixin): "
        f"{sorted(item.title for item in listings.result_list)}"
    )
    in_us = (
        client.get("/admin/shop/customer/", {"country": "US"})
        .context["cl"]
        .result_count
    )
    say(f"filter country=US shows {in_us} customer(s)")
    client.post(f"/admin/shop/customer/{linus.pk}/delete/", {"post": "yes"})
    left = Customer.objects.filter(name="Linus").count()
    say(f"deleted; customers named Linus left: {left}")
    order = Order.objects.order_by("placed_at").last()
    ada = Customer.objects.get(name="Ada")
    form = {
        "customer": str(ada.pk),
        "placed_at_0": f"{order.placed_at:%Y-%m-%d}",
        "placed_at_1": f"{order.placed_at:%H:%M:%S}",
        "products": [str(pk) for pk in order.products.values_list("pk", flat=True)],
        "total": "99.00",
    }
    response = client.post(f"/admin/shop/order/{order.pk}/change/", form)
    changed = Order.objects.get(pk=order.pk)
    say(
        f"change form of order {order.pk} (sharded by customer): HTTP "
        f"{response.status_code}; customer {order.customer} -> {changed.customer}, "
        f"total {order.total} -> {changed.total}"
    )


def change_a_layout():
    step("A new shard key and sort key for the orders table, through a migration")
    layout = {
        **settings.SINGLESTORE,
        "SHARD_KEYS": {"shop.Order": ["id"]},
        "SORT_KEYS": {"shop.Order": ["total"]},
    }
    say("SINGLESTORE now shards orders by id and sorts them by total;")
    say("migration shop.0003 holds ApplyLayout('Order'), applied again under it:")
    rows = Order.objects.order_by("pk").values_list("pk", "customer", "total")
    before = list(rows)
    with override_settings(SINGLESTORE=layout):
        call_command("migrate", "shop", "0002", verbosity=0)
        call_command("migrate", "shop", verbosity=1)
        with connection.cursor() as cursor:
            storage, shard, sort = connection.introspection.get_table_storage(
                cursor, Order._meta.db_table
            )
        after = list(rows.all())
    say(f"{Order._meta.db_table}: {storage}, shard key {shard}, sort key {sort}")
    say(
        f"{len(after)} orders before and after, every row the same: {before == after}"
    )


def main():
    fresh_database()
    check_and_migrate()
    show_tables()
    use_the_orm()
    edit_a_sharded_order()
    unique_violation()
    refused_statement()
    rejected_shape()
    search_the_catalog()
    semantic_and_hybrid_search()
    admin_tour()
    change_a_layout()
    target = (
        "a real SingleStore server (SINGLESTORE_URL)"
        if os.environ.get("SINGLESTORE_URL")
        else "the SingleStore test double (tests/double, MariaDB behind a proxy)"
    )
    print(f"\nDemo finished: every step above ran against {target}.")


if __name__ == "__main__":
    main()
