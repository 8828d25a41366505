from odoo import api, fields, models
from odoo.exceptions import UserError


class ComplaintPublicHolidaysWizard(models.TransientModel):
    """Fill a business calendar with a jurisdiction's public holidays, from
    the maintained `holidays` package, for a range of years."""

    _name = "complaint.public.holidays.wizard"
    _description = "Add public holidays to a business calendar"

    calendar_id = fields.Many2one("resource.calendar", required=True)
    country_code = fields.Char(
        required=True, help="ISO country code: GB, IE, AU, IR, US..."
    )
    subdivision = fields.Char(
        help="ENG, SCT or NIR for the UK nations; NSW, VIC... for Australia."
    )
    year_from = fields.Integer(
        required=True, default=lambda self: fields.Date.today().year
    )
    year_to = fields.Integer(
        required=True, default=lambda self: fields.Date.today().year + 1
    )
    remember = fields.Boolean(
        string="Add each new year automatically",
        default=True,
        help="The yearly job adds the next year's holidays to this calendar.",
    )

    @api.onchange("calendar_id")
    def _onchange_calendar_id(self):
        if self.calendar_id.holiday_country_code:
            self.country_code = self.calendar_id.holiday_country_code
            self.subdivision = self.calendar_id.holiday_subdivision

    def action_fill(self):
        self.ensure_one()
        if self.year_to < self.year_from or self.year_to - self.year_from > 20:
            raise UserError(self.env._("Choose at most 20 years, first year first."))
        code = self.country_code.strip().upper()
        subdivision = (self.subdivision or "").strip().upper() or None
        leaves = self.calendar_id._complaint_fill_public_holidays(
            list(range(self.year_from, self.year_to + 1)), code, subdivision
        )
        if self.remember:
            self.calendar_id.write(
                {"holiday_country_code": code, "holiday_subdivision": subdivision}
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s public holidays added to %(calendar)s.",
                    count=len(leaves),
                    calendar=self.calendar_id.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
