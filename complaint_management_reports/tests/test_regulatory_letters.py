from datetime import datetime

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import ReportCase, pdf_to_text


@tagged("post_install", "-at_install")
class TestRegulatoryLetters(ReportCase):
    """The letters a regulator's rules require, rendered to real PDFs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fca = cls.env.ref("complaint_management.regulatory_profile_fca_disp")
        cls.psd = cls.env.ref("complaint_management.regulatory_profile_fca_psd")

    def _complaint(self, profile, **values):
        return self._create_complaint(
            partner_id=self.customer_en.id, regulatory_profile_id=profile.id, **values
        )

    def test_final_response_names_the_ombudsman_and_the_waiver(self):
        complaint = self._advance_to(
            self._complaint(self.fca, regulatory_waiver_consent="consent"), "decided"
        )
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_decision",
                complaint,
            )
        )
        self.assertIn("Financial Ombudsman Service", text)
        self.assertIn("www.financial-ombudsman.org.uk", text)
        self.assertIn("6 months from the date of the final response", text)
        self.assertIn("We consent to Financial Ombudsman Service", text)

    def test_final_response_without_a_profile_has_no_referral_block(self):
        complaint = self._advance_to(
            self._create_complaint(partner_id=self.customer_en.id), "decided"
        )
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_decision",
            complaint,
        )
        self.assertNotIn("o_complaint_regulatory_referral", html)

    def test_letters_never_show_a_vulnerability(self):
        complaint = self._advance_to(
            self._complaint(
                self.fca,
                regulatory_waiver_consent="consent",
                vulnerability_ids=[
                    Command.create(
                        {"driver": "capability", "note": "Reads braille QXZ"}
                    )
                ],
            ),
            "decided",
        )
        for report in ("acknowledgement", "decision", "holding", "record"):
            html = self.render_html(
                f"complaint_management_reports.action_report_complaint_{report}",
                complaint,
            )
            self.assertNotIn("QXZ", html, report)

    def test_acknowledgement_states_the_legal_deadline(self):
        complaint = self._complaint(self.psd)
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_acknowledgement",
            complaint,
        )
        self.assertIn("o_complaint_legal_deadline", html)
        # the ombudsman's details from the start (CBI: with the acknowledgement)
        self.assertIn("o_complaint_regulatory_referral", html)
        self.assertIn("Financial Ombudsman Service", html)
        self.assertIn("FCA DISP 1.6.2AR", html)
        self.assertIn("Europe/London", html)

    def test_holding_letter_once_with_its_pdf(self):
        complaint = self._complaint(self.psd)
        # DISP 1.6.2AR(2): the PSD holding reply gives the reasons for the delay
        sent = complaint._regulatory_send_holding("The card scheme's records.")
        self.assertEqual(sent, complaint)
        self.assertFalse(complaint._regulatory_send_holding())
        holding = self.env.ref("complaint_management.mail_template_complaint_holding")
        self.assertEqual(
            self.env["complaint.letter"]
            .sudo()
            .search_count([("template_id", "=", holding.id)]),
            1,
        )
        self._send_letters()
        message = complaint.message_ids.filtered(
            lambda m: "needs more time" in (m.subject or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(len(message.attachment_ids), 1)
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_holding",
                complaint,
            )
        )
        self.assertIn("we need more time", text)
        self.assertIn("Financial Ombudsman Service", text)

    def test_holding_letter_says_why_when_and_from_when_to_refer(self):
        # DISP: eight weeks from Friday 19 March 2027 end on Friday 14 May;
        # a letter of 10 May gives the referral date (DISP 2.8.1R(2)), the
        # reasons and the expected date (DISP 1.6.2R(2)(a)).
        early = self._complaint(self.fca, date_received=datetime(2027, 3, 19, 18, 30))
        late = self._complaint(self.fca, date_received=datetime(2027, 3, 19, 18, 30))
        with freeze_time("2027-05-10 09:00:00"):
            early._regulatory_send_holding(
                "We are waiting for the card scheme's records.",
                datetime(2027, 6, 11, 15, 0),
            )
        with freeze_time("2027-05-17 09:00:00"):
            late._regulatory_send_holding("Records awaited.", datetime(2027, 6, 11))
        report = "complaint_management_reports.action_report_complaint_holding"
        html = " ".join(self.render_html(report, early).split())
        self.assertIn("card scheme&#39;s records", html.replace("'", "&#39;"))
        self.assertIn("o_complaint_referral_from", html)
        self.assertIn("05/15/2027", html)
        self.assertIn("06/11/2027", html)
        text = " ".join(pdf_to_text(self.render_pdf(report, late)).split())
        self.assertIn("Financial Ombudsman Service", text)
        self.assertIn("free of charge, now.", text)
