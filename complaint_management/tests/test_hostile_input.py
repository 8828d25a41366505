"""Hostile input on every way in: the portal form, the public form and the
mail gateway. Each attempt gets a clear error or a safe stored value, never a
500, and the number of complaints grows by exactly the number of accepted
submissions.
"""

import base64

from lxml import html as lxml_html

from odoo.tests import tagged

from .portal_common import PDF_BYTES, ComplaintHttpCase

PORTAL_FORM = "/my/complaints/new"
PUBLIC_FORM = "/complaints/new"
SCRIPT = '<script>alert("xss")</script>'
# Script, event handlers, attribute breakout, javascript: URL.
PAYLOAD = (
    SCRIPT + "<img src=x onerror=alert(1)>\"'><svg onload=alert(2)>"
    '<a href="javascript:alert(3)">click</a>'
)
# Persian with a zero-width non-joiner, Hebrew, an RTL override, emoji.
UNICODE_SUBJECT = "شکایت درباره\u200cی مرسوله 📦 עברית \u202egnp.exe 😡"
UNICODE_TEXT = "بسته آسیب\u200cدیده رسید 💔\nשלום 👋 — ‏مرحباً \u202bRTL\u202c ✓"
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
)
TEN_MB = 10 * 1024 * 1024
# Elements that run or load content by themselves (a bare <svg> kept by the
# sanitizer is inert once its event handlers are gone).
LIVE_TAGS = ("script", "iframe", "object", "embed", "frame", "frameset", "applet")


class HostileCase(ComplaintHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Many posts come from one IP: the rate limit is tested elsewhere.
        cls.env["ir.config_parameter"].sudo().set_param(
            "complaint_management.public_form_rate_limit", "100000"
        )

    def _last(self):
        return self.Complaint.with_context(active_test=False).search(
            [], order="id desc", limit=1
        )

    def _assert_not_500(self, response, label=""):
        self.assertLess(response.status_code, 500, f"{label}: {response.text[:300]}")

    def _assert_escaped(self, html, label, shown=True):
        """The payload shows as text: escaped, never as markup."""
        self.assertNotIn(SCRIPT, html, f"{label}: raw <script> rendered")
        self.assertNotIn("<img src=x onerror", html, label)
        self.assertNotIn("<svg onload", html, label)
        self.assertNotIn("<b onmouseover", html, label)
        if shown:
            self.assertIn("&lt;script&gt;", html, f"{label}: payload not shown escaped")

    def _assert_sanitized_html(self, value, label):
        """No live markup: no script-like element, no event handler, no
        javascript: URL (escaped text showing them is fine)."""
        if not value:
            return
        root = lxml_html.document_fromstring(f"<div>{value}</div>")
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            self.assertNotIn(element.tag, LIVE_TAGS, f"{label} keeps <{element.tag}>")
            for attr, attr_value in element.attrib.items():
                self.assertFalse(
                    attr.lower().startswith("on"), f"{label} keeps {attr}="
                )
                self.assertNotIn(
                    "javascript:",
                    attr_value.replace(" ", "").lower(),
                    f"{label} {attr}",
                )

    def _assert_backend_safe(self, complaint):
        """What handlers see in the back end: chatter messages and letters
        hold no live markup from the complainant (the web client shows Char
        and Text fields as text)."""
        self._assert_sanitized_html(complaint.description, "description")
        for message in complaint.message_ids:
            self._assert_sanitized_html(message.body, f"message {message.id}")
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
            )
        )
        for mail in mails:
            self._assert_sanitized_html(mail.body_html, f"mail {mail.id}")
        # what the form view reads
        data = complaint.with_user(self.manager).web_read(
            {"name": {}, "description": {}, "remedy_requested": {}, "partner_name": {}}
        )[0]
        self._assert_sanitized_html(data["description"], "web_read description")

    def _assert_ten_megabyte_description_refused(self):
        """Too long: a clear message, the form comes back, nothing stored."""
        before = self._count()
        response = self._submit(
            description="x" * TEN_MB,
            files=[("attachments", ("proof.pdf", PDF_BYTES, "application/pdf"))],
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "The description is too long (at most 20000 characters).", response.text
        )
        # Sent without a file (url-encoded), the body is refused before Odoo
        # reads it: 413 Request Entity Too Large.
        response = self._submit(description="x" * TEN_MB)
        self.assertIn(response.status_code, (400, 413))
        self.assertEqual(self._count(), before)
        return before


