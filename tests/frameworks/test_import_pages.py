"""Importing a framework file in the browser: who may, the preview (counts, a CASE package's
mapping, every problem of a refused file), confirming (once) and cancelling, and files refused on
the upload page (too large, not text). Nothing is written before the confirm step."""

import copy
import html
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cadre.core.models import AuditEntry, Membership, Role
from cadre.frameworks.editing import importing
from cadre.frameworks.interchange import export_csv, plan_import
from cadre.frameworks.interchange.common import MAX_BYTES
from cadre.frameworks.models import Attribute, BehaviourIndicator, Framework, FrameworkVersion, Tier
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks.test_cadre_format import as_bytes, import_document, small_document
from tests.frameworks.test_case import WHEN, association, ident, item, link, package

pytestmark = pytest.mark.django_db

IMPORT = "/frameworks/manage/import/"
POLITICAL = Path(__file__).resolve().parents[2] / "cadre/frameworks/examples/political.yaml"


@pytest.fixture
def org():
    return OrganisationFactory(name="North Borough Council")


@pytest.fixture
def admin_client(client, org):
    client.force_login(user_with_role(org, Role.LD_ADMIN))
    return client


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def page(response) -> str:
    return html.unescape(response.content.decode())


def upload(client, data: bytes, name: str, format: str = "auto", **extra):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), "format": format, **extra})


def preview_url(response) -> str:
    assert response.status_code == 302, page(response)
    assert re.fullmatch(r"/frameworks/manage/import/[\w-]+/", response["Location"]), response["Location"]
    return response["Location"]


def stored_files(media) -> list[Path]:
    folder = Path(media) / importing.STORAGE_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


# -- who may use the pages --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LD_ADMIN, Role.ORG_ADMIN])
def test_ld_and_organisation_administrators_reach_the_import_from_the_list(client, org, role):
    client.force_login(user_with_role(org, role))
    assert f'href="{IMPORT}">Import a framework</a>' in page(client.get("/frameworks/manage/"))
    response = client.get(IMPORT)
    assert response.status_code == 200
    assert "Import a framework" in page(response)
    # One organisation: nothing to choose.
    assert 'name="organisation"' not in page(response)


def test_anyone_else_gets_a_404_and_another_organisations_admin_cannot_see_a_preview(client, org):
    ld_admin = user_with_role(org, Role.LD_ADMIN)
    client.force_login(ld_admin)
    url = preview_url(upload(client, POLITICAL.read_bytes(), "political.yaml"))
    other_org = OrganisationFactory()
    for outsider in [
        user_with_role(org, Role.MEMBER),
        user_with_role(org, Role.EXECUTIVE_VIEWER),
        user_with_role(other_org, Role.LD_ADMIN),
        user_with_role(other_org, Role.ORG_ADMIN),
    ]:
        other = Client()
        other.force_login(outsider)
        if outsider.memberships.filter(organisation=org).exists():
            assert other.get(IMPORT).status_code == 404, outsider
            assert upload(other, POLITICAL.read_bytes(), "political.yaml").status_code == 404
        # The file waits in the uploader's session: to anyone else it does not exist.
        assert other.get(url).status_code == 404, outsider
        assert other.post(url + "confirm/").status_code == 404, outsider
        assert other.post(url + "cancel/").status_code == 404, outsider
    assert not Framework.objects.exists()
    assert "Confirm and import" in page(client.get(url))  # still there for the uploader


