"""uploads.UploadStore: files kept between a preview and its confirm, named by signed tokens."""

import os
import time

import pytest
from django.core import signing

from importers.uploads import UploadGone, UploadStore


@pytest.fixture
def store(tmp_path, settings):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path)
    return UploadStore(salt="test.uploads", kind="plans", max_age=3600)


def test_a_kept_file_is_read_by_its_token_and_taken_once(store):
    token = store.keep(b"%PDF-1.7 plan")
    assert store.read(token) == b"%PDF-1.7 plan"
    assert store.take(token) == b"%PDF-1.7 plan"
    with pytest.raises(UploadGone):
        store.take(token)
    assert list(store.folder().iterdir()) == []


def test_a_token_of_another_store_or_altered_names_nothing(store):
    token = store.keep(b"data")
    other = UploadStore(salt="other.uploads", kind="plans")
    with pytest.raises(UploadGone):
        other.read(token)
    with pytest.raises(UploadGone):
        store.read(token + "x")
    assert store.read(token) == b"data"


def test_a_signed_name_that_is_no_kept_name_reads_nothing(store, tmp_path):
    """Kept names are 32 hex digits; ``../`` + 29 characters has the length, not the form."""
    secret = tmp_path / ("s" * 29)
    secret.write_bytes(b"secret")
    for name in ("../" + secret.name, secret.name, str(secret), 12345):
        with pytest.raises(UploadGone):
            store.take(signing.dumps(name, salt=store.salt))
    assert secret.read_bytes() == b"secret"


def test_files_older_than_max_age_are_swept_when_a_new_one_is_kept(store):
    old = store.keep(b"old")
    path = next(store.folder().iterdir())
    an_hour_ago = time.time() - 3601
    os.utime(path, (an_hour_ago, an_hour_ago))
    new = store.keep(b"new")
    assert store.read(new) == b"new"
    with pytest.raises(UploadGone):
        store.read(old)


def test_an_expired_token_names_nothing(store, settings):
    quick = UploadStore(salt="test.uploads", kind="plans", max_age=0)
    token = quick.keep(b"data")
    time.sleep(1.1)
    with pytest.raises(UploadGone):
        quick.read(token)
