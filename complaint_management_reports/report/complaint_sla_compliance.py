from odoo import api, models
from odoo.tools import SQL

from odoo.addons.complaint_management.models.complaint_sla_status import SLA_ONGOING


class ReportComplaintSlaCompliance(models.AbstractModel):
    """SLA compliance for a period: targets met and failed, mean and worst
    overrun, per team, per category and per SLA rule."""

    _name = "report.complaint_management_reports.report_sla_compliance"
    _inherit = "report.complaint_management_reports.report_management_review"
    _description = "Complaints SLA compliance report"

    @api.model
    def _figures(self, wizards):
        return {
            "compliance": {wizard.id: self._compliance(wizard) for wizard in wizards}
        }

    @api.model
    def _compliance(self, wizard):
        """{dimension: [line]} with one SQL query per dimension."""
        query = self.env["complaint.complaint"]._search(wizard._complaint_domain())
        dimensions = {
            "team": ("c.team_id", "helpdesk.ticket.team"),
            "category": ("c.category_id", "complaint.category"),
            "rule": ("s.sla_id", "complaint.sla"),
        }
        result = {}
        for key, (column, model) in dimensions.items():
            self.env.cr.execute(
                SQL(
                    """
                    SELECT %(column)s AS key,
                           COUNT(*) FILTER (WHERE s.status = 'reached') AS met,
                           COUNT(*) FILTER (WHERE s.status = 'failed') AS failed,
                           COUNT(*) FILTER (WHERE s.status = %(ongoing)s) AS ongoing,
                           AVG(s.exceeded_hours) FILTER (WHERE s.exceeded_hours > 0)
                               AS mean_overrun,
                           MAX(s.exceeded_hours) AS worst_overrun
                      FROM complaint_sla_status s
                      JOIN complaint_complaint c ON c.id = s.complaint_id
                     WHERE c.id IN %(ids)s
                  GROUP BY %(column)s
                    """,
                    column=SQL(column),
                    ongoing=SLA_ONGOING,
                    ids=query.subselect(),
                )
            )
            rows = self.env.cr.dictfetchall()
            records = self.env[model].browse([r["key"] for r in rows if r["key"]])
            names = {record.id: record.display_name for record in records.sudo()}
            lines = []
            for row in rows:
                done = row["met"] + row["failed"]
                lines.append(
                    dict(
                        row,
                        label=names.get(row["key"]) or self.env._("Not set"),
                        compliance=100.0 * row["met"] / done if done else None,
                    )
                )
            result[key] = sorted(lines, key=lambda line: str(line["label"]))
        return result
