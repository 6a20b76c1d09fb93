"""The home page: where a signed-in client starts (create ads, see results, recent jobs)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from adcreator.jobs.selectors import recent_jobs


@login_required
def home(request):
    return render(request, "generation/home.html", {"jobs": recent_jobs(request.user)})
