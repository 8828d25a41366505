import re

from odoo.tests import HttpCase

from .common import ComplaintCase

# The token of a form, or the one every page gives its scripts.
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"|csrf_token: "([^"]+)"')
# Smallest files whose content matches their extension.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class ComplaintHttpCase(ComplaintCase, HttpCase):
    """ComplaintCase's users and data, served over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "complaint_public_form": True,
                "complaint_allow_anonymous": False,
                "complaint_max_upload_mb": 1,
            }
        )
        cls.Complaint = cls.env["complaint.complaint"]
        cls.channel_portal = cls.env.ref(
            "complaint_management.complaint_channel_portal"
        )
        cls.channel_web = cls.env.ref("complaint_management.complaint_channel_web")

    @classmethod
    def _advance_to(cls, complaint, step):
        # Html fields tracked by the core (findings, proposed_resolution) cannot
        # be tracked when the HTTP test flushes: advance without tracking.
        return super()._advance_to(complaint.with_context(tracking_disable=True), step)

    def _count(self):
        self.env.invalidate_all()
        return self.Complaint.with_context(active_test=False).search_count([])

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        match = CSRF_RE.search(response.text)
        self.assertTrue(match, f"no csrf_token on {url}")
        return match.group(1) or match.group(2)

    def _post(self, url, data, files=None, form_url=None):
        """POST ``data`` with the CSRF token read from ``form_url`` (or url)."""
        data = dict(data, csrf_token=self._csrf(form_url or url))
        return self.url_open(url, data=data, files=files, allow_redirects=False)
