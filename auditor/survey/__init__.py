"""``auditor survey``: many inputs audited together, each fact collected once (docs/survey.md).

Layer 4, beside ``pipeline`` and ``gate``: :func:`~auditor.survey.run.run_survey`
reuses the pipeline's stages (``collect_nodes``, ``run_collectors``,
``assemble``) on tasks that a local pool or a Dask cluster runs
(:mod:`auditor.survey.runner`); the tables are written by
``auditor/report/survey_tables.py``.
"""
