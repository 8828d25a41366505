import logging

from odoo import fields, models
from odoo.exceptions import UserError

from .letter_flags import CTX_LETTER_BATCH, PDF_CACHE_KEY

_logger = logging.getLogger(__name__)


class ComplaintLetters(models.AbstractModel):
    """The letters of a complaint to its complainant: queued in the outbox
    (``complaint.letter``, sent by its cron worker), rendered together and
    sent. Mixed into ``complaint.complaint``."""

    _name = "complaint.letters.mixin"
    _description = "Complaint letters to the complainant"

    acknowledgement_pending = fields.Boolean(
        compute="_compute_acknowledgement_pending",
        help="The acknowledgement letter waits in the outbox of letters.",
    )

    def _send_acknowledgement(self):
        """Acknowledge receipt once, with reference and target dates (§7.4).

        The date is the receipt date the complainant sees; the letter (and
        its PDF, with the reports addon) waits in the outbox for the cron
        worker, triggered at once."""
        todo = self.filtered(lambda c: not c.date_acknowledged)
        if not todo:
            return
        todo.write({"date_acknowledged": fields.Datetime.now()})
        # (the cached xmlid, without env.ref's query on each complaint created)
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "complaint_management.mail_template_complaint_acknowledgement",
                raise_if_not_found=False,
            )
        )
        todo._queue_letter(template)

    def _queue_letter(self, template):
        """Queue the letter ``template`` for these complaints: it is rendered
        and sent by the cron worker, never in the calling transaction."""
        if template:
            self.env["complaint.letter"]._enqueue(self, template)

    def _compute_acknowledgement_pending(self):
        template = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement",
            raise_if_not_found=False,
        )
        waiting = set()
        if template and self.ids:
            waiting = set(
                self.env["complaint.letter"]
                .sudo()
                .search(
                    [
                        ("complaint_id", "in", self.ids),
                        ("template_id", "=", template.id),
                    ]
                )
                .complaint_id.ids
            )
        for complaint in self:
            complaint.acknowledgement_pending = complaint.id in waiting

    def _prerender_letters(self, template):
        """Render the PDF letters of ``template`` for these complaints in one
        go per report and company (the reports addon makes it one wkhtmltopdf
        run per language); the mails then take each complaint's own PDF. A
        letter that could not be rendered with the others is rendered alone
        by its mail."""
        cache = self.env.cr.cache.setdefault(PDF_CACHE_KEY, {})
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(**{CTX_LETTER_BATCH: True})
        )
        for report in template.sudo().report_template_ids:
            if report.report_type != "qweb-pdf":
                continue
            for complaints in self.grouped("company_id").values():
                if len(complaints) < 2:
                    continue
                try:
                    streams, fmt = Report.with_company(
                        complaints.company_id
                    )._pre_render_qweb_pdf(
                        # by name: a record would bring its own context
                        report.report_name,
                        res_ids=complaints.ids,
                    )
                except UserError:
                    _logger.warning(
                        "Letters %s rendered one by one", report.name, exc_info=True
                    )
                    continue
                if fmt != "pdf":
                    # tests render HTML unless forced: nothing to share
                    return
                for res_id in complaints.ids:
                    stream = (streams.get(res_id) or {}).get("stream")
                    if stream:
                        cache[(report.id, res_id)] = stream.getvalue()

    def _send_complainant_mails(self, template):
        """Send the letter ``template`` to the complainants of these
        complaints and return the outgoing mails, not sent yet (the caller
        sends them together, after its commit). One composer renders the
        letters of the named complainants together (subject, body,
        recipients; the PDFs come from ``_prerender_letters``) and posts one
        comment per complaint; anonymous complainants leave no trace of the
        recipient in the chatter."""
        complaints = self.filtered(lambda c: c.partner_id or c.partner_email)
        if not complaints:
            return self.env["mail.mail"].sudo()
        # the mails are sent by the caller, in one go
        complaints = complaints.with_context(mail_notify_force_send=False)
        anonymous = complaints.filtered("is_anonymous")
        # Not linked to the record: the letter names the complainant.
        mail_ids = (
            template.sudo()
            .send_mail_batch(
                anonymous.ids, email_values={"model": False, "res_id": False}
            )
            .ids
            if anonymous
            else []
        )
        for complaint in anonymous:
            complaint.message_post(
                body=self.env._(
                    "%(letter)s sent to the complainant.", letter=template.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        if anonymous:
            # an internal note: message_post does not count it as news
            anonymous.date_last_customer_update = fields.Datetime.now()
        named = complaints - anonymous
        if named:
            # a comment per complaint: message_post stamps
            # date_last_customer_update
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    mail_notify_force_send=False,
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=named.ids,
                    default_template_id=template.id,
                )
                .create(
                    {
                        "message_type": "comment",
                        "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                            "mail.mt_comment"
                        ),
                    }
                )
            )
            messages = composer._action_send_mail()[1]
            mail_ids += (
                self.env["mail.mail"]
                .sudo()
                .search([("mail_message_id", "in", messages.ids)])
                .ids
            )
        return self.env["mail.mail"].sudo().browse(mail_ids)
