import io
import logging
import re
import unicodedata
from collections import OrderedDict, defaultdict

import lxml.html

from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.complaint_management.models.letter_flags import CTX_LETTER_BATCH

from .pdf_split import split_pages

_logger = logging.getLogger(__name__)

# Documents addressed to one complainant each: printed in the complainant's
# language (text, direction, right-to-left stylesheets), whoever prints them.
COMPLAINANT_REPORTS = {
    "complaint_management_reports.report_complaint_acknowledgement",
    "complaint_management_reports.report_complaint_decision",
    "complaint_management_reports.report_complaint_holding",
    "complaint_management_reports.report_complaint_summary_resolution",
    "complaint_management_reports.report_complaint_record",
}
# The letters among them: printed with the light stylesheets of
# ``letter_minimal_layout`` (the record, several pages of tables, keeps
# Odoo's).
LETTER_REPORTS = COMPLAINANT_REPORTS - {
    "complaint_management_reports.report_complaint_record",
}


# Page numbers of the footer, counted over the whole document by wkhtmltopdf.
PAGE_NUMBER_RE = re.compile(r'<span class="(?:page|topage)"></span>')

# Right-to-left letters (Hebrew, Arabic, Persian and their presentation forms).
RTL_LETTER_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# The class of the right-to-left words put in elements of their own
# (static/src/scss/complaint_report.scss: no word-wrap: break-word).
RTL_WORD_CLASS = "o_complaint_rtl_word"
# Subtrees whose text is not HTML flow text.
NOT_FLOW_TEXT = {"script", "style", "svg", "math", "textarea", "title"}


def _bidi_tokens(text):
    """``text`` cut into white space, runs of right-to-left letters (with
    their marks and joiners) and runs of anything else: [(kind, run)]."""
    tokens = []
    for char in text:
        if char.isspace():
            kind = "space"
        elif unicodedata.bidirectional(char) in ("R", "AL"):
            kind = "rtl"
        elif (
            tokens
            and tokens[-1][0] == "rtl"
            and (unicodedata.bidirectional(char) == "NSM" or char in "\u200c\u200d")
        ):
            kind = "rtl"
        else:
            kind = "other"
        if tokens and tokens[-1][0] == kind:
            tokens[-1][1].append(char)
        else:
            tokens.append((kind, [char]))
    return [(kind, "".join(chars)) for kind, chars in tokens]


def _text_as_spans(text):
    """The leading white space of ``text`` and one <span> per word or
    direction run, each followed by the white space after it. The
    right-to-left words are marked (``RTL_WORD_CLASS``): they are never
    broken inside, and sparing WebKit's ``word-wrap: break-word`` on them
    halves the time wkhtmltopdf takes for a Persian letter."""
    lead, spans = "", []
    for kind, run in _bidi_tokens(text):
        if kind == "space":
            if spans:
                spans[-1].tail = (spans[-1].tail or "") + run
            else:
                lead += run
        else:
            span = lxml.html.Element("span")
            span.text = run
            if kind == "rtl":
                span.set("class", RTL_WORD_CLASS)
            spans.append(span)
    return lead, spans


