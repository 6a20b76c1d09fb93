"""Graph error classification, usage headers, the retry policy and token scrubbing (no SDK)."""

from __future__ import annotations

import json
import logging
import random

import pytest

from adcreator.providers.errors import ProviderError, RetryableProviderError
from adcreator.providers.meta.contracts import ApiUsage
from adcreator.providers.meta.errors import (
    GraphErrorFacts,
    MetaOutcomeUnknownError,
    MetaPermissionError,
    MetaRateLimitedError,
    MetaRequestRejectedError,
    MetaTokenInvalidError,
    MetaTransientError,
    MetaUseAsyncError,
    classify_graph_error,
)
from adcreator.providers.meta.redact import install_log_filter, scrub
from adcreator.providers.meta.runner import MetaRetryPolicy, RetryingCallRunner
from adcreator.providers.meta.usage import parse_usage, slow_down_seconds


def facts(code=None, subcode=None, *, status=400, transient=False, message="m", usage=None) -> GraphErrorFacts:
    return GraphErrorFacts(http_status=status, code=code, subcode=subcode, is_transient=transient,
                           error_type="OAuthException", message=message, usage=usage)


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80000, 80004, 80014])
def test_rate_limit_codes_are_retryable(code):
    error = classify_graph_error(facts(code), provider="meta_graph")
    assert isinstance(error, MetaRateLimitedError) and error.retryable and error.code == code


def test_80015_is_not_a_rate_limit():
    assert isinstance(classify_graph_error(facts(80015), provider="p"), MetaRequestRejectedError)


def test_rate_limit_carries_the_regain_estimate_in_seconds():
    usage = ApiUsage(max_percent=100, regain_access_seconds=300)
    error = classify_graph_error(facts(80004, usage=usage), provider="p")
    assert error.retry_after == 300


@pytest.mark.parametrize("kwargs", [dict(code=2), dict(code=1), dict(code=999, transient=True), dict(code=None, status=503)])
def test_transient_errors_are_retryable(kwargs):
    error = classify_graph_error(facts(**kwargs), provider="p")
    assert isinstance(error, MetaTransientError) and error.retryable


def test_an_expired_token_is_its_own_non_retryable_error():
    error = classify_graph_error(facts(190, 463, message="Session has expired"), provider="p")
    assert isinstance(error, MetaTokenInvalidError) and not error.retryable
    assert "190/463" in str(error)


@pytest.mark.parametrize("code,subcode,message", [
    (100, 1504018, "timed out"), (2, 1504038, "timed out"),
    (1, None, "Please reduce the amount of data you're asking for, then retry your request"),
])
def test_sync_timeouts_say_use_async(code, subcode, message):
    error = classify_graph_error(facts(code, subcode, transient=code == 2, message=message), provider="p")
    assert isinstance(error, MetaUseAsyncError) and not error.retryable


def test_permissions_and_bad_parameters_are_not_retried():
    assert isinstance(classify_graph_error(facts(200), provider="p"), MetaPermissionError)
    rejected = classify_graph_error(facts(100, 33), provider="p")
    assert isinstance(rejected, MetaRequestRejectedError) and not rejected.retryable


def test_business_usage_header_gives_percent_and_regain_minutes():
    header = {"X-Business-Use-Case-Usage": json.dumps({"9": [
        {"type": "ads_insights", "call_count": 97, "total_cputime": 20, "total_time": 31,
         "estimated_time_to_regain_access": 2},
        {"type": "ads_management", "call_count": 10, "total_cputime": 5, "total_time": 5,
         "estimated_time_to_regain_access": 0},
    ]})}
    usage = parse_usage(header)
    assert usage.max_percent == 97 and usage.regain_access_seconds == 120  # 2 minutes


def test_app_and_ad_account_headers_and_garbage():
    usage = parse_usage({"x-app-usage": '{"call_count": 12, "total_time": 40, "total_cputime": 3}',
                         "X-Ad-Account-Usage": '{"acc_id_util_pct": 9.67, "reset_time_duration": 0}',
                         "X-Business-Use-Case-Usage": "not json"})
    assert usage.max_percent == 40 and usage.by_header == {"x-app-usage": 40, "x-ad-account-usage": 9.67}
    assert parse_usage({"Content-Type": "application/json"}) is None


