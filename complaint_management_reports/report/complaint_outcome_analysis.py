from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.complaint_management.models.insight_statistics import (
    benjamini_hochberg,
    two_proportion_test,
)

# Rates compared between groups. Each row holds 100 or 0 for the complaints
# the rate applies to and NULL for the others, so that the average of a group
# is its percentage.
OUTCOME_RATES = (
    "upheld_rate",
    "within_deadline_rate",
    "repeat_rate",
    "referral_rate",
    "overturn_rate",
)
OUTCOME_DIMENSIONS = ("customer_group", "channel_id", "category_id", "language")
SIGNIFICANCE = 0.05


def _percent(condition, applies):
    return SQL(
        "CASE WHEN %s THEN (CASE WHEN %s THEN 100.0 ELSE 0.0 END) END",
        applies,
        condition,
    )


class ComplaintOutcomeAnalysis(models.Model):
    """Outcomes by customer group (Consumer Duty): one row per complaint
    with its outcome measures, compared between vulnerable and other
    customers, channels, categories and languages. Anonymised complaints
    keep counting (their language is then unknown and a repeat complaint
    can no longer be linked to them)."""

    _name = "complaint.outcome.analysis"
    _description = "Complaints Outcomes by Customer Group"
    _auto = False
    _order = "date_received desc"
    _rec_name = "reference"

    nbr = fields.Integer("# Complaints", readonly=True, aggregator="sum")
    complaint_id = fields.Many2one("complaint.complaint", readonly=True)
    reference = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", "Handler", readonly=True)
    category_id = fields.Many2one("complaint.category", readonly=True)
    channel_id = fields.Many2one("complaint.channel", readonly=True)
    customer_group = fields.Selection(
        [("vulnerable", "Vulnerable customers"), ("other", "Other customers")],
        readonly=True,
        groups="complaint_management.group_complaint_user",
    )
    language = fields.Char(readonly=True, help="The complainant's language.")
    date_received = fields.Datetime("Received on", readonly=True)
    date_decided = fields.Datetime("Final response on", readonly=True)
    upheld_rate = fields.Float(
        "Upheld %", readonly=True, aggregator="avg", digits=(16, 1)
    )
    days_to_final_response = fields.Float(
        "Days to final response", readonly=True, aggregator="avg", digits=(16, 1)
    )
    within_deadline_rate = fields.Float(
        "Within legal deadline %", readonly=True, aggregator="avg", digits=(16, 1)
    )
    redress_amount = fields.Float(
        "Redress (company currency)", readonly=True, aggregator="sum"
    )
    repeat_rate = fields.Float(
        "Repeat within 12 months %", readonly=True, aggregator="avg", digits=(16, 1)
    )
    referral_rate = fields.Float(
        "Referred to ombudsman %", readonly=True, aggregator="avg", digits=(16, 1)
    )
    overturn_rate = fields.Float(
        "Ombudsman overturn %", readonly=True, aggregator="avg", digits=(16, 1)
    )

    def _select(self):
        decided = SQL("c.date_decided IS NOT NULL")
        referred = SQL("c.external_referral_date IS NOT NULL")
        return SQL(
            """
                c.id AS id,
                1 AS nbr,
                c.id AS complaint_id,
                c.reference,
                c.company_id,
                c.team_id,
                c.user_id,
                c.category_id,
                c.channel_id,
                CASE WHEN c.is_vulnerable THEN 'vulnerable' ELSE 'other' END
                    AS customer_group,
                COALESCE(p.lang, 'unknown') AS language,
                c.date_received,
                c.date_decided,
                %(upheld)s AS upheld_rate,
                CASE WHEN %(decided)s THEN EXTRACT(EPOCH FROM
                    (c.date_decided - c.date_received)) / 86400.0 END
                    AS days_to_final_response,
                %(within)s AS within_deadline_rate,
                COALESCE(c.redress_amount_company, 0) AS redress_amount,
                %(repeat)s AS repeat_rate,
                %(referral)s AS referral_rate,
                %(overturn)s AS overturn_rate
            """,
            upheld=_percent(
                SQL("c.decision IN ('upheld', 'partially_upheld')"),
                SQL("c.decision IS NOT NULL"),
            ),
            decided=decided,
            within=_percent(
                SQL("c.date_decided <= c.regulatory_deadline"),
                SQL("%s AND c.regulatory_deadline IS NOT NULL", decided),
            ),
            repeat=_percent(
                SQL(
                    """EXISTS (
                        SELECT 1 FROM complaint_complaint o
                        WHERE o.commercial_partner_id = c.commercial_partner_id
                          AND o.id != c.id AND o.active IS TRUE
                          AND o.date_received > c.date_received
                          AND o.date_received
                              <= c.date_received + interval '12 months')"""
                ),
                SQL("TRUE"),
            ),
            referral=_percent(referred, decided),
            overturn=_percent(
                SQL("c.external_referral_decision = 'upheld'"),
                SQL("c.external_referral_decision IS NOT NULL"),
            ),
        )

    def _from(self):
        return SQL(
            "complaint_complaint c LEFT JOIN res_partner p ON p.id = c.partner_id"
        )

    def _where(self):
        return SQL("c.active")

    @api.private
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT %s FROM %s WHERE %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._where(),
            )
        )

    @api.model
    def _compare_groups(self, dimension, domain):
        """Each group of ``dimension`` against all the others, over the rows
        of ``domain`` the user may read: count, the rates of OUTCOME_RATES,
        mean days to final response and redress; a rate is flagged when the
        two-proportion z-test of the group against the rest is significant
        after the Benjamini-Hochberg correction over the table (5 %)."""
        rates = list(OUTCOME_RATES)
        aggregates = ["__count", "days_to_final_response:avg", "redress_amount:sum"]
        for fname in rates:
            aggregates += [f"{fname}:count", f"{fname}:avg"]
        groups = self._read_group(domain, [dimension], aggregates)
        rows = []
        for group, count, days, redress, *values in groups:
            row = {
                "key": group,
                "label": self._group_label(dimension, group),
                "count": count,
                "days": days,
                "redress": redress,
                "rates": {},
            }
            for index, fname in enumerate(rates):
                applies, percent = values[2 * index], values[2 * index + 1]
                row["rates"][fname] = {
                    "n": applies,
                    "hits": round((percent or 0.0) * applies / 100.0),
                    "percent": percent if applies else None,
                    "significant": False,
                }
            rows.append(row)
        tests = []
        for fname in rates:
            total_n = sum(row["rates"][fname]["n"] for row in rows)
            total_hits = sum(row["rates"][fname]["hits"] for row in rows)
            for row in rows:
                rate = row["rates"][fname]
                p_value = two_proportion_test(
                    rate["hits"],
                    rate["n"],
                    total_hits - rate["hits"],
                    total_n - rate["n"],
                )
                if p_value is not None:
                    tests.append((rate, p_value))
        q_values = benjamini_hochberg([p for _rate, p in tests])
        for (rate, p_value), q_value in zip(tests, q_values, strict=True):
            rate["p_value"] = p_value
            rate["significant"] = q_value <= SIGNIFICANCE
        return rows

    @api.model
    def _rate_labels(self):
        return {
            "upheld_rate": self.env._("Upheld (fully or partly)"),
            "within_deadline_rate": self.env._(
                "Final response within the legal deadline"
            ),
            "repeat_rate": self.env._("Complained again within 12 months"),
            "referral_rate": self.env._("Referred to the ombudsman"),
            "overturn_rate": self.env._("Upheld by the ombudsman (overturned)"),
        }

    @api.model
    def _group_label(self, dimension, group):
        field = self._fields[dimension]
        if field.type == "many2one":
            return group.display_name if group else self.env._("None")
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(group, group)
        if dimension == "language":
            if group == "unknown":
                return self.env._("Unknown")
            return (
                self.env["res.lang"]._lang_get(group).name
                if self.env["res.lang"]._lang_get(group)
                else group
            )
        return group
