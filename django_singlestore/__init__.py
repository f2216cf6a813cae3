"""Django database backend for SingleStore."""

import django

__version__ = "5.2.0"

if django.VERSION[:2] != (5, 2):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"django-singlestore {__version__} supports Django 5.2.x only; Django "
        f"{django.get_version()} is installed. Install a matching release: pip "
        "install 'django>=5.2,<5.3' (or the django-singlestore release that "
        "matches your Django version)."
    )