def isolate_rtl_runs(html):
    """Every word and every run of one direction of a text with
    right-to-left letters in an element of its own.

    The WebKit of a wkhtmltopdf built on an unpatched Qt (Debian's) neither
    breaks lines inside Arabic-script text (a paragraph stays one line and
    leaves the page) nor places the runs of a text node that mixes
    directions ("شما." or "شکایت CMP/2026/00001"): the right-to-left run is
    drawn past the end of its line, off the right edge of the page. Both
    are right when each word and each run is an element of its own: lines
    then break between the elements, and no text node mixes directions."""
    if not RTL_LETTER_RE.search(html):
        return html
    document = lxml.html.document_fromstring(html)
    body = document.find("body")
    if body is None:
        return html
    skipped = set()
    nodes = []
    for node in body.iter():
        if not isinstance(node.tag, str):
            continue
        parent = node.getparent()
        if node.tag in NOT_FLOW_TEXT or parent in skipped:
            skipped.add(node)
        nodes.append(node)
    for node in nodes:
        if node not in skipped and node.text and RTL_LETTER_RE.search(node.text):
            node.text, spans = _text_as_spans(node.text)
            for index, span in enumerate(spans):
                node.insert(index, span)
        parent = node.getparent()
        if (
            parent is not None
            and parent not in skipped
            and node.tail
            and RTL_LETTER_RE.search(node.tail)
        ):
            node.tail, spans = _text_as_spans(node.tail)
            position = parent.index(node)
            for offset, span in enumerate(spans, start=1):
                parent.insert(position + offset, span)
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_layout(self):
        """The letters are printed in ``letter_minimal_layout``: Odoo's page
        with lighter stylesheets (``report_assets_letter``), which
        wkhtmltopdf parses in a fraction of the time."""
        if len(self) == 1 and self.report_name in LETTER_REPORTS:
            layout = self.env.ref(
                "complaint_management_reports.letter_minimal_layout",
                raise_if_not_found=False,
            )
            if layout:
                return layout
        return super()._get_layout()

    def _prepare_html(self, html, report_model=False):
        """For a wkhtmltopdf built on an unpatched Qt: right-to-left text of
        our reports in elements of their own (:func:`isolate_rtl_runs`); a
        batch of one-page letters as one document (context key
        ``complaint_letter_batch``), as such a wkhtmltopdf takes one document
        per run: the letters follow each other, each on its own page, and
        Odoo splits the PDF page by page (it falls back to one run per letter
        when a letter takes more than a page)."""
        result = super()._prepare_html(html, report_model=report_model)
        if not result or "(with patched qt)" in (_wkhtml().version or ""):
            return result
        if (self.report_name or "").startswith("complaint_management_reports."):
            result = [[isolate_rtl_runs(body) for body in result[0]], *result[1:]]
        if not self.env.context.get(CTX_LETTER_BATCH) or len(result[0]) < 2:
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

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """A batch of letters (context key ``complaint_letter_batch``), one
        page each, is split by :func:`split_pages` (the bytes of each page's
        objects copied) instead of a PyPDF2 writer per page, which costs
        about 2 ms a letter. The rest as Odoo: the HTML, one wkhtmltopdf run;
        a run that cannot be split so leaves the letters without a stream
        (each is then rendered alone by its mail)."""
        report = self._get_report(report_ref)
        if (
            not self.env.context.get(CTX_LETTER_BATCH)
            or report.report_name not in LETTER_REPORTS
            or report.attachment
            or not res_ids
            or isinstance(res_ids, int)
            or len(res_ids) < 2
            or len(set(res_ids)) != len(res_ids)
            or self.get_wkhtmltopdf_state() == "install"
        ):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        data = dict(data or {})
        data.setdefault("report_type", "pdf")
        data.setdefault("debug", False)
        html = self.with_context(debug=False)._render_qweb_html(
            report_ref, res_ids, data=data
        )[0]
        bodies, html_ids, header, footer, paperformat_args = report.with_context(
            debug=False
        )._prepare_html(html, report_model=report.model)
        pdf = self._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=self.env.context.get("landscape"),
            specific_paperformat_args=paperformat_args,
            set_viewport_size=self.env.context.get("set_viewport_size"),
        )
        pages = split_pages(pdf)
        # each page to the record its HTML body was rendered for (in the
        # order of the bodies): never a letter to another complainant
        if (
            pages
            and html_ids
            and len(pages) == len(html_ids) == len(res_ids)
            and set(html_ids) == set(res_ids)
        ):
            return OrderedDict(
                (res_id, {"stream": io.BytesIO(page), "attachment": None})
                for res_id, page in zip(html_ids, pages, strict=True)
            )
        _logger.info("%s: %s letters not split by page", report.name, len(res_ids))
        streams = OrderedDict(
            (res_id, {"stream": None, "attachment": None}) for res_id in res_ids
        )
        streams[False] = {"stream": io.BytesIO(pdf), "attachment": None}
        return streams

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
