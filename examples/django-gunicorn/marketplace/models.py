from django.db import models


class Source(models.Model):
    id = models.CharField(primary_key=True, max_length=50)
    name = models.CharField(max_length=200)


class Artifact(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    external_id = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=50)
    updated_ms = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="artifact_source_external_id")]


class CatalogEntry(models.Model):
    id = models.IntegerField(primary_key=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=50)
    version = models.IntegerField(default=0)
    updated_ms = models.BigIntegerField()


class WorkflowExecution(models.Model):
    id = models.CharField(primary_key=True, max_length=100)
    workflow_id = models.CharField(max_length=50)
    status = models.CharField(max_length=50)
    created_ms = models.BigIntegerField()
