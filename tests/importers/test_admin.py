"""The glossary and the import history in the admin: listed, readable, history read-only."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from importers.models import ImportRun
from plans.models import GlossaryTerm


@pytest.fixture
def admin_client_with_samples(client, db):
    call_command("loaddata", "fixtures/omitama.json", verbosity=0)
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "pw"))
    return client


@pytest.mark.parametrize(
    ("model", "counts", "rows", "shown"),
    [
        # omitama_goal1.txt's 用語解説: ten terms, from QOL to デザインコンセプト.
        (GlossaryTerm, (7, 5), 10, ["QOL", "デザインコンセプト"]),
        # The fixture records the one import of the two 小美玉市 texts.
        (ImportRun, (7, 5), 1, ["第2次小美玉市総合計画 後期基本計画"]),
    ],
    ids=["glossary", "imports"],
)
def test_pages_render_in_exact_queries(
    admin_client_with_samples, django_assert_num_queries, model, counts, rows, shown
):
    opts = model._meta
    obj = model.objects.first()
    urls = [
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
    ]
    for url in urls:
        admin_client_with_samples.get(url)  # warm per-process caches
    pages = []
    for url, expected in zip(urls, counts, strict=True):
        with django_assert_num_queries(expected):
            response = admin_client_with_samples.get(url)
        assert response.status_code == 200
        pages.append(response)
    assert pages[0].context["cl"].result_count == rows
    assert all(word in pages[0].content.decode() for word in shown)
    assert str(obj) in pages[1].content.decode()


def test_import_history_cannot_be_edited(admin_client_with_samples):
    run = ImportRun.objects.get()
    url = reverse("admin:importers_importrun_change", args=[run.pk])
    html = admin_client_with_samples.get(url).content.decode()
    assert "omitama_goal1.txt" in html
    admin_client_with_samples.post(url, {"layout": "changed"})
    run.refresh_from_db()
    assert run.layout != "changed"
