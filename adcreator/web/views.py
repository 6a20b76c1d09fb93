"""The home page: where a signed-in client starts (create ads, see results, recent jobs)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from adcreator.web import queries


@login_required
def home(request):
    return render(request, "web/home.html", {"jobs": queries.recent_jobs(request.user)})
