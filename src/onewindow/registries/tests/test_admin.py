"""The administrator's pages: every registries list renders, a file load from the admin
runs and shows its progress and its row errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onewindow.accounts.models import User
from onewindow.registries import models
from onewindow.registries.demo.generate import generate_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


def test_every_list_renders(admin_client):
    generate_demo(entities=30, seed=1, actor="test", reason="demo")
    for model in (
        models.MarketEntity,
        models.EnterpriseName,
        models.ScopeEntry,
        models.AddressHost,
        models.HostedAddress,
        models.PropertyRecord,
        models.ListEntry,
        models.CreditRating,
        models.VerifiedIdentity,
        models.ExchangeRecord,
        models.LoadJob,
        models.UsccSequence,
        models.IndustryCode,
    ):
        url = reverse(f"admin:registries_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, model


def test_load_from_the_admin_shows_progress_and_errors(admin_client):
    content = "code,wording,kind\nOW-G901,宠物美容服务,general\nOW-X,坏行,maybe\n".encode()
    response = admin_client.post(
        reverse("admin:registries_loadjob_add"),
        {
            "source": "business_scope",
            "reason": "补充目录",
            "file": SimpleUploadedFile("s.csv", content),
        },
    )
    assert response.status_code == 302
    job = models.LoadJob.objects.get()
    assert (job.status, job.loaded_rows, job.error_count) == ("finished", 1, 1)
    page = admin_client.get(
        reverse("admin:registries_loadjob_change", args=[job.pk])
    ).content.decode()
    assert '<progress max="100" value="100"' in page and "load.bad_choice" in page
