"""The marketplace import: every entry is upserted on (source, external id) inside the transaction,
with per-artifact work (I/O, parsing) done while the transaction is open, as the investigated service
does. Monolithic: one transaction for the whole import. Batched: one transaction per batch; a batch
that cannot get the write lock is rolled back and the import goes on (partial success)."""
import time
from dataclasses import dataclass, field
from typing import List, Optional

from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .database import is_lock_timeout
from .models import Artifact, ArtifactChild
from .settings import Settings


class ChildIn(BaseModel):
    external_id: str = Field(..., min_length=1, max_length=200)
    name: str = Field(..., min_length=1, max_length=200)
    kind: str = Field(..., min_length=1, max_length=50)


class ArtifactIn(ChildIn):
    children: List[ChildIn] = []


class ImportRequest(BaseModel):
    artifacts: List[ArtifactIn] = Field(..., min_items=1, max_items=5000)


@dataclass
class BatchResult:
    index: int
    size: int
    status: str  # committed | failed
    error: Optional[str] = None


@dataclass
class ImportResult:
    source_id: str
    requested: int
    batches: List[BatchResult] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def imported(self) -> int:
        return sum(b.size for b in self.batches if b.status == "committed")

    @property
    def status(self) -> str:
        if self.imported == self.requested:
            return "completed"
        return "failed" if self.imported == 0 else "partial"

    def as_dict(self) -> dict:
        return {
            "source_id": self.source_id,
            "status": self.status,
            "requested": self.requested,
            "imported": self.imported,
            "failed": self.requested - self.imported,
            "duration_ms": round(self.duration_ms, 1),
            "batches": [b.__dict__ for b in self.batches],
        }


def _now_ms() -> int:
    return int(time.time() * 1000)


def _upsert_artifact(session: Session, source_id: str, entry: ArtifactIn, work_ms: int) -> None:
    artifact = session.query(Artifact).filter_by(source_id=source_id, external_id=entry.external_id).one_or_none()
    if artifact is None:
        artifact = Artifact(source_id=source_id, external_id=entry.external_id)
        session.add(artifact)
    artifact.name = entry.name
    artifact.kind = entry.kind
    artifact.updated_at = _now_ms()
    session.flush()
    for child in entry.children:
        row = session.query(ArtifactChild).filter_by(parent_id=artifact.id, external_id=child.external_id).one_or_none()
        if row is None:
            row = ArtifactChild(parent_id=artifact.id, external_id=child.external_id)
            session.add(row)
        row.name = child.name
        row.kind = child.kind
    session.flush()
    # The per-artifact work of the real service (fetching and parsing the artifact) while the
    # transaction, and so SQLite's write lock, is held.
    time.sleep(work_ms / 1000)


def run_import(session: Session, settings: Settings, source_id: str, request: ImportRequest) -> ImportResult:
    started = time.perf_counter()
    entries = request.artifacts
    size = len(entries) if settings.import_mode == "monolithic" else settings.import_batch_size
    result = ImportResult(source_id=source_id, requested=len(entries))
    for index, start in enumerate(range(0, len(entries), size)):
        batch = entries[start : start + size]
        try:
            for entry in batch:
                _upsert_artifact(session, source_id, entry, settings.artifact_work_ms)
            session.commit()
            result.batches.append(BatchResult(index=index, size=len(batch), status="committed"))
        except OperationalError as error:
            session.rollback()
            if not is_lock_timeout(error):
                raise
            result.batches.append(BatchResult(index=index, size=len(batch), status="failed", error=str(error.orig)))
    result.duration_ms = (time.perf_counter() - started) * 1000
    return result
