from odoo.tests import tagged

from .common import ReportCase, normalize, pdf_to_text


@tagged("post_install", "-at_install")
class TestReportLetters(ReportCase):
    """Acknowledgement, decision and record render to real PDFs, in English
    and in Persian (right to left), with the facts of the complaint."""

    def _decided(self, partner, **values):
        complaint = self._create_complaint(partner_id=partner.id, **values)
        return self._advance_to(complaint, "decided")

    def _check_common(self, text, complaint):
        self.assertIn(complaint.reference, text)
        self.assertIn(complaint.partner_id.name, text)
        self.assertIn(self.date_strings(complaint, "date_received"), text)

    def test_acknowledgement_english(self):
        complaint = self._create_complaint(partner_id=self.customer_en.id)
        self.assertEqual(complaint.step, "acknowledged")
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_acknowledgement",
                complaint,
            )
        )
        self._check_common(text, complaint)
        self.assertIn("Acknowledgement of your complaint", text)
        self.assertIn(self.date_strings(complaint, "date_acknowledged"), text)
        self.assertIn("free of charge", text)

    def test_acknowledgement_persian_is_rtl(self):
        complaint = self._create_complaint(partner_id=self.customer_fa.id)
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_acknowledgement",
            complaint,
        )
        self.assertIn('data-oe-lang="fa_IR"', html)
        self.assertIn("اعلام وصول شکایت شما", html)  # translated title
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_acknowledgement",
                complaint,
            )
        )
        self._check_common(text, complaint)

    def test_acknowledgement_shows_sla_target_when_available(self):
        complaint = self._create_complaint(partner_id=self.customer_en.id)
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_acknowledgement",
            complaint,
        )
        if complaint.sla_deadline:
            self.assertTrue(
                "o_complaint_targets" in html or "Target date for our answer" in html
            )
        else:
            self.assertNotIn("Target date for our answer", html)

    def test_decision_english_with_appeal_and_external_body(self):
        complaint = self._decided(self.customer_en)
        complaint.write({"decision_note": "<p>The carrier broke the parcel.</p>"})
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_decision",
                complaint,
            )
        )
        self._check_common(text, complaint)
        self.assertIn("Upheld", text)
        self.assertIn(self.date_strings(complaint, "date_decided"), text)
        self.assertIn("you may appeal", text)
        self.assertIn("Consumer Ombudsman", text)
        self.assertIn("The carrier broke the parcel.", text)

    def test_decision_external_referral_after_last_level(self):
        complaint = self._decided(self.customer_en)
        complaint.action_appeal("I disagree", handler=self.manager)
        complaint.write(
            {"decision": "not_upheld", "stage_id": self.stage["decided"].id}
        )
        complaint.action_customer_reject("Still wrong")
        self.assertTrue(complaint.external_referral_body)
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_decision",
                complaint,
            )
        )
        self.assertIn("Not upheld", text)
        self.assertIn("External referral", text)
        self.assertIn(self.date_strings(complaint, "external_referral_date"), text)
        self.assertNotIn("you may appeal", text)

    def test_decision_persian(self):
        complaint = self._decided(self.customer_fa)
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_decision", complaint
        )
        self.assertIn('data-oe-lang="fa_IR"', html)
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_decision",
                complaint,
            )
        )
        self._check_common(text, complaint)
        decision = complaint.with_context(lang="fa_IR")._report_selection_label(
            "decision"
        )
        for word in normalize(decision).split():
            self.assertIn(word, text)
        self.assertIn(self.date_strings(complaint, "date_decided"), text)

    def test_record_lists_every_step_with_who_and_when(self):
        complaint = self._create_complaint(partner_id=self.customer_en.id)
        # Html fields cannot be tracked by mail (NotImplementedError at
        # pre-commit): fill them untracked, the stage moves are what we test.
        complaint.with_context(tracking_disable=True).write(
            {
                "findings": "<p>The carrier dropped the parcel.</p>",
                "proposed_resolution": "<p>We send a new one.</p>",
            }
        )
        # one transaction per step, as in real use: each change is tracked
        self.flush_tracking()
        for step in ("assessed", "investigating", "responded", "decided", "closed"):
            self._advance_to(complaint.with_user(self.manager), step)
            self.flush_tracking()
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_record", complaint
            )
        )
        self._check_common(text, complaint)
        self.assertIn("Upheld", text)
        self.assertIn(self.date_strings(complaint, "date_closed"), text)
        for stage in ("Acknowledged", "Closed"):
            self.assertIn(stage, text)
        # who moved it: the manager's name from the tracking log
        self.assertIn(self.manager.name, text)
        self.assertIn(self.root_cause.name, text)
        history = self.env[
            "report.complaint_management_reports.report_complaint_record"
        ]._stage_history(complaint)[complaint.id]
        self.assertEqual(
            [event["new_stage"] for event in history][-1], self.stage["closed"].name
        )
        self.assertTrue(all(event["author"] for event in history))

    def test_record_persian_in_progress(self):
        complaint = self._create_complaint(partner_id=self.customer_fa.id)
        self._advance_to(complaint, "assessed")
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_record", complaint
            )
        )
        self._check_common(text, complaint)
        self.assertIn(self.date_strings(complaint, "date_assessed"), text)

    def test_anonymous_identity_hidden_from_handlers(self):
        complaint = self._create_complaint(
            partner_id=self.customer_en.id, is_anonymous=True
        )
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_record",
            complaint.with_user(self.handler_x),
        )
        self.assertNotIn(self.customer_en.name, html)
        self.assertIn("Anonymous", html)
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_record",
            complaint.with_user(self.manager),
        )
        self.assertIn(self.customer_en.name, html)
