import logging
from collections import defaultdict

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

from .cron_batches import run_in_batches
from .letter_flags import PDF_CACHE_KEY, QWEB_CACHE_KEY, TRIGGERED_KEY

_logger = logging.getLogger(__name__)

# Letters rendered and sent in one transaction. The batch adapts to the
# measured cost of a letter so that it takes about BATCH_SECONDS, far inside
# the cron worker's time limit (limit_time_real_cron, 120 s by default).
# Each batch has a fixed cost (a wkhtmltopdf start per language, the
# composer, the commit), about 0.4 CPU s: batches of a few hundred letters
# make it small.
BATCH_SECONDS = 10.0
MIN_BATCH, FIRST_BATCH, MAX_BATCH = 5, 50, 250
# Measured seconds per letter, per database, in this process.
LETTER_SECONDS = {}


class ComplaintLetter(models.Model):
    """The outbox of letters to complainants.

    Every letter (acknowledgement, decision, status update, any stage letter)
    is queued here by the transaction that decides to send it, and sent by
    the scheduled action "Complaints: send letters to complainants",
    triggered at once. Nothing is rendered in the request or in the creating
    transaction. The cron claims rows with ``FOR UPDATE SKIP LOCKED`` and
    deletes them in the same transaction that creates the outgoing mails,
    so a letter is sent once, even when a worker dies mid-batch.
    """

    _name = "complaint.letter"
    _description = "Letter to a Complainant (outbox)"
    _order = "id"
    _log_access = False

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    template_id = fields.Many2one("mail.template", required=True, ondelete="cascade")
    date_queued = fields.Datetime(required=True, default=fields.Datetime.now)

    @api.model
    def _enqueue(self, complaints, template):
        """Queue ``template`` for ``complaints`` (once: a letter already
        waiting is not queued again) and wake the cron up."""
        if not complaints or not template:
            return self.browse()
        self = self.sudo()
        waiting = set(
            self.search(
                [
                    ("complaint_id", "in", complaints.ids),
                    ("template_id", "=", template.id),
                ]
            ).complaint_id.ids
        )
        letters = self.create(
            [
                {"complaint_id": complaint_id, "template_id": template.id}
                for complaint_id in dict.fromkeys(complaints.ids)
                if complaint_id not in waiting
            ]
        )
        self.env["complaint.complaint"].invalidate_model(["acknowledgement_pending"])
        # one trigger per transaction, none while one waits for a worker
        data = self.env.cr.precommit.data
        if letters and not data.get(TRIGGERED_KEY):
            data[TRIGGERED_KEY] = True
            # (the cached xmlid, without env.ref's query on each filing)
            cron = self.env["ir.cron"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "complaint_management.ir_cron_complaint_letters",
                    raise_if_not_found=True,
                )
            )
            if not self._trigger_waiting(cron):
                cron._trigger()
        return letters

    @api.model
    def _trigger_waiting(self, cron):
        """Whether ``cron`` has a due trigger that no cron worker has taken
        yet: the worker that takes it sends this transaction's letters too,
        so filing a complaint under load creates no trigger row and opens no
        connection to wake the workers (``ir.cron._notifydb``) when one is
        already waiting.

        A worker takes a job's triggers by deleting them when the job starts
        (``ir.cron._clear_schedule``): a trigger being deleted is locked and
        skipped here, so this transaction triggers again. The share lock
        taken on a waiting trigger makes a worker that starts meanwhile wait
        for this commit, so its run sees the letters queued here. A trigger
        deleted since this transaction began cannot be locked (PostgreSQL
        refuses it to a repeatable-read transaction): trigger again."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        SELECT 1 FROM ir_cron_trigger
                         WHERE cron_id = %s AND call_at <= %s
                         LIMIT 1
                           FOR KEY SHARE SKIP LOCKED
                        """,
                        cron.id,
                        fields.Datetime.now(),
                    )
                )
                return bool(self.env.cr.fetchone())
        except SerializationFailure:
            return False

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _claim_sql(self, limit):
        """Take the oldest waiting letters, skipping those another worker
        holds, and delete them: the deletion commits with the mails."""
        return SQL(
            """
            WITH due AS (
                SELECT id FROM complaint_letter
              ORDER BY id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
            )
            DELETE FROM complaint_letter letter
             USING due
             WHERE letter.id = due.id
         RETURNING letter.id, letter.complaint_id, letter.template_id
            """,
            limit=limit,
        )

    @api.model
    def _claim(self, limit):
        self.env.flush_all()
        self.env.cr.execute(self._claim_sql(limit))
        rows = sorted(self.env.cr.fetchall())
        self.invalidate_model()
        self.env["complaint.complaint"].invalidate_model(["acknowledgement_pending"])
        return [(complaint_id, template_id) for _id, complaint_id, template_id in rows]

    @api.model
    def _count_waiting(self):
        self.env.cr.execute("SELECT count(*) FROM complaint_letter")
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_send(self, batch_size=None):
        """Send waiting letters batch after batch (``run_in_batches``).

        Outside tests each batch commits on its own: the outgoing mails and
        the deletion of their rows from the outbox commit together, so a
        worker killed mid-batch loses that batch's work only (its letters
        are still waiting) and no letter is sent twice. A batch is sized to
        take about BATCH_SECONDS. The run stops when the time the cron runner
        gives it (``_commit_progress``) would not hold another batch, and
        triggers the action again: the cron worker's whole run (all the jobs
        it found ready) stays far inside its time limit."""

        def send(size):
            rows = self._claim(size)
            if rows:
                self._send_batch(rows)
            return len(rows)

        def measured(count, seconds):
            LETTER_SECONDS[self.env.cr.dbname] = seconds / count
            _logger.info("Sent %s letters to complainants in %.2f s", count, seconds)

        return run_in_batches(
            self.env,
            send,
            batch_size or self._batch_size,
            cron_xmlid="complaint_management.ir_cron_complaint_letters",
            remaining=self._count_waiting,
            on_batch=measured,
        )

    @api.model
    def _batch_size(self):
        per_letter = LETTER_SECONDS.get(self.env.cr.dbname)
        if not per_letter:
            return FIRST_BATCH
        return max(MIN_BATCH, min(MAX_BATCH, int(BATCH_SECONDS / per_letter)))

    @api.model
    def _send_batch(self, rows):
        """Send the claimed letters: per template, the PDF letters are
        rendered together (one wkhtmltopdf run per report and language), the
        mails of the batch are created together (each takes its complaint's
        own PDF from the cache) and sent after the commit, in one go (one
        connection to the mail server)."""
        by_template = defaultdict(dict)
        for complaint_id, template_id in rows:
            by_template[template_id][complaint_id] = True
        Complaint = self.env["complaint.complaint"]
        cache = self.env.cr.cache.setdefault(PDF_CACHE_KEY, {})
        self.env.cr.cache[QWEB_CACHE_KEY] = {}
        mails = self.env["mail.mail"].sudo()
        try:
            for template_id, complaint_ids in by_template.items():
                template = self.env["mail.template"].browse(template_id).exists()
                complaints = Complaint.browse(list(complaint_ids)).exists()
                if not template or not complaints:
                    continue
                complaints._prerender_letters(template)
                mails |= complaints._send_complainant_mails(template)
                cache.clear()
        finally:
            cache.clear()
            self.env.cr.cache.pop(QWEB_CACHE_KEY, None)
        if mails:
            mails.send_after_commit()
