"""Browser tests of the portal in headless Chromium: the customer's journey
as a tour, and an axe-core accessibility check of both complaint forms in
English and Persian (right to left)."""

import json
import os
import unittest
from unittest.mock import patch

from odoo.tests import tagged

from .portal_common import ComplaintHttpCase

# axe-core comes from npm: `npm install` at the repository root (package.json).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AXE_PATH = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
AXE_CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "axe_check.js")
# Odoo mirrors stylesheets for right-to-left languages with rtlcss, when found.
NODE_BIN = os.path.join(ROOT, "node_modules", ".bin")


@tagged("post_install", "-at_install")
class TestPortalBrowser(ComplaintHttpCase):
    def test_tour_file_reply_accept_rate(self):
        Complaint = self.env["complaint.complaint"]
        # generous timeouts: asset bundles are built on first use
        self.start_tour(
            "/my/complaints/new",
            "complaint_portal_file",
            login="cm_portal_a",
            timeout=180,
        )
        complaint = Complaint.search([("name", "=", "Tour: my parcel never came")])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel_id, self.channel_portal)
        self.assertEqual(complaint.partner_id, self.portal_a.partner_id)
        self.assertEqual(complaint.category_id, self.category_x)
        reply = complaint.message_ids.filtered(
            lambda m: "delivery note from the carrier" in (m.body or "")
        )
        self.assertEqual(reply.author_id, self.portal_a.partner_id)
        self.assertEqual(reply.attachment_ids.mapped("name"), ["delivery_note.txt"])
        self.assertIn("order.txt", complaint.message_ids.attachment_ids.mapped("name"))
        # The handler decides, server side; the customer accepts and rates.
        self._advance_to(complaint, "decided")
        self.assertEqual(complaint.decision, "upheld")
        self.start_tour(
            f"/my/complaints/{complaint.id}",
            "complaint_portal_decision",
            login="cm_portal_a",
            timeout=180,
        )
        self.env.invalidate_all()
        self.assertEqual(complaint.customer_reaction, "accepted")
        rating = complaint.rating_ids.filtered("consumed")
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Quick and fair, thank you.")
        self.assertEqual(rating.partner_id, self.portal_a.partner_id)

    def _axe(self, url, login=None, lang="en-US", direction="ltr"):
        if not os.path.exists(AXE_PATH):
            raise unittest.SkipTest(
                f"axe-core is not installed ({AXE_PATH}): run npm install"
            )
        with open(AXE_PATH, encoding="utf-8") as axe_file:
            axe = axe_file.read()
        # un-indent the licence header, as the check below: quieter test logs
        header, _sep, body = axe.partition("*/")
        axe = "\n".join(line.strip() for line in header.splitlines()) + _sep + body
        with open(AXE_CHECK, encoding="utf-8") as check_file:
            check = check_file.read()
        expected = json.dumps({"lang": lang, "dir": direction})
        # no leading blanks: keeps the logged test code off the runner's output
        check = "\n".join(
            line.strip()
            for line in check.replace("__EXPECTED__", expected).splitlines()
        )
        code = axe + ";\n" + check
        self.browser_js(url, code, login=login, timeout=120)

    def test_accessibility_forms_english(self):
        self._axe("/complaints/new")
        self._axe("/my/complaints/new", login="cm_portal_a")

    def test_accessibility_forms_persian(self):
        if os.path.exists(os.path.join(NODE_BIN, "rtlcss")):
            path = f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
            self.enterContext(patch.dict(os.environ, {"PATH": path}))
        self.env["res.lang"]._activate_lang("fa_IR")
        self.company.complaint_allow_anonymous = True
        self._axe("/fa/complaints/new", lang="fa-IR", direction="rtl")
        self.portal_a.lang = "fa_IR"
        self._axe(
            "/my/complaints/new", login="cm_portal_a", lang="fa-IR", direction="rtl"
        )
