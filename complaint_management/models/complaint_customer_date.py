"""What a complainant reads of a complaint's dates: their time zone and
language (else the company's), and the one format every letter, mail and
portal page prints (``customer_date.format_customer_date``)."""

from odoo import models

from .customer_date import format_customer_date


class ComplaintCustomerDate(models.AbstractModel):
    _name = "complaint.customer.date"
    _description = "Complaint dates as the complainant reads them"

    def _customer_tz(self):
        """The complainant's time zone, else the company's (its partner's,
        else its working hours')."""
        self.ensure_one()
        complaint = self.sudo()
        company = complaint.company_id or self.env.company
        return (
            complaint.partner_id.tz
            or company.partner_id.tz
            or company.resource_calendar_id.tz
            or "UTC"
        )

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
