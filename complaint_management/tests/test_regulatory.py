"""Regulatory profiles: the legal clock beside the SLA.

Golden dates are worked out by hand from each rule, the jurisdiction's
working week and its public holidays (from the `holidays` package), and
written in UTC as stored."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase
from .portal_common import ComplaintHttpCase


def dt(text):
    return datetime.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestRegulatoryClock(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.sla"].search([]).write({"active": False})
        cls.env["complaint.stage"].search([]).write({"mail_template_id": False})
        cls.profile = {
            code: cls.env.ref(f"complaint_management.regulatory_profile_{code}")
            for code in (
                "fca_disp",
                "fca_psd",
                "asic_rg271",
                "cbi_ie",
                "cbi_ir",
                "cfpb",
            )
        }
        calendars = cls.env["resource.calendar"].browse(
            {p.calendar_id.id for p in cls.profile.values()}
        )
        calendars._complaint_fill_public_holidays([2026, 2027, 2028])

    def _received(self, code, when, **values):
        return self._create_complaint(
            regulatory_profile_id=self.profile[code].id,
            date_received=dt(when),
            **values,
        )

    # ------------------------------------------------------------------
    # Golden dates
    # ------------------------------------------------------------------
    def test_fca_disp_friday_evening(self):
        # Friday 19 March 2027, 18:30 in London (GMT): eight weeks later is
        # Friday 14 May, end of day in summer time; the summary resolution
        # window is three business days after the day of receipt (Mon-Wed).
        complaint = self._received("fca_disp", "2027-03-19 18:30:00")
        self.assertEqual(complaint.regulatory_deadline, dt("2027-05-14 22:59:59"))
        self.assertEqual(
            complaint.regulatory_summary_deadline, dt("2027-03-24 17:00:00")
        )
        self.assertFalse(complaint.regulatory_ack_deadline)
        self.assertFalse(complaint.regulatory_extended_deadline)

    def test_fca_disp_over_easter_and_christmas(self):
        # Thursday 25 March 2027: Good Friday (26th) and Easter Monday (29th)
        # are bank holidays in England: Tue 30, Wed 31, Thu 1 April (BST).
        easter = self._received("fca_disp", "2027-03-25 10:00:00")
        self.assertEqual(easter.regulatory_summary_deadline, dt("2027-04-01 16:00:00"))
        # Wednesday 22 December 2027: 27 and 28 December are the substitute
        # Christmas and Boxing Day holidays: Thu 23, Fri 24, Wed 29.
        christmas = self._received("fca_disp", "2027-12-22 12:00:00")
        self.assertEqual(
            christmas.regulatory_summary_deadline, dt("2027-12-29 17:00:00")
        )

    def test_fca_disp_around_local_midnight(self):
        # 23:59:59 on Thursday 10 June 2027 in London (BST) is still Thursday.
        before = self._received("fca_disp", "2027-06-10 22:59:59")
        self.assertEqual(before.regulatory_summary_deadline, dt("2027-06-15 16:00:00"))
        self.assertEqual(before.regulatory_deadline, dt("2027-08-05 22:59:59"))
        # Two seconds later it is Friday in London: one day more.
        after = self._received("fca_disp", "2027-06-10 23:00:01")
        self.assertEqual(after.regulatory_summary_deadline, dt("2027-06-16 16:00:00"))
        self.assertEqual(after.regulatory_deadline, dt("2027-08-06 22:59:59"))

    def test_fca_disp_counts_the_complainants_nation_bank_holidays(self):
        # Friday 26 November 2027; Saint Andrew's Day (Tuesday 30 November) is
        # a bank holiday in Scotland only: Mon, Tue, Wed in England; Mon, Wed,
        # Thu for a complainant in Fife.
        self.env.ref(
            "complaint_management.calendar_uk_scotland"
        )._complaint_fill_public_holidays([2027])
        # counting on the complainant's nation is the profile's option (the
        # FCA Glossary: the part of the UK where the thing is done, by default
        # the firm's; see test_regulatory_rules)
        self.profile["fca_disp"].count_complainant_region = True
        english = self._received("fca_disp", "2027-11-26 12:00:00")
        self.assertEqual(english.regulatory_summary_deadline, dt("2027-12-01 17:00:00"))
        fife = self.env["res.partner"].create(
            {"name": "Fiona Fife", "state_id": self.env.ref("base.state_uk36").id}
        )
        scottish = self._received("fca_disp", "2027-11-26 12:00:00", partner_id=fife.id)
        self.assertEqual(
            scottish.regulatory_summary_deadline, dt("2027-12-02 17:00:00")
        )

    def test_fca_psd_fifteen_and_thirty_five_business_days(self):
        # From Friday 19 March 2027 (Easter and the 3 May bank holiday skipped).
        complaint = self._received("fca_psd", "2027-03-19 18:30:00")
        self.assertEqual(complaint.regulatory_deadline, dt("2027-04-13 22:59:59"))
        self.assertEqual(
            complaint.regulatory_extended_deadline, dt("2027-05-12 22:59:59")
        )

    def test_asic_rg271_over_australia_day(self):
        # Monday 25 January 2027, 20:00 in Sydney (AEDT): Australia Day (26th)
        # is a public holiday, so the acknowledgement is due Wednesday; the IDR
        # response 30 calendar days after receipt.
        complaint = self._received("asic_rg271", "2027-01-25 09:00:00")
        self.assertEqual(complaint.regulatory_ack_deadline, dt("2027-01-27 12:59:59"))
        self.assertEqual(complaint.regulatory_deadline, dt("2027-02-24 12:59:59"))

    def test_cbi_ie_over_saint_patricks_day(self):
        # Friday 12 March 2027 in Dublin: 17 March, 29 March (Easter Monday)
        # and 3 May are public holidays; Good Friday (26 March) is not, but the
        # banks close and the Code's business days exclude bank holidays: the
        # 40th business day is Thursday 13 May (it was 12 May before Good
        # Friday was counted).
        complaint = self._received("cbi_ie", "2027-03-12 15:00:00")
        self.assertEqual(complaint.regulatory_ack_deadline, dt("2027-03-22 23:59:59"))
        self.assertEqual(complaint.regulatory_deadline, dt("2027-05-13 22:59:59"))

    def test_cbi_ir_over_nowruz(self):
        # Wednesday 17 March 2027 in Tehran; Saturday to Wednesday week;
        # 20 March and Nowruz (21-24 March), 3 April are holidays: the 30th
        # working day is Saturday 8 May, end of day in Tehran (UTC+03:30).
        complaint = self._received("cbi_ir", "2027-03-17 06:30:00")
        self.assertEqual(complaint.regulatory_deadline, dt("2027-05-08 20:29:59"))

    def test_cfpb_fifteen_and_sixty_days(self):
        # Friday 2 July 2027, 21:00 in New York (EDT) is Saturday in UTC.
        complaint = self._received("cfpb", "2027-07-03 01:00:00")
        self.assertEqual(complaint.regulatory_deadline, dt("2027-07-18 03:59:59"))
        self.assertEqual(
            complaint.regulatory_extended_deadline, dt("2027-09-01 03:59:59")
        )

    # ------------------------------------------------------------------
    # Where the profile comes from, and changes
    # ------------------------------------------------------------------
    def test_profile_from_company_then_category_override(self):
        self.company.complaint_regulatory_profile_id = self.profile["fca_disp"]
        plain = self._create_complaint(date_received=dt("2027-03-19 18:30:00"))
        self.assertEqual(plain.regulatory_profile_id, self.profile["fca_disp"])
        self.category_y.regulatory_profile_id = self.profile["fca_psd"]
        payments = self._create_complaint(
            category_id=self.category_y.id, date_received=dt("2027-03-19 18:30:00")
        )
        self.assertEqual(payments.regulatory_profile_id, self.profile["fca_psd"])
        self.assertEqual(payments.regulatory_deadline, dt("2027-04-13 22:59:59"))

    def test_profile_change_midway_plans_the_clock_again(self):
        complaint = self._received("fca_disp", "2027-03-19 18:30:00")
        self.assertEqual(complaint.regulatory_deadline, dt("2027-05-14 22:59:59"))
        complaint.regulatory_profile_id = self.profile["fca_psd"]
        self.assertEqual(complaint.regulatory_deadline, dt("2027-04-13 22:59:59"))
        self.assertEqual(
            complaint.regulatory_extended_deadline, dt("2027-05-12 22:59:59")
        )
        complaint.regulatory_profile_id = False
        self.assertFalse(complaint.regulatory_deadline)
        self.assertFalse(complaint.regulatory_state)

    def test_waiting_for_customer_does_not_move_the_legal_clock(self):
        rule = self.env["complaint.sla"].create(
            {
                "name": "Respond in 16 working hours",
                "target_step": "responded",
                "time_hours": 16,
                "calendar_id": self.profile["fca_disp"].calendar_id.id,
                "company_id": self.company.id,
            }
        )
        with freeze_time("2027-06-07 08:00:00"):  # Monday 09:00 in London
            complaint = self._received("fca_disp", "2027-06-07 08:00:00")
            self._advance_to(complaint, "investigating")
        legal = complaint.regulatory_deadline
        line = complaint.sla_status_ids.filtered(lambda s: s.sla_id == rule)
        sla_before = line.deadline
        with freeze_time("2027-06-07 09:00:00"):
            complaint.stage_id = self.stage["waiting"]
        with freeze_time("2027-06-21 09:00:00"):  # two weeks on hold
            complaint.stage_id = self.stage["investigating"]
        self.assertGreater(line.deadline, sla_before)
        self.assertEqual(complaint.regulatory_deadline, legal)
        self.assertEqual(legal, dt("2027-08-02 22:59:59"))

    # ------------------------------------------------------------------
    # State of the clock, the sweep, the holding response
    # ------------------------------------------------------------------
    def test_states_and_the_holding_response_once(self):
        complaint = self._received(
            "fca_psd", "2027-03-19 18:30:00", user_id=self.handler_x.id
        )
        Complaint = self.env["complaint.complaint"]
        with freeze_time("2027-03-22 10:00:00"):
            Complaint._cron_regulatory_clock()
            complaint._regulatory_update_state()
        self.assertEqual(complaint.regulatory_state, "on_time")
        messages = complaint.message_ids
        # Five days before 13 April: due soon, the handler is told once; the
        # holding reply is the handler's decision with the reasons (DISP
        # 1.6.2AR(2): exceptional situations), never the sweep's.
        with freeze_time("2027-04-09 10:00:00"):
            Complaint._cron_regulatory_clock()
            Complaint._cron_regulatory_clock()
            self.assertEqual(complaint.regulatory_state, "due_soon")
            self.assertFalse(complaint.regulatory_holding_date)
            complaint.action_send_holding_response("Card scheme outage.")
            complaint.action_send_holding_response("Card scheme outage.")
        self.assertEqual(complaint.regulatory_state, "holding_sent")
        self.assertEqual(complaint.regulatory_holding_date, dt("2027-04-09 10:00:00"))
        self._send_letters()
        holding = complaint.message_ids - messages
        self.assertEqual(
            len(holding.filtered(lambda m: "needs more time" in (m.subject or ""))), 1
        )
        activities = complaint.activity_ids.filtered(
            lambda a: a.summary == "Legal deadline near"
        )
        self.assertEqual(len(activities), 1)
        # Past the first deadline but within the extended one: still held.
        with freeze_time("2027-04-20 10:00:00"):
            Complaint._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "holding_sent")
        # Past the extended deadline: breached, once.
        with freeze_time("2027-05-13 10:00:00"):
            Complaint._cron_regulatory_clock()
            Complaint._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "breached")
        self.assertEqual(
            len(
                complaint.activity_ids.filtered(
                    lambda a: a.summary == "Legal deadline missed"
                )
            ),
            1,
        )
        self._send_letters()
        self.assertEqual(
            len(
                complaint.message_ids.filtered(
                    lambda m: "needs more time" in (m.subject or "")
                )
            ),
            1,
        )

    def test_asic_delay_notification_then_breach(self):
        # No extended deadline under RG 271: the delay notification goes out
        # once when the deadline is near, and the deadline stays.
        complaint = self._received(
            "asic_rg271", "2027-01-25 09:00:00", user_id=self.handler_x.id
        )
        Complaint = self.env["complaint.complaint"]
        with freeze_time("2027-02-21 00:00:00"):
            Complaint._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "holding_sent")
        self.assertEqual(
            complaint._regulatory_effective_deadline(), dt("2027-02-24 12:59:59")
        )
        with freeze_time("2027-02-25 00:00:00"):
            Complaint._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "breached")
        self._send_letters()
        self.assertEqual(
            len(
                complaint.message_ids.filtered(
                    lambda m: "needs more time" in (m.subject or "")
                )
            ),
            1,
        )

    def test_no_holding_response_where_the_profile_has_none(self):
        complaint = self._received("cbi_ir", "2027-03-17 06:30:00")
        with freeze_time("2027-05-06 00:00:00"):
            self.env["complaint.complaint"]._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "due_soon")
        self.assertFalse(complaint.regulatory_holding_date)

    def test_decided_in_time_is_met(self):
        with freeze_time("2027-03-22 09:00:00"):
            complaint = self._received(
                "fca_disp", "2027-03-22 09:00:00", regulatory_waiver_consent="consent"
            )
            self._advance_to(complaint, "decided")
        self.assertEqual(complaint.regulatory_state, "met")
        self.assertEqual(complaint.regulatory_met_date, dt("2027-03-22 09:00:00"))

    # ------------------------------------------------------------------
    # Jurisdiction calendars from the holidays package
    # ------------------------------------------------------------------
    def test_england_2027_holidays_contain_good_friday(self):
        calendar = self.env["resource.calendar"].create(
            {"name": "England test calendar", "tz": "Europe/London"}
        )
        wizard = self.env["complaint.public.holidays.wizard"].create(
            {
                "calendar_id": calendar.id,
                "country_code": "gb",
                "subdivision": "eng",
                "year_from": 2027,
                "year_to": 2027,
            }
        )
        wizard.action_fill()
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", calendar.id)]
        )
        good_friday = leaves.filtered(lambda leave: leave.name == "Good Friday")
        self.assertEqual(len(good_friday), 1)
        # Midnight in London on 26 March 2027 (still GMT).
        self.assertEqual(good_friday.date_from, dt("2027-03-26 00:00:00"))
        self.assertEqual(calendar.holiday_country_code, "GB")
        # Filling again adds nothing.
        wizard.action_fill()
        self.assertEqual(
            self.env["resource.calendar.leaves"].search_count(
                [("calendar_id", "=", calendar.id)]
            ),
            len(leaves),
        )

    def test_unknown_country_is_a_clear_error(self):
        calendar = self.env["resource.calendar"].create({"name": "Nowhere"})
        with self.assertRaises(UserError):
            calendar._complaint_fill_public_holidays([2027], "XX")

    def test_shipped_profiles_cite_their_rule(self):
        for code, profile in self.profile.items():
            self.assertEqual(profile.code, code)
            self.assertTrue(profile.citation)
            self.assertTrue(profile.calendar_id)
            self.assertTrue(profile.final_value)
        self.assertEqual(
            self.profile["cbi_ir"].calendar_id.attendance_ids.mapped("dayofweek")
            and set(
                self.profile["cbi_ir"].calendar_id.attendance_ids.mapped("dayofweek")
            ),
            {"5", "6", "0", "1", "2"},
        )


@tagged("post_install", "-at_install")
class TestRegulatoryLetters(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.sla"].search([]).write({"active": False})
        cls.fca = cls.env.ref("complaint_management.regulatory_profile_fca_disp")

    def test_final_response_refused_without_the_waiver_choice(self):
        complaint = self._create_complaint(regulatory_profile_id=self.fca.id)
        self._advance_to(complaint, "responded")
        with self.assertRaises(UserError) as caught:
            self._advance_to(complaint, "decided")
        self.assertRegex(str(caught.exception), r"^FCA DISP 1\.6\.2R: .*waive")
        self.assertEqual(complaint.step, "responded")
        complaint.regulatory_waiver_consent = "no_consent"
        self._advance_to(complaint, "decided")
        self.assertEqual(complaint.step, "decided")

    def test_final_response_refused_without_a_referral_body(self):
        profile = self.fca.copy({"code": "fca_test", "referral_partner_id": False})
        complaint = self._create_complaint(
            regulatory_profile_id=profile.id, regulatory_waiver_consent="consent"
        )
        self._advance_to(complaint, "responded")
        with self.assertRaises(UserError) as caught:
            self._advance_to(complaint, "decided")
        self.assertIn("referral body", str(caught.exception))

    def test_acknowledgement_mail_states_the_legal_deadline(self):
        psd = self.env.ref("complaint_management.regulatory_profile_fca_psd")
        complaint = self._create_complaint(
            regulatory_profile_id=psd.id, date_received=dt("2027-03-19 18:30:00")
        )
        self._send_letters()
        bodies = [" ".join((m.body or "").split()) for m in complaint.message_ids]
        acknowledgement = [
            body for body in bodies if "we will send our final response by" in body
        ]
        self.assertEqual(len(acknowledgement), 1, bodies)
        self.assertIn("FCA DISP 1.6.2AR", acknowledgement[0])
        self.assertIn("04/13/2027", acknowledgement[0])  # 23:59 in London

    def test_updates_every_twenty_business_days_in_ireland(self):
        cbi = self.env.ref("complaint_management.regulatory_profile_cbi_ie")
        self.company.complaint_status_update_days = 0  # the profile decides
        complaint = self._create_complaint(
            regulatory_profile_id=cbi.id, date_received=dt("2027-03-01 09:00:00")
        )
        cbi.calendar_id._complaint_fill_public_holidays([2027])
        self._advance_to(complaint, "investigating")
        self._send_letters()
        complaint.sudo().date_last_customer_update = dt("2027-03-01 09:00:00")
        Complaint = self.env["complaint.complaint"]
        template = self.env.ref(
            "complaint_management.mail_template_complaint_status_update"
        )
        Letter = self.env["complaint.letter"].sudo()
        # 19 business days later (17 March is a holiday): not yet
        with freeze_time("2027-03-26 12:00:00"):
            Complaint._cron_send_status_updates()
        self.assertFalse(Letter.search([("template_id", "=", template.id)]))
        # 20 business days have passed by 31 March (Easter Monday skipped;
        # counted back from and including that day, Good Friday 26 March, a
        # bank holiday, skipped too)
        with freeze_time("2027-03-31 12:00:00"):
            Complaint._cron_send_status_updates()
        self.assertEqual(
            Letter.search([("template_id", "=", template.id)]).complaint_id, complaint
        )

    def test_no_profile_no_new_gate(self):
        complaint = self._create_complaint()
        self.assertFalse(complaint.regulatory_profile_id)
        self._advance_to(complaint, "decided")
        self.assertEqual(complaint.step, "decided")

    def test_summary_resolution_within_the_window_only(self):
        with freeze_time("2027-03-22 09:00:00"):  # Monday
            # DISP 1.5.4R(3): the communication states the waiver choice
            complaint = self._create_complaint(
                regulatory_profile_id=self.fca.id,
                date_received=dt("2027-03-22 09:00:00"),
                regulatory_waiver_consent="consent",
            )
            complaint.action_send_summary_resolution()
        self._send_letters()
        self.assertEqual(complaint.regulatory_summary_date, dt("2027-03-22 09:00:00"))
        sent = complaint.message_ids.filtered(
            lambda m: "is resolved" in (m.subject or "")
        )
        self.assertEqual(len(sent), 1)
        complaint.action_send_summary_resolution()  # once only
        self._send_letters()
        self.assertEqual(
            len(
                complaint.message_ids.filtered(
                    lambda m: "is resolved" in (m.subject or "")
                )
            ),
            1,
        )
        late = self._create_complaint(
            regulatory_profile_id=self.fca.id, date_received=dt("2027-03-22 09:00:00")
        )
        with freeze_time("2027-04-01 09:00:00"), self.assertRaises(UserError):
            late.action_send_summary_resolution()
        self.assertFalse(late.regulatory_summary_date)


@tagged("post_install", "-at_install")
class TestRegulatoryPortal(ComplaintHttpCase):
    """The legal deadlines where the complainant reads them."""

    def test_policy_page_shows_the_legal_deadlines(self):
        fca = self.env.ref("complaint_management.regulatory_profile_fca_disp")
        psd = self.env.ref("complaint_management.regulatory_profile_fca_psd")
        self.company.complaint_regulatory_profile_id = fca
        self.category_y.regulatory_profile_id = psd
        response = self.url_open("/complaints/policy")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Legal deadlines", response.text)
        self.assertIn("FCA DISP 1.6.2R", response.text)
        self.assertIn("8 Calendar weeks", response.text)
        self.assertIn("FCA DISP 1.6.2AR", response.text)
        self.assertIn("Financial Ombudsman Service", response.text)

    def test_policy_page_leaves_out_other_companies_profiles(self):
        asic = self.env.ref("complaint_management.regulatory_profile_asic_rg271")
        other = self.env["res.company"].create({"name": "Other Co"})
        self.env["complaint.category"].create(
            {
                "name": "Other company's category",
                "company_id": other.id,
                "regulatory_profile_id": asic.id,
            }
        )
        response = self.url_open("/complaints/policy")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(asic.citation, response.text)

    def test_portal_detail_says_when_we_will_answer(self):
        psd = self.env.ref("complaint_management.regulatory_profile_fca_psd")
        complaint = self._create_complaint(regulatory_profile_id=psd.id)
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("We will answer by", response.text)
        self.assertIn("Europe/London", response.text)
        self.assertIn("FCA DISP 1.6.2AR", response.text)