def test_slow_down_from_95_percent():
    low, high = ApiUsage(max_percent=94.9), ApiUsage(max_percent=95)
    assert slow_down_seconds(low, pause_seconds=30, max_pause_seconds=300) == 0
    assert slow_down_seconds(high, pause_seconds=30, max_pause_seconds=300) == 30
    regain = ApiUsage(max_percent=99, regain_access_seconds=600)
    assert slow_down_seconds(regain, pause_seconds=30, max_pause_seconds=300) == 300  # bounded
    assert slow_down_seconds(None, pause_seconds=30, max_pause_seconds=300) == 0


def test_retry_delay_is_the_larger_of_regain_and_backoff_and_bounded():
    policy = MetaRetryPolicy(base_delay=2, max_delay=60, max_wait=300)
    rng = random.Random(1)
    hinted = MetaRateLimitedError("x", provider="p", retry_after=120)
    assert policy.delay_for(1, hinted, rng) == 120  # backoff for attempt 1 is only 1–2 s
    unhinted = MetaRateLimitedError("x", provider="p")
    assert 4 <= policy.delay_for(3, unhinted, rng) <= 8  # attempt 3: ceiling 2 * 2**2 = 8, jitter in [4, 8]
    assert policy.delay_for(1, MetaRateLimitedError("x", provider="p", retry_after=3600), rng) == 300


def test_runner_retries_and_reports_every_attempt():
    records, sleeps = [], []
    runner = RetryingCallRunner(model="v26.0", observer=records.append, sleep=sleeps.append, rng=random.Random(0))
    answers = iter([MetaRateLimitedError("busy", provider="meta_graph", retry_after=60), "ok"])

    def call():
        answer = next(answers)
        if isinstance(answer, ProviderError):
            raise answer
        return answer

    assert runner.run(call, purpose="meta.insights.page") == "ok"
    assert sleeps == [60]
    assert [(r.purpose, r.model, r.attempt.attempt, type(r.attempt.error).__name__) for r in records] == [
        ("meta.insights.page", "v26.0", 1, "MetaRateLimitedError"), ("meta.insights.page", "v26.0", 2, "NoneType")]


def test_a_create_is_not_retried_after_an_ambiguous_failure():
    sleeps, calls = [], []

    def create():
        calls.append(1)
        raise MetaTransientError("connection reset", provider="meta_graph")

    runner = RetryingCallRunner(sleep=sleeps.append)
    with pytest.raises(MetaOutcomeUnknownError) as caught:
        runner.run(create, purpose="meta.deploy.campaign", idempotent=False)
    assert len(calls) == 1 and not sleeps and not caught.value.retryable


def test_an_sdk_surprise_is_not_retried_and_is_scrubbed():
    def broken():
        raise KeyError("https://graph.facebook.com/v26.0/act_1/insights?access_token=EAAsecretsecret&limit=5")

    with pytest.raises(ProviderError) as caught:
        RetryingCallRunner(sleep=lambda s: None).run(broken, purpose="meta.insights.page")
    assert not isinstance(caught.value, RetryableProviderError)
    assert "EAAsecretsecret" not in str(caught.value) and "access_token=[redacted]" in str(caught.value)


def test_scrub_removes_query_tokens_and_known_secrets():
    text = "GET /v26.0/act_1/insights?access_token=EAAB123xyz&fields=a and appsecret_proof=abc123 and EAAB123xyz"
    cleaned = scrub(text, ["EAAB123xyz"])
    assert "EAAB123xyz" not in cleaned and "abc123" not in cleaned and "fields=a" in cleaned


def test_log_filter_rewrites_url_lines(caplog):
    install_log_filter()
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    logging.getLogger("urllib3.connectionpool").debug('%s "GET %s HTTP/1.1" 200', "http://x", "/v26.0/me?access_token=EAAtok123456")
    assert "EAAtok123456" not in caplog.text and "access_token=[redacted]" in caplog.text
