from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal_common import PDF_BYTES, PNG_BYTES, ComplaintHttpCase

FORM = "/complaints/new"


@tagged("post_install", "-at_install")
class TestPublicForm(ComplaintHttpCase):
    def _valid(self, **values):
        data = {
            "subject": "Broken chair",
            "category_id": str(self.category_x.id),
            "description": "The chair broke on the first day.\nPlease help.",
            "remedy_requested": "A new chair",
            "contact_name": "Walter Web",
            "contact_email": "walter@example.com",
            "contact_phone": "+1 555 0100",
            "consent": "1",
        }
        data.update(values)
        return data

    def _assert_refused(self, response, message, before, status=400):
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertIn(message, response.text)
        self.assertIn('id="complaint_error_summary"', response.text)
        self.assertEqual(
            self._count(), before, "a refused submission created a complaint"
        )

    # ------------------------------------------------------------------
    # Rendering and access
    # ------------------------------------------------------------------
    def test_form_renders_for_anonymous(self):
        response = self.url_open(FORM)
        self.assertEqual(response.status_code, 200)
        html = response.text
        for field in (
            "subject",
            "category_id",
            "description",
            "remedy_requested",
            "contact_name",
            "contact_email",
            "attachments",
            "consent",
        ):
            self.assertIn(f'for="complaint_{field}"', html, field)
            self.assertIn(f'id="complaint_{field}"', html, field)
        self.assertIn('name="website_url"', html, "honeypot missing")
        self.assertIn('aria-live="assertive"', html)
        self.assertNotIn('name="is_anonymous"', html, "anonymity is disabled")
        self.assertIn('<html lang="en-US" dir="ltr">', html)

    def test_form_disabled_answers_404(self):
        self.company.complaint_public_form = False
        self.assertEqual(self.url_open(FORM).status_code, 404)
        response = self.url_open(FORM, data={"subject": "x"}, allow_redirects=False)
        self.assertIn(response.status_code, (400, 404))

    def test_anonymous_option_when_enabled(self):
        self.company.complaint_allow_anonymous = True
        self.assertIn('name="is_anonymous"', self.url_open(FORM).text)

    def test_portal_user_is_sent_to_portal_form(self):
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(FORM, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/complaints/new"))

    def test_routes_for_internal_user(self):
        """Staff may use both forms (e.g. for a customer at the counter)."""
        self.authenticate("cm_handler_x", "cm_handler_x")
        self.assertEqual(self.url_open(FORM).status_code, 200)
        self.assertEqual(self.url_open("/my/complaints/new").status_code, 200)
        before = self._count()
        response = self._post(FORM, self._valid())
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._count(), before + 1)
        complaint = self.Complaint.search([], order="id desc", limit=1)
        self.assertEqual(complaint.channel_id, self.channel_web)
        self.assertEqual(complaint.partner_id.email, "walter@example.com")
        # the confirmation needs the token or read access, as any complaint
        self.authenticate("cm_portal_b", "cm_portal_b")
        self.assertEqual(
            self.url_open(f"/complaints/submitted/{complaint.id}").status_code, 404
        )

    def test_policy_page(self):
        self.company.complaint_policy = "<p>Our promise: every complaint counts.</p>"
        for login in (None, "cm_portal_a", "cm_handler_x"):
            if login:
                self.authenticate(login, login)
            response = self.url_open("/complaints/policy")
            self.assertEqual(response.status_code, 200, login)
            self.assertIn("Our promise: every complaint counts.", response.text)
            self.assertIn("Consumer Ombudsman", response.text)
            self.assertIn(self.stage["investigating"].name, response.text)
            self.assertIn(self.channel_web.name, response.text)
            self.assertIn('id="complaint_privacy"', response.text)

    # ------------------------------------------------------------------
    # Valid submission
    # ------------------------------------------------------------------
    def test_valid_submission_creates_one_complaint(self):
        before = self._count()
        response = self._post(
            FORM,
            self._valid(),
            files=[
                ("attachments", ("receipt.pdf", PDF_BYTES, "application/pdf")),
                ("attachments", ("photo.png", PNG_BYTES, "image/png")),
            ],
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertEqual(self._count(), before + 1)
        complaint = self.Complaint.search([], order="id desc", limit=1)
        self.assertEqual(complaint.name, "Broken chair")
        self.assertEqual(complaint.channel_id, self.channel_web)
        self.assertEqual(complaint.category_id, self.category_x)
        self.assertEqual(complaint.partner_id.email, "walter@example.com")
        self.assertEqual(complaint.partner_id.name, "Walter Web")
        self.assertEqual(complaint.remedy_requested, "A new chair")
        self.assertIn("first day.<br>Please help.", complaint.description)
        self.assertFalse(complaint.is_anonymous)
        self.assertEqual(complaint.step, "acknowledged")
        # the complainant's files (the reports addon adds the acknowledgement letter)
        attachments = self.env["ir.attachment"].search(
            [
                ("res_model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("name", "not like", "Acknowledgement - %"),
            ]
        )
        self.assertEqual(
            sorted(attachments.mapped("name")), ["photo.png", "receipt.pdf"]
        )
        self.assertEqual(
            attachments.filtered(lambda a: a.name == "receipt.pdf").mimetype,
            "application/pdf",
        )
        # Confirmation page: reference and tracking link with the token
        location = response.headers["Location"]
        self.assertIn(f"/complaints/submitted/{complaint.id}?access_token=", location)
        confirmation = self.url_open(location)
        self.assertEqual(confirmation.status_code, 200)
        self.assertIn(complaint.reference, confirmation.text)
        tracking = (
            f"/my/complaints/{complaint.id}?access_token={complaint.access_token}"
        )
        self.assertIn(tracking.replace("&", "&amp;"), confirmation.text)
        detail = self.url_open(tracking)
        self.assertEqual(detail.status_code, 200)
        self.assertIn(complaint.reference, detail.text)
        self.assertIn("Broken chair", detail.text)
        # The confirmation page itself needs the token
        self.assertEqual(
            self.url_open(f"/complaints/submitted/{complaint.id}").status_code, 404
        )
        self.assertEqual(
            self.url_open(
                f"/complaints/submitted/{complaint.id}?access_token=wrong"
            ).status_code,
            404,
        )

    def test_other_addons_portal_overrides_apply(self):
        """The public routes extend CustomerPortal as every portal controller
        does: another addon's override of its access check (here on
        helpdesk_mgmt's portal controller) decides on the confirmation page."""
        response = self._post(FORM, self._valid())
        self.assertEqual(response.status_code, 303, response.text[:1000])
        complaint = self.Complaint.search([], order="id desc", limit=1)
        location = response.headers["Location"]
        checked = []
        original = CustomerPortal._document_check_access

        def _document_check_access(portal, model_name, document_id, **kwargs):
            checked.append((model_name, document_id))
            return original(portal, model_name, document_id, **kwargs)

        def _refuse(portal, model_name, document_id, **kwargs):
            raise AccessError(portal.env._("Refused by another addon."))

        with patch.object(
            CustomerPortalHelpdesk, "_document_check_access", _document_check_access
        ):
            confirmation = self.url_open(location)
        self.assertEqual(confirmation.status_code, 200)
        self.assertIn(complaint.reference, confirmation.text)
        self.assertEqual(checked, [("complaint.complaint", complaint.id)])
        with patch.object(CustomerPortalHelpdesk, "_document_check_access", _refuse):
            self.assertEqual(self.url_open(location).status_code, 404)
        self.assertEqual(self.url_open(location).status_code, 200)

    def test_routes_served_once_by_the_portal_controller(self):
        """Odoo merges every CustomerPortal extension into one controller: the
        public routes are served by the same one as /my and /my/complaints,
        each route once."""
        rules = list(self.env["ir.http"].routing_map().iter_rules())
        urls = [rule.rule for rule in rules]
        endpoints = {rule.rule: rule.endpoint for rule in rules}
        controller = endpoints["/my/complaints"].func.__self__
        for url in (
            "/my",
            "/my/home",
            "/my/complaints",
            "/my/complaints/new",
            "/my/complaints/<int:complaint_id>/<any(accept, reject):reaction>",
            "/complaints/new",
            "/complaints/submitted/<int:complaint_id>",
            "/complaints/policy",
        ):
            self.assertEqual(urls.count(url), 1, url)
            self.assertIs(endpoints[url].func.__self__, controller, url)
        self.assertIsInstance(controller, CustomerPortalHelpdesk)

    def test_existing_partner_is_reused(self):
        response = self._post(FORM, self._valid(contact_email="alice@example.com"))
        self.assertEqual(response.status_code, 303)
        complaint = self.Complaint.search([], order="id desc", limit=1)
        self.assertEqual(complaint.partner_id, self.portal_a.partner_id)
        self.assertEqual(complaint.channel_id, self.channel_web)

    def test_anonymous_submission(self):
        self.company.complaint_allow_anonymous = True
        before = self._count()
        response = self._post(
            FORM,
            self._valid(
                contact_name="", contact_email="", contact_phone="", is_anonymous="1"
            ),
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertEqual(self._count(), before + 1)
        complaint = self.Complaint.search([], order="id desc", limit=1)
        self.assertTrue(complaint.is_anonymous)
        self.assertFalse(complaint.partner_id)
        self.assertTrue(complaint.access_token)

    def test_anonymous_refused_when_disabled(self):
        before = self._count()
        response = self._post(
            FORM, self._valid(contact_name="", contact_email="", is_anonymous="1")
        )
        self._assert_refused(response, "Anonymous complaints are not accepted.", before)

    # ------------------------------------------------------------------
    # Refused submissions: a message, and nothing created
    # ------------------------------------------------------------------
    def test_missing_fields(self):
        before = self._count()
        response = self._post(FORM, {"subject": "", "consent": ""})
        self._assert_refused(response, "Please give your complaint a subject.", before)
        html = response.text
        for message in (
            "Please describe what happened.",
            "Please choose what your complaint is about.",
            "Please enter your name.",
            "Please enter your e-mail address",
            "Please confirm that you have read the privacy notice.",
        ):
            self.assertIn(message, html)
        # errors are bound to their fields
        self.assertIn('aria-describedby="complaint_subject_error"', html)
        self.assertIn('id="complaint_subject_error"', html)
        self.assertIn('aria-invalid="true"', html)
        self.assertIn('href="#complaint_subject"', html)

    def test_values_kept_after_error(self):
        response = self._post(FORM, self._valid(consent=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn('value="Broken chair"', response.text)
        self.assertIn("The chair broke on the first day.", response.text)

    def test_invalid_email(self):
        before = self._count()
        response = self._post(FORM, self._valid(contact_email="walter.example.com"))
        self._assert_refused(response, "Please enter a valid e-mail address", before)

    def test_invalid_category(self):
        before = self._count()
        response = self._post(FORM, self._valid(category_id="999999"))
        self._assert_refused(
            response, "Please choose a category from the list.", before
        )
        response = self._post(FORM, self._valid(category_id="abc"))
        self._assert_refused(
            response, "Please choose a category from the list.", before
        )

    def test_consent_missing(self):
        before = self._count()
        response = self._post(FORM, self._valid(consent=""))
        self._assert_refused(
            response, "Please confirm that you have read the privacy notice.", before
        )

    def test_oversized_file(self):
        before = self._count()
        big = b"a" * (1024 * 1024 + 10)
        response = self._post(
            FORM,
            self._valid(),
            files=[("attachments", ("notes.txt", big, "text/plain"))],
        )
        self._assert_refused(response, "is larger than 1 MB", before)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "notes.txt")]))

    def test_disallowed_file_type(self):
        before = self._count()
        response = self._post(
            FORM,
            self._valid(),
            files=[
                (
                    "attachments",
                    (
                        "page.html",
                        b"<html><script>alert(1)</script></html>",
                        "text/html",
                    ),
                )
            ],
        )
        self._assert_refused(response, "is not an accepted type", before)

    def test_content_must_match_extension(self):
        """A program renamed to .pdf is refused: the bytes decide."""
        before = self._count()
        fake = (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
            + b"\x00" * 200
        )
        response = self._post(
            FORM,
            self._valid(),
            files=[("attachments", ("invoice.pdf", fake, "application/pdf"))],
        )
        self._assert_refused(response, "is not an accepted type", before)
        response = self._post(
            FORM,
            self._valid(),
            files=[("attachments", ("photo.jpg", PNG_BYTES, "image/jpeg"))],
        )
        self._assert_refused(response, "is not an accepted type", before)

    def test_honeypot(self):
        before = self._count()
        response = self._post(FORM, self._valid(website_url="http://spam.example.com"))
        self._assert_refused(response, "Your complaint could not be accepted.", before)

    def test_csrf_required(self):
        before = self._count()
        response = self.url_open(FORM, data=self._valid(), allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._count(), before)

    def test_rate_limit(self):
        """Attempts are counted per IP in the database, not in memory."""
        self.env["ir.config_parameter"].sudo().set_param(
            "complaint_management.public_form_rate_limit", "2"
        )
        Log = self.env["complaint.submission.log"]
        before = self._count()
        self.assertEqual(self._post(FORM, self._valid(consent="")).status_code, 400)
        self.assertEqual(
            self._post(FORM, self._valid(subject="Second")).status_code, 303
        )
        self.assertEqual(self._count(), before + 1)
        self.assertEqual(Log.search_count([("ip", "=", "127.0.0.1")]), 2)
        response = self._post(FORM, self._valid(subject="Third"))
        self._assert_refused(
            response, "Too many complaints were sent", before + 1, status=429
        )
        # attempts older than the window no longer count
        self.env.cr.execute(
            "UPDATE complaint_submission_log SET date = date - interval '2 hours'"
        )
        self.assertEqual(
            self._post(FORM, self._valid(subject="Later")).status_code, 303
        )
        self.assertEqual(self._count(), before + 2)
