"""Error pages and the audit log browser."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    message = str(exception) if exception else ""
    return render(request, "403.html", {"exception": message}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)
