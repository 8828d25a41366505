import contextvars

from odoo import api, models, tools
from odoo.fields import Domain
from odoo.tools import SQL, formataddr

# Fields naming the complainant: hidden from all but managers when anonymous
# (stored copies included: commercial_partner_id is related to partner_id).
IDENTITY_FIELDS = (
    "partner_id",
    "partner_name",
    "partner_email",
    "partner_phone",
    "commercial_partner_id",
)
# Links that lead to the complainant: the helpdesk ticket a complaint was
# escalated from names its customer. Hidden and not tracked, like the
# identity fields.
IDENTITY_LINK_FIELDS = ("ticket_id",)
UNTRACKED_FIELDS = (*IDENTITY_FIELDS, *IDENTITY_LINK_FIELDS)
# Who created or last changed an anonymous complaint may be the complainant
# (portal): hidden like the identity fields.
HIDDEN_FIELDS = (*UNTRACKED_FIELDS, "create_uid", "write_uid")
# Set while the ORM fetches field values into the cache: the cache holds the
# true values (server code needs them), reading masks them for the reader.
_FETCHING = contextvars.ContextVar("complaint_fetching", default=False)


def fetch_unmasked(fetch, query, fields):
    """``fetch(query, fields)`` (a model's ``_fetch_query``) without the SQL
    masking: the cache holds the true values."""
    token = _FETCHING.set(True)
    try:
        return fetch(query, fields)
    finally:
        _FETCHING.reset(token)


def masking_sql():
    """Whether the SQL built now is masked (not while fetching values)."""
    return not _FETCHING.get()


