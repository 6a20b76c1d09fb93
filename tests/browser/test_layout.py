"""The three main pages at desktop and phone widths: nothing overflows sideways, and a
screenshot of each is kept in var/screenshots/ for a human look."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from adcreator.jobs.models import RunStatus
from tests.support.catalog import build_catalog
from tests.web import make_ad, make_run, scores

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}


def no_sideways_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_create_job_and_results_pages_fit_desktop_and_phone(org, make_member, login):
    cat = build_catalog(org, templates=8)
    page = login(make_member(org, "alice"))
    mid_run = make_run(cat, status=RunStatus.RUNNING, metadata={
        "stage": "generate_ads", "ads_total": 12, "ads_attempted": 5, "ads_generated": 5, "ads_approved": 2,
        "ads_rejected": 1, "ads_flagged": 1, "current_template": cat.templates[1].name, "current_size": "1080x1350",
        "current_color": "brand"})
    done = make_run(cat)
    variants = [("1080x1080", "original", "approved", 8.2, 0.82), ("1080x1350", "original", "flagged", 6.1, 0.55),
                ("1080x1920", "brand", "rejected", 4.2, 0.31)]
    for t_index, template in enumerate(cat.templates[:2]):
        for v_index, (size, colour, status, score, congruence) in enumerate(variants):
            make_ad(done, template=template, prompt_index=t_index * 3 + v_index + 1, canvas_size=size, color_mode=colour,
                    status=status, review_score=score, congruence=congruence, defect_passed=status != "rejected",
                    check_scores=scores(score, V4=None, C2=min(score + 1.5, 10)) if status != "rejected" else {})
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/create/")
        page.get_by_label("Smart select — best-fit templates, scored").check()
        page.get_by_label("How many templates").fill("2")
        page.get_by_role("button", name="Draw templates").click()
        expect(page.locator(".draw-row")).to_have_count(2)
        assert no_sideways_overflow(page), f"/create/ overflows at {width}px"
        page.screenshot(path=str(SCREENSHOT_DIR / f"create-{label}.png"), full_page=True)
        page.goto(f"/jobs/{mid_run.job_run.job_id}/")
        expect(page.get_by_test_id("stage")).to_have_text("Generating ads")
        assert no_sideways_overflow(page), f"/jobs/ overflows at {width}px"
        page.screenshot(path=str(SCREENSHOT_DIR / f"job-{label}.png"), full_page=True)
        page.goto(f"/results/?run={done.pk}")
        expect(page.get_by_test_id("ad-card")).to_have_count(6)
        # Lazy images below the fold load only when scrolled to; polled with evaluate, because
        # wait_for_function's own polling evaluates a string, which the page's CSP forbids.
        for image in page.locator("img").all():
            image.scroll_into_view_if_needed()
        for _ in range(100):
            if page.evaluate("[...document.images].every(i => i.complete)"):
                break
            page.wait_for_timeout(50)
        assert no_sideways_overflow(page), f"/results/ overflows at {width}px"
        page.screenshot(path=str(SCREENSHOT_DIR / f"results-{label}.png"), full_page=True)
