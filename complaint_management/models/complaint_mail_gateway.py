from odoo import api, fields, models
from odoo.exceptions import AccessError


class ComplaintMailGateway(models.AbstractModel):
    """Intake by e-mail and the chatter of a complaint: a mail to the
    complaints alias files a complaint (``message_new``), a complainant
    given by e-mail only becomes a contact, and who may post. The parsing
    of incoming complaint mail is hardened in ``mail_thread.py``. Mixed into
    ``complaint.complaint`` before ``mail.thread``."""

    _name = "complaint.mail.gateway"
    _description = "Complaint intake by e-mail and chatter"
    _inherit = ["mail.thread"]

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the complaints alias files a complaint (channel e-mail)."""
        values = dict(custom_values or {})
        email = msg_dict.get("email_from")
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not author and email:
            author = self.env["mail.thread"]._partner_find_from_emails_single(
                [email], no_create=False
            )
            msg_dict["author_id"] = author.id
        values.setdefault("partner_id", author.id)
        values.setdefault("name", msg_dict.get("subject") or self.env._("No subject"))
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault(
            "channel_id",
            self.env.ref("complaint_management.complaint_channel_email").id,
        )
        return super().message_new(msg_dict, custom_values=values)

    def message_post(self, **kwargs):
        self._check_post_access()
        message = super().message_post(**kwargs)
        if self._is_customer_news(message.message_type, message.subtype_id):
            self.sudo().write({"date_last_customer_update": fields.Datetime.now()})
        return message

    def _check_post_access(self):
        """Reading lets customers post (_mail_post_access): staff post only if
        they handle complaints, an Auditor changes nothing. Also checked by
        the letters posted in batch (``_post_letters``)."""
        user = self.env.user
        if not (
            self.env.su
            or user.share
            or user.has_group("complaint_management.group_complaint_user")
        ):
            raise AccessError(
                self.env._("Only complaint handlers may post on complaints.")
            )

    @api.model
    def _is_customer_news(self, message_type, subtype):
        """A message the customer sees: it stamps date_last_customer_update
        (``message_post``, the letters posted in batch)."""
        return message_type in ("comment", "email") and not subtype.internal

    @api.model
    def _find_or_create_partner(self, email, name=None):
        partner = self.env["mail.thread"]._partner_find_from_emails_single(
            [email], no_create=True
        )
        if not partner:
            partner = (
                self.env["res.partner"]
                .sudo()
                .create({"name": name or email, "email": email})
            )
        return partner
