"""Django database backend for SingleStore."""

import django

__version__ = "5.2.0"

if django.VERSION[:2] != (5, 2):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "django-singlestore %s supports Django 5.2.x only; Django %s is "
        "installed. Install a matching release: pip install "
        "'django>=5.2,<5.3' (or the django-singlestore release that matches "
        "your Django version)." % (__version__, django.get_version())
    )
