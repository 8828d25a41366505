"""End to end over HTTP against a running Odoo server."""

import time

import requests


def test_login_page_served(odoo_server):
    response = requests.get(odoo_server.url + "/web/login", timeout=30)
    assert response.status_code == 200
    assert "login" in response.text


def test_admin_can_log_in_and_read_complaint_model(odoo_server):
    session = requests.Session()
    # JSON-RPC login as the admin created by Odoo on install.
    auth = session.post(
        odoo_server.url + "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": odoo_server.db, "login": "admin", "password": "admin"},
        },
        timeout=30,
    ).json()
    assert auth.get("result", {}).get("uid"), auth
    result = session.post(
        odoo_server.url + "/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": "complaint.stage",
                "method": "search_read",
                "args": [[], ["step"]],
                "kwargs": {},
            },
        },
        timeout=30,
    ).json()
    steps = {row["step"] for row in result["result"]}
    assert {"new", "acknowledged", "closed"} <= steps


def test_prefork_websocket_worker_stays_up(prefork_server):
    """The gevent worker of a prefork server (live chatter, notifications)
    answers and keeps running. An environment whose pkg_resources could not
    resolve gevent's dependencies made it die at start and respawn for ever,
    which also stole a core from the HTTP workers."""
    health = f"http://127.0.0.1:{prefork_server.gevent_port}/websocket/health"
    # The worker is spawned after the HTTP port opens: give it time to start.
    deadline = time.time() + 60
    while True:
        try:
            requests.get(health, timeout=30)
            break
        except requests.ConnectionError:
            assert time.time() < deadline, "the websocket worker never answered"
            time.sleep(0.5)
    for _check in range(3):
        response = requests.get(health, timeout=30)
        assert response.status_code == 200, response.text
        time.sleep(1)
    with open(prefork_server.log.name, encoding="utf-8", errors="replace") as log:
        assert "DistributionNotFound" not in log.read()
