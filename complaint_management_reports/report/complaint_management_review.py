from odoo import api, models


class ReportComplaintManagementReview(models.AbstractModel):
    """Management review of the complaints-handling process (ISO 10002 §8.6).

    Printed from ``complaint.management.review.wizard``, as is the SLA
    compliance report, which inherits this one for its own figures."""

    _name = "report.complaint_management_reports.report_management_review"
    _description = "Complaints management review report"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["complaint.management.review.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": wizards._name,
            "docs": wizards,
            **self._figures(wizards),
        }

    @api.model
    def _figures(self, wizards):
        """The report's figures for these wizards: {template variable: value}."""
        return {"reviews": {wizard.id: wizard._get_review_data() for wizard in wizards}}
