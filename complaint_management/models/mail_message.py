from odoo import models
from odoo.tools import SQL

from odoo.addons.mail.tools.discuss import Store

from .complaint_anonymity import fetch_unmasked, masking_sql

COMPLAINT_MODEL = "complaint.complaint"
# What names the author of a message.
AUTHOR_FIELDS = ("author_id", "author_avatar", "email_from", "reply_to")


class MailMessage(models.Model):
    """The messages a complainant wrote before the complaint was made
    anonymous keep their author in the database (managers see it); for
    everyone else they are authored by the anonymous complainant, as the
    messages written since (``complaint.anonymity._message_compute_author``):
    in the chatter, when reading messages and in searches."""

    _inherit = "mail.message"

    def _complaint_author_hidden(self):
        """The ids of these messages whose author is the complainant of an
        anonymous complaint, when the user may not see that identity."""
        Complaint = self.env[COMPLAINT_MODEL]
        if Complaint._can_see_anonymous_identity():
            return set()
        messages = self.sudo().filtered(
            lambda m: m.model == COMPLAINT_MODEL and m.res_id and m.author_id
        )
        if not messages:
            return set()
        complainants = {
            complaint.id: complaint.partner_id
            for complaint in Complaint.sudo()
            .browse(set(messages.mapped("res_id")))
            .exists()
            .filtered("is_anonymous")
        }
        return {
            message.id
            for message in messages
            if message.author_id == complainants.get(message.res_id)
        }

    def _complaint_anonymous_from(self):
        return self.env._("Anonymous complainant")

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [fname for fname in AUTHOR_FIELDS if fname in fnames]
        hidden = masked and self._complaint_author_hidden()
        if hidden:
            for values in result:
                if values["id"] in hidden:
                    for fname in masked:
                        values[fname] = False
                    if "email_from" in masked:
                        values["email_from"] = self._complaint_anonymous_from()
        return result

    def _to_store_defaults(self, target):
        fields = super()._to_store_defaults(target)
        hidden = self._complaint_author_hidden()
        if not hidden:
            return fields
        anonymous_from = self._complaint_anonymous_from()
        for field in fields:
            name = getattr(field, "field_name", field)
            if name == "author_id" and isinstance(field, Store.One):
                field.value = lambda m: (
                    m.env["res.partner"] if m.id in hidden else m.sudo().author_id
                )
            elif name == "email_from" and isinstance(field, Store.Attr):
                field.value = lambda m: (
                    anonymous_from if m.id in hidden else m.email_from
                )
        return fields

    def _fetch_query(self, query, fields):
        return fetch_unmasked(super()._fetch_query, query, fields)

    def _field_to_sql(self, alias, field_expr, query=None):
        """Searching, grouping or ordering messages by author treats the
        complainant's messages on an anonymous complaint as authorless."""
        sql = super()._field_to_sql(alias, field_expr, query)
        if (
            field_expr.split(".", 1)[0] in AUTHOR_FIELDS
            and masking_sql()
            and not self.env[COMPLAINT_MODEL]._can_see_anonymous_identity()
        ):
            sql = SQL(
                "(CASE WHEN %s = %s AND EXISTS (SELECT 1 FROM complaint_complaint c "
                "WHERE c.id = %s AND c.is_anonymous AND c.partner_id = %s) "
                "THEN NULL ELSE %s END)",
                SQL.identifier(alias, "model"),
                COMPLAINT_MODEL,
                SQL.identifier(alias, "res_id"),
                SQL.identifier(alias, "author_id"),
                sql,
            )
        return sql
