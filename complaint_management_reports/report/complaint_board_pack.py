from odoo import api, models


class ReportComplaintBoardPack(models.AbstractModel):
    """The board pack (Consumer Duty, ISO 10002 §8.6-8.7): printed from
    ``complaint.management.review.wizard`` for its period and company, in
    the printing user's language."""

    _name = "report.complaint_management_reports.report_board_pack"
    _description = "Complaints board pack report"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["complaint.management.review.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": wizards._name,
            "docs": wizards,
            "packs": {wizard.id: wizard._get_board_pack_data() for wizard in wizards},
        }
