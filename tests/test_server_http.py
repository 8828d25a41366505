"""End to end over HTTP against a running Odoo server."""

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
