"""Routes, written the way a Django 3.2 app writes them: transaction.atomic around each write, the ORM
reading before it writes. Errors other than bad input are left to Django (a database error is a 500)."""
import json
import os
import time

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Artifact, CatalogEntry, Source

#: Most entries one import may carry.
MAX_ARTIFACTS = 5000


def _now_ms() -> int:
    return int(time.time() * 1000)


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": "BAD_REQUEST", "message": message}}, status=400)


def _json_body(request):
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None


def health(request):
    return JsonResponse({"status": "ok", "pid": os.getpid(), "config": settings.CONFIG.as_dict()})


def _entry_error(entry, where: str):
    if not isinstance(entry, dict):
        return f"{where} must be an object"
    for field in ("external_id", "name", "kind"):
        if not isinstance(entry.get(field), str) or not entry[field]:
            return f"{where}.{field} must be a non-empty string"
    return None


def _upsert(source: Source, entry: dict, parent=None) -> Artifact:
    # Read, then write: under a deferred transaction the first read takes only a read lock.
    artifact = Artifact.objects.filter(source=source, external_id=entry["external_id"]).first()
    if artifact is None:
        artifact = Artifact(source=source, external_id=entry["external_id"])
    artifact.parent = parent
    artifact.name = entry["name"]
    artifact.kind = entry["kind"]
    artifact.updated_ms = _now_ms()
    artifact.save()
    return artifact


@csrf_exempt
def import_artifacts(request, source_id: str):
    """The long bulk write: every entry of an import in one transaction, with per-artifact work inside it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = _json_body(request)
    artifacts = body.get("artifacts") if isinstance(body, dict) else None
    if not isinstance(artifacts, list) or not 1 <= len(artifacts) <= MAX_ARTIFACTS:
        return _bad_request(f"artifacts must be a list of 1 to {MAX_ARTIFACTS} entries")
    for i, entry in enumerate(artifacts):
        problem = _entry_error(entry, f"artifacts[{i}]")
        for j, child in enumerate(entry.get("children", []) if isinstance(entry, dict) else []):
            problem = problem or _entry_error(child, f"artifacts[{i}].children[{j}]")
        if problem:
            return _bad_request(problem)
    source = Source.objects.filter(id=source_id).first()
    if source is None:
        return JsonResponse({"error": {"code": "NOT_FOUND", "message": f"unknown source {source_id!r}"}}, status=404)
    started = time.perf_counter()
    work_s = settings.CONFIG.artifact_work_ms / 1000
    with transaction.atomic():
        for entry in artifacts:
            parent = _upsert(source, entry)
            for child in entry.get("children", []):
                _upsert(source, child, parent)
            time.sleep(work_s)
    return JsonResponse(
        {
            "source_id": source_id,
            "status": "completed",
            "requested": len(artifacts),
            "imported": len(artifacts),
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
    )


@csrf_exempt
def update_catalog_entry(request, entry_id: int):
    """Read-then-write: the entry is read, worked on, and written back in one transaction."""
    if request.method != "PATCH":
        return HttpResponseNotAllowed(["PATCH"])
    body = _json_body(request)
    if not isinstance(body, dict) or not any(isinstance(body.get(f), str) and body[f] for f in ("status", "title")):
        return _bad_request("expected a JSON object with a non-empty status or title")
    with transaction.atomic():
        entry = CatalogEntry.objects.filter(id=entry_id).first()
        if entry is None:
            return JsonResponse({"error": {"code": "NOT_FOUND", "message": f"no catalog entry {entry_id}"}}, status=404)
        time.sleep(settings.CONFIG.catalog_work_ms / 1000)
        entry.status = body.get("status") or entry.status
        entry.title = body.get("title") or entry.title
        entry.version += 1
        entry.updated_ms = _now_ms()
        entry.save()
    return JsonResponse({"id": entry.id, "source_id": entry.source_id, "title": entry.title, "status": entry.status, "version": entry.version})


def list_artifacts(request):
    try:
        limit = int(request.GET.get("limit", "100"))
    except ValueError:
        return _bad_request("limit must be an integer from 1 to 1000")
    if not 1 <= limit <= 1000:
        return _bad_request("limit must be an integer from 1 to 1000")
    query = Artifact.objects.order_by("id")
    if request.GET.get("source_id"):
        query = query.filter(source_id=request.GET["source_id"])
    items = [{"id": a.id, "source_id": a.source_id, "external_id": a.external_id, "name": a.name, "kind": a.kind} for a in query[:limit]]
    return JsonResponse({"items": items, "total": query.count()})
