"""What a complainant reads of a complaint's dates: their time zone and
language (else the company's), and the one format every letter, mail and
portal page prints (``customer_date.format_customer_date``)."""

from odoo import api, fields, models

from .customer_date import format_customer_date


class ComplaintCustomerDate(models.AbstractModel):
    _name = "complaint.customer.date"
    _description = "Complaint dates as the complainant reads them"

    customer_tz = fields.Char(
        string="Complainant's Time Zone",
        compute="_compute_customer_tz",
        compute_sudo=True,
        help="The time zone of the dates the complainant reads: theirs, else "
        "the company's (its partner's, else its working hours').",
    )

    # Computed for every complaint of a page or batch at once (the ORM computes
    # a field for the records prefetched together): a portal list of 80 rows
    # reads the time zones in one go instead of 80 times.
    @api.depends(
        "partner_id.tz",
        "company_id.partner_id.tz",
        "company_id.resource_calendar_id.tz",
    )
    def _compute_customer_tz(self):
        for complaint in self:
            company = complaint.company_id or self.env.company
            complaint.customer_tz = (
                complaint.partner_id.tz
                or company.partner_id.tz
                or company.resource_calendar_id.tz
                or "UTC"
            )

    def _customer_tz(self):
        """The complainant's time zone, else the company's (its partner's,
        else its working hours')."""
        self.ensure_one()
        return self.customer_tz

    def _customer_lang(self):
        """The complainant's language, else the company's."""
        self.ensure_one()
        complaint = self.sudo()
        return (
            complaint.partner_id.lang
            or complaint.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    def _customer_datetime(self, value, date_only=False, tz=None):
        """``value`` as every customer-facing document prints it: in the
        complainant's time zone (or ``tz``) with the zone named, no seconds,
        in the language the document is rendered in (letters and mails
        render in the complainant's, the portal in the page's), Solar Hijri
        with Persian digits for Persian."""
        self.ensure_one()
        return format_customer_date(
            self.env,
            value,
            tz or self._customer_tz(),
            self.env.lang or self._customer_lang(),
            date_only=date_only,
        )
