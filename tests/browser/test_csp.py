"""Issue 11: every page passes the Content-Security-Policy — in a real browser, with the htmx
interactions that swap content in (estimate, draw, load more, progress polling, overrides), the
admin's pages and the API docs. Any violation event or CSP console error fails the test."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from adcreator.web.csp import SITE_POLICY
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    console: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)

    def violations() -> list[str]:
        return page.evaluate("window.__csp || []") + console

    return page, violations


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    assert response.headers["content-security-policy"] == SITE_POLICY, path


def test_the_client_pages_and_their_htmx_swaps_pass_the_policy(org, make_member, login, watched):
    page, violations = watched
    cat = build_catalog(org, templates=14)  # more than one grid page: "Load more" appears
    member = make_member(org, "alice")
    ad_run = make_run(cat, metadata={"stage": "done", "ads_attempted": 3, "ads_total": 4})
    ads = [make_ad(ad_run, template=cat.templates[0], prompt_index=i, status=s)
           for i, s in ((1, "rejected"), (2, "approved"))]
    login(member)

    visit(page, "/")
    visit(page, "/create/")
    page.locator(".tpl-card").first.click()
    expect(page.get_by_test_id("attempts")).to_have_text("1")  # the estimate, swapped in by htmx
    load_more = page.locator(".load-more")
    if load_more.count():
        load_more.click()
        expect(page.locator(".load-more")).to_have_count(0)
    page.get_by_label(re.compile("Roll the dice")).check()
    page.get_by_role("button", name="Draw templates").click()
    expect(page.locator(".draw-row").first).to_be_visible()
    # A setting the draw depends on clears it (create.js, formerly an hx-on attribute).
    page.get_by_label("How many templates").fill("2")
    page.get_by_label("How many templates").dispatch_event("change")
    expect(page.locator("#draw-result .draw-row")).to_have_count(0)

    visit(page, f"/jobs/{ad_run.job_run.job_id}/")
    # A completed run: the bar (a <progress> element, no inline width) is full.
    bar = page.locator("progress.bar")
    expect(bar).to_have_attribute("value", bar.get_attribute("max"))
    visit(page, "/results/")
    page.locator(f'[data-ad-id="{ads[0].pk}"]').get_by_role("button", name="Override Approve").click()
    expect(page.locator(f'[data-ad-id="{ads[0].pk}"] [data-testid=status]')).to_have_text("Approved")
    visit(page, f"/results/?run={ad_run.pk}")
    assert violations() == []


def test_the_login_page_and_the_admin_pass_the_policy(org, watched):
    page, violations = watched
    get_user_model().objects.create_superuser("root", "root@example.test", "right-pw")
    cat = build_catalog(org, templates=1)
    visit(page, "/accounts/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("didn't match")
    visit(page, "/admin/login/")
    page.locator("#id_username").fill("root")
    page.locator("#id_password").fill("right-pw")
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    for path in ("/admin/", "/admin/templates/scrapedtemplate/", f"/admin/templates/scrapedtemplate/{cat.templates[0].pk}/change/",
                 "/admin/generation/generatedad/", "/admin/catalog/product/add/", "/admin/review/qualityscoringconfig/"):
        visit(page, path)
    assert violations() == []


def test_the_api_docs_render_under_the_policy(org, make_member, login, watched):
    page, violations = watched
    login(make_member(org, "alice"))
    visit(page, "/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_be_visible()
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    page.locator(".opblock-summary").first.click()  # expand an operation: React renders more
    page.wait_for_timeout(300)
    assert violations() == []
