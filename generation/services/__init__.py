"""Use cases of generation: submission (validate, estimate, draw, split) and results (retry, download)."""

from generation.services.results import ResultsError, ad_run_meta_export, ad_run_retry_rejected, ad_run_zip
from generation.services.submission import (
    JOB_TYPE, Submission, SubmissionError, ad_creation_enqueue_next_part, ad_creation_estimate, ad_creation_parse,
    ad_creation_submit, attempt_cap_for,
)

__all__ = [
    "JOB_TYPE", "ResultsError", "Submission", "SubmissionError", "ad_creation_enqueue_next_part",
    "ad_creation_estimate", "ad_creation_parse", "ad_creation_submit", "ad_run_meta_export", "ad_run_retry_rejected",
    "ad_run_zip",
    "attempt_cap_for",
]
