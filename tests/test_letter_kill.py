"""A cron worker killed in the middle of a batch of letters loses nothing and
sends nothing twice.

A prefork server (2 HTTP workers, 1 cron worker) drains a backlog of
acknowledgement letters from the outbox (``complaint.letter``). Once some
letters are out, the test waits until the cron worker is in the middle of a
batch (its transaction holds the claimed outbox rows and has already written
some of the batch's chatter messages, none committed), kills it with SIGKILL
and checks that, seen from outside, every complaint has either its letter
waiting or exactly one sent. The master spawns a new cron worker, which
drains the rest: every complaint ends with exactly one acknowledgement (one
message, one outgoing mail, one PDF when the reports addon is installed).

No hook in the addons: the moment is found from PostgreSQL's view of the
cron worker's connection (``pg_locks``), the process from its parent.
"""

import signal
import time
import uuid

import psutil
import psycopg2
import pytest
from odoo_server import OdooServer, Rpc, is_cron_worker

COMPLAINTS = 80
ACK_SUBJECT = "we received your complaint"
# the whole test stays well under two minutes on an idle 2-core machine
DRAIN_TIMEOUT = 240


@pytest.fixture
def letters_server(test_db):
    """A prefork server with a cron worker; the cron worker logs its batches."""
    server = OdooServer(
        test_db,
        "--workers=2",
        "--max-cron-threads=1",
        "--log-handler=odoo.addons.complaint_management.models.complaint_letter:INFO",
        "--log-handler=odoo.addons.base.models.ir_cron:INFO",
        "--log-handler=odoo.service.server:INFO",
    )
    yield server
    server.stop()


def _cron_worker(master):
    """The one cron worker of ``master``, else None."""
    workers = [child for child in master.children() if is_cron_worker(master, child)]
    return workers[0] if len(workers) == 1 else None


def _wait_cron_worker(master, not_pid=None, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            worker = _cron_worker(master)
        except psutil.NoSuchProcess:
            worker = None
        if worker and worker.pid != not_pid:
            return worker
        time.sleep(0.2)
    raise AssertionError("no cron worker process found")


class Outbox:
    """Direct read-only looks at the database, from outside the server."""

    def __init__(self, db, complaint_ids, template_id):
        self.db, self.ids, self.template_id = db, complaint_ids, template_id
        self.cnx = psycopg2.connect(dbname=db)
        self.cnx.autocommit = True

    def close(self):
        self.cnx.close()

    def _one(self, query, params=()):
        with self.cnx.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchone()[0]

    def wake_cron(self):
        """What ``ir.cron._trigger`` does on commit (cron workers listen on
        the ``postgres`` database): a new cron worker sleeps up to 70 s
        before it polls, unless notified."""
        cnx = psycopg2.connect(dbname="postgres")
        try:
            cnx.autocommit = True
            with cnx.cursor() as cr:
                cr.execute("SELECT pg_notify('cron_trigger', %s)", [self.db])
        finally:
            cnx.close()

    def waiting(self):
        return self._one(
            "SELECT count(*) FROM complaint_letter"
            " WHERE complaint_id = ANY(%s) AND template_id = %s",
            [self.ids, self.template_id],
        )

    def sent_per_complaint(self):
        with self.cnx.cursor() as cr:
            cr.execute(
                """
                SELECT res_id, count(*) FROM mail_message
                 WHERE model = 'complaint.complaint' AND res_id = ANY(%s)
                   AND message_type = 'comment' AND subject ILIKE %s
              GROUP BY res_id
                """,
                [self.ids, f"%{ACK_SUBJECT}%"],
            )
            return dict(cr.fetchall())

    def sent(self):
        return sum(self.sent_per_complaint().values())

    def batch_in_mail_phase(self):
        """The PostgreSQL backend of a transaction in the middle of a batch:
        it has claimed outbox rows (``FOR UPDATE`` then ``DELETE``) and
        already written chatter messages, none of it committed. Only the
        cron worker does that here (no request runs meanwhile). The pool of
        its connections was opened by the master, so their application name
        carries the master's pid: the locks tell, not the name."""
        with self.cnx.cursor() as cr:
            cr.execute(
                """
                SELECT l.pid FROM pg_locks l
                  JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE a.datname = %s AND l.relation IN (
                       'complaint_letter'::regclass, 'mail_message'::regclass)
              GROUP BY l.pid
                HAVING bool_or(l.relation = 'complaint_letter'::regclass
                               AND l.mode = 'RowShareLock')
                   AND bool_or(l.relation = 'complaint_letter'::regclass
                               AND l.mode = 'RowExclusiveLock')
                   AND bool_or(l.relation = 'mail_message'::regclass
                               AND l.mode = 'RowExclusiveLock')
                """,
                [self.db],
            )
            row = cr.fetchone()
            return row and row[0]

    def backend_alive(self, backend_pid):
        return self._one(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_pid]
        )


