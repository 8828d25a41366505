"""SLA rules and calendar timelines are cached in each worker: a change made
through one prefork worker reaches the complaints created by every worker
(Odoo's cache invalidation signaling between processes)."""

import threading
import uuid
from datetime import date, timedelta

from odoo_server import Rpc

THREADS = 4
PER_THREAD = 3
# A Friday afternoon, far enough ahead that no sweep of another test meets it.
RECEIVED = "2030-01-04 16:00:00"


def _create_concurrently(server, db, category):
    """THREADS clients at once, so that both workers serve creations."""
    created, errors = [], []

    def client(index):
        try:
            rpc = Rpc(server.url, db, "admin", "admin")
            for n in range(PER_THREAD):
                created.append(
                    rpc.call(
                        "complaint.complaint",
                        "create",
                        {
                            "name": f"cache test {index}-{n}",
                            "category_id": category,
                            "date_received": RECEIVED,
                        },
                    )
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert len(created) == THREADS * PER_THREAD
    return created


def _deadlines(admin, complaint_ids, rule):
    lines = admin.call(
        "complaint.sla.status",
        "search_read",
        [("complaint_id", "in", complaint_ids), ("sla_id", "=", rule)],
        ["complaint_id", "deadline"],
    )
    return {line["complaint_id"][0]: line["deadline"] for line in lines}


def test_rule_and_calendar_changes_reach_every_worker(prefork_server, test_db):
    admin = Rpc(prefork_server.url, test_db, "admin", "admin")
    tag = uuid.uuid4().hex[:8]
    category = admin.call("complaint.category", "create", {"name": f"Cache {tag}"})
    calendar = admin.call(
        "resource.calendar", "create", {"name": f"Cache {tag}", "tz": "UTC"}
    )
    rule = admin.call(
        "complaint.sla",
        "create",
        {
            "name": f"Cache rule {tag}",
            "category_ids": [(6, 0, [category])],
            "target_step": "responded",
            "time_hours": 4.0,
            "calendar_id": calendar,
        },
    )
    # Both workers build and cache the rule and the calendar's timeline.
    warm = _create_concurrently(prefork_server, test_db, category)
    before = _deadlines(admin, warm, rule)
    assert set(before) == set(warm)
    assert len(set(before.values())) == 1
    (monday,) = set(before.values())

    # A public holiday on that day, entered through one worker.
    holiday_day = monday[:10]
    holiday = admin.call(
        "resource.calendar.leaves",
        "create",
        {
            "name": f"Holiday {tag}",
            "calendar_id": calendar,
            "date_from": f"{holiday_day} 00:00:00",
            "date_to": f"{holiday_day} 23:59:59",
            "time_type": "leave",
        },
    )
    after_holiday = _deadlines(
        admin, _create_concurrently(prefork_server, test_db, category), rule
    )
    assert len(after_holiday) == THREADS * PER_THREAD
    next_day = (date.fromisoformat(holiday_day) + timedelta(days=1)).isoformat()
    assert set(after_holiday.values()) == {monday.replace(holiday_day, next_day)}

    # The rule switched off: no worker still applies it.
    admin.call("complaint.sla", "write", [rule], {"active": False})
    unmatched = _create_concurrently(prefork_server, test_db, category)
    assert _deadlines(admin, unmatched, rule) == {}

    admin.call("resource.calendar.leaves", "unlink", [holiday])