def test_a_file_for_an_organisation_the_user_no_longer_administers_is_a_404(client, org):
    user = user_with_role(org, Role.LD_ADMIN)
    client.force_login(user)
    url = preview_url(upload(client, POLITICAL.read_bytes(), "political.yaml"))
    Membership.objects.filter(user=user, organisation=org, role=Role.LD_ADMIN).delete()
    Membership.objects.create(user=user, organisation=OrganisationFactory(), role=Role.LD_ADMIN)
    assert client.get(url).status_code == 404
    assert client.post(url + "confirm/").status_code == 404
    assert not Framework.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(IMPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_administrator_of_two_organisations_chooses_one(client, org):
    other_org = OrganisationFactory(name="South Borough Council")
    user = user_with_role(org, Role.LD_ADMIN)
    Membership.objects.create(user=user, organisation=other_org, role=Role.ORG_ADMIN)
    client.force_login(user)
    response = upload(client, POLITICAL.read_bytes(), "political.yaml")
    assert response.status_code == 200
    assert "Choose the organisation it will belong to." in page(response)
    url = preview_url(upload(client, POLITICAL.read_bytes(), "political.yaml", organisation=other_org.pk))
    assert "South Borough Council" in page(client.get(url))
    response = client.post(url + "confirm/")
    framework = Framework.objects.get()
    assert framework.owner_organisation == other_org
    assert response["Location"] == f"/frameworks/manage/{framework.pk}/"


# -- a good file ------------------------------------------------------------------------------


def test_a_good_cadre_file_previews_without_writing_and_confirmed_creates_the_framework(admin_client, org):
    data = POLITICAL.read_bytes()
    url = preview_url(upload(admin_client, data, "political.yaml"))
    assert not Framework.objects.exists()

    text = page(admin_client.get(url))
    assert "Import of political.yaml" in text
    assert "Political leadership framework" in text
    assert "Cadre's framework format" in text
    assert "Confirm and import" in text
    assert "This file cannot be imported" not in text
    plan = plan_import(data=data, filename="political.yaml", organisation=org)
    cells = re.findall(r'govuk-table__cell--numeric">(\d+)</td>', text)
    assert cells[:3] == [str(plan.attributes), str(plan.tiers), str(plan.indicators)]
    assert not Framework.objects.exists() and not AuditEntry.objects.filter(event="framework.imported").exists()

    response = admin_client.post(url + "confirm/")
    framework = Framework.objects.get()
    assert response["Location"] == f"/frameworks/manage/{framework.pk}/"
    assert framework.name == "Political leadership framework"
    assert framework.owner_organisation == org
    version = framework.versions.order_by("-number").first()
    assert Attribute.objects.filter(version=version).count() == plan.attributes
    assert Tier.objects.filter(version=version).count() == plan.tiers
    assert BehaviourIndicator.objects.filter(version=version).count() == plan.indicators
    followed = page(admin_client.get(response["Location"]))
    assert "Political leadership framework imported from political.yaml." in followed


def test_confirming_twice_creates_the_framework_once(admin_client):
    url = preview_url(upload(admin_client, POLITICAL.read_bytes(), "political.yaml"))
    assert admin_client.post(url + "confirm/").status_code == 302
    second = admin_client.post(url + "confirm/")
    assert second["Location"] == IMPORT
    assert "no longer waiting to be imported" in page(admin_client.get(IMPORT))
    assert Framework.objects.count() == 1
    assert admin_client.get(url)["Location"] == IMPORT


def test_a_csv_copy_of_a_framework_becomes_its_next_draft_and_is_imported_once(admin_client, org):
    existing = import_document(small_document(), org)
    existing.versions.filter(number=2).delete()
    data = export_csv(existing, existing.versions.get(number=1)).encode()
    url = preview_url(upload(admin_client, data, "framework.csv"))
    text = page(admin_client.get(url))
    assert "CSV, one row per behaviour indicator" in text
    assert "so the file becomes its next version: a draft, version 2" in text
    assert "Version 2, a draft, of" in text
    assert "A CSV file cannot hold other versions" in text
    admin_client.post(url + "confirm/")
    admin_client.post(url + "confirm/")
    assert Framework.objects.count() == 1
    draft = existing.versions.get(number=2)
    assert draft.indicators.count() == existing.versions.get(number=1).indicators.count()


def test_cancel_removes_the_stored_file_and_writes_nothing(admin_client, media, monkeypatch):
    monkeypatch.setattr(importing, "SESSION_LIMIT", 0)  # every file waits in file storage
    url = preview_url(upload(admin_client, POLITICAL.read_bytes(), "political.yaml"))
    assert len(stored_files(media)) == 1
    assert "Confirm and import" in page(admin_client.get(url))
    response = admin_client.post(url + "cancel/")
    assert response["Location"] == "/frameworks/manage/"
    assert "The import was cancelled. Nothing was saved." in page(admin_client.get("/frameworks/manage/"))
    assert stored_files(media) == []
    assert admin_client.post(url + "confirm/")["Location"] == IMPORT
    assert not Framework.objects.exists()


def test_a_file_in_file_storage_is_read_again_and_removed_on_confirm(admin_client, media, monkeypatch):
    monkeypatch.setattr(importing, "SESSION_LIMIT", 0)
    url = preview_url(upload(admin_client, POLITICAL.read_bytes(), "political.yaml"))
    (stored,) = stored_files(media)
    assert stored.read_bytes() == POLITICAL.read_bytes()
    assert admin_client.post(url + "confirm/").status_code == 302
    assert stored_files(media) == []
    assert Framework.objects.count() == 1


def test_a_small_file_waits_in_the_session_not_in_file_storage(admin_client, media):
    preview_url(upload(admin_client, POLITICAL.read_bytes(), "political.yaml"))
    assert stored_files(media) == []
    (entry,) = admin_client.session[importing.SESSION_KEY].values()
    assert entry["filename"] == "political.yaml" and "data" in entry


def test_confirm_plans_again_and_refuses_a_framework_made_since_the_preview(admin_client, org):
    data = as_bytes(small_document())
    url = preview_url(upload(admin_client, data, "officers.yaml"))
    assert "Confirm and import" in page(admin_client.get(url))
    import_document(small_document(), org)  # made meanwhile, by someone else
    response = admin_client.post(url + "confirm/")
    assert response.status_code == 200
    text = page(response)
    assert "Officers' framework already exists here and already has a draft, version 2." in text
    assert "Confirm and import" not in text
    assert Framework.objects.count() == 1


# -- a refused file ---------------------------------------------------------------------------


def test_a_bad_file_shows_every_problem_with_where_it_is_and_writes_nothing(admin_client):
    document = small_document()
    v1 = document["versions"][0]
    v1["attributes"].append({"key": "agile", "name": "Agile again"})
    v1["tiers"].append({"key": "senior", "name": "Senior leader", "rank": 2})
    document["versions"][1]["attribute_mappings"].append({"attribute": "adaptable", "previous": "courageous"})
    url = preview_url(upload(admin_client, as_bytes(document), "officers.yaml"))
    response = admin_client.get(url)
    text = page(response)
    assert "<title>Error: " in text
    assert "This file cannot be imported" in text
    for expected in [
        "versions[0].attributes[2].key: Attribute key ‘agile’ is used twice (first at versions[0].attributes[0].key).",
        "versions[0].tiers[2].rank: Rank ‘2’ is used twice (first at versions[0].tiers[1].rank).",
        "versions[1].attribute_mappings[1].previous: names attribute ‘courageous’, which version 1 does not have.",
    ]:
        assert expected in text
    summary = text.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    plan = plan_import(data=as_bytes(document), filename="officers.yaml", organisation=OrganisationFactory())
    assert summary.count("<li>") == len(plan.problems) >= 3
    assert "Confirm and import" not in text
    assert "Discard this file" in text
    # A confirm posted anyway writes nothing.
    refused = admin_client.post(url + "confirm/")
    assert refused.status_code == 200 and "This file cannot be imported" in page(refused)
    assert not Framework.objects.exists() and not FrameworkVersion.objects.exists()


def test_malformed_case_json_is_refused_on_the_preview_naming_the_json_path(admin_client):
    pkg = package([item("a", "Working together")], [association("a", "isChildOf", "doc")])
    broken = copy.deepcopy(pkg)
    broken["CFDocument"]["lastChangeDateTime"] = "yesterday"
    url = preview_url(upload(admin_client, json.dumps(broken).encode(), "package.json"))
    text = page(admin_client.get(url))
    assert "This file cannot be imported" in text
    assert "CFDocument.lastChangeDateTime" in text
    assert not Framework.objects.exists()


# -- a CASE package ---------------------------------------------------------------------------


def test_a_case_package_preview_shows_how_each_item_was_mapped(admin_client):
    items = [
        item("a", "Working together"),
        item("a1", "Shares information with colleagues"),
        item("b", "Delivering results"),
        item("b1", "Meets deadlines"),
    ]
    associations = [
        association("a", "isChildOf", "doc", 1),
        association("b", "isChildOf", "doc", 2),
        association("a1", "isChildOf", "a", 1),
        association("b1", "isChildOf", "b", 1),
    ]
    url = preview_url(upload(admin_client, json.dumps(package(items, associations)).encode(), "package.json"))
    text = page(admin_client.get(url))
    assert "1EdTech CASE 1.0 package" in text
    assert "How each item was read" in text
    table = text.split("How each item was read</caption>")[1].split("<tbody")[1].split("</table>")[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    assert len(rows) == 4
    first = re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)
    assert first == [ident("a"), "Working together", "attribute ‘Working together’", "it is a top-level item"]
    assert "Shares information with colleagues" in table
    assert not Framework.objects.exists()
    admin_client.post(url + "confirm/")
    framework = Framework.objects.get()
    assert framework.name == "Council competencies"
    assert framework.versions.get().indicators.count() == 2


def test_skipped_case_items_are_listed_with_their_reasons(admin_client):
    def kind(name: str, title: str, code: str) -> dict:
        return {
            "identifier": ident(name),
            "uri": f"https://case.example.org/t/{name}",
            "title": title,
            "hierarchyCode": code,
            "lastChangeDateTime": WHEN,
        }

    definitions = {
        "CFItemTypes": [
            kind("t-comp", "Competency", "1"),
            kind("t-level", "Level", "2"),
            kind("t-ind", "Indicator", "3"),
        ]
    }

    def typed(name, text, of):
        return item(name, text, CFItemTypeURI=link(f"t-{of}", of))

    items = [
        typed("comp", "Communicates", "comp"),
        typed("l1", "Foundation", "level"),
        typed("i1", "Explains decisions plainly", "ind"),
        typed("i3", "Writes well", "ind"),
        typed("stray", "An indicator on its own", "ind"),
    ]
    associations = [
        association("comp", "isChildOf", "doc"),
        association("l1", "isChildOf", "doc"),
        association("i1", "isChildOf", "comp", 1),
        association("i3", "isChildOf", "comp", 2),
        association("i1", "hasSkillLevel", "l1"),
        association("stray", "isChildOf", "doc"),
    ]
    data = json.dumps(package(items, associations, definitions)).encode()
    text = page(admin_client.get(preview_url(upload(admin_client, data, "package.json"))))
    assert "Items skipped" in text
    table = text.split("Items skipped</caption>")[1].split("<tbody")[1].split("</table>")[0]
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    ]
    assert sorted(rows) == sorted(
        [
            [ident("i3"), "Writes well", "it is linked (hasSkillLevel or isRelatedTo) to no tier"],
            [ident("stray"), "An indicator on its own", "it is an indicator with no attribute above it"],
        ]
    )
    assert "Confirm and import" in text


