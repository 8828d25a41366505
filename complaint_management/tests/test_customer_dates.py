import re
from datetime import date, datetime

from odoo.tests import tagged

from ..models.customer_date import format_customer_date, is_solar_hijri
from .common import ComplaintCase
from .portal_common import ComplaintHttpCase

# 2026-11-30 12:42 UTC: 16:12 in Tehran (UTC+03:30), 12:42 in London (GMT),
# 1405/09/09 in the Solar Hijri calendar.
MOMENT = datetime(2026, 11, 30, 12, 42)
PERSIAN_MOMENT = "۱۴۰۵/۰۹/۰۹ ۱۶:۱۲ (Asia/Tehran)"
ASCII_DIGITS = re.compile(r"[0-9]")


class CustomerDatesMixin:
    @classmethod
    def _setup_customers(cls):
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.customer_fa = cls.env["res.partner"].create(
            {
                "name": "Dariush Farahani",
                "email": "dariush@example.com",
                "lang": "fa_IR",
                "tz": "Asia/Tehran",
            }
        )
        cls.customer_en = cls.env["res.partner"].create(
            {
                "name": "Zoe Lindqvist",
                "email": "zoe@example.com",
                "lang": "en_US",
                "tz": "Europe/London",
            }
        )


@tagged("post_install", "-at_install")
class TestCustomerDates(CustomerDatesMixin, ComplaintCase):
    """One format for every date a complainant reads: their time zone, named,
    no seconds; Solar Hijri with Persian digits in Persian."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_customers()

    def _complaint(self, partner, **values):
        return self._create_complaint(partner_id=partner.id, **values)

    def test_persian_solar_hijri_tehran_time(self):
        complaint = self._complaint(self.customer_fa).with_context(lang="fa_IR")
        text = complaint._customer_datetime(MOMENT)
        self.assertEqual(text, PERSIAN_MOMENT)
        self.assertFalse(ASCII_DIGITS.search(text.replace("Asia/Tehran", "")))
        self.assertEqual(
            complaint._customer_datetime(MOMENT, date_only=True), "۱۴۰۵/۰۹/۰۹"
        )
        # a date (no time) is not moved to another zone
        self.assertEqual(complaint._customer_datetime(date(2026, 3, 21)), "۱۴۰۵/۰۱/۰۱")
        # the day is the complainant's: 22:00 UTC is already the next day in Tehran
        self.assertEqual(
            complaint._customer_datetime(datetime(2026, 11, 29, 22, 0), date_only=True),
            "۱۴۰۵/۰۹/۰۹",
        )

    def test_persian_without_lang_in_context_uses_the_complainants(self):
        complaint = self._complaint(self.customer_fa).with_context(lang=None)
        self.assertEqual(complaint._customer_datetime(MOMENT), PERSIAN_MOMENT)

    def test_any_persian_language_is_solar_hijri(self):
        self.assertTrue(is_solar_hijri("fa_IR"))
        self.assertTrue(is_solar_hijri("fa_AF"))
        self.assertFalse(is_solar_hijri("fr_FR"))
        self.assertFalse(is_solar_hijri(False))
        complaint = self._complaint(self.customer_fa)
        self.assertEqual(
            format_customer_date(complaint.env, MOMENT, "Asia/Tehran", "fa_IR"),
            PERSIAN_MOMENT,
        )

    def test_english_gregorian_london_time_no_seconds(self):
        complaint = self._complaint(self.customer_en).with_context(lang="en_US")
        text = complaint._customer_datetime(MOMENT)
        self.assertEqual(text, "11/30/2026 12:42 PM (Europe/London)")
        self.assertEqual(
            complaint._customer_datetime(MOMENT, date_only=True), "11/30/2026"
        )
        # summer time
        self.assertEqual(
            complaint._customer_datetime(datetime(2026, 7, 1, 15, 12)),
            "07/01/2026 04:12 PM (Europe/London)",
        )

    def test_time_zone_falls_back_to_the_company(self):
        partner = self.env["res.partner"].create(
            {"name": "No Zone", "email": "nozone@example.com", "lang": "en_US"}
        )
        partner.tz = False
        complaint = self._complaint(partner).with_context(lang="en_US")
        self.company.partner_id.tz = "Europe/Paris"
        self.assertEqual(complaint._customer_tz(), "Europe/Paris")
        self.assertTrue(
            complaint._customer_datetime(MOMENT).endswith("01:42 PM (Europe/Paris)")
        )
        self.company.partner_id.tz = False
        self.company.resource_calendar_id.tz = "Asia/Tokyo"
        self.assertEqual(complaint._customer_tz(), "Asia/Tokyo")
        self.assertTrue(
            complaint._customer_datetime(MOMENT).endswith("09:42 PM (Asia/Tokyo)")
        )

    def _acknowledgement_body(self, complaint):
        self._send_letters()
        message = complaint.message_ids.filtered(
            lambda m: complaint.reference in (m.subject or "")
        )
        self.assertEqual(len(message), 1)
        return message.body

    def test_persian_acknowledgement_mail_in_solar_hijri(self):
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_management"], ["fa_IR"]
        )
        complaint = self._complaint(self.customer_fa, date_received=MOMENT)
        body = self._acknowledgement_body(complaint)
        self.assertIn("ثبت شد", body, "the Persian template")
        self.assertIn(PERSIAN_MOMENT, body)

    def test_english_mail_and_portal_show_the_same_moment(self):
        complaint = self._complaint(self.customer_en, date_received=MOMENT)
        body = self._acknowledgement_body(complaint)
        self.assertIn("11/30/2026 12:42 PM (Europe/London)", body)
        self.assertNotIn("12:42:00", body, "no seconds")


@tagged("post_install", "-at_install")
class TestCustomerDatesPortal(CustomerDatesMixin, ComplaintHttpCase):
    """The portal shows the complainant's dates as the letters do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_customers()
        cls.env["ir.module.module"]._load_module_terms(
            ["complaint_management"], ["fa_IR"]
        )
        cls.portal_a.write({"lang": "fa_IR", "tz": "Asia/Tehran"})
        cls.portal_b.write({"lang": "en_US", "tz": "Europe/London"})
        cls.complaint_fa = cls._create_complaint(
            partner_id=cls.portal_a.partner_id.id, date_received=MOMENT
        )
        cls.complaint_en = cls._create_complaint(
            partner_id=cls.portal_b.partner_id.id, date_received=MOMENT
        )

    def test_persian_portal_user_sees_solar_hijri(self):
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(f"/my/complaints/{self.complaint_fa.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(PERSIAN_MOMENT, response.text)
        self.assertNotIn("11/30/2026", response.text)
        self.assertNotIn("2026/11/30", response.text)
        listing = self.url_open("/my/complaints")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("۱۴۰۵/۰۹/۰۹", listing.text)

    def test_english_portal_user_sees_gregorian_in_their_zone(self):
        self.authenticate("cm_portal_b", "cm_portal_b")
        response = self.url_open(f"/my/complaints/{self.complaint_en.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("11/30/2026 12:42 PM (Europe/London)", response.text)
        self.assertNotIn("۱۴۰۵", response.text)
