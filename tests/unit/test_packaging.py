"""The install the docs give (docs/installation.rst) builds this package.

PyPI's ``django-singlestore`` is the upstream 5.0 package, so the docs tell
users to build a wheel from a checkout; this builds one the same way, offline,
from a copy of the files the wheel is made of.
"""

import email
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import django_singlestore

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("setup.py", "setup.cfg", "README.rst", "LICENSE", "django_singlestore")


def test_wheel_from_a_checkout_is_this_package(tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, checkout / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, checkout / name)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(dist), str(checkout)],
        check=True,
        capture_output=True,
    )
    version = django_singlestore.__version__
    wheel = dist / f"django_singlestore-{version}-py3-none-any.whl"
    assert [path.name for path in dist.iterdir()] == [wheel.name]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = email.message_from_bytes(
            archive.read(f"django_singlestore-{version}.dist-info/METADATA")
        )
    assert metadata["Name"] == "django-singlestore"
    assert metadata["Version"] == version
    assert version.startswith("5.2.")
    required = [
        requirement
        for requirement in metadata.get_all("Requires-Dist")
        if "extra ==" not in requirement
    ]
    assert sorted(required) == [
        "django-appconf>=1.0.6",
        "django<5.3,>=5.2",
        "singlestoredb>=1.10",
    ]
    packages = {name.split("/")[0] for name in names}
    assert packages == {"django_singlestore", f"django_singlestore-{version}.dist-info"}
    assert "django_singlestore/base.py" in names
