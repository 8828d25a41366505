import re
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo.tests import tagged, warmup

from ..models import cron_batches
from ..models.complaint_letter import LETTER_SECONDS
from .common import ComplaintCase

SUBJECT = "we received your complaint"
LETTERS_CRON = "complaint_management.ir_cron_complaint_letters"


class FakeClock:
    """time.monotonic and time.sleep of the batch loop: each batch takes
    ``batch_seconds``."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@tagged("post_install", "-at_install")
class TestLetterBatch(ComplaintCase):
    """A batch of letters is rendered and posted together: the queries do
    not grow with a query per letter beyond what posting a message costs,
    the mails of a batch leave together, each complaint gets its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": f"Batch customer {i}", "email": f"batch{i}@example.com"}
                for i in range(10)
            ]
        )
        cls._send_letters()

    def _queue(self, count, anonymous=0, subject="Batch"):
        return self.env["complaint.complaint"].create(
            [
                {
                    "name": f"{subject} {i}",
                    "partner_id": partner.id,
                    "category_id": self.category_x.id,
                    "is_anonymous": i < anonymous,
                }
                for i, partner in enumerate(self.partners[:count])
            ]
        )

    def _acknowledgements(self, complaints):
        self.env.invalidate_all()
        return self.env["mail.message"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "in", complaints.ids),
                ("subject", "ilike", SUBJECT),
            ]
        )

    @warmup
    def test_batch_query_count(self):
        """Sending 5 then 10 acknowledgements: pinned query counts, the same
        for both (the letters are posted together)."""
        Letter = self.env["complaint.letter"].sudo()
        # another subject for the second batch: the same customer filing the
        # same subject again within 7 days is a possible duplicate (a note more)
        for subject, count, queries in (
            ("Batch", 5, 44),
            ("Card refused at the till", 10, 44),
        ):
            complaints = self._queue(count, subject=subject)
            # one batch, whatever earlier batches of this process measured
            LETTER_SECONDS.pop(self.env.cr.dbname, None)
            with self.assertQueryCount(queries):
                Letter._cron_send()
            self.assertEqual(len(self._acknowledgements(complaints)), count)

    def test_batch_one_comment_and_mail_each_sent_together(self):
        """One comment per complaint, addressed to its complainant only, one
        outgoing mail each; the mails of the batch are sent in one call."""
        complaints = self._queue(6, anonymous=2)
        anonymous = complaints[:2]
        # The batch size follows the cost per letter measured by earlier
        # batches of this process (at least 5): on a loaded machine it can be
        # smaller than these 6 letters. Start unmeasured, as a fresh worker.
        LETTER_SECONDS.pop(self.env.cr.dbname, None)
        MailMail = self.registry["mail.mail"]
        original = MailMail.send
        sends = []

        def counting(mails, *args, **kwargs):
            sends.append(mails.ids)
            return original(mails, *args, **kwargs)

        with patch.object(MailMail, "send", counting):
            self.assertEqual(self._send_letters(), 6)
        self.assertEqual(len(sends), 1, "one send for the whole batch")
        mails = self.env["mail.mail"].sudo().browse(sends[0])
        self.assertEqual(len(mails), 6)
        named = complaints - anonymous
        messages = self._acknowledgements(named)
        self.assertEqual(sorted(messages.mapped("res_id")), sorted(named.ids))
        for complaint in named:
            message = messages.filtered(lambda m, c=complaint: m.res_id == c.id)
            self.assertEqual(message.partner_ids, complaint.partner_id)
            self.assertIn(complaint.reference, message.subject)
        for complaint in anonymous:
            mail = mails.filtered(
                lambda m, c=complaint: c.reference in (m.subject or "")
            )
            self.assertEqual(len(mail), 1)
            self.assertFalse(mail.model, "not linked to the anonymous complaint")
            self.assertEqual(mail.recipient_ids, complaint.partner_id)
        self.assertEqual(self._send_letters(), 0, "nothing sent twice")

    def _letters_of(self, complaints):
        """{complaint: (its acknowledgement, its outgoing mails)}: its only
        comment (the subject may be in Persian)."""
        self.env.invalidate_all()
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "in", complaints.ids),
                ("message_type", "=", "comment"),
            ]
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )
        result = {}
        for complaint in complaints:
            message = messages.filtered(lambda m, c=complaint: m.res_id == c.id)
            self.assertEqual(len(message), 1, complaint.name)
            result[complaint] = (
                message,
                mails.filtered(lambda m, msg=message: m.mail_message_id == msg),
            )
        return result

    def _letter_facts(self, complaint, message, mails):
        """What a letter is, without what differs from complaint to
        complaint (its reference, ids, tokens, dates)."""

        def same(text):
            text = str(text or "")
            for word in (
                complaint.reference,
                complaint.name,
                complaint.partner_id.name,
                complaint.partner_id.email,
            ):
                text = text.replace(word, "<complaint>")
            text = re.sub(r"(access_token|hash|token|pid)=[\w-]+", r"\1=<>", text)
            return re.sub(r"\d+", "0", text)

        notifications = message.notification_ids
        partner = complaint.partner_id
        return {
            "message": (
                message.message_type,
                message.subtype_id,
                message.is_internal,
                same(message.subject),
                same(message.body),
                message.partner_ids == partner,
                message.author_id,
                message.email_from,
                same(message.reply_to),
                message.email_add_signature,
                message.email_layout_xmlid,
                message.record_company_id,
                message.record_alias_domain_id,
                message.parent_id.subtype_id,
                message.parent_id.res_id == complaint.id,
            ),
            "attachments": [
                (
                    same(attachment.name),
                    attachment.mimetype,
                    attachment.res_model,
                    attachment.res_id == complaint.id,
                )
                for attachment in message.attachment_ids
            ],
            "notifications": sorted(
                (
                    "complainant"
                    if n.res_partner_id == partner
                    else n.res_partner_id.name,
                    n.notification_type,
                    n.notification_status,
                    n.is_read,
                    n.mail_mail_id.recipient_ids == n.res_partner_id,
                )
                for n in notifications
            ),
            "mails": sorted(
                (
                    "complainant"
                    if mail.recipient_ids == partner
                    else str(mail.recipient_ids.ids),
                    mail.attachment_ids == message.attachment_ids,
                    mail.state,
                    mail.auto_delete,
                    mail.model,
                    mail.res_id == complaint.id,
                    same(mail.subject),
                    same(mail.body_html),
                    same(mail.headers),
                    len(mail.references.split()),
                    mail.references.split()[-1] == message.message_id,
                )
                for mail in mails
            ),
            "stamped": bool(complaint.date_last_customer_update),
        }

    def test_batch_posts_what_message_post_posts(self):
        """Each letter posted in batch (``_post_letters``) is what the
        composer's message_post, letter by letter, makes of it: the comment
        (type, subtype, subject and body in the complainant's language,
        partner, author, attachment linked to the message and the complaint),
        the mail to the complainant with the PDF and its notification row,
        the followers' notifications, the stamp of the customer update."""
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_management", "mail"], ["fa_IR"], overwrite=True
        )
        self.partners[2].lang = "fa_IR"
        self.partners[7].lang = "fa_IR"
        inbox = self.handler_x2
        inbox.notification_type = "inbox"
        comment = self.env.ref("mail.mt_comment")
        Complaint = self.registry["complaint.complaint"]
        facts = []
        for path, partners in (("batch", self.partners[:5]), ("one by one", None)):
            partners = partners or self.partners[5:]
            complaints = self.env["complaint.complaint"].create(
                [
                    {
                        "name": f"Same letter {i}",
                        "partner_id": partner.id,
                        "category_id": self.category_x.id,
                    }
                    for i, partner in enumerate(partners)
                ]
            )
            complaints.message_subscribe(
                partner_ids=(self.handler_x + inbox).partner_id.ids,
                subtype_ids=comment.ids,
            )
            self.assertFalse(any(complaints.mapped("date_last_customer_update")))
            LETTER_SECONDS.pop(self.env.cr.dbname, None)
            if path == "batch":
                with patch.object(
                    Complaint,
                    "_post_letters_one_by_one",
                    side_effect=AssertionError("not posted in batch"),
                ):
                    self.assertEqual(self._send_letters(), 5)
            else:
                with patch.object(Complaint, "_letters_batchable", return_value=False):
                    self.assertEqual(self._send_letters(), 5)
            letters = self._letters_of(complaints)
            facts.append(
                [
                    self._letter_facts(complaint, *letters[complaint])
                    for complaint in complaints
                ]
            )
            for complaint in complaints:
                message, mails = letters[complaint]
                # what the checks above compare is there at all
                self.assertEqual(message.message_type, "comment")
                self.assertEqual(message.subtype_id, comment)
                self.assertEqual(message.partner_ids, complaint.partner_id)
                self.assertIn(complaint.reference, message.subject)
                self.assertEqual(len(message.attachment_ids), 1)
                self.assertEqual(message.attachment_ids.res_id, complaint.id)
                mail = mails.filtered(
                    lambda m, p=complaint.partner_id: m.recipient_ids == p
                )
                self.assertEqual(len(mail), 1)
                self.assertEqual(mail.attachment_ids, message.attachment_ids)
                self.assertEqual(
                    message.notification_ids.filtered(
                        lambda n, m=mail: n.mail_mail_id == m
                    ).res_partner_id,
                    complaint.partner_id,
                )
                self.assertIn(
                    self.handler_x.partner_id,
                    (mails - mail).recipient_ids,
                    "the following handler is notified by mail",
                )
                self.assertIn(
                    inbox.partner_id,
                    message.notification_ids.filtered(
                        lambda n: n.notification_type == "inbox"
                    ).res_partner_id,
                )
                self.assertTrue(complaint.date_last_customer_update)
                # the complainant sees it in the portal chatter
                self.assertFalse(message.is_internal)
                self.assertFalse(message.subtype_id.internal)
        persian = facts[0][2]["message"][3]
        self.assertNotEqual(persian, facts[0][0]["message"][3], "subject in Persian")
        self.maxDiff = None
        for batch, one_by_one in zip(*facts, strict=True):
            self.assertEqual(batch, one_by_one)


