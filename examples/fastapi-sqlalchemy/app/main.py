"""Routes. Run with `python3 -m uvicorn app.main:app --host 127.0.0.1 --port 8000`."""
import time
from typing import Iterator, Optional

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .database import create_db_engine, create_session_factory, is_lock_timeout
from .imports import ImportRequest, run_import
from .models import Artifact, Base, CatalogEntry, MarketplaceSource, Workflow, WorkflowExecution
from .settings import load_settings

#: Seeded sources src-1 .. src-N, catalog entries 1 .. N spread over them, workflows wf-1 .. wf-N.
SEED_SOURCES = 8
SEED_CATALOG_ENTRIES = 400
SEED_WORKFLOWS = 10
#: Seconds a client is told to wait after a lock timeout.
RETRY_AFTER_SECONDS = 1

settings = load_settings()
engine = create_db_engine(settings)
SessionLocal = create_session_factory(engine)
app = FastAPI(title="marketplace")


def get_session() -> Iterator[Session]:
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()


def _now_ms() -> int:
    return int(time.time() * 1000)


@app.on_event("startup")
def create_and_seed() -> None:
    Base.metadata.create_all(engine)
    with SessionLocal() as session:
        if session.query(MarketplaceSource).count() == 0:
            now = _now_ms()
            session.add_all(MarketplaceSource(id=f"src-{s}", name=f"Source {s}") for s in range(1, SEED_SOURCES + 1))
            session.add_all(Workflow(id=f"wf-{w}", name=f"Workflow {w}") for w in range(1, SEED_WORKFLOWS + 1))
            # The catalog rows reference the sources, and no relationship() tells the unit of work so.
            session.flush()
            session.add_all(
                CatalogEntry(id=c, source_id=f"src-{(c - 1) % SEED_SOURCES + 1}", title=f"Catalog entry {c}", status="published", version=0, updated_at=now)
                for c in range(1, SEED_CATALOG_ENTRIES + 1)
            )
            session.commit()


@app.exception_handler(OperationalError)
def lock_timeout_handler(_request: Request, error: OperationalError) -> JSONResponse:
    if is_lock_timeout(error):
        return JSONResponse(
            {"detail": f"database is locked: {error.orig}"}, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    return JSONResponse({"detail": f"database error: {error.orig}"}, status_code=500)


@app.get("/api/health")
def health() -> dict:
    return {"status": "ok", "config": settings.as_dict()}


@app.get("/api/sources")
def list_sources(session: Session = Depends(get_session)) -> dict:
    return {"items": [{"id": s.id, "name": s.name} for s in session.query(MarketplaceSource).order_by(MarketplaceSource.id)]}


@app.post("/api/sources/{source_id}/import")
def import_artifacts(source_id: str, body: ImportRequest, session: Session = Depends(get_session)) -> JSONResponse:
    if session.get(MarketplaceSource, source_id) is None:
        raise HTTPException(status_code=404, detail=f"unknown source {source_id!r}")
    result = run_import(session, settings, source_id, body)
    status_code = {"completed": 200, "partial": 207, "failed": 503}[result.status]
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status_code == 503 else None
    return JSONResponse(result.as_dict(), status_code=status_code, headers=headers)


class CatalogUpdate(BaseModel):
    status: Optional[str] = Field(None, min_length=1, max_length=50)
    title: Optional[str] = Field(None, min_length=1, max_length=200)


@app.patch("/api/catalog/{entry_id}")
def update_catalog_entry(entry_id: int, body: CatalogUpdate, session: Session = Depends(get_session)) -> dict:
    entry = session.get(CatalogEntry, entry_id)
    if entry is None:
        raise HTTPException(status_code=404, detail=f"no catalog entry {entry_id}")
    if body.status is not None:
        entry.status = body.status
    if body.title is not None:
        entry.title = body.title
    entry.version += 1
    entry.updated_at = _now_ms()
    session.commit()
    return {"id": entry.id, "source_id": entry.source_id, "title": entry.title, "status": entry.status, "version": entry.version}


@app.get("/api/artifacts")
def list_artifacts(
    source_id: Optional[str] = None, limit: int = Query(100, ge=1, le=1000), session: Session = Depends(get_session)
) -> dict:
    query = session.query(Artifact)
    if source_id is not None:
        query = query.filter(Artifact.source_id == source_id)
    items = query.order_by(Artifact.id).limit(limit).all()
    return {
        "items": [{"id": a.id, "source_id": a.source_id, "external_id": a.external_id, "name": a.name, "kind": a.kind} for a in items],
        "total": query.count(),
    }


@app.post("/api/workflows/{workflow_id}/executions", status_code=201)
def start_execution(workflow_id: str, session: Session = Depends(get_session)) -> dict:
    if session.get(Workflow, workflow_id) is None:
        raise HTTPException(status_code=404, detail=f"unknown workflow {workflow_id!r}")
    execution = WorkflowExecution(id=f"{workflow_id}-{time.time_ns()}", workflow_id=workflow_id, status="running", created_at=_now_ms())
    session.add(execution)
    session.commit()
    return {"id": execution.id, "workflow_id": workflow_id, "status": execution.status}
