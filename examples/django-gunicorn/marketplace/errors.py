"""The API's error answers as JSON. The status stays the one Django gives: 500 for a database error, so a
"database is locked" comes back as the 500 a Django app answers, with the message in the body."""
from django.db import OperationalError
from django.http import JsonResponse


class JsonErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            return JsonResponse({"error": {"code": "OperationalError", "message": str(exception)}}, status=500)
        return None
