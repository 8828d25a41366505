"""Browser tests of the portal in headless Chromium: the customer's journey
as a tour, and an axe-core accessibility check of both complaint forms in
English and Persian (right to left)."""

import json
import os
import unittest

from odoo.tests import tagged

from .portal_common import ComplaintHttpCase

# axe-core comes from npm: `npm install` at the repository root (package.json).
AXE_PATH = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "node_modules",
    "axe-core",
    "axe.min.js",
)

AXE_CHECK = """
(async () => {
    const expected = %(expected)s;
    const options = {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    };
    const problems = [];
    async function check(label) {
        const result = await axe.run(document, options);
        for (const violation of result.violations) {
            if (["serious", "critical"].includes(violation.impact)) {
                const nodes = violation.nodes.slice(0, 5).map((node) => node.target.join(" "));
                problems.push(`${label}: ${violation.id} (${violation.impact}) ${violation.help}: ${nodes.join(", ")}`);
            }
        }
    }
    const html = document.documentElement;
    if (html.lang !== expected.lang || html.dir !== expected.dir) {
        problems.push(`html lang/dir are ${html.lang}/${html.dir}, expected ${expected.lang}/${expected.dir}`);
    }
    await check("empty form");
    // Send the empty form and check the page with its error messages.
    const form = document.querySelector("form.o_complaint_form");
    const response = await fetch(form.action, {method: "POST", body: new FormData(form)});
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    document.querySelector("main").innerHTML = page.querySelector("main").innerHTML;
    if (!document.querySelector("#complaint_error_summary li")) {
        problems.push("no error summary after sending the empty form");
    }
    if (!document.querySelector("#complaint_subject[aria-invalid=true][aria-describedby~=complaint_subject_error]")) {
        problems.push("the subject error is not bound to its input");
    }
    await check("form with errors");
    if (problems.length) {
        console.error("Accessibility problems on " + location.pathname + ":\\n" + problems.join("\\n"));
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestPortalBrowser(ComplaintHttpCase):
    def test_tour_file_reply_accept_rate(self):
        Complaint = self.env["complaint.complaint"]
        self.start_tour("/my/complaints/new", "complaint_portal_file", login="cm_portal_a")
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
        self.assertIn(
            "order.txt", complaint.message_ids.attachment_ids.mapped("name")
        )
        # The handler decides, server side; the customer accepts and rates.
        self._advance_to(complaint, "decided")
        self.assertEqual(complaint.decision, "upheld")
        self.start_tour(
            f"/my/complaints/{complaint.id}", "complaint_portal_decision", login="cm_portal_a"
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
            raise unittest.SkipTest(f"axe-core is not installed ({AXE_PATH}): run npm install")
        with open(AXE_PATH, encoding="utf-8") as axe_file:
            axe = axe_file.read()
        # (no leading blanks: keeps the logged test code off the runner's output)
        check = "\n".join(line.strip() for line in AXE_CHECK.splitlines())
        code = axe + ";\n" + check % {
            "expected": json.dumps({"lang": lang, "dir": direction})
        }
        self.browser_js(url, code, login=login, timeout=120)

    def test_accessibility_forms_english(self):
        self._axe("/complaints/new")
        self._axe("/my/complaints/new", login="cm_portal_a")

    def test_accessibility_forms_persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.company.complaint_allow_anonymous = True
        self._axe("/fa/complaints/new", lang="fa-IR", direction="rtl")
        self.portal_a.lang = "fa_IR"
        self._axe("/my/complaints/new", login="cm_portal_a", lang="fa-IR", direction="rtl")
