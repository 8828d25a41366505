from odoo import api, models


class ReportComplaintBoardPack(models.AbstractModel):
    """The board pack (Consumer Duty, ISO 10002 §8.6-8.7): printed from
    ``complaint.management.review.wizard`` for its period and company, in
    the printing user's language."""

    _name = "report.complaint_management_reports.report_board_pack"
    _inherit = "report.complaint_management_reports.report_management_review"
    _description = "Complaints board pack report"

    @api.model
    def _figures(self, wizards):
        return {
            "packs": {wizard.id: wizard._get_board_pack_data() for wizard in wizards}
        }