# -- refused on the upload page ---------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_on_the_upload_page_keeping_the_format(admin_client, media):
    response = upload(admin_client, b"a" * (MAX_BYTES + 1), "big.csv", format="csv")
    assert response.status_code == 200
    text = page(response)
    assert "There is a problem" in text
    assert "The file is 5.0 MB. The largest framework file Cadre imports is 5 MB." in text
    assert re.search(r'<input[^>]*value="csv"[^>]*checked', text)
    assert importing.SESSION_KEY not in admin_client.session
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "picture.json", "The file is not a text file: it holds NUL bytes."),
        (b"\xff\xfe\xfa not utf-8", "framework.csv", "The file is not UTF-8 text"),
        (b'{"format": "cadre-framework/1", ', "framework.json", "The file is not valid JSON"),
        (b"framework: [unclosed", "framework.yaml", "The file is not valid YAML or JSON"),
    ],
)
def test_a_file_that_is_not_a_readable_format_is_refused_on_the_upload_page(admin_client, data, name, message):
    response = upload(admin_client, data, name, format="cadre")
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert re.search(r'<input[^>]*value="cadre"[^>]*checked', text)
    assert importing.SESSION_KEY not in admin_client.session


def test_no_file_chosen(admin_client):
    response = admin_client.post(IMPORT, {"format": "auto"})
    assert "Choose the framework file to import." in page(response)