class ComplaintAnonymity(models.AbstractModel):
    """The identity of an anonymous complainant (``is_anonymous``), hidden
    from everyone but complaint managers wherever it could show: reading,
    SQL (search, group by, order), exports, the tracking log, the authors
    of the complainant's messages, suggested recipients and ratings. Mixed
    into ``complaint.complaint`` before ``mail.thread`` (it overrides
    ``mail.thread`` methods)."""

    _name = "complaint.anonymity"
    _description = "Complaint anonymity (identity masking)"
    _inherit = ["mail.thread"]

    def _read_format(self, fnames, load="_classic_read"):
        """Hide an anonymous complainant's identity from all but managers."""
        result = super()._read_format(fnames, load=load)
        masked = [f for f in HIDDEN_FIELDS if f in fnames]
        if masked and not self._can_see_anonymous_identity():
            anonymous = set(self.sudo().filtered("is_anonymous").ids)
            for values in result:
                if values["id"] in anonymous:
                    for fname in masked:
                        values[fname] = (
                            self.env._("Anonymous")
                            if fname == "partner_name"
                            else False
                        )
        return result

    def _can_see_anonymous_identity(self):
        return self.env.su or self.env.user.has_group(
            "complaint_management.group_complaint_manager"
        )

    def _anonymous_identity_hidden_sql(self, alias):
        """The SQL condition under which a complaint's identity fields read
        NULL for the current user, or None when the user sees them all.

        Staff who are not managers: every SQL use of an identity field
        (search domains, including paths such as ``partner_id.name``, group
        by, aggregates, order) reads NULL for anonymous complaints, so that no
        answer depends on the hidden identity. Portal users: the anonymous
        complaints of others (colleagues of the same commercial entity) read
        NULL too, so that their record rule (on the commercial partner) no
        longer lets them find those; their own stay theirs."""
        if self._can_see_anonymous_identity():
            return None
        anonymous = SQL.identifier(alias, "is_anonymous")
        if not self.env.user.share:
            return anonymous
        return SQL(
            "(%s AND %s IS DISTINCT FROM %s)",
            anonymous,
            SQL.identifier(alias, "partner_id"),
            self.env.user.partner_id.id,
        )

    @api.model
    def _portal_own_domain(self):
        """The current portal user's complaints: those of their commercial
        entity but the anonymous complaints of others. It is what a search on
        the masked ``commercial_partner_id`` gives them, written so that
        PostgreSQL can read it from the customer index (a masked column is a
        CASE expression no index serves)."""
        entity = self.env.user.partner_id.commercial_partner_id.id

        def to_sql(model, alias, query):
            hidden = model._anonymous_identity_hidden_sql(alias)
            return SQL(
                "(%s = %s AND NOT COALESCE(%s, FALSE))",
                SQL.identifier(alias, "commercial_partner_id"),
                entity,
                hidden if hidden is not None else SQL("FALSE"),
            )

        return Domain.custom(to_sql=to_sql)

    def _fetch_query(self, query, fields):
        return fetch_unmasked(super()._fetch_query, query, fields)

    def _field_to_sql(self, alias, field_expr, query=None):
        sql = super()._field_to_sql(alias, field_expr, query)
        if field_expr.split(".", 1)[0] in HIDDEN_FIELDS and masking_sql():
            hidden = self._anonymous_identity_hidden_sql(alias)
            if hidden is not None:
                sql = SQL("(CASE WHEN %s THEN NULL ELSE %s END)", hidden, sql)
        return sql

    def export_data(self, fields_to_export):
        """Exports hide an anonymous complainant as reading does."""
        masked = [
            index
            for index, path in enumerate(fields_to_export)
            if path.replace(".", "/").split("/", 1)[0] in HIDDEN_FIELDS
        ]
        anonymous = self.sudo().filtered("is_anonymous")
        if not (masked and anonymous) or self._can_see_anonymous_identity():
            return super().export_data(fields_to_export)
        rows = []
        # consecutive runs of anonymous / named complaints, in the given order
        run = self.browse()
        for complaint in self:
            if run and (complaint in anonymous) != (run[0] in anonymous):
                rows += self._export_data_run(run, fields_to_export, masked, anonymous)
                run = self.browse()
            run |= complaint
        if run:
            rows += self._export_data_run(run, fields_to_export, masked, anonymous)
        return {"datas": rows}

    def _export_data_run(self, run, fields_to_export, masked, anonymous):
        rows = super(ComplaintAnonymity, run).export_data(fields_to_export)["datas"]
        if run[0] in anonymous:
            for row in rows:
                for index in masked:
                    row[index] = False
        return rows

    def _mail_track(self, tracked_fields, initial_values):
        """No tracking value records an anonymous complainant's identity."""
        if self.is_anonymous or initial_values.get("is_anonymous"):
            tracked_fields = {
                fname: info
                for fname, info in tracked_fields.items()
                if fname not in UNTRACKED_FIELDS
            }
        return super()._mail_track(tracked_fields, initial_values)

    def _track_filter_for_display(self, tracking_values):
        """Identity changes tracked before the complaint became anonymous are
        shown to managers only."""
        tracking_values = super()._track_filter_for_display(tracking_values)
        if self.is_anonymous and not self.env.user.has_group(
            "complaint_management.group_complaint_manager"
        ):
            tracking_values = tracking_values.filtered(
                lambda t: t.field_id.name not in UNTRACKED_FIELDS
            )
        return tracking_values

    def _rating_get_partner(self):
        """The rating of an anonymous complaint names nobody."""
        if self.is_anonymous:
            return self.env["res.partner"]
        return super()._rating_get_partner()

    def _message_get_suggested_recipients(self, *args, **kwargs):
        if any(self.mapped("is_anonymous")) and not self._can_see_anonymous_identity():
            return []
        return super()._message_get_suggested_recipients(*args, **kwargs)

    def _message_compute_author(self, author_id=None, email_from=None):
        """Messages the anonymous complainant writes (portal chatter, e-mail
        reply, the tracking of an appeal made on the portal) are stored
        without their name: authored by nobody, from the company's complaints
        address. Used by message_post and by the tracking log alike."""
        author_id, email_from = super()._message_compute_author(author_id, email_from)
        complainants = self.sudo().filtered("is_anonymous").partner_id
        if not complainants:
            return author_id, email_from
        emails = tools.email_normalize_all(email_from or "")
        if author_id in complainants.ids or (
            not author_id and set(emails) & set(complainants.mapped("email_normalized"))
        ):
            company_email = self.sudo().company_id[:1].email
            name = self.env._("Anonymous complainant")
            return False, formataddr((name, company_email)) if company_email else name
        return author_id, email_from
