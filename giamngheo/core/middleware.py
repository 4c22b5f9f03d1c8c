"""Refuse input no database can store: a NUL character anywhere in the path, query or form."""

from __future__ import annotations

from django.http import HttpResponseBadRequest


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [request.path, *request.GET.keys(), *(v for vs in request.GET.lists() for v in vs[1])]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            values += [v for vs in request.POST.lists() for v in vs[1]]
        if any("\x00" in value for value in values):
            return HttpResponseBadRequest(
                "Dữ liệu chứa ký tự NUL / input contains a NUL character", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class AccessDeniedAsNotFoundMiddleware:
    """A record outside the user's units answers exactly like a record that does not exist (404),
    wherever a view lets the access layer's AccessDenied escape. The API has its own handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.http import Http404
        from django.views.defaults import page_not_found

        from .errors import AccessDenied

        if isinstance(exception, AccessDenied):
            return page_not_found(request, Http404())
        return None


class NoStoreMiddleware:
    """Nothing a signed-in user is shown is kept by the browser or a proxy cache: pages and downloads
    carry national ids and incomes (`Cache-Control: no-store`). Static files never reach here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's bearer token sets it during the view
        if getattr(user, "is_authenticated", False) or getattr(request, "auth", None):
            from django.utils.cache import add_never_cache_headers, patch_cache_control

            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response


class MetricsMiddleware:
    """Times every request for the operator's figures (core.metrics), first in the chain so refusals
    and static files count too; labelled by view name, never by path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        from .metrics import RequestTimer, observe_request

        timer = RequestTimer()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name:
            view = match.view_name
        else:
            view = "static" if request.path.startswith(settings.STATIC_URL) else "unmatched"
        observe_request(view, request.method or "", response.status_code, *timer.elapsed())
        return response
