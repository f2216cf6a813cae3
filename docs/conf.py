"""Sphinx configuration for the django-singlestore documentation."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "django-singlestore"
author = "the django-singlestore authors"
copyright = "2026, " + author
release = "5.2.0"
version = "5.2"
extensions = []
exclude_patterns = ["_build"]
html_theme = "alabaster"
