from odoo import models

from .complaint_letter import PDF_CACHE_KEY


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """A letter of the batch being sent was rendered with the others
        (``complaint.complaint._prerender_letters``): take it from there."""
        cache = self.env.cr.cache.get(PDF_CACHE_KEY)
        if cache and not data:
            ids = [res_ids] if isinstance(res_ids, int) else res_ids or []
            if len(ids) == 1:
                report = self._get_report(report_ref)
                content = cache.pop((report.id, ids[0]), None)
                if content is not None:
                    return content, "pdf"
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
