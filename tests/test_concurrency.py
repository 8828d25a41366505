"""Two prefork workers and two SLA sweeps editing the same complaints at once.

No lost update (every message and every field written is there), no double
escalation (each breached target escalated exactly once: one activity, the
priority raised by one level), and no serialization conflict surfaced to a
client (Odoo retries them): every call succeeds.
"""

import threading
import uuid

from odoo_server import Rpc

COMPLAINTS = 12


def _setup(admin):
    tag = uuid.uuid4().hex[:8]
    category = admin.call(
        "complaint.category", "create", {"name": f"Concurrency {tag}"}
    )
    admin.call(
        "complaint.sla",
        "create",
        {
            "name": f"Concurrency rule {tag}",
            "category_ids": [(6, 0, [category])],
            "target_step": "responded",
            "time_hours": 1.0,
            "warning_percent": 50.0,
            "escalate_to_id": admin.uid,
            "escalate_raise_priority": True,
            "escalate_activity": True,
        },
    )
    complaints = admin.call(
        "complaint.complaint",
        "create",
        [
            {
                "name": f"concurrency-{tag}-{i}",
                "category_id": category,
                # received long ago: every target is already breached
                "date_received": "2020-01-06 08:00:00",
                "priority": "0",
            }
            for i in range(COMPLAINTS)
        ],
    )
    model_id = admin.call(
        "ir.model", "search", [("model", "=", "complaint.sla.status")], limit=1
    )[0]
    # Two jobs (Odoo never runs one job twice at once): two sweeps in parallel.
    crons = [
        admin.call(
            "ir.cron",
            "create",
            {
                "name": f"SLA sweep {tag} {n}",
                "model_id": model_id,
                "state": "code",
                "code": "model._cron_check_sla(batch_size=3)",
                "interval_number": 1,
                "interval_type": "days",
                "active": False,
            },
        )
        for n in range(2)
    ]
    return tag, complaints, crons


def test_workers_and_sla_sweeps_concurrently(prefork_server, test_db):
    admin = Rpc(prefork_server.url, test_db, "admin", "admin")
    tag, complaints, crons = _setup(admin)
    errors, posted = [], []
    barrier = threading.Barrier(6)

    def sweep(cron_id):
        rpc = Rpc(prefork_server.url, test_db, "admin", "admin")
        barrier.wait()
        try:
            rpc.call("ir.cron", "method_direct_trigger", [cron_id])
        except RuntimeError as error:
            errors.append(f"sweep: {error}")

    def edit(field, worker):
        rpc = Rpc(prefork_server.url, test_db, "admin", "admin")
        barrier.wait()
        for complaint_id in complaints:
            body = f"note {tag} {worker} {complaint_id}"
            try:
                rpc.call("complaint.complaint", "write", [complaint_id], {field: body})
                rpc.call(
                    "complaint.complaint",
                    "message_post",
                    [complaint_id],
                    body=body,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
                posted.append((complaint_id, body))
            except RuntimeError as error:
                errors.append(f"edit: {error}")

    threads = [threading.Thread(target=sweep, args=(cron,)) for cron in crons] + [
        threading.Thread(target=edit, args=(field, n))
        for n, field in enumerate(
            ("impact", "remedy_requested", "impact", "remedy_requested")
        )
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)

    assert not errors, errors
    assert len(posted) == 4 * COMPLAINTS
    # No lost update: every message is there, and the fields hold a written value.
    for complaint_id, body in posted:
        count = admin.call(
            "mail.message",
            "search_count",
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "=", complaint_id),
                ("body", "ilike", body),
            ],
        )
        assert count == 1, (complaint_id, body, count)
    rows = admin.call(
        "complaint.complaint",
        "read",
        complaints,
        ["impact", "remedy_requested", "priority", "sla_failed"],
    )
    for row in rows:
        assert row["impact"].startswith(f"note {tag}")
        assert row["remedy_requested"].startswith(f"note {tag}")
        assert row["sla_failed"] is True
        assert row["priority"] == "1", "the escalation raised the priority once"
    # No double escalation: one line per complaint, escalated once, one activity.
    statuses = admin.call(
        "complaint.sla.status",
        "search_read",
        [("complaint_id", "in", complaints)],
        ["status", "escalated", "complaint_id"],
    )
    assert len(statuses) == COMPLAINTS
    assert all(s["status"] == "failed" and s["escalated"] for s in statuses)
    for complaint_id in complaints:
        activities = admin.call(
            "mail.activity",
            "search_count",
            [
                ("res_model", "=", "complaint.complaint"),
                ("res_id", "=", complaint_id),
                ("summary", "ilike", "SLA missed"),
            ],
        )
        assert activities == 1, (complaint_id, activities)
