"""An L&D administrator imports the example political leadership framework in a real browser:
the upload page (first with a file too broken to read), the preview with what will be created,
and the confirm step, which lands on the new framework's page. Every page is scanned with axe-core."""

from pathlib import Path

from playwright.sync_api import Page, expect

from cadre.core.models import Role
from cadre.frameworks.interchange import plan_import
from cadre.frameworks.models import Framework
from tests.browser import live_database
from tests.browser.axe import follow
from tests.browser.journeys import screenshot, sign_in
from tests.factories import OrganisationFactory, user_with_role

pytestmark = live_database

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
POLITICAL = Path(__file__).resolve().parents[2] / "cadre/frameworks/examples/political.yaml"


def test_an_ld_administrator_imports_a_framework_file_after_a_preview(page: Page):
    org = OrganisationFactory(name="North Borough Council")
    admin = user_with_role(org, Role.LD_ADMIN, first_name="Lee", last_name="Developer")
    data = POLITICAL.read_bytes()
    plan = plan_import(data=data, filename="political.yaml", organisation=org)
    assert plan.ok

    sign_in(page, email=admin.email, password=PASSWORD)
    follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Manage frameworks"))
    follow(page.get_by_role("link", name="Import a framework"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a framework")

    # A file that is not YAML or JSON is refused here, and the chosen kind of file is kept.
    page.get_by_label("Cadre's framework format (YAML or JSON)").check()
    page.get_by_label("Framework file").set_input_files(
        files=[{"name": "broken.yaml", "mimeType": "application/yaml", "buffer": b"framework: [unclosed"}]
    )
    follow(page.get_by_role("button", name="Check the file"))
    expect(page.get_by_role("alert")).to_contain_text("The file is not valid YAML or JSON")
    expect(page.get_by_label("Cadre's framework format (YAML or JSON)")).to_be_checked()

    page.get_by_label("Framework file").set_input_files(
        files=[{"name": "political.yaml", "mimeType": "application/yaml", "buffer": data}]
    )
    follow(page.get_by_role("button", name="Check the file"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of political.yaml")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Political leadership framework")
    row = page.get_by_role("table", name="What each version will hold").get_by_role("row").nth(1)
    cells = row.get_by_role("cell")
    expect(cells.nth(1)).to_have_text(str(plan.attributes))
    expect(cells.nth(2)).to_have_text(str(plan.tiers))
    expect(cells.nth(3)).to_have_text(str(plan.indicators))
    assert not Framework.objects.exists()
    screenshot(page, "framework-import-preview")

    follow(page.get_by_role("button", name="Confirm and import"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Political leadership framework")
    expect(page.get_by_text("Political leadership framework imported from political.yaml.")).to_be_visible()
    framework = Framework.objects.get()
    assert framework.owner_organisation == org
    assert page.url.endswith(f"/frameworks/manage/{framework.pk}/")
