"""A local stand-in for the Meta Graph API, speaking the wire format `facebook-business` uses.

A real threaded HTTP server on 127.0.0.1 that answers:

- `GET  /<v>/act_<id>/insights` — `level=ad`, `time_increment=1`, `time_range`, `fields`,
  `limit`, `after`; pages with `paging.cursors.after` and a `paging.next` URL (which, like
  Meta's, carries the access token);
- `POST /<v>/act_<id>/insights` → `{"report_run_id"}`; `GET /<v>/<run_id>/` → the run's
  `async_status` ("Job Running" for `report_polls_until_done` polls, then the outcome);
  `GET /<v>/<run_id>/insights` → the report's rows, paged the same way;
- `GET /<v>/<campaign_id>` and `GET /<v>/act_<id>/campaigns`;
- `POST /<v>/act_<id>/campaigns | adsets | adcreatives | ads | adimages` → ids, with the
  decoded parameters recorded in `created` for assertions.

Faults are queued per endpoint (`server.inject(rate_limited(17, ...), on="insights")`): the
first request to a matching endpoint consumes the fault and gets its error answer instead —
Graph's `{"error": {message, type, code, error_subcode, is_transient, fbtrace_id}}` with
the usage headers a real throttle sends. Every request is recorded (`requests`).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.fakes.meta_accounts import FakeAdAccount
from tests.fakes.meta_faults import Fault, error_body

META_TEST_TOKEN = "EAAGtest0token0for0the0local0graph0stand0in"
API_VERSION = "v26.0"
MAX_LIMIT = 5000
ENDPOINTS = (
    "insights", "report_start", "report_status", "report_insights", "campaign", "campaigns",
    "create_campaign", "create_adset", "create_creative", "create_ad", "create_image", "any",
)
_CREATE_EDGES = {"campaigns": "create_campaign", "adsets": "create_adset", "adcreatives": "create_creative",
                 "ads": "create_ad", "adimages": "create_image"}


# -- requests -----------------------------------------------------------------------------


@dataclass
class GraphRequest:
    method: str
    path: str  # without the query string
    query: dict[str, str]
    form: dict[str, str]
    endpoint: str = ""

    def param(self, name: str) -> str | None:
        return self.form.get(name, self.query.get(name))

    def json_param(self, name: str) -> Any:
        value = self.param(name)
        if value is None:
            return None
        try:
            return json.loads(value)
        except ValueError:
            return value

    def fields(self) -> tuple[str, ...] | None:
        """`fields` as the SDK sends it: comma-joined (GET) or a JSON list (async POST)."""
        value = self.json_param("fields")
        if value is None or value == "":
            return None
        if isinstance(value, list):
            return tuple(str(item) for item in value)
        return tuple(part for part in str(value).split(",") if part)


@dataclass
class _Report:
    run_id: str
    rows: list[int]
    fields: tuple[str, ...] | None
    since: str
    until: str
    polls: int = 0


class FakeMetaGraphServer:
    """Use as a context manager; point the adapter at `base_url`."""

    def __init__(self, account: FakeAdAccount | None = None, *, access_token: str = META_TEST_TOKEN,
                 api_version: str = API_VERSION, port: int = 0) -> None:
        self.account = account or FakeAdAccount()
        self.port = port
        self.access_token = access_token
        self.api_version = api_version
        self.report_polls_until_done = 1
        self.report_outcome = "Job Completed"
        self.requests: list[GraphRequest] = []
        self.created: dict[str, list[dict]] = {kind: [] for kind in _CREATE_EDGES.values()}
        self._faults: list[tuple[str, Fault]] = []
        self._reports: dict[str, _Report] = {}
        self._range_cache: dict[tuple[str, str], list[int]] = {}
        self._ids = itertools.count(238000000000001)
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scenario control -----------------------------------------------------------------
    def inject(self, *faults: Fault, on: str = "any") -> None:
        if on not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {on!r}; one of {ENDPOINTS}")
        with self._lock:
            self._faults.extend((on, fault) for fault in faults)

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            for kind in self.created:
                self.created[kind].clear()
            self.report_polls_until_done = 1
            self.report_outcome = "Job Completed"

    def requests_to(self, endpoint: str) -> list[GraphRequest]:
        return [request for request in self.requests if request.endpoint == endpoint]

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "FakeMetaGraphServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle on, the client's delayed
            # ACK adds ~40 ms to every keep-alive request, which would swamp the benchmark.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802
                server._serve(self)

            def do_POST(self) -> None:  # noqa: N802
                server._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeMetaGraphServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving --------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        request = GraphRequest(handler.command, split.path, dict(parse_qsl(split.query)), dict(parse_qsl(raw)))
        status, body, headers = self._answer(request)
        payload = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=UTF-8" if not isinstance(body, bytes) else "text/html")
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _answer(self, request: GraphRequest) -> tuple[int, Any, dict[str, str]]:
        prefix = f"/{self.api_version}/"
        parts = [part for part in request.path[len(prefix):].split("/") if part] if request.path.startswith(prefix) else []
        request.endpoint = self._endpoint(request.method, parts)
        with self._lock:
            self.requests.append(request)
            fault = self._take_fault(request.endpoint)
        if request.param("access_token") != self.access_token:
            return 400, {"error": {"message": "Invalid OAuth access token - Cannot parse access token",
                                   "type": "OAuthException", "code": 190, "fbtrace_id": "Zz"}}, {}
        extra_headers: dict[str, str] = {}
        if fault is not None and fault.delay_seconds:
            self._stopping.wait(fault.delay_seconds)  # an Event, so stop() never waits for it
        if fault is not None and not fault.succeed_with_headers:
            return fault.status, (fault.raw_body if fault.raw_body is not None else fault.body()), dict(fault.headers)
        if fault is not None:
            extra_headers = dict(fault.headers)
        status, body = self._route(request, parts)
        return status, body, extra_headers

    def _take_fault(self, endpoint: str) -> Fault | None:
        for index, (on, fault) in enumerate(self._faults):
            if on in ("any", endpoint):
                del self._faults[index]
                return fault
        return None

    def _endpoint(self, method: str, parts: list[str]) -> str:
        if len(parts) == 2 and parts[0].startswith("act_"):
            edge = parts[1]
            if edge == "insights":
                return "insights" if method == "GET" else "report_start"
            if method == "POST" and edge in _CREATE_EDGES:
                return _CREATE_EDGES[edge]
            if method == "GET" and edge == "campaigns":
                return "campaigns"
        if len(parts) == 1 and parts[0] in self._reports:
            return "report_status"
        if len(parts) == 2 and parts[0] in self._reports and parts[1] == "insights":
            return "report_insights"
        if len(parts) == 1 and method == "GET":
            return "campaign"
        return "unknown"

    def _route(self, request: GraphRequest, parts: list[str]) -> tuple[int, Any]:
        endpoint = request.endpoint
        if endpoint not in ("unknown", "report_status", "report_insights", "campaign") and parts[0] != self.account.account_id:
            return 400, error_body(100, f"Unsupported request. Object with ID '{parts[0]}' does not exist", subcode=33)
        if endpoint == "insights":
            problem = self._check_insights_params(request)
            if problem:
                return 400, error_body(100, problem)
            time_range = request.json_param("time_range") or {}
            rows = self._rows(time_range["since"], time_range["until"])
            return 200, self._paged(request, rows, request.fields())
        if endpoint == "report_start":
            problem = self._check_insights_params(request)
            if problem:
                return 400, error_body(100, problem)
            time_range = request.json_param("time_range") or {}
            rows = self._rows(time_range["since"], time_range["until"])
            with self._lock:
                run_id = str(next(self._ids))
                self._reports[run_id] = _Report(run_id, rows, request.fields(), time_range["since"], time_range["until"])
            return 200, {"report_run_id": run_id}
        if endpoint == "report_status":
            return 200, self._report_status(self._reports[parts[0]])
        if endpoint == "report_insights":
            report = self._reports[parts[0]]
            if report.polls <= self.report_polls_until_done:
                return 400, error_body(2601, "Report is not ready yet")
            return 200, self._paged(request, report.rows, report.fields)
        if endpoint == "campaign":
            campaign = self.account.campaigns.get(parts[0])
            if campaign is None:
                return 400, error_body(100, f"Unsupported get request. Object with ID '{parts[0]}' does not exist", subcode=33)
            return 200, _project(campaign, request.fields())
        if endpoint == "campaigns":
            campaigns = [_project(c, request.fields()) for c in self.account.campaigns.values()]
            return 200, self._paged_objects(request, campaigns)
        if endpoint.startswith("create_"):
            return 200, self._create(endpoint, request)
        return 400, error_body(100, f"Unknown path components: {request.path}")

    # -- insights -------------------------------------------------------------------------
    @staticmethod
    def _check_insights_params(request: GraphRequest) -> str | None:
        if request.param("level") != "ad":
            return "this stand-in serves level=ad only"
        if request.param("time_increment") != "1":
            return "this stand-in serves time_increment=1 only"
        time_range = request.json_param("time_range")
        if not isinstance(time_range, dict) or not {"since", "until"} <= set(time_range):
            return "time_range must be {\"since\": ..., \"until\": ...}"
        return None

    def _rows(self, since: str, until: str) -> list[int]:
        key = (since, until)
        with self._lock:
            if key not in self._range_cache:
                self._range_cache[key] = self.account.rows_between(since, until)
            return self._range_cache[key]

    def _page_window(self, request: GraphRequest, total: int) -> tuple[int, int]:
        limit = max(1, min(int(request.param("limit") or 25), MAX_LIMIT))
        after = request.param("after")
        start = _decode_cursor(after) if after else 0
        return start, min(start + limit, total)

    def _paging(self, request: GraphRequest, start: int, end: int, total: int) -> dict:
        paging: dict[str, Any] = {"cursors": {"before": _encode_cursor(start), "after": _encode_cursor(end)}}
        if end < total:
            query = {**request.query, "after": _encode_cursor(end)}
            paging["next"] = f"{self.base_url}{request.path}?{urlencode(query)}"  # token included, as Meta does
        return paging

    def _paged(self, request: GraphRequest, rows: list[int], fields: tuple[str, ...] | None) -> str:
        start, end = self._page_window(request, len(rows))
        data = ",".join(self.account.row_json(index, fields) for index in rows[start:end])
        return '{"data":[' + data + '],"paging":' + json.dumps(self._paging(request, start, end, len(rows))) + "}"

    def _paged_objects(self, request: GraphRequest, objects: list[dict]) -> dict:
        start, end = self._page_window(request, len(objects))
        return {"data": objects[start:end], "paging": self._paging(request, start, end, len(objects))}

    def _report_status(self, report: _Report) -> dict:
        with self._lock:
            report.polls += 1
            done = report.polls > self.report_polls_until_done
        status = self.report_outcome if done else "Job Running"
        return {"id": report.run_id, "account_id": self.account.account_id.removeprefix("act_"),
                "async_status": status, "async_percent_completion": 100 if done else 50,
                "date_start": report.since, "date_stop": report.until}

    # -- creating -------------------------------------------------------------------------
    def _create(self, endpoint: str, request: GraphRequest) -> dict:
        params = {key: _decoded(value) for key, value in request.form.items()}
        with self._lock:
            object_id = str(next(self._ids))
            if endpoint == "create_image":
                digest = hashlib.md5(base64.b64decode(params.get("bytes", ""))).hexdigest()
                self.created[endpoint].append({"hash": digest, **params})
                return {"images": {"bytes": {"hash": digest, "url": f"https://example.invalid/{digest}.png"}}}
            self.created[endpoint].append({"id": object_id, **params})
            if endpoint == "create_campaign":
                self.account.add_campaign(object_id, params.get("name", ""), params.get("objective"), params.get("status", "PAUSED"))
        return {"id": object_id}


def _project(obj: dict, fields: tuple[str, ...] | None) -> dict:
    if not fields:
        return {"id": obj["id"]}  # Graph returns only the id when no fields are asked for
    return {key: obj[key] for key in ("id", *fields) if key in obj}


def _decoded(value: str) -> Any:
    if value[:1] in ("{", "[") or value in ("true", "false"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


_CURSOR = re.compile(r"^offset:(\d+)$")


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    match = _CURSOR.match(text)
    return int(match.group(1)) if match else 0


def main(argv: list[str] | None = None) -> None:
    """Serve a generated account from its own process (benchmarks: the client then has the
    CPU and the GIL to itself). Prints `READY <base_url>`, serves until stdin closes.

    python -m tests.fakes.meta_graph_server --ads 2000 --days 28
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=2000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = FakeMetaGraphServer(FakeAdAccount.generated(n_ads=args.ads, days=args.days), port=args.port).start()
    print(f"READY {server.base_url} {server.account.account_id} {len(server.account.rows)}", flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin (or exits)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