@tagged("post_install", "-at_install")
class TestRunInBatches(ComplaintCase):
    """The batch loop shared by the SLA sweep, the letters and the
    anonymisation honours the time the cron runner gives the job."""

    def setUp(self):
        super().setUp()
        self.clock = FakeClock()
        self.progress = []
        self.end = None
        test = self

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            test.progress.append((processed, remaining))
            return max(test.end - test.clock.now, 0) if test.end else float("inf")

        self.commits = cron_batches.commits
        for patcher in (
            patch.object(cron_batches, "time", self.clock),
            # as outside tests: each batch commits (here: reports progress)
            patch.object(
                cron_batches,
                "commits",
                lambda env: not env.context.get("complaint_no_commit"),
            ),
            patch.object(self.registry["ir.cron"], "_commit_progress", commit_progress),
        ):
            patcher.start()
            self.addCleanup(patcher.stop)
        self.cron = self.env.ref(LETTERS_CRON)
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        for cache in (cron_batches.LAST_BATCH_SECONDS, cron_batches.LAST_RUN_END):
            cache.pop((self.env.cr.dbname, LETTERS_CRON), None)

    def _run(self, batch, size=10, seconds=None, **kwargs):
        if seconds is not None:
            batch = self._batch(batch, seconds)
        env = self.env(
            context=dict(self.env.context, cron_end_time=self.end)
            if self.end
            else self.env.context
        )
        return cron_batches.run_in_batches(
            env, batch, size, cron_xmlid=LETTERS_CRON, **kwargs
        )

    def _batch(self, sizes, seconds=1.0):
        """A batch that takes ``seconds`` and handles the next of ``sizes``."""
        sizes = list(sizes)

        def batch(size):
            self.clock.now += seconds
            return min(sizes.pop(0), size) if sizes else 0

        return batch

    def _triggers(self):
        return self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.cron.id)]
        )

    def test_until_done_with_progress(self):
        done = self._run(self._batch([10, 10, 4]), remaining=lambda: 7)
        self.assertEqual(done, 24)
        self.assertEqual(self.progress, [(10, 7), (10, 7), (4, 7)])
        self.assertEqual(self._triggers(), 0, "finished: no new run")

    def test_stops_when_time_is_nearly_up_and_triggers_a_new_run(self):
        # batches of 1 s; 3.2 s left after the second batch, 1.2 s after the
        # third: less than 1.5 batches, the run stops there
        self.end = self.clock.now + 4.2
        done = self._run(self._batch([10] * 10))
        self.assertEqual(done, 30)
        self.assertEqual(self._triggers(), 1, "the cron is triggered again")
        # the runner calls the job again while its time lasts: no batch is
        # started that would not fit
        self.assertEqual(self._run(self._batch([10] * 10)), 0)
        self.assertEqual(self.clock.now, 1003.0)
        self.assertEqual(self._triggers(), 2)

    def test_a_new_run_runs_a_batch_whatever_the_last_one_took(self):
        """A batch that took longer than a whole run (the first one of a
        worker compiles templates, builds assets): the next run still makes
        progress instead of stopping at once again and again."""
        self.end = self.clock.now + 10
        self.assertEqual(self._run([10] * 3, seconds=30), 10)
        self.assertEqual(self._triggers(), 1)
        # the same run calls again: time is up
        self.assertEqual(self._run(self._batch([10] * 3)), 0)
        # a new run (another end): one batch at least
        self.end = self.clock.now + 10
        self.assertEqual(self._run([10, 10, 2], seconds=1), 22)

    def test_in_tests_or_without_commit_runs_to_the_end(self):
        self.end = self.clock.now + 1.0
        with patch.object(cron_batches, "commits", self.commits):
            self.assertEqual(self._run(self._batch([10] * 5 + [3])), 53)
        self.env = self.env(context=dict(self.env.context, complaint_no_commit=True))
        self.assertEqual(self._run(self._batch([10, 1])), 11)
        self.assertEqual(self.progress, [], "nothing committed")
        self.assertEqual(self._triggers(), 0)

    def test_conflict_rolls_back_and_runs_the_batch_again(self):
        calls = []

        def batch(size):
            calls.append(size)
            if len(calls) == 1:
                raise SerializationFailure("concurrent update")
            return 2

        with patch.object(self.env.cr, "rollback") as rollback:
            self.assertEqual(self._run(batch), 2)
        self.assertEqual(rollback.call_count, 1)
        self.assertEqual(len(calls), 2)
        self.assertEqual(self.progress, [(2, None)])