@tagged("post_install", "-at_install")
class TestHostilePortalForm(HostileCase):
    def setUp(self):
        super().setUp()
        self.authenticate("cm_portal_a", "cm_portal_a")

    def _submit(self, files=None, **values):
        data = {
            "subject": "Late parcel",
            "category_id": str(self.category_x.id),
            "description": "It came late.",
            "consent": "1",
        }
        data.update(values)
        return self._post(PORTAL_FORM, data, files=files)

    def test_script_injection_stored_sanitized_rendered_escaped(self):
        before = self._count()
        subject = SCRIPT + "<b onmouseover=alert(4)>bold</b>"
        response = self._submit(
            subject=subject, description=PAYLOAD, remedy_requested=PAYLOAD
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self._count(), before + 1)
        complaint = self._last()
        # Char and Text fields keep what was typed, as text
        self.assertEqual(complaint.name, subject)
        self.assertEqual(complaint.remedy_requested, PAYLOAD)
        # the Html description is sanitized, the payload kept as visible text
        self.assertIn("&lt;script&gt;", complaint.description)
        self._assert_backend_safe(complaint)
        for url in (
            f"/my/complaints/{complaint.id}",
            "/my/complaints",
            f"/complaints/submitted/{complaint.id}",
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            # the confirmation page shows the reference, not the subject
            self._assert_escaped(page.text, url, shown="submitted" not in url)

    def test_ten_megabyte_description(self):
        before = self._assert_ten_megabyte_description_refused()
        # at the limit, the text is stored whole (no silent truncation)
        response = self._submit(description="y" * 20000)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._count(), before + 1)
        self.assertIn("y" * 20000, self._last().description)

    def test_oversized_and_mislabeled_attachments(self):
        before = self._count()
        refused = [
            ("big.pdf", PDF_BYTES + b"0" * (1024 * 1024), "is larger than 1 MB"),
            ("invoice.pdf", EXE_BYTES, "is not an accepted type"),
            (
                "notes.txt",
                b"<html><script>alert(1)</script></html>",
                "is not an accepted type",
            ),
            (
                "photo.png",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                "is not an accepted type",
            ),
            ("setup.exe", EXE_BYTES, "is not an accepted type"),
            ("empty.pdf", b"", "is empty"),
        ]
        for name, data, message in refused:
            with self.subTest(file=name):
                response = self._submit(
                    files=[("attachments", (name, data, "application/pdf"))]
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        response = self._submit(
            files=[
                ("attachments", (f"p{i}.pdf", PDF_BYTES, "application/pdf"))
                for i in range(11)
            ]
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please attach at most 10 files.", response.text)
        self.assertEqual(self._count(), before)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("name", "in", ["invoice.pdf", "setup.exe"])]
            )
        )
        # a path in the file name is dropped
        response = self._submit(
            files=[
                ("attachments", ("../../etc/passwd.pdf", PDF_BYTES, "application/pdf"))
            ]
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._count(), before + 1)
        names = (
            self.env["ir.attachment"]
            .search(
                [
                    ("res_model", "=", "complaint.complaint"),
                    ("res_id", "=", self._last().id),
                ]
            )
            .mapped("name")
        )
        # (letters of the reports addon may be attached as well)
        self.assertIn("passwd.pdf", names)
        self.assertFalse([n for n in names if "/" in n or ".." in n], names)

    def test_unicode_rtl_emoji_stored_intact(self):
        before = self._count()
        response = self._submit(
            subject=UNICODE_SUBJECT,
            description=UNICODE_TEXT,
            remedy_requested=UNICODE_TEXT,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._count(), before + 1)
        complaint = self._last()
        self.assertEqual(complaint.name, UNICODE_SUBJECT)
        self.assertEqual(complaint.remedy_requested, UNICODE_TEXT)
        for line in UNICODE_TEXT.split("\n"):
            self.assertIn(line, complaint.description)
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertIn(UNICODE_SUBJECT, page)

    def test_nul_and_control_characters(self):
        """A NUL character used to make PostgreSQL fail: 500."""
        before = self._count()
        response = self._submit(
            subject="Broken\x00 chair",
            description="Bro\x00ken",
            remedy_requested="\x00",
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertEqual(self._count(), before + 1)
        complaint = self._last()
        self.assertEqual(complaint.name, "Broken chair")
        self.assertFalse(complaint.remedy_requested)
        response = self._submit(subject="\x00\x00  ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please give your complaint a subject.", response.text)
        response = self._submit(category_id="1 OR 1=1")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please choose a category from the list.", response.text)
        self.assertEqual(self._count(), before + 1)

    def test_sql_looking_search_terms(self):
        mine = self._create_complaint(name="Alice cracked screen")
        theirs = self._create_complaint(
            name="Bob cracked screen", partner_id=self.portal_b.partner_id.id
        )
        before = self._count()
        for term in (
            "' OR 1=1 --",
            "'; DROP TABLE complaint_complaint; --",
            '" OR ""="',
            "1) OR (1=1",
            "\\",
            "\x00' OR 1=1 --",
            "%' OR '%'='",
            "a" * 5000,
        ):
            for search_in in ("all", "reference", "name", "'; --"):
                with self.subTest(term=term[:20], search_in=search_in):
                    response = self.url_open(
                        "/my/complaints",
                        params={"search": term, "search_in": search_in},
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn(mine.name, response.text, "no extra results")
                    self.assertNotIn(theirs.name, response.text)
        # wildcards (and a lone NUL, dropped: no search) only ever widen to
        # the customer's own complaints
        for term in ("%", "_", "cracked", "\x00"):
            response = self.url_open("/my/complaints", params={"search": term})
            self.assertEqual(response.status_code, 200)
            self.assertIn(mine.name, response.text)
            self.assertNotIn(theirs.name, response.text)
        self.assertEqual(self._count(), before)

    def test_invalid_ids(self):
        mine = self._create_complaint(name="Alice valid id")
        for path in (
            "/my/complaints/abc",
            "/my/complaints/999999999",
            "/my/complaints/-1",
            "/my/complaints/0",
            "/my/complaints/99999999999999999999",
            "/my/complaints/9223372036854775808",
            f"/my/complaints/{mine.id}.0",
            f"/my/complaints/{mine.id}abc",
            "/my/complaints/%27%20OR%201=1",
            "/my/complaints/999999999/decision",
            "/my/complaints/99999999999999999999/decision",
            "/complaints/submitted/99999999999999999999",
            "/complaints/submitted/abc",
            "/my/complaints/page/99999999999999999999",
            "/my/complaints/page/-1",
        ):
            with self.subTest(path=path):
                response = self.url_open(path, allow_redirects=False)
                self._assert_not_500(response, path)
                if "/page/" in path:
                    self.assertIn(response.status_code, (200, 404))
                    self.assertNotIn("Bob", response.text)
                else:
                    self.assertEqual(response.status_code, 404)
        csrf = self._csrf("/my/complaints")
        for huge in ("999999999", "99999999999999999999"):
            for action in ("accept", "reject", "appeal", "rate"):
                with self.subTest(action=action, id=huge):
                    response = self.url_open(
                        f"/my/complaints/{huge}/{action}",
                        data={"csrf_token": csrf, "reason": "x", "rate": "5"},
                        allow_redirects=False,
                    )
                    self.assertEqual(response.status_code, 404)
        # and without an account: the login page or 404, never more
        self.authenticate(None, None)
        for path in ("/my/complaints/99999999999999999999", "/my/complaints/-5"):
            response = self.url_open(path, allow_redirects=False)
            self.assertIn(response.status_code, (303, 404), path)
        response = self.url_open(
            "/my/complaints/99999999999999999999?access_token=x", allow_redirects=False
        )
        self.assertEqual(response.status_code, 404)

    def test_tampered_access_tokens(self):
        complaint = self._create_complaint(name="Alice token parcel")
        other = self._create_complaint(
            name="Bob token table", partner_id=self.portal_b.partner_id.id
        )
        token = complaint._portal_ensure_token()
        other_token = other._portal_ensure_token()
        self.authenticate(None, None)
        base = f"/my/complaints/{complaint.id}"
        for bad in (
            "x",
            token[:-1],
            token.upper() if token.upper() != token else token + "0",
            token + "' OR '1'='1",
            token + "%00",
            "a" * 4000,
            other_token,
            "[]",
        ):
            for url in (
                f"{base}?access_token={bad}",
                f"/complaints/submitted/{complaint.id}?access_token={bad}",
            ):
                with self.subTest(url=url[:80]):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn("Alice token parcel", response.text)
                    self.assertNotIn(complaint.reference, response.text)
        # a repeated parameter does not help either
        response = self.url_open(
            f"{base}?access_token=x&access_token={token}", allow_redirects=False
        )
        self._assert_not_500(response)
        if response.status_code == 200:
            self.assertIn("Alice token parcel", response.text)  # the right one was used
        # the right token opens it
        response = self.url_open(f"{base}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Alice token parcel", response.text)

    def test_csrf_refused_nothing_created(self):
        before = self._count()
        data = {
            "subject": "Forged",
            "category_id": str(self.category_x.id),
            "description": "Sent by another site",
            "consent": "1",
        }
        for label, extra in (
            ("missing", {}),
            (
                "wrong",
                {"csrf_token": "0123456789abcdef0123456789abcdef01234567o9999999999"},
            ),
            ("empty", {"csrf_token": ""}),
        ):
            with self.subTest(csrf=label):
                response = self.url_open(
                    PORTAL_FORM, data=dict(data, **extra), allow_redirects=False
                )
                self.assertEqual(response.status_code, 400)
        # a token of another session (portal B's) is refused too
        self.authenticate("cm_portal_b", "cm_portal_b")
        foreign = self._csrf(PORTAL_FORM)
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(
            PORTAL_FORM, data=dict(data, csrf_token=foreign), allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._count(), before)
        # the actions on a decided complaint as well
        complaint = self._advance_to(
            self._create_complaint(name="Alice decided"), "decided"
        )
        for action in ("accept", "reject", "appeal", "rate"):
            response = self.url_open(
                f"/my/complaints/{complaint.id}/{action}",
                data={"reason": "x", "rate": "5"},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 400, action)
        self.env.invalidate_all()
        self.assertEqual(complaint.customer_reaction, "none")
        self.assertEqual(complaint.escalation_level, 0)


@tagged("post_install", "-at_install")
class TestHostilePublicForm(HostileCase):
    def _submit(self, files=None, **values):
        data = {
            "subject": "Broken chair",
            "category_id": str(self.category_x.id),
            "description": "The chair broke.",
            "contact_name": "Walter Web",
            "contact_email": "walter@example.com",
            "consent": "1",
        }
        data.update(values)
        return self._post(PUBLIC_FORM, data, files=files)

    def test_script_injection_in_every_field(self):
        before = self._count()
        name = SCRIPT + "Walter"
        phone = "<script>1</script>"
        response = self._submit(
            subject=SCRIPT + " chair",
            description=PAYLOAD,
            remedy_requested=PAYLOAD,
            contact_name=name,
            contact_phone=phone,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self._count(), before + 1)
        complaint = self._last()
        self.assertEqual(complaint.name, SCRIPT + " chair")
        self.assertEqual(complaint.partner_name, name)
        self.assertEqual(complaint.partner_phone, phone)
        self.assertEqual(complaint.partner_id.name, name)
        self._assert_backend_safe(complaint)
        token = complaint.access_token
        for url in (
            response.headers["Location"],
            f"/my/complaints/{complaint.id}?access_token={token}",
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self._assert_escaped(page.text, url, shown="submitted" not in url)

    def test_header_injection_and_bad_contacts(self):
        before = self._count()
        for field, value, message in (
            (
                "contact_email",
                "walter@example.com\r\nBcc: all@example.com",
                "valid e-mail address",
            ),
            (
                "contact_email",
                "walter@example.com>, <evil@example.com",
                "valid e-mail address",
            ),
            ("contact_email", '"<script>"@example.com', "valid e-mail address"),
            ("contact_phone", "1" * 65, "Please enter a valid phone number."),
            ("subject", "s" * 201, "The subject is too long"),
            ("remedy_requested", "r" * 20001, "This text is too long"),
            ("category_id", "-1", "Please choose a category from the list."),
        ):
            with self.subTest(field=field, value=value[:30]):
                response = self._submit(**{field: value})
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertNotIn(SCRIPT, response.text)
        self.assertEqual(self._count(), before)

    def test_ten_megabyte_description(self):
        self._assert_ten_megabyte_description_refused()

    def test_mislabeled_attachment(self):
        before = self._count()
        response = self._submit(
            files=[("attachments", ("invoice.pdf", EXE_BYTES, "application/pdf"))]
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not an accepted type", response.text)
        response = self._submit(
            files=[("attachments", ("big.txt", b"a" * (1024 * 1024 + 1), "text/plain"))]
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is larger than 1 MB", response.text)
        self.assertEqual(self._count(), before)

    def test_unicode_and_nul(self):
        before = self._count()
        response = self._submit(
            subject=UNICODE_SUBJECT,
            description=UNICODE_TEXT,
            contact_name="مریم رضایی\u200cپور",
        )
        self.assertEqual(response.status_code, 303)
        complaint = self._last()
        self.assertEqual(complaint.name, UNICODE_SUBJECT)
        self.assertEqual(complaint.partner_name, "مریم رضایی\u200cپور")
        page = self.url_open(response.headers["Location"]).text
        self.assertIn(complaint.reference, page)
        # NUL characters made the public form answer 500
        response = self._submit(subject="Chair\x00", contact_name="Wal\x00ter")
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertEqual(self._last().partner_name, "Walter")
        self.assertEqual(self._count(), before + 2)

    def test_csrf_refused_nothing_created(self):
        before = self._count()
        data = {
            "subject": "Forged",
            "category_id": str(self.category_x.id),
            "description": "x",
            "contact_name": "F",
            "contact_email": "f@example.com",
            "consent": "1",
        }
        for extra in ({}, {"csrf_token": "forged"}, {"csrf_token": ""}):
            response = self.url_open(
                PUBLIC_FORM, data=dict(data, **extra), allow_redirects=False
            )
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self._count(), before)


MAIL = (
    "From: Carol Customer <carol@example.org>\n"
    "To: complaints@example.com\n"
    "Subject: {subject}\n"
    "Message-ID: <{msg_id}@example.org>\n"
    "MIME-Version: 1.0\n"
    "{rest}"
)


@tagged("post_install", "-at_install")
class TestHostileMail(HostileCase):
    """The mail gateway keeps every complaint it can read: an e-mail is
    evidence, so odd ones are stored safely rather than dropped."""

    def _process(self, raw):
        return self.env["mail.thread"].message_process("complaint.complaint", raw)

    def _batch(self, mails):
        """Process ``mails`` ({label: raw}); every one must give a complaint."""
        before = self._count()
        complaints = {}
        for label, raw in mails.items():
            with self.subTest(mail=label):
                complaint_id = self._process(raw)
                self.assertTrue(complaint_id, label)
                complaints[label] = self.Complaint.browse(complaint_id)
        self.assertEqual(self._count(), before + len(mails))
        return complaints

    def test_script_injection(self):
        html = (
            "Content-Type: text/html; charset=utf-8\n\n"
            f"<p>Hello</p>{PAYLOAD}<iframe src='https://evil.example.com'></iframe>"
            "<p style='background:url(javascript:alert(5))'>styled</p>"
        )
        complaint = self._batch(
            {"html": MAIL.format(subject=SCRIPT + " invoice", msg_id="xss1", rest=html)}
        )["html"]
        self.assertEqual(complaint.name, SCRIPT + " invoice")
        self.assertIn("Hello", complaint.description)
        self.assertNotIn("<iframe", complaint.description)
        self._assert_backend_safe(complaint)
        page = self.url_open(
            f"/my/complaints/{complaint.id}?access_token={complaint._portal_ensure_token()}"
        )
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(SCRIPT, page.text)
        self.assertIn("&lt;script&gt;", page.text)  # in the subject, as text

    def test_missing_headers(self):
        complaints = self._batch(
            {
                "no from": "To: complaints@example.com\nSubject: Who am I\n"
                "Message-ID: <nf@x>\n\nbody",
                "no subject": "From: dan@example.org\nTo: complaints@example.com\n"
                "Message-ID: <ns@x>\n\nno subject here",
                "no message-id": "From: dan@example.org\nTo: complaints@example.com\n"
                "Subject: No id\n\nno id here",
                "no headers": "only a body, no header at all",
                "empty": "",
            }
        )
        self.assertFalse(complaints["no from"].partner_id)
        self.assertEqual(complaints["no from"].name, "Who am I")
        self.assertEqual(complaints["no subject"].name, "No subject")
        self.assertIn("no subject here", complaints["no subject"].description)
        self.assertEqual(complaints["no message-id"].name, "No id")
        self.assertIn("only a body", complaints["no headers"].description)

    def test_unknown_encodings(self):
        """An unknown charset used to raise LookupError: the e-mail was lost."""
        complaints = self._batch(
            {
                "body": MAIL.format(
                    subject="Charset",
                    msg_id="cs1",
                    rest="Content-Type: text/plain; charset=x-unknown\n\n"
                    "Plain words here",
                ),
                "8bit": MAIL.format(
                    subject="Charset 8bit",
                    msg_id="cs2",
                    rest="Content-Type: text/plain; charset=x-unknown\n"
                    "Content-Transfer-Encoding: 8bit\n\n",
                ).encode()
                + b"Caf\xe9 \xff words",
                "subject": MAIL.format(
                    subject="=?x-unknown?q?Caf=E9?=", msg_id="cs3", rest="\nbody text"
                ),
                "multipart": MAIL.format(
                    subject="Charset parts",
                    msg_id="cs4",
                    rest="Content-Type: multipart/alternative; boundary=B\n\n--B\n"
                    "Content-Type: text/plain; charset=klingon\n\nqapla words\n--B\n"
                    "Content-Type: text/html; charset=klingon\n\n"
                    "<p>qapla words</p>\n--B--\n",
                ),
            }
        )
        self.assertIn("Plain words here", complaints["body"].description)
        self.assertIn("words", complaints["8bit"].description)
        self.assertIn("Caf", complaints["subject"].name)
        self.assertIn("qapla words", complaints["multipart"].description)

    def test_unicode_rtl_emoji(self):
        subject = base64.b64encode(UNICODE_SUBJECT.encode()).decode()
        body = base64.encodebytes(UNICODE_TEXT.encode()).decode()
        complaint = self._batch(
            {
                "utf8": MAIL.format(
                    subject=f"=?utf-8?b?{subject}?=",
                    msg_id="u1",
                    rest="Content-Type: text/plain; charset=utf-8\n"
                    f"Content-Transfer-Encoding: base64\n\n{body}",
                )
            }
        )["utf8"]
        self.assertEqual(complaint.name, UNICODE_SUBJECT)
        for line in UNICODE_TEXT.split("\n"):
            self.assertIn(line, complaint.description)

    def test_malformed_and_huge(self):
        attachment = base64.encodebytes(PDF_BYTES + b"0" * (8 * 1024 * 1024)).decode()
        complaints = self._batch(
            {
                "garbage": "\x01\x02 ::: not: an e-mail\n\n\n\x7f",
                "nul": MAIL.format(
                    subject="Nul\x00 subject", msg_id="n1", rest="\nbo\x00dy"
                ),
                "broken mime": MAIL.format(
                    subject="Broken MIME",
                    msg_id="bm1",
                    rest="Content-Type: multipart/mixed; boundary=XYZ\n\n--XYZ\n"
                    "Content-Type: text/plain\n\nunterminated part",
                ),
                "bad base64": MAIL.format(
                    subject="Bad base64",
                    msg_id="b64",
                    rest="Content-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: base64\n\n!!!not base64 at all###",
                ),
                "long subject": MAIL.format(
                    subject="S" * 20000, msg_id="ls", rest="\nbody"
                ),
                "huge": MAIL.format(
                    subject="Huge",
                    msg_id="huge",
                    rest="Content-Type: multipart/mixed; boundary=H\n\n--H\n"
                    "Content-Type: text/plain; charset=utf-8\n\n"
                    + "lorem ipsum dolor sit amet "
                    * 40000
                    + "\n--H\nContent-Type: application/pdf; name=scan.pdf\n"
                    "Content-Disposition: attachment; filename=scan.pdf\n"
                    f"Content-Transfer-Encoding: base64\n\n{attachment}--H--\n",
                ),
            }
        )
        self.assertEqual(complaints["nul"].name, "Nul subject")
        self.assertIn("unterminated part", complaints["broken mime"].description)
        self.assertEqual(len(complaints["long subject"].name), 20000)
        huge = complaints["huge"]
        self.assertGreater(len(huge.description), 1_000_000)
        scan = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "complaint.complaint"),
                ("res_id", "=", huge.id),
                ("name", "=", "scan.pdf"),
            ]
        )
        self.assertEqual(len(scan), 1)
        self.assertGreater(
            scan.file_size, 8 * 1024 * 1024, "attachments are kept whole"
        )

    def test_mislabeled_attachment_kept_as_evidence(self):
        """Unlike the forms, an e-mail is not refused for its attachment: the
        file stays on the complaint, but it never becomes active content."""
        raw = MAIL.format(
            subject="Attached",
            msg_id="att1",
            rest="Content-Type: multipart/mixed; boundary=Z\n\n--Z\n"
            "Content-Type: text/plain\n\nsee attached\n--Z\n"
            "Content-Type: application/pdf; name=invoice.pdf\n"
            "Content-Disposition: attachment; filename=invoice.pdf\n"
            "Content-Transfer-Encoding: base64\n\n"
            + base64.encodebytes(EXE_BYTES).decode()
            + "--Z--\n",
        )
        complaint = self._batch({"exe": raw})["exe"]
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "complaint.complaint"),
                ("res_id", "=", complaint.id),
                ("name", "=", "invoice.pdf"),
            ]
        )
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.raw, EXE_BYTES)
        self.assertNotIn("html", attachment.mimetype)
        self.assertNotIn("javascript", attachment.mimetype)

    def test_reply_with_hostile_content_threads_without_new_complaint(self):
        first = self._batch(
            {"first": MAIL.format(subject="Original", msg_id="orig", rest="\nfirst")}
        )["first"]
        before = self._count()
        self._process(
            MAIL.format(
                subject="Re: Original",
                msg_id="reply",
                rest="In-Reply-To: <orig@example.org>\nReferences: <orig@example.org>\n"
                f"Content-Type: text/html; charset=utf-8\n\n<p>more</p>{PAYLOAD}",
            )
        )
        self.assertEqual(self._count(), before)
        reply = first.message_ids.filtered(lambda m: "more" in (m.body or ""))
        self.assertTrue(reply)
        self._assert_sanitized_html(reply.body, "reply")
