"""Anonymity on every path (ISO 10002 §4.9, confidentiality).

An anonymous complaint's identity (partner_id, partner_name, partner_email,
partner_phone and the stored copy commercial_partner_id, and any path through
them such as partner_id.name) is seen by complaint managers only. For the
other roles that may read the complaint (handlers of its team, auditors) each
path answers "hidden": the value reads empty, or the path behaves as if the
complaint had no complainant, so no answer depends on the identity. Roles
that may not read the complaint at all (handlers of another team, other
customers) are "refused" on every path: test_access_sweep checks them.

The table below is the access sweep's row for anonymity; a path without a
test_path_<name> method fails test_every_path_is_tested.
"""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.complaint_anonymity import IDENTITY_FIELDS
from .common import ComplaintCase
from .portal_common import PDF_BYTES, ComplaintHttpCase

HIDDEN, REFUSED, VISIBLE = "hidden", "refused", "visible"
# path: (handler of the team, auditor, handler of another team, manager)
# fmt: off
ANONYMITY_PATHS = {
    "read":                 (HIDDEN, HIDDEN, REFUSED, VISIBLE),  # read, search_read, web_read (nested partner_id{...})  # noqa: E501
    "search":               (HIDDEN, HIDDEN, REFUSED, VISIBLE),  # search/search_count on identity fields and paths  # noqa: E501
    "name_search":          (HIDDEN, HIDDEN, REFUSED, VISIBLE),
    "read_group":           (HIDDEN, HIDDEN, REFUSED, VISIBLE),  # group by, count_distinct, order  # noqa: E501
    "order":                (HIDDEN, HIDDEN, REFUSED, VISIBLE),  # sorting by an identity field  # noqa: E501
    "export":               (HIDDEN, HIDDEN, REFUSED, VISIBLE),
    "chatter_authors":      (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # the complainant's own posts name nobody  # noqa: E501
    "chatter_recipients":   (HIDDEN, HIDDEN, REFUSED, VISIBLE),  # suggested recipients, message partners  # noqa: E501
    "followers":            (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # the complainant never follows  # noqa: E501
    "acknowledgement":      (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # letter not linked to the chatter  # noqa: E501
    "tracking":             (HIDDEN, HIDDEN, REFUSED, VISIBLE),  # identity changes not tracked once anonymous  # noqa: E501
    "ratings":              (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # the rating names nobody  # noqa: E501
    "attachments":          (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # portal uploads by no one  # noqa: E501
    "activities":           (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # activity texts carry no identity  # noqa: E501
    "analysis":             (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # complaint.analysis partner_id empty  # noqa: E501
    "register_pdf":         (HIDDEN, HIDDEN, REFUSED, VISIBLE),
    "record_pdf":           (HIDDEN, HIDDEN, REFUSED, VISIBLE),
    "management_review":    (HIDDEN, HIDDEN, REFUSED, HIDDEN),   # aggregates only  # noqa: E501
}
# fmt: on
COLUMNS = ("handler", "auditor", "other_team", "manager")

SECRET_NAME = "Zoe Secretive"
SECRET_EMAIL = "zoe.secretive@example.com"
SECRET_PHONE = "+1 555 0199"
SECRET_COMPANY = "Secretive Holdings"


class AnonymityMixin:
    @classmethod
    def _setup_anonymity(cls):
        cls.secret_company = cls.env["res.partner"].create(
            {"name": SECRET_COMPANY, "is_company": True}
        )
        cls.zoe = new_test_user(
            cls.env,
            "cm_portal_zoe",
            groups="base.group_portal",
            name=SECRET_NAME,
            email=SECRET_EMAIL,
        )
        cls.zoe.partner_id.write(
            {"parent_id": cls.secret_company.id, "phone": SECRET_PHONE}
        )
        cls.anon = cls._create_complaint(
            name="Anonymous parcel", partner_id=cls.zoe.partner_id.id, is_anonymous=True
        )
        cls.named = cls._create_complaint(
            name="Named parcel", partner_id=cls.portal_a.partner_id.id
        )
        cls.secrets = (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, SECRET_COMPANY)
        # export is a right of its own: give it, the identity must stay hidden
        export = cls.env.ref("base.group_allow_export")
        (cls.handler_x | cls.auditor | cls.manager).write(
            {"group_ids": [(4, export.id)]}
        )

    def _readers(self):
        """(user, sees the identity) for the roles that read the complaint."""
        return ((self.handler_x, False), (self.auditor, False), (self.manager, True))

    def _assert_no_secret(self, text, label):
        for secret in self.secrets:
            self.assertNotIn(secret, str(text), f"{label} reveals {secret!r}")


@tagged("post_install", "-at_install")
class TestAnonymity(AnonymityMixin, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_anonymity()

    def test_every_path_is_tested(self):
        for path, row in ANONYMITY_PATHS.items():
            self.assertEqual(len(row), len(COLUMNS), path)
            self.assertTrue(
                hasattr(self, f"test_path_{path}") or path == "attachments",
                f"no test for anonymity path {path!r}",
            )
        self.assertTrue(hasattr(TestAnonymityHttp, "test_path_attachments"))
        self.assertEqual(ANONYMITY_PATHS["read"][COLUMNS.index("other_team")], REFUSED)

    def test_other_team_refused(self):
        """The 'refused' column: a handler of another team reads nothing."""
        Complaint = self.env["complaint.complaint"].with_user(self.handler_y)
        self.assertFalse(Complaint.search([("id", "=", self.anon.id)]))
        self.assertFalse(Complaint.search([("partner_email", "=", SECRET_EMAIL)]))
        with self.assertRaises(AccessError):
            self.anon.with_user(self.handler_y).read(["partner_id"])

    def test_path_read(self):
        spec = {
            "partner_id": {"fields": {"name": {}, "email": {}}},
            "commercial_partner_id": {"fields": {"display_name": {}}},
            "partner_name": {},
            "partner_email": {},
            "partner_phone": {},
        }
        for user, sees in self._readers():
            complaint = self.anon.with_user(user)
            with self.subTest(user=user.login):
                values = complaint.read(list(IDENTITY_FIELDS))[0]
                values.update(complaint.search_read([("id", "=", self.anon.id)])[0])
                web = complaint.web_read(spec)[0]
                if sees:
                    self.assertIn(SECRET_NAME, str(values))
                    self.assertEqual(web["partner_id"]["email"], SECRET_EMAIL)
                    continue
                self._assert_no_secret(values, "read")
                self._assert_no_secret(web, "web_read")
                for fname in IDENTITY_FIELDS:
                    self.assertIn(values[fname], (False, "Anonymous"), fname)
                self.assertFalse(web["partner_id"])
                self.assertFalse(web["commercial_partner_id"])
                # the named complaint is read as usual
                self.assertEqual(
                    self.named.with_user(user).read(["partner_email"])[0][
                        "partner_email"
                    ],
                    "alice@example.com",
                )

    def _identity_domains(self):
        partner = self.zoe.partner_id
        return [
            [("partner_email", "=", SECRET_EMAIL)],
            [("partner_email", "ilike", "secretive")],
            [("partner_name", "=", SECRET_NAME)],
            [("partner_phone", "=", SECRET_PHONE)],
            [("partner_id", "=", partner.id)],
            [("partner_id", "in", partner.ids)],
            [("partner_id.name", "=", SECRET_NAME)],
            [("partner_id.email", "=", SECRET_EMAIL)],
            [("commercial_partner_id", "=", self.secret_company.id)],
            [("commercial_partner_id.name", "ilike", SECRET_COMPANY)],
            [("partner_id", "child_of", self.secret_company.id)],
            [("partner_id", "!=", False)],
        ]

    def test_path_search(self):
        for user, sees in self._readers():
            Complaint = self.env["complaint.complaint"].with_user(user)
            for domain in self._identity_domains():
                with self.subTest(user=user.login, domain=domain):
                    found = Complaint.search([("id", "=", self.anon.id)] + domain)
                    count = Complaint.search_count([("id", "=", self.anon.id)] + domain)
                    self.assertEqual(bool(found), sees)
                    self.assertEqual(count, int(sees))
            # the answer to a negated condition does not depend on the identity
            right = Complaint.search_count(
                [("id", "=", self.anon.id), ("partner_email", "!=", SECRET_EMAIL)]
            )
            wrong = Complaint.search_count(
                [("id", "=", self.anon.id), ("partner_email", "!=", "x@example.com")]
            )
            if not sees:
                self.assertEqual(right, wrong, user.login)
            # the named complaint is found as usual
            self.assertEqual(
                Complaint.search([("partner_email", "=", "alice@example.com")]),
                self.named
                | Complaint.search(
                    [
                        ("partner_email", "=", "alice@example.com"),
                        ("id", "!=", self.named.id),
                    ]
                ),
            )
            self.assertIn(
                self.named, Complaint.search([("partner_id.name", "=", "Alice Portal")])
            )
        # through a relation from another model: SLA targets, actions
        action = self.env["complaint.action"].create(
            {"complaint_id": self.anon.id, "name": "Call back"}
        )
        for user, sees in self._readers():
            Action = self.env["complaint.action"].with_user(user)
            found = Action.search([("complaint_id.partner_email", "=", SECRET_EMAIL)])
            self.assertEqual(action in found, sees, user.login)

    def test_path_name_search(self):
        for user, _sees in self._readers():
            Complaint = self.env["complaint.complaint"].with_user(user)
            for term in (SECRET_NAME, SECRET_EMAIL):
                ids = [r[0] for r in Complaint.name_search(term)]
                self.assertNotIn(self.anon.id, ids, user.login)
            self.assertIn(
                self.anon.id, [r[0] for r in Complaint.name_search("Anonymous parcel")]
            )

    def test_path_read_group(self):
        domain = [("id", "in", (self.anon | self.named).ids)]
        for user, sees in self._readers():
            Complaint = self.env["complaint.complaint"].with_user(user)
            with self.subTest(user=user.login):
                for fname in ("partner_id", "commercial_partner_id", "partner_email"):
                    groups = dict(Complaint._read_group(domain, [fname], ["__count"]))
                    keys = [k.id if hasattr(k, "id") else k for k in groups]
                    self._assert_no_secret(
                        [getattr(k, "display_name", k) for k in groups]
                        if not sees
                        else "",
                        f"group by {fname}",
                    )
                    if not sees:
                        self.assertEqual(len(keys), 2, fname)  # Alice, and nobody
                groups = Complaint.formatted_read_group(
                    domain, ["partner_id"], ["__count", "partner_email:count_distinct"]
                )
                if sees:
                    self.assertIn(SECRET_NAME, str(groups))
                else:
                    self._assert_no_secret(groups, "formatted_read_group")
                    self.assertEqual(
                        Complaint._read_group(
                            [("id", "=", self.anon.id)],
                            [],
                            ["partner_email:count_distinct", "partner_id:array_agg"],
                        ),
                        [(0, [None])],
                    )
                # ordered by complainant: no error, no leak
                Complaint.formatted_read_group(
                    domain, ["partner_id"], ["__count"], order="partner_id desc"
                )

    def test_path_order(self):
        first = self._create_complaint(
            name="Anon A", partner_id=self.portal_a.partner_id.id, is_anonymous=True
        )
        second = self._create_complaint(
            name="Anon Z", partner_id=self.zoe.partner_id.id, is_anonymous=True
        )
        ids = (first | second).ids
        for user, sees in self._readers():
            Complaint = self.env["complaint.complaint"].with_user(user)
            orders = {
                order: Complaint.search([("id", "in", ids)], order=order).ids
                for order in (
                    "partner_name asc, id",
                    "partner_name desc, id",
                    "partner_id asc, id",
                    "partner_id desc, id",
                    "commercial_partner_id desc, id",
                )
            }
            if sees:
                self.assertNotEqual(
                    orders["partner_name asc, id"], orders["partner_name desc, id"]
                )
            else:
                self.assertEqual(len(set(map(tuple, orders.values()))), 1, orders)

    def test_path_export(self):
        fields = [
            "reference",
            "partner_id",
            "partner_id/name",
            "partner_id/email",
            "partner_email",
            "partner_phone",
            "commercial_partner_id/name",
            "commercial_partner_id/.id",
        ]
        records = self.named | self.anon | self.named.copy({"name": "Copy"})
        for user, sees in self._readers():
            rows = records.with_user(user).export_data(fields)["datas"]
            self.assertEqual(len(rows), 3)
            self.assertEqual(rows[1][0], self.anon.reference)
            if sees:
                self.assertIn(SECRET_EMAIL, rows[1])
            else:
                self._assert_no_secret(rows, "export")
                self.assertFalse(any(rows[1][1:]))
            self.assertIn("alice@example.com", rows[0])
            self.assertIn("alice@example.com", rows[2])

    def test_path_chatter_authors(self):
        # the complainant writes on the portal chatter
        self.anon.with_user(self.zoe).message_post(
            body="It is me again",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        # and by e-mail
        self.anon.message_post(
            body="By mail",
            message_type="email",
            email_from=SECRET_EMAIL,
            author_id=None,
        )
        messages = self.anon.message_ids.filtered(
            lambda m: "me again" in m.body or "By mail" in m.body
        )
        self.assertEqual(len(messages), 2)
        self.assertFalse(messages.author_id)
        self._assert_no_secret(messages.mapped("email_from"), "message author")
        # a handler's message keeps its author
        message = self.anon.with_user(self.handler_x).message_post(body="Handled")
        self.assertEqual(message.author_id, self.handler_x.partner_id)

    def test_path_chatter_recipients(self):
        for user, sees in self._readers():
            suggested = self.anon.with_user(user)._message_get_suggested_recipients()
            if sees:
                continue
            self.assertFalse(suggested, user.login)
        self.assertNotIn(self.zoe.partner_id, self.anon.message_ids.partner_ids)
        self.assertNotIn(
            self.zoe.partner_id, self.anon.message_ids.notification_ids.res_partner_id
        )

    def test_path_followers(self):
        self.assertNotIn(self.zoe.partner_id, self.anon.message_partner_ids)
        # a complaint made anonymous later: its complainant stops following
        named = self._create_complaint(
            name="Later anonymous", partner_id=self.zoe.partner_id.id
        )
        self.assertIn(self.zoe.partner_id, named.message_partner_ids)
        named.is_anonymous = True
        self.assertNotIn(self.zoe.partner_id, named.message_partner_ids)
        for user, _sees in self._readers():
            followers = named.with_user(user).message_follower_ids.read(["partner_id"])
            self._assert_no_secret(followers, "followers")

    def test_path_acknowledgement(self):
        self.assertTrue(self.anon.date_acknowledged)
        messages = self.anon.message_ids
        self.assertNotIn(self.zoe.partner_id, messages.partner_ids)
        self.assertNotIn(self.zoe.partner_id, messages.notification_ids.res_partner_id)
        self._assert_no_secret(messages.mapped("body"), "acknowledgement")

    def test_path_tracking(self):
        self.anon.write({"partner_phone": "+1 555 0000", "partner_name": "Zed"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        values = self.anon.message_ids.sudo().tracking_value_ids
        self.assertFalse(
            values.filtered(lambda t: t.field_id.name in IDENTITY_FIELDS),
            "identity changes of an anonymous complaint are not tracked",
        )
        # tracked before it became anonymous: shown to managers only
        named = self._create_complaint(
            name="Tracked", partner_id=self.zoe.partner_id.id
        )
        # (no tracking in the transaction that created a record)
        self.env.flush_all()
        self.env.cr.precommit.run()
        named.partner_phone = SECRET_PHONE + "1"
        self.env.flush_all()
        self.env.cr.precommit.run()
        named.is_anonymous = True
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "complaint.complaint"),
                    ("mail_message_id.res_id", "=", named.id),
                    ("field_id.name", "=", "partner_phone"),
                ]
            )
        )
        self.assertTrue(tracked)
        for user, sees in self._readers():
            shown = named.with_user(user)._track_filter_for_display(tracked)
            self.assertEqual(bool(shown), sees, user.login)

    def test_path_ratings(self):
        token = self.anon._rating_get_access_token()
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertTrue(rating)
        self.assertFalse(rating.partner_id)
        self.assertEqual(self.named._rating_get_partner(), self.portal_a.partner_id)

    def test_path_activities(self):
        self.anon.write({"severity": "critical"})  # alerts the team manager
        self.anon.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.handler_x.id
        )
        activities = self.anon.activity_ids
        self.assertTrue(activities)
        for user, _sees in self._readers():
            values = activities.with_user(user).read(
                ["res_name", "summary", "note", "display_name"]
            )
            self._assert_no_secret(values, "activities")

    def test_path_analysis(self):
        if "complaint.analysis" not in self.env:
            self.skipTest("complaint_management_reports is not installed")
        self.env.flush_all()
        y = self._create_complaint(
            name="Team Y anonymous",
            category_id=self.category_y.id,
            partner_id=self.zoe.partner_id.id,
            is_anonymous=True,
        )
        self.env.flush_all()
        for user, _sees in self._readers():
            Analysis = self.env["complaint.analysis"].with_user(user)
            rows = Analysis.search_read(
                [("complaint_id", "in", (self.anon | y).ids)], ["partner_id"]
            )
            self._assert_no_secret(rows, "analysis")
            groups = Analysis.formatted_read_group(
                [], ["partner_id", "team_id"], ["__count"]
            )
            self._assert_no_secret(groups, "analysis pivot")
            found = Analysis.search([("complaint_id.partner_email", "=", SECRET_EMAIL)])
            self.assertEqual(bool(found), user == self.manager)
        # a handler's pivot shows their teams' complaints only
        teams = (
            self.env["complaint.analysis"]
            .with_user(self.handler_x)
            .search([])
            .mapped("team_id")
        )
        self.assertNotIn(self.team_y, teams)

    def _render(self, xmlid, records, user):
        report = self.env.ref(xmlid, raise_if_not_found=False)
        if not report:
            self.skipTest("complaint_management_reports is not installed")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(report.report_name, records.ids)
        )
        return html.decode()

    def test_path_register_pdf(self):
        for user, sees in self._readers():
            html = self._render(
                "complaint_management_reports.action_report_complaint_register",
                self.anon | self.named,
                user,
            )
            self.assertIn(self.anon.reference, html)
            self.assertEqual(SECRET_NAME in html, sees, user.login)
            if not sees:
                self._assert_no_secret(html, "register")
            self.assertIn("Alice Portal", html, "a named complainant is printed")

    def test_path_record_pdf(self):
        self.anon.with_user(self.zoe).sudo().message_post(body="Portal note")
        for user, sees in self._readers():
            html = self._render(
                "complaint_management_reports.action_report_complaint_record",
                self.anon,
                user,
            )
            self.assertIn(self.anon.reference, html)
            if not sees:
                self._assert_no_secret(html, "record")

    def test_path_management_review(self):
        if "complaint.management.review.wizard" not in self.env:
            self.skipTest("complaint_management_reports is not installed")
        for user, _sees in self._readers():
            wizard = (
                self.env["complaint.management.review.wizard"]
                .with_user(user)
                .create({})
            )
            html = self._render(
                "complaint_management_reports."
                "action_report_complaint_management_review",
                wizard,
                user,
            )
            self._assert_no_secret(html, "management review")


@tagged("post_install", "-at_install")
class TestAnonymityHttp(AnonymityMixin, ComplaintHttpCase):
    def test_path_attachments(self):
        """An anonymous complaint filed on the portal with a file: the
        complaint, its messages and its attachments name no one."""
        self.company.complaint_allow_anonymous = True
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self._post(
            "/my/complaints/new",
            {
                "subject": "Anonymous portal complaint",
                "category_id": str(self.category_x.id),
                "description": "Please keep my name out of it.",
                "is_anonymous": "1",
                "consent": "1",
            },
            files=[("attachments", ("proof.pdf", PDF_BYTES, "application/pdf"))],
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        complaint = self.Complaint.search([], order="id desc", limit=1)
        self.assertTrue(complaint.is_anonymous)
        self.assertEqual(complaint.partner_id, self.portal_a.partner_id)
        secrets = ("Alice Portal", "alice@example.com")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertTrue(attachments)
        for user in (self.handler_x, self.auditor):
            as_user = complaint.with_user(user)
            values = as_user.read(["create_uid", "write_uid", *IDENTITY_FIELDS])
            values += as_user.message_ids.read(
                ["author_id", "email_from", "create_uid"]
            )
            values += attachments.with_user(user).read(["create_uid", "name"])
            for secret in secrets:
                self.assertNotIn(secret, str(values), user.login)
        # the complainant still follows it on the portal
        response = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Anonymous portal complaint", response.text)
