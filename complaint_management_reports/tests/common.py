import os
import re
import subprocess
import tempfile
import unicodedata
from datetime import datetime

import jdatetime
import pytz

from odoo.tests import HttpCase, tagged

from odoo.addons.complaint_management.tests.common import ComplaintCase

PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def normalize(text):
    """NFKC (Arabic presentation forms to letters), no zero-width
    non-joiner, Persian digits as ASCII, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).replace("\u200c", " ")
    return re.sub(r"\s+", " ", text.translate(PERSIAN_DIGITS))


def _run_pdftotext(pdf, *options):
    """What poppler's pdftotext prints for ``pdf`` with ``options``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(pdf)
        path = handle.name
    try:
        return subprocess.run(
            ["pdftotext", *options, path, "-"], check=True, capture_output=True
        ).stdout.decode()
    finally:
        os.unlink(path)


def pdftotext(pdf):
    """Text of a PDF with poppler's pdftotext (right-to-left text in reading
    order), as it prints it."""
    return _run_pdftotext(pdf, "-enc", "UTF-8")


def pdf_words(pdf):
    """(page width, page height, [(x min, y min, x max, y max, text)]) of
    the first page, in points, with poppler's ``pdftotext -bbox``."""
    xhtml = _run_pdftotext(pdf, "-bbox", "-f", "1", "-l", "1")
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', xhtml)
    words = [
        (float(x0), float(y0), float(x1), float(y1), text)
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
            r'yMax="([\d.]+)">([^<]*)</word>',
            xhtml,
        )
    ]
    return float(page.group(1)), float(page.group(2)), words


def pdftotext_area(pdf, x, y, width, height):
    """Text of a rectangle of the first page (points), as pdftotext reads it."""
    return _run_pdftotext(
        pdf,
        *("-enc", "UTF-8", "-f", "1", "-l", "1"),
        *("-x", str(int(x)), "-y", str(int(y))),
        *("-W", str(int(width) + 1), "-H", str(int(height) + 1)),
    )


def pdf_to_text(pdf):
    """Text of a PDF, normalized."""
    return normalize(pdftotext(pdf))


@tagged("post_install", "-at_install")
class ReportCase(ComplaintCase, HttpCase):
    """Complaints in several steps, rendered by wkhtmltopdf against the
    running test server (which serves the report assets)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(
            ["complaint_management", "complaint_management_reports"], ["fa_IR"]
        )
        cls.env.user.tz = "UTC"
        cls.customer_en = cls.env["res.partner"].create(
            {"name": "Zoe Lindqvist", "email": "zoe@example.com", "lang": "en_US"}
        )
        cls.customer_fa = cls.env["res.partner"].create(
            {
                "name": "Dariush Farahani",
                "email": "dariush@example.com",
                "lang": "fa_IR",
                "tz": "Asia/Tehran",
            }
        )

    def flush_tracking(self):
        """Tracking values are written at pre-commit: run it as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def render_pdf(self, xmlid, records):
        """Render a real PDF (Odoo renders HTML in tests unless forced)."""
        content, fmt = (
            records.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(xmlid, records.ids)
        )
        self.assertEqual(fmt, "pdf")
        self.assertTrue(
            content.startswith(b"%PDF"), "wkhtmltopdf did not produce a PDF"
        )
        return content

    def render_html(self, xmlid, records):
        html, _fmt = records.env["ir.actions.report"]._render_qweb_html(
            xmlid, records.ids
        )
        return html.decode()

    @staticmethod
    def date_strings(complaint, fname, lang=None, tz=None):
        """The date of ``fname`` as the report prints it: in the
        complainant's time zone (or ``tz``) and the date format of their
        language (or ``lang``), Solar Hijri for Persian, ASCII digits (as
        :func:`normalize` leaves them)."""
        value = complaint[fname]
        lang = lang or complaint._report_lang()
        date_format = complaint.env["res.lang"]._get_data(code=lang).date_format
        if isinstance(value, datetime):
            zone = pytz.timezone(tz or complaint._customer_tz())
            value = pytz.utc.localize(value).astimezone(zone).date()
        if lang.startswith("fa"):
            return jdatetime.date.fromgregorian(date=value).strftime(date_format)
        return value.strftime(date_format)
