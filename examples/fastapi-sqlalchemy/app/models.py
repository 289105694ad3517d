"""The tables that take part in the import flow and in the writes that contend with it."""
from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class MarketplaceSource(Base):
    __tablename__ = "marketplace_sources"
    id = Column(String, primary_key=True)
    name = Column(String, nullable=False)


class CatalogEntry(Base):
    __tablename__ = "catalog_entries"
    id = Column(Integer, primary_key=True)
    source_id = Column(String, ForeignKey("marketplace_sources.id"), nullable=False)
    title = Column(String, nullable=False)
    status = Column(String, nullable=False)
    version = Column(Integer, nullable=False, default=0)
    updated_at = Column(Integer, nullable=False)


class ImportedItem:
    """The fields an import entry and each of its children carry."""

    id = Column(Integer, primary_key=True)
    external_id = Column(String, nullable=False)
    name = Column(String, nullable=False)
    kind = Column(String, nullable=False)


class Artifact(ImportedItem, Base):
    __tablename__ = "artifacts"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)
    source_id = Column(String, ForeignKey("marketplace_sources.id"), nullable=False)
    updated_at = Column(Integer, nullable=False)
    children = relationship("ArtifactChild", back_populates="parent")


class ArtifactChild(ImportedItem, Base):
    __tablename__ = "artifact_children"
    __table_args__ = (UniqueConstraint("parent_id", "external_id"),)
    parent_id = Column(Integer, ForeignKey("artifacts.id"), nullable=False)
    parent = relationship("Artifact", back_populates="children")


class Workflow(Base):
    __tablename__ = "workflows"
    id = Column(String, primary_key=True)
    name = Column(String, nullable=False)


class WorkflowExecution(Base):
    __tablename__ = "workflow_executions"
    id = Column(String, primary_key=True)
    workflow_id = Column(String, ForeignKey("workflows.id"), nullable=False)
    status = Column(String, nullable=False)
    created_at = Column(Integer, nullable=False)
