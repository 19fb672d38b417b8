"""The portal's URLs plus one minimal view, served by the same workers and middleware.

The benchmark compares each page's throughput with this view's, measured in the same run.
"""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("config.urls")),
]
