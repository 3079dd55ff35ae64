"""The /_sim control endpoints: steering a simulator over HTTP, as from another process."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

LATER = "2026-03-02T10:00:00Z"


def test_info(control):
    info = control.get("").json()
    assert info == {
        "kind": "whereby",
        "base_path": "/v1",
        "now": "2026-03-02T09:00:00.000Z",
        "meetings": 300,
        "rate_limit": 1_000_000,
    }


def test_queue_faults_over_http(control, api):
    response = control.post("/faults", json={"queue": [{"kind": "503", "count": 2}]})
    assert response.status_code == 200
    assert response.json()["queue"] == ["503", "503"]
    statuses = [api.get("/meetings").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert control.get("/faults").json()["injected"] == {"503": 2}


def test_control_endpoints_are_never_faulted(control, api):
    assert control.post("/faults", json={"error_rate": 1.0, "latency": 0.0}).status_code == 200
    assert api.get("/meetings").status_code in (500, 503)
    assert control.get("/faults").status_code == 200
    assert control.post("/faults", json={"error_rate": 0.0}).json()["error_rate"] == 0.0
    assert api.get("/meetings").status_code == 200


def test_settings_over_http_reach_the_python_object(control, whereby_server):
    control.post("/faults", json={"drop_rate": 0.25, "seed": 9, "retry_after_ms": 500})
    faults = whereby_server.sim.faults
    assert (faults.drop_rate, faults.seed, faults.retry_after_ms) == (0.25, 9, 500)


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 2},
        {"error_rate": "lots"},
        {"jitter": 1},
        {"queue": [{"kind": "418"}]},
        {"queue": [{"kind": "503", "count": "two"}]},
        {"queue": "503"},
    ],
)
def test_bad_fault_settings_are_400(control, body):
    response = control.post("/faults", json=body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_control_refuses_non_object_bodies(control):
    response = control.post("/faults", content=b"[1]", headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_advance_the_clock_over_http_expires_rooms(control, api):
    meeting_id = api.post("/meetings", json={"endDate": LATER}).json()["meetingId"]
    assert control.post("/clock", json={"advance": 3600 * 2 - 1}).json() == {
        "now": "2026-03-02T10:59:59.000Z"
    }
    assert api.get(f"/meetings/{meeting_id}").status_code == 200
    control.post("/clock", json={"advance": 1})
    assert api.get(f"/meetings/{meeting_id}").status_code == 404


def test_set_the_clock_over_http(control, api):
    assert control.post("/clock", json={"set": "2026-03-02T12:00:00+02:00"}).json() == {
        "now": "2026-03-02T10:00:00.000Z"
    }
    assert control.get("/clock").json() == {"now": "2026-03-02T10:00:00.000Z"}
    assert api.post("/meetings", json={"endDate": "2026-03-02T09:30:00Z"}).status_code == 400


@pytest.mark.parametrize("body", [{}, {"advance": "soon"}, {"advance": True}, {"set": "noon"}])
def test_bad_clock_requests_are_400(control, body):
    assert control.post("/clock", json=body).status_code == 400


def test_reset_restores_seeded_rooms_faults_and_clock(control, api, whereby_server):
    seeded = api.get("/meetings", params={"limit": 100}).json()
    for meeting in seeded["results"][:5]:
        api.delete(f"/meetings/{meeting['meetingId']}")
    api.post("/meetings", json={"endDate": LATER})
    control.post("/clock", json={"advance": 600})
    control.post("/faults", json={"latency": 0.5, "queue": {"kind": "drop"}})

    info = control.post("/reset").json()
    assert info["meetings"] == 300
    assert info["now"] == "2026-03-02T09:00:00.000Z"
    assert control.get("/faults").json()["queue"] == []
    assert whereby_server.sim.faults.latency == 0
    assert api.get("/meetings", params={"limit": 100}).json() == seeded


def _lines(proc: subprocess.Popen) -> queue.Queue[str | None]:
    """The child's stdout lines, read by a thread so the test can wait with a timeout."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)  # end of output: the process exited

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _read_until(lines: queue.Queue[str | None], marker: str, timeout: float) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if marker in line:
            return line
    raise AssertionError(f"no {marker!r} from the simulator process; got {seen!r}")


def _spawn(script: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _stop(proc: subprocess.Popen, sig: int) -> tuple[int, str]:
    proc.send_signal(sig)
    try:
        status = proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    finally:
        stderr = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    return status, stderr


RUN_CLI = (
    "from meettui.simulators.registry import run_cli\n"
    "run_cli('whereby', port=0, seed=3, meetings=12,\n"
    "        options={'rate_limit': 5000, 'api_key': 'k3y'})\n"
)


def test_a_simulator_in_another_process():
    proc = _spawn(RUN_CLI)
    try:
        lines = _lines(proc)
        line = _read_until(lines, "base URL:", timeout=30)
        base_url = line.split("base URL:")[1].strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        assert "k3y" in _read_until(lines, "API key", timeout=5)
        root = base_url.removesuffix("/v1")

        with httpx.Client(base_url=base_url, headers={"Authorization": "Bearer k3y"}) as api:
            page = api.get("/meetings", params={"limit": 100})
            assert page.status_code == 200
            assert len(page.json()["results"]) == 12
            assert page.headers["x-ratelimit-limit"] == "5000"

            httpx.post(f"{root}/_sim/faults", json={"queue": [{"kind": "503", "count": 1}]})
            assert api.get("/meetings").status_code == 503
            assert api.get("/meetings").status_code == 200

            created = api.post("/meetings", json={"endDate": "2099-01-01T00:00:00Z"})
            assert created.status_code == 201
            httpx.post(f"{root}/_sim/clock", json={"advance": 3600 * 24 * 365 * 80})
            assert api.get(f"/meetings/{created.json()['meetingId']}").status_code == 404
    finally:
        # uvicorn shuts down cleanly on SIGTERM, then re-raises it to exit the usual way.
        status, stderr = _stop(proc, signal.SIGTERM)
    assert status in (0, -signal.SIGTERM)
    assert "Traceback" not in stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{root}/_sim")


def test_ctrl_c_stops_the_cli_server_without_a_traceback():
    proc = _spawn(RUN_CLI)
    try:
        _read_until(_lines(proc), "base URL:", timeout=30)
    finally:
        status, stderr = _stop(proc, signal.SIGINT)
    assert status == 0
    assert "Traceback" not in stderr
