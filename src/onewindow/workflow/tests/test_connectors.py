"""Service tasks call connectors by id: answers, retries with exponential backoff (driven by
the due-timer scan), terminal errors and exhausted retries as incidents a supervisor sees
and retries (API and service), timeouts; the HTTP connector against a real local server."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.test import Client

from onewindow.accounts import services as account_services
from onewindow.core.errors import DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.workflow import services
from onewindow.workflow.connectors import registry
from onewindow.workflow.connectors.base import (
    Connector,
    ConnectorRequest,
    RetryableError,
    TerminalError,
)
from onewindow.workflow.connectors.http_json import HttpJsonConnector
from onewindow.workflow.models import DueTimer, Incident, ProcessInstance

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def start(uscc: str = "91420100MA4K00000A") -> ProcessInstance:
    return services.start_process(
        process_id="t_service", actor="test", reason="核验", subject="test:svc", data={"uscc": uscc}
    )


def calls(instance: ProcessInstance) -> list[tuple[int, str]]:
    rows = LedgerEntry.objects.filter(subject=f"process:{instance.pk}", event="connector_called")
    return [(e.sequence, e.reason) for e in rows.order_by("sequence")]


def test_answer_is_stored_and_the_call_is_in_the_ledger(imported, lookup):
    instance = start()
    assert (instance.status, instance.variables["registered"]) == ("completed", True)
    assert len(calls(instance)) == 1
    assert lookup.requests[0].subject == "test:svc"


def test_retryable_errors_are_retried_with_exponential_backoff(imported, lookup):
    lookup.failures = 2
    with time_machine.travel(T0, tick=False):
        instance = start()
    assert instance.status == "active"
    (first,) = DueTimer.objects.filter(instance=instance, purpose="retry")
    assert first.due_at == T0 + dt.timedelta(seconds=10)
    with time_machine.travel(T0 + dt.timedelta(seconds=11), tick=False):
        assert services.fire_due_timers().fired == 1
    second = DueTimer.objects.get(instance=instance, purpose="retry", fired_at__isnull=True)
    assert second.due_at == T0 + dt.timedelta(seconds=11 + 20)
    with time_machine.travel(T0 + dt.timedelta(seconds=32), tick=False):
        assert services.fire_due_timers().fired == 1
    instance.refresh_from_db()
    assert (instance.status, instance.variables["registered"]) == ("completed", True)
    assert [r.attempt for r in lookup.requests] == [1, 2, 3]
    assert len(calls(instance)) == 3
    assert Incident.objects.count() == 0


@pytest.fixture
def supervisor(imported):
    return account_services.create_staff(
        actor="test",
        reason="test",
        username="supervisor-hongshan",
        password="x",
        full_name="督查员",
        centre=imported.hongshan,
        roles=["supervisor"],
    )


def test_exhausted_retries_open_an_incident_the_supervisor_retries(imported, lookup, supervisor):
    lookup.failures = 10
    with time_machine.travel(T0, tick=False):
        instance = start()
    for seconds in (11, 40):
        with time_machine.travel(T0 + dt.timedelta(seconds=seconds), tick=False):
            services.fire_due_timers()
    (incident,) = Incident.objects.filter(instance=instance)
    assert (incident.kind, incident.error_code, incident.attempts, incident.status) == (
        "connector",
        "register.unavailable",
        3,
        "open",
    )
    assert DueTimer.objects.filter(instance=instance, fired_at__isnull=True).count() == 0
    approver = Client()
    approver.force_login(imported.approver_hongshan)
    assert approver.get("/api/v1/workflow/incidents").status_code == 403
    client = Client()
    client.force_login(supervisor)
    listed = client.get("/api/v1/workflow/incidents").json()
    assert [(i["id"], i["step"], i["connector_id"]) for i in listed] == [
        (incident.pk, "lookup", "test.lookup")
    ]
    refused = approver.post(
        f"/api/v1/workflow/incidents/{incident.pk}/retry",
        json.dumps({"reason": "重试"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    lookup.failures = 0
    response = client.post(
        f"/api/v1/workflow/incidents/{incident.pk}/retry",
        json.dumps({"reason": "登记系统已恢复"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    incident.refresh_from_db()
    assert (incident.status, incident.resolved_by) == ("resolved", f"user:{supervisor.pk}")
    again = client.post(
        f"/api/v1/workflow/incidents/{incident.pk}/retry",
        json.dumps({"reason": "再试"}),
        content_type="application/json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "workflow.incident_resolved")


def test_terminal_error_opens_an_incident_at_once(imported, lookup):
    instance = start("X0000")
    (incident,) = Incident.objects.filter(instance=instance)
    assert (incident.error_code, incident.attempts) == ("register.refused", 1)
    assert instance.status == "active"
    assert DueTimer.objects.filter(instance=instance).count() == 0


def test_unknown_connector_at_run_time_is_an_incident(imported):
    with registry.using([]):
        instance = start()
    (incident,) = Incident.objects.filter(instance=instance)
    assert incident.error_code == "connector.unknown"


class Slow(Connector):
    id = "test.lookup"
    timeout_seconds = 0.2

    def call(self, request: ConnectorRequest) -> Any:
        time.sleep(1.0)
        return {"registered": True}


def test_a_slow_connector_times_out_as_retryable():
    with registry.using([Slow()]):
        started = time.monotonic()
        with pytest.raises(RetryableError) as err:
            registry.call(ConnectorRequest("test.lookup", {}, purpose="test"))
    assert err.value.code == "connector.timeout"
    assert time.monotonic() - started < 0.9


def test_retry_needs_a_supervisor(imported, lookup):
    instance = start("X1")
    incident = Incident.objects.get(instance=instance)
    with pytest.raises(DomainError) as err:
        services.retry_incident(
            incident_id=incident.pk, actor=imported.approver_hongshan, reason="x"
        )
    assert err.value.code == "workflow.not_supervisor"


class Answers(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = {"/ok": 200, "/busy": 503, "/bad": 400}[self.path]
        payload = json.dumps({"echo": body, "purpose": self.headers["X-OneWindow-Purpose"]})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_http_json_connector_against_a_local_server(server):
    request = ConnectorRequest("dept.tax", {"uscc": "914201"}, purpose="登记 register")
    ok = HttpJsonConnector("dept.tax", f"{server}/ok", timeout_seconds=2).call(request)
    assert ok == {"echo": {"uscc": "914201"}, "purpose": "%E7%99%BB%E8%AE%B0%20register"}
    with pytest.raises(RetryableError):
        HttpJsonConnector("dept.tax", f"{server}/busy").call(request)
    with pytest.raises(TerminalError):
        HttpJsonConnector("dept.tax", f"{server}/bad").call(request)
    with pytest.raises(RetryableError) as err:
        HttpJsonConnector("dept.tax", "http://127.0.0.1:9/none", timeout_seconds=1).call(request)
    assert err.value.code in {"connector.unreachable", "connector.timeout"}


def test_incidents_are_listed_and_retried_in_the_admin(imported, lookup, supervisor):
    supervisor.is_staff = True
    supervisor.is_superuser = True
    supervisor.save()
    instance = start("X2")
    incident = Incident.objects.get(instance=instance)
    client = Client()
    client.force_login(supervisor)
    listing = client.get("/admin/workflow/incident/")
    assert listing.status_code == 200
    assert "register.refused" in listing.content.decode()
    lookup_fixed = RegisterLookupAnswering()
    with registry.using([lookup_fixed]):
        response = client.post(
            "/admin/workflow/incident/",
            {"action": "retry_selected", "_selected_action": [incident.pk]},
        )
    assert response.status_code == 302
    incident.refresh_from_db()
    instance.refresh_from_db()
    assert (incident.status, instance.status) == ("resolved", "completed")


class RegisterLookupAnswering(Connector):
    id = "test.lookup"

    def call(self, request: ConnectorRequest) -> Any:
        return {"registered": True}
