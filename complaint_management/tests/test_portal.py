import json
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.complaint_management.controllers.portal import ComplaintPortal

from .portal_common import PDF_BYTES, ComplaintHttpCase


@tagged("post_install", "-at_install")
class TestPortal(ComplaintHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint_a = cls._create_complaint(name="Alice lost parcel")
        cls.complaint_a2 = cls._create_complaint(name="Alice wrong invoice")
        cls.complaint_b = cls._create_complaint(
            name="Bob damaged table", partner_id=cls.portal_b.partner_id.id
        )
        cls.complaint_a._portal_ensure_token()

    def _detail(self, complaint, token=None, **kw):
        url = f"/my/complaints/{complaint.id}"
        if token:
            url += f"?access_token={token}"
        return self.url_open(url, allow_redirects=False, **kw)

    # ------------------------------------------------------------------
    # /my and /my/complaints
    # ------------------------------------------------------------------
    def test_home_counter(self):
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(
            "/my/counters",
            data=json.dumps({"params": {"counters": ["complaint_count"]}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["complaint_count"], 2)
        home = self.url_open("/my")
        self.assertIn("/my/complaints", home.text)

    def test_list_requires_login(self):
        response = self.url_open("/my/complaints", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_list_shows_own_complaints_only(self):
        self.authenticate("cm_portal_a", "cm_portal_a")
        html = self.url_open("/my/complaints").text
        self.assertIn("Alice lost parcel", html)
        self.assertIn("Alice wrong invoice", html)
        self.assertIn(self.complaint_a.reference, html)
        self.assertNotIn("Bob damaged table", html)
        self.assertNotIn(self.complaint_b.reference, html)
        self.authenticate("cm_portal_b", "cm_portal_b")
        html = self.url_open("/my/complaints").text
        self.assertIn("Bob damaged table", html)
        self.assertNotIn("Alice lost parcel", html)

    def test_list_search_filter_sort_pager(self):
        self._advance_to(self.complaint_a2, "closed")
        self.authenticate("cm_portal_a", "cm_portal_a")
        html = self.url_open("/my/complaints?search=parcel&search_in=name").text
        self.assertIn("Alice lost parcel", html)
        self.assertNotIn("Alice wrong invoice", html)
        html = self.url_open(
            f"/my/complaints?search={self.complaint_a2.reference}&search_in=reference"
        ).text
        self.assertIn("Alice wrong invoice", html)
        self.assertNotIn("Alice lost parcel", html)
        html = self.url_open("/my/complaints?filterby=open").text
        self.assertIn("Alice lost parcel", html)
        self.assertNotIn("Alice wrong invoice", html)
        html = self.url_open("/my/complaints?filterby=closed").text
        self.assertNotIn("Alice lost parcel", html)
        self.assertIn("Alice wrong invoice", html)
        html = self.url_open("/my/complaints?sortby=name").text
        self.assertLess(
            html.index("Alice lost parcel"), html.index("Alice wrong invoice")
        )
        # unknown values fall back instead of failing
        response = self.url_open(
            "/my/complaints?sortby=evil&filterby=nope&search_in=x&search=a"
        )
        self.assertEqual(response.status_code, 200)
        with patch.object(ComplaintPortal, "_items_per_page", 1):
            page1 = self.url_open("/my/complaints?sortby=name").text
            page2 = self.url_open("/my/complaints/page/2?sortby=name").text
        self.assertIn("Alice lost parcel", page1)
        self.assertNotIn("Alice wrong invoice", page1)
        self.assertIn("/my/complaints/page/2", page1)
        self.assertIn("Alice wrong invoice", page2)
        self.assertNotIn("Alice lost parcel", page2)

    def test_list_internal_user(self):
        """Staff see the portal list of their own entity, not the team's work."""
        self.authenticate("cm_handler_x", "cm_handler_x")
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Alice lost parcel", response.text)

    # ------------------------------------------------------------------
    # /my/complaints/<id>
    # ------------------------------------------------------------------
    def test_detail_owner(self):
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self._detail(self.complaint_a)
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(self.complaint_a.reference, html)
        self.assertIn("Alice lost parcel", html)
        self.assertIn("The box was crushed.", html)
        self.assertIn('aria-current="step"', html)
        self.assertIn("o_portal_chatter", html)
        self.assertIn(self.stage["acknowledged"].name, html)
        self.assertNotIn("o_complaint_accept", html)

    def test_detail_other_customer_404(self):
        self.authenticate("cm_portal_b", "cm_portal_b")
        response = self._detail(self.complaint_a)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Alice lost parcel", response.text)
        self.assertNotIn(self.complaint_a.reference, response.text)
        # a guessed id that does not exist answers the same
        missing = self.Complaint.search([], order="id desc", limit=1).id + 1000
        self.assertEqual(self.url_open(f"/my/complaints/{missing}").status_code, 404)

    def test_detail_token(self):
        token = self.complaint_a.access_token
        # anonymous: the right token opens it, a wrong one does not
        response = self._detail(self.complaint_a, token=token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Alice lost parcel", response.text)
        response = self._detail(self.complaint_a, token="not-the-token")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Alice lost parcel", response.text)
        # a token does not open another complaint
        response = self._detail(self.complaint_b, token=token)
        self.assertEqual(response.status_code, 404)
        # without a token, anonymous visitors are asked to log in, whatever the id
        for complaint_id in (self.complaint_a.id, 999999):
            response = self.url_open(
                f"/my/complaints/{complaint_id}", allow_redirects=False
            )
            self.assertEqual(response.status_code, 303)
            self.assertIn("/web/login", response.headers["Location"])
        # another portal user with a wrong token
        self.authenticate("cm_portal_b", "cm_portal_b")
        self.assertEqual(self._detail(self.complaint_a, token="nope").status_code, 404)

    def test_detail_internal_users(self):
        self.authenticate("cm_handler_x", "cm_handler_x")
        self.assertEqual(self._detail(self.complaint_a).status_code, 200)
        self.authenticate("cm_handler_y", "cm_handler_y")
        self.assertEqual(self._detail(self.complaint_a).status_code, 404)

    def test_decision_accept(self):
        self._advance_to(self.complaint_a, "decided")
        self.authenticate("cm_portal_a", "cm_portal_a")
        html = self._detail(self.complaint_a).text
        self.assertIn("o_complaint_accept", html)
        self.assertIn("o_complaint_reject", html)
        self.assertIn("o_complaint_rate", html)
        url = f"/my/complaints/{self.complaint_a.id}"
        response = self._post(f"{url}/accept", {}, form_url=url)
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=accepted", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.complaint_a.customer_reaction, "accepted")
        html = self.url_open(response.headers["Location"]).text
        self.assertIn("you accepted our decision", html)
        # a second answer is refused politely
        response = self._post(f"{url}/reject", {}, form_url=url)
        self.assertIn("error=no_decision", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.complaint_a.customer_reaction, "accepted")

    def test_decision_reject_with_token(self):
        self._advance_to(self.complaint_a, "decided")
        token = self.complaint_a.access_token
        url = f"/my/complaints/{self.complaint_a.id}?access_token={token}"
        response = self._post(
            f"/my/complaints/{self.complaint_a.id}/reject",
            {"access_token": token, "note": "Not enough"},
            form_url=url,
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.complaint_a.customer_reaction, "rejected")
        self.assertEqual(self.complaint_a.customer_reaction_note, "Not enough")

    def test_actions_on_another_customers_complaint(self):
        self._advance_to(self.complaint_a, "decided")
        self.authenticate("cm_portal_b", "cm_portal_b")
        url = f"/my/complaints/{self.complaint_a.id}"
        for action, data in (
            ("accept", {}),
            ("reject", {"note": "x"}),
            ("appeal", {"reason": "x"}),
            ("rate", {"rate": "5"}),
        ):
            response = self._post(f"{url}/{action}", data, form_url="/my/complaints")
            self.assertEqual(response.status_code, 404, action)
        response = self._post(
            f"{url}/accept", {"access_token": "wrong"}, form_url="/my/complaints"
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(self.complaint_a.customer_reaction, "none")
        self.assertEqual(self.complaint_a.escalation_level, 0)

    def test_appeal(self):
        self._advance_to(self.complaint_a, "decided")
        self.authenticate("cm_portal_a", "cm_portal_a")
        url = f"/my/complaints/{self.complaint_a.id}"
        self.assertIn("complaint_appeal_reason", self.url_open(url).text)
        response = self._post(f"{url}/appeal", {"reason": "  "}, form_url=url)
        self.assertIn("error=appeal_reason", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.complaint_a.escalation_level, 0)
        response = self._post(
            f"{url}/appeal", {"reason": "You ignored my photos"}, form_url=url
        )
        self.assertIn("message=appealed", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.complaint_a.escalation_level, 1)
        self.assertEqual(self.complaint_a.step, "investigating")
        self.assertEqual(self.complaint_a.appeal_reason, "You ignored my photos")

    def test_rate_opens_rating_page(self):
        self._advance_to(self.complaint_a, "decided")
        self.authenticate("cm_portal_a", "cm_portal_a")
        url = f"/my/complaints/{self.complaint_a.id}"
        response = self._post(f"{url}/rate", {"rate": "5"}, form_url=url)
        self.assertEqual(response.status_code, 303)
        rating = self.env["rating.rating"].search(
            [
                ("res_model", "=", "complaint.complaint"),
                ("res_id", "=", self.complaint_a.id),
            ]
        )
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.portal_a.partner_id)
        self.assertTrue(
            response.headers["Location"].endswith(f"/rate/{rating.access_token}/5")
        )
        # once rated, no second rating
        rating.write({"rating": 5, "consumed": True})
        response = self._post(f"{url}/rate", {"rate": "1"}, form_url=url)
        self.assertIn("error=rating", response.headers["Location"])
        self.assertEqual(len(self.complaint_a.rating_ids), 1)
        self.assertIn("o_complaint_rating_value", self.url_open(url).text)
        # not before the decision
        response = self._post(
            f"/my/complaints/{self.complaint_a2.id}/rate",
            {"rate": "5"},
            form_url=f"/my/complaints/{self.complaint_a2.id}",
        )
        self.assertIn("error=rating", response.headers["Location"])

    def test_no_rating_form_without_a_known_complainant(self):
        """Rating needs the complainant's contact: a complaint without one
        offers no rating form (the rating would be refused)."""
        complaint = self._create_complaint(
            partner_id=False, partner_name="Walk-in visitor"
        )
        self._advance_to(complaint, "decided")
        complaint._portal_ensure_token()
        response = self._detail(complaint, token=complaint.access_token)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_complaint_rating", response.text)
        # with a complainant, the same page offers it
        self._advance_to(self.complaint_a, "decided")
        response = self._detail(self.complaint_a, token=self.complaint_a.access_token)
        self.assertIn("o_complaint_rating", response.text)

    def test_decision_letter_download(self):
        report = self.env.ref(
            "complaint_management_reports.action_report_complaint_decision",
            raise_if_not_found=False,
        )
        self.authenticate("cm_portal_a", "cm_portal_a")
        url = f"/my/complaints/{self.complaint_a.id}/decision?download=1"
        self.assertEqual(self.url_open(url).status_code, 404, "no decision yet")
        self._advance_to(self.complaint_a, "decided")
        response = self.url_open(url)
        if not report:
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("/decision", self._detail(self.complaint_a).text)
            return
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.authenticate("cm_portal_b", "cm_portal_b")
        self.assertEqual(self.url_open(url).status_code, 404)

    # ------------------------------------------------------------------
    # /my/complaints/new
    # ------------------------------------------------------------------
    def test_new_requires_login(self):
        response = self.url_open("/my/complaints/new", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_new_portal_submission(self):
        self.authenticate("cm_portal_b", "cm_portal_b")
        form = self.url_open("/my/complaints/new").text
        self.assertNotIn(
            'name="contact_email"', form, "the portal form knows the customer"
        )
        before = self._count()
        response = self._post(
            "/my/complaints/new",
            {
                "subject": "Late delivery",
                "category_id": str(self.category_y.id),
                "description": "Two weeks late.",
                "consent": "1",
            },
            files=[("attachments", ("proof.pdf", PDF_BYTES, "application/pdf"))],
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertEqual(self._count(), before + 1)
        complaint = self.Complaint.search([], order="id desc", limit=1)
        self.assertEqual(complaint.channel_id, self.channel_portal)
        self.assertEqual(complaint.partner_id, self.portal_b.partner_id)
        self.assertEqual(complaint.team_id, self.team_y)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/complaints/submitted/{complaint.id}"
            )
        )
        confirmation = self.url_open(response.headers["Location"])
        self.assertIn(complaint.reference, confirmation.text)
        self.assertIn(f"/my/complaints/{complaint.id}", confirmation.text)
        # the message with the documents is visible to the customer
        # (the acknowledgement may carry its letter too: reports addon)
        message = complaint.message_ids.filtered(
            lambda m: "proof.pdf" in m.attachment_ids.mapped("name")
        )
        self.assertEqual(message.author_id, self.portal_b.partner_id)
        self.assertFalse(message.subtype_id.internal)
        # portal_a cannot see it
        self.authenticate("cm_portal_a", "cm_portal_a")
        self.assertEqual(self._detail(complaint).status_code, 404)
        self.assertNotIn("Late delivery", self.url_open("/my/complaints").text)

    def test_new_portal_validation(self):
        self.authenticate("cm_portal_a", "cm_portal_a")
        before = self._count()
        response = self._post(
            "/my/complaints/new",
            {"subject": "", "description": "", "consent": ""},
            files=[
                (
                    "attachments",
                    (
                        "run.exe",
                        b"MZ\x90\x00" + b"\x00" * 100,
                        "application/octet-stream",
                    ),
                )
            ],
        )
        self.assertEqual(response.status_code, 400)
        for message in (
            "Please give your complaint a subject.",
            "Please describe what happened.",
            "is not an accepted type",
            "Please confirm that you have read the privacy notice.",
        ):
            self.assertIn(message, response.text)
        self.assertEqual(self._count(), before)

    # ------------------------------------------------------------------
    # Translations of the pages' sections (sub-templates)
    # ------------------------------------------------------------------
    def test_sections_keep_their_persian_translations(self):
        """Each section of the pages is a sub-template with its own entries in
        fa.po: the Persian pages show them translated."""
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_management"], ["fa_IR"], overwrite=True
        )
        self.company.complaint_allow_anonymous = True
        self._advance_to(self.complaint_a, "decided")
        self.portal_a.lang = "fa_IR"
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(f"/my/complaints/{self.complaint_a.id}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        for persian in (
            "روند رسیدگی",  # Progress (timeline)
            "(مرحلهٔ کنونی)",  # (current step) (timeline)
            "موعدهای هدف",  # Target dates
            "جزئیات",  # Details
            "شکایت شما",  # Your complaint (description)
            "تصمیم ما",  # Our decision
            "آیا این تصمیم را می\u200cپذیرید؟",  # the reaction form
            "رضایت شما",  # Your satisfaction (rating)
            "پیام\u200cها و مدارک",  # Messages and documents
        ):
            self.assertIn(persian, html)
        # multi-line texts of the forms' sections
        html = self.url_open("/my/complaints/new").text
        self.assertIn("تاریخ\u200cها، مکان\u200cها، شمارهٔ سفارش", html)
        self.assertIn("شما همچنان شکایت را از", html)
        self.authenticate(None, None)
        html = self.url_open("/fa/complaints/new").text
        self.assertIn("اگر رایانامه نمی\u200cدهید", html)