def test_cron_worker_killed_mid_batch(letters_server, test_db):
    server = letters_server
    admin = Rpc(server.url, test_db, "admin", "admin")
    # wkhtmltopdf fetches the letters' assets from this server
    old_report_url = admin.call("ir.config_parameter", "get_param", "report.url")
    admin.call("ir.config_parameter", "set_param", "report.url", server.url)
    reports = admin.call(
        "ir.module.module",
        "search_count",
        [("name", "=", "complaint_management_reports"), ("state", "=", "installed")],
    )
    template_id = admin.call(
        "ir.model.data",
        "search_read",
        [
            ("module", "=", "complaint_management"),
            ("name", "=", "mail_template_complaint_acknowledgement"),
        ],
        ["res_id"],
    )[0]["res_id"]
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0][
        "company_id"
    ][0]
    admin.call(
        "res.company", "write", [company_id], {"complaint_auto_acknowledge": True}
    )
    tag = uuid.uuid4().hex[:8]
    partners = admin.call(
        "res.partner",
        "create",
        [
            {"name": f"Killed batch {tag} {i}", "email": f"kill-{tag}-{i}@example.com"}
            for i in range(10)
        ],
    )
    master = psutil.Process(server.proc.pid)
    worker = _wait_cron_worker(master)
    # one create, one transaction: the whole backlog is queued at once
    complaint_ids = admin.call(
        "complaint.complaint",
        "create",
        [
            {
                "name": f"killed-batch-{tag}-{i}",
                "description": "<p>The parcel arrived broken.</p>",
                "partner_id": partners[i % len(partners)],
            }
            for i in range(COMPLAINTS)
        ],
    )
    outbox = Outbox(test_db, complaint_ids, template_id)
    try:
        assert outbox.waiting() == COMPLAINTS, "every acknowledgement is queued"
        assert outbox.sent() == 0, "nothing is sent by the creating transaction"

        # 1. Wait for the middle of a batch after at least one batch is out.
        started = time.time()
        last_wake = 0
        killed_at = None
        while time.time() - started < DRAIN_TIMEOUT:
            if time.time() - last_wake > 2:
                outbox.wake_cron()
                last_wake = time.time()
            waiting = outbox.waiting()
            assert waiting, "the backlog drained before the cron worker was caught"
            backend = outbox.batch_in_mail_phase()
            if backend and outbox.sent():
                orphans = worker.children(recursive=True)
                worker.send_signal(signal.SIGKILL)
                for child in orphans:  # a wkhtmltopdf still running
                    try:
                        child.kill()
                    except psutil.NoSuchProcess:
                        pass
                killed_at = time.time() - started
                break
            time.sleep(0.02)
        assert killed_at is not None, "the cron worker was never caught mid-batch"
        worker.wait(10)
        # its PostgreSQL session ends with it: the batch is rolled back
        deadline = time.time() + 30
        while outbox.backend_alive(backend) and time.time() < deadline:
            time.sleep(0.1)
        assert not outbox.backend_alive(backend), "the killed batch's session stayed"

        # 2. Seen from outside: each letter is either sent once or waiting.
        sent = outbox.sent_per_complaint()
        assert all(count == 1 for count in sent.values()), sent
        assert 0 < len(sent) < COMPLAINTS
        assert len(sent) + outbox.waiting() == COMPLAINTS
        sent_before_kill = len(sent)

        # 3. The master spawns a new cron worker, which drains the rest.
        new_worker = _wait_cron_worker(master, not_pid=worker.pid)
        while outbox.waiting() and time.time() - started < DRAIN_TIMEOUT:
            if time.time() - last_wake > 2:
                outbox.wake_cron()
                last_wake = time.time()
            time.sleep(0.5)
        drained_at = time.time() - started
        assert outbox.waiting() == 0, "the backlog did not drain after the kill"
        assert new_worker.is_running()
        sent = outbox.sent_per_complaint()
    finally:
        outbox.close()
        admin.call(
            "ir.config_parameter", "set_param", "report.url", old_report_url or False
        )
    print(
        f"\nkilled cron worker {worker.pid} at {killed_at:.1f} s with "
        f"{sent_before_kill}/{COMPLAINTS} letters out; new worker "
        f"{new_worker.pid} drained the rest by {drained_at:.1f} s"
    )

    # 4. Exactly one acknowledgement each, through the ORM.
    assert sorted(sent) == sorted(complaint_ids), "an acknowledgement was lost"
    assert set(sent.values()) == {1}, f"an acknowledgement was sent twice: {sent}"
    messages = admin.call(
        "mail.message",
        "search_read",
        [
            ("model", "=", "complaint.complaint"),
            ("res_id", "in", complaint_ids),
            ("message_type", "=", "comment"),
            ("subject", "ilike", ACK_SUBJECT),
        ],
        ["res_id", "attachment_ids"],
    )
    assert sorted(m["res_id"] for m in messages) == sorted(complaint_ids)
    # one outgoing mail to the complainant per acknowledgement
    rows = admin.call(
        "complaint.complaint",
        "read",
        complaint_ids,
        ["partner_id", "date_acknowledged", "acknowledgement_pending"],
    )
    partner_of = {r["id"]: r["partner_id"][0] for r in rows}
    mails = admin.call(
        "mail.mail",
        "search_read",
        [("mail_message_id", "in", [m["id"] for m in messages])],
        ["mail_message_id", "recipient_ids", "model", "res_id"],
    )
    to_complainant = sorted(
        m["res_id"] for m in mails if partner_of[m["res_id"]] in m["recipient_ids"]
    )
    assert to_complainant == sorted(complaint_ids), "one mail per acknowledgement"
    if reports:
        attachment_ids = [a for m in messages for a in m["attachment_ids"]]
        assert all(len(m["attachment_ids"]) == 1 for m in messages), messages
        attachments = admin.call(
            "ir.attachment", "read", attachment_ids, ["mimetype", "res_id"]
        )
        assert {a["mimetype"] for a in attachments} == {"application/pdf"}
        assert sorted(a["res_id"] for a in attachments) == sorted(complaint_ids)
    assert all(r["date_acknowledged"] for r in rows)
    assert not any(r["acknowledgement_pending"] for r in rows)
