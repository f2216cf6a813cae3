"""django_singlestore through the test double, or the real server named by
SINGLESTORE_URL (scripts/with-database.sh exports it as SINGLESTORE_TEST_URL)."""

from suite_common import *  # noqa: F403
from suite_common import database_pair

DATABASES = database_pair(
    ("SINGLESTORE_TEST_URL", "SINGLESTORE_URL"), "django_singlestore", "t_suite_ss"
)

REFERENCE = "ROWSTORE REFERENCE"

# Every other test app keeps the default: sharded columnstore tables.
SINGLESTORE = {
    # The models of these apps declare a unique key that does not contain the
    # primary key (the comment names the first such model). SingleStore
    # enforces a unique key on a sharded table only when it contains the shard
    # key, and the tests check that duplicates are refused; reference tables
    # have no shard key and enforce every unique key, so the apps use them.
    # https://docs.singlestore.com/db/v9.1/reference/troubleshooting-reference/query-errors/why-do-i-get-errors-about-unique-keys/
    "STORAGE": {
        "admin_changelist": REFERENCE,  # SwallowOneToOne.swallow is unique
        "admin_filters": REFERENCE,  # ImprovedBook.book is unique, +1 model
        "admin_inlines": REFERENCE,  # Author.person is unique, +2 models
        "admin_utils": REFERENCE,  # Location.event is unique, +1 model
        "admin_views": REFERENCE,  # ChapterXtra1.chap is unique, +9 models
        "admin_widgets": REFERENCE,  # Band.uuid is unique, +1 model
        "aggregation_regress": REFERENCE,  # Entries.Entry is unique
        "auth_tests": REFERENCE,  # CustomUser.email is unique, +11 models
        "backends": REFERENCE,  # ObjectSelfReference.key is unique, +3 models
        "basic": REFERENCE,  # FeaturedArticle.article is unique
        # Country's UniqueConstraint country_name_iso_unique, +3 models
        "bulk_create": REFERENCE,
        "composite_pk": REFERENCE,  # User.email is unique, +2 models
        # UniqueConstraintProduct's UniqueConstraint name_color_uniq
        "constraints": REFERENCE,
        "contenttypes_tests": REFERENCE,  # FooWithoutUrl.name is unique
        "custom_managers": REFERENCE,  # OneToOneRestrictedModel.related is unique
        "defer": REFERENCE,  # PrimaryOneToOne.related is unique
        "defer_regress": REFERENCE,  # Item.source is unique, +1 model
        "delete": REFERENCE,  # Referrer.unique_field is unique
        "delete_regress": REFERENCE,  # Food.name is unique, +1 model
        "distinct_on_fields": REFERENCE,  # Celebrity.greatest_fan is unique
        "expressions_case": REFERENCE,  # O2OCaseTestModel.o2o is unique
        "filtered_relation": REFERENCE,  # Author.name is unique, +1 model
        "fixtures": REFERENCE,  # Person.name is unique, +3 models
        "fixtures_regress": REFERENCE,  # Store.name is unique, +26 models
        # DiamondSubSubCounter.othersubcounter_ptr is unique
        "force_insert_update": REFERENCE,
        # ArticleTranslation's unique_together (article, lang), +3 models
        "foreign_object": REFERENCE,
        # PhoneNumber's unique_together (content_type, object_id, phone_number)
        "generic_inline_admin": REFERENCE,
        "get_or_create": REFERENCE,  # Person.first_name is unique, +1 model
        "indexes": REFERENCE,  # ArticleTranslation.language is unique, +1 model
        "inline_formsets": REFERENCE,  # Poem's unique_together (poet, name)
        "inspectdb": REFERENCE,  # PeopleMoreData.people_unique is unique, +1 model
        # Reporter's unique_together (first_name, last_name), +2 models
        "introspection": REFERENCE,
        "known_related_objects": REFERENCE,  # PoolStyle.pool is unique
        "lookup": REFERENCE,  # Article.slug is unique, +1 model
        "m2m_through": REFERENCE,  # Ingredient.iname is unique, +1 model
        "m2m_through_regress": REFERENCE,  # Car.make is unique, +2 models
        "many_to_many": REFERENCE,  # User.username is unique
        "many_to_one": REFERENCE,  # Parent.name is unique
        "many_to_one_null": REFERENCE,  # Car.make is unique
        "migrations": REFERENCE,  # the test migrations' Author is unique_together
        "model_fields": REFERENCE,  # Document.myfile is unique, +1 model
        "model_forms": REFERENCE,  # ImprovedArticle.article is unique, +11 models
        # Book's unique_together (author, title), +6 models
        "model_formsets": REFERENCE,
        "model_formsets_regress": REFERENCE,  # User.username is unique, +1 model
        # ItalianRestaurantCommonParent.place_ptr_two is unique, +3 models
        "model_inheritance": REFERENCE,
        # ParkingLot3.parent is unique, +4 models
        "model_inheritance_regress": REFERENCE,
        "model_meta": REFERENCE,  # Child.secondparent_ptr is unique
        "model_options": REFERENCE,  # ArticleRef.title is unique
        "model_regress": REFERENCE,  # Model1.pkey is unique, +2 models
        "modeladmin": REFERENCE,  # ValidationTestModel.best_friend is unique
        "multiple_database": REFERENCE,  # Person.name is unique, +1 model
        "one_to_one": REFERENCE,  # Bar.place is unique, +7 models
        "prefetch_related": REFERENCE,  # Author.name is unique, +2 models
        "queries": REFERENCE,  # Author.num is unique, +9 models
        "queryset_pickle": REFERENCE,  # Happening.event is unique
        "schema": REFERENCE,  # Tag.slug is unique, +8 models the tests create
        "select_for_update": REFERENCE,  # PersonProfile.person is unique
        "select_related_onetoone": REFERENCE,  # UserProfile.user is unique, +5 models
        "select_related_regress": REFERENCE,  # Connection.start is unique, +1 model
        # CategoryMetaData's unique_together (kind, name), +6 models
        "serializers": REFERENCE,
        "string_lookup": REFERENCE,  # Child.parent is unique
        "test_client_regress": REFERENCE,  # CustomUser.email is unique
        "update": REFERENCE,  # Foo.target is unique, +1 model
        "utils_tests": REFERENCE,  # CategoryInfo.category is unique
        # UniqueFieldsModel.unique_charfield is unique, +5 models
        "validation": REFERENCE,
    },
}

# Name the passing tests that touched a lenient gap of the test double.
TEST_RUNNER = "suite_lenient.LenientGapRunner"
