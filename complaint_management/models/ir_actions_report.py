from odoo import api, models

from .letter_flags import CTX_LETTER_BATCH, CTX_LETTER_WITHOUT_SCRIPTS, PDF_CACHE_KEY

# After loading a page, wkhtmltopdf waits ``report.print_delay`` (1 s by
# default) for its scripts. The letters of a batch have none: the wait is
# dead time of every run (the pages come out the same without it). This
# system parameter sets it for them, in milliseconds.
LETTER_PRINT_DELAY_PARAM = "complaint_management.letter_print_delay"
LETTER_PRINT_DELAY = "100"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """A letter of the batch being sent was rendered with the others
        (``complaint.letters.mixin._prerender_letters``): take it from there."""
        cache = self.env.cr.cache.get(PDF_CACHE_KEY)
        if cache and not data:
            ids = [res_ids] if isinstance(res_ids, int) else res_ids or []
            if len(ids) == 1:
                report = self._get_report(report_ref)
                content = cache.pop((report.id, ids[0]), None)
                if content is not None:
                    return content, "pdf"
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    @api.model
    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        if self.env.context.get(CTX_LETTER_BATCH) and not any(
            "<script" in body for body in bodies
        ):
            self = self.with_context(**{CTX_LETTER_WITHOUT_SCRIPTS: True})
        return super()._run_wkhtmltopdf(bodies, *args, **kwargs)

    def _build_wkhtmltopdf_args(self, *args, **kwargs):
        command_args = super()._build_wkhtmltopdf_args(*args, **kwargs)
        if (
            self.env.context.get(CTX_LETTER_WITHOUT_SCRIPTS)
            and "--javascript-delay" in command_args
        ):
            delay = (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(LETTER_PRINT_DELAY_PARAM, LETTER_PRINT_DELAY)
            )
            command_args[command_args.index("--javascript-delay") + 1] = delay
        return command_args
