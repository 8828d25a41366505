import re
from collections import OrderedDict, defaultdict

import lxml.html

from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml

# Documents addressed to one complainant each: printed in the complainant's
# language (text, direction, right-to-left stylesheets), whoever prints them.
COMPLAINANT_REPORTS = {
    "complaint_management_reports.report_complaint_acknowledgement",
    "complaint_management_reports.report_complaint_decision",
    "complaint_management_reports.report_complaint_record",
}


# Page numbers of the footer, counted over the whole document by wkhtmltopdf.
PAGE_NUMBER_RE = re.compile(r'<span class="(?:page|topage)"></span>')


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        """A batch of one-page letters as one document (context key
        ``complaint_letter_batch``), for a wkhtmltopdf built on an unpatched
        Qt, which takes one document per run: the letters follow each other,
        each on its own page, and Odoo splits the PDF page by page (it falls
        back to one run per letter when a letter takes more than a page)."""
        result = super()._prepare_html(html, report_model=report_model)
        if (
            not self.env.context.get("complaint_letter_batch")
            or not result
            or len(result[0]) < 2
            or "(with patched qt)" in (_wkhtml().version or "")
        ):
            return result
        bodies, res_ids, header, footer, paperformat_args = result
        document = lxml.html.fromstring(bodies[0])
        target = document.body
        for body in bodies[1:]:
            for node in lxml.html.fromstring(body).body:
                if "article" in (node.get("class") or "").split():
                    node.set(
                        "style", "page-break-before: always; " + node.get("style", "")
                    )
                target.append(node)
        merged = lxml.html.tostring(document, encoding="unicode")
        # every letter is one page: "Page 1 / 1"
        footer = PAGE_NUMBER_RE.sub("<span>1</span>", str(footer))
        return [merged], res_ids, header, footer, paperformat_args

    def _complaint_lang_groups(self, report_ref, res_ids):
        """{lang: [res ids]} for a complainant's document, else None."""
        if not res_ids or isinstance(res_ids, int):
            return None
        if len(res_ids) != len(set(res_ids)):
            return None
        report = self._get_report(report_ref)
        if report.report_name not in COMPLAINANT_REPORTS:
            return None
        groups = defaultdict(list)
        for complaint in self.env["complaint.complaint"].browse(res_ids):
            groups[complaint._report_lang()].append(complaint.id)
        return groups

    def _render_qweb_html(self, report_ref, docids, data=None):
        groups = self._complaint_lang_groups(report_ref, docids)
        if groups and len(groups) == 1:
            self = self.with_context(lang=next(iter(groups)))
        return super()._render_qweb_html(report_ref, docids, data=data)

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """One wkhtmltopdf run per language: the page, its header and footer
        and the stylesheets (right to left or not) follow the complainant's
        language; Odoo splits each run into one PDF per complaint."""
        groups = self._complaint_lang_groups(report_ref, res_ids)
        if not groups:
            return super()._pre_render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        parent = super()
        if len(groups) == 1:
            lang = next(iter(groups))
            return super(
                IrActionsReport, self.with_context(lang=lang)
            )._pre_render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        streams = {}
        for lang, ids in groups.items():
            localized = super(IrActionsReport, self.with_context(lang=lang))
            content, fmt = localized._pre_render_qweb_pdf(
                report_ref, res_ids=ids, data=dict(data or {})
            )
            if fmt != "pdf":
                # HTML (tests): one document, each letter in its language
                return parent._pre_render_qweb_pdf(
                    report_ref, res_ids=res_ids, data=data
                )
            for res_id in ids:
                if not (content.get(res_id) or {}).get("stream"):
                    # the run could not be split: this one alone
                    content.update(
                        localized._pre_render_qweb_pdf(
                            report_ref, res_ids=[res_id], data=dict(data or {})
                        )[0]
                    )
                streams[res_id] = content[res_id]
        return OrderedDict((res_id, streams[res_id]) for res_id in res_ids), "pdf"
