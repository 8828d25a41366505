from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase

# Expected rights per group and model: r(ead) w(rite) c(reate) u(nlink).
MATRIX = {
    "complaint.complaint": {
        "manager": "rwc",
        "handler_x": "rwc",
        "auditor": "r",
        "portal_a": "r",
    },
    "complaint.stage": {
        "manager": "rwcu",
        "handler_x": "r",
        "auditor": "r",
        "portal_a": "r",
    },
    "complaint.category": {
        "manager": "rwcu",
        "handler_x": "r",
        "auditor": "r",
        "portal_a": "r",
    },
    "complaint.channel": {
        "manager": "rwcu",
        "handler_x": "r",
        "auditor": "r",
        "portal_a": "r",
    },
    "complaint.principle": {
        "manager": "rwc",
        "handler_x": "r",
        "auditor": "r",
        "portal_a": "r",
    },
    "complaint.root.cause": {
        "manager": "rwcu",
        "handler_x": "r",
        "auditor": "r",
        "portal_a": "",
    },
    "complaint.action": {
        "manager": "rwcu",
        "handler_x": "rwc",
        "auditor": "r",
        "portal_a": "",
    },
}


@tagged("post_install", "-at_install")
class TestAccessRights(ComplaintCase):
    def test_access_matrix(self):
        for model, rights in MATRIX.items():
            for user_name, expected in rights.items():
                user = getattr(self, user_name)
                records = self.env[model].with_user(user)
                for mode, letter in (
                    ("read", "r"),
                    ("write", "w"),
                    ("create", "c"),
                    ("unlink", "u"),
                ):
                    with self.subTest(model=model, user=user_name, mode=mode):
                        self.assertEqual(
                            records.has_access(mode),
                            letter in expected,
                            f"{user_name} {mode} {model}",
                        )

    def test_team_isolation(self):
        complaint_x = self._create_complaint()
        complaint_y = self._create_complaint(category_id=self.category_y.id)
        visible_x = self.env["complaint.complaint"].with_user(self.handler_x).search([])
        self.assertIn(complaint_x, visible_x)
        self.assertNotIn(complaint_y, visible_x)
        with self.assertRaises(AccessError):
            complaint_y.with_user(self.handler_x).read(["name"])
        visible_auditor = (
            self.env["complaint.complaint"].with_user(self.auditor).search([])
        )
        self.assertLessEqual(complaint_x | complaint_y, visible_auditor)
        with self.assertRaises(AccessError):
            complaint_x.with_user(self.auditor).write({"name": "changed"})

    def test_portal_sees_own_commercial_entity_only(self):
        mine = self._create_complaint()
        theirs = self._create_complaint(partner_id=self.portal_b.partner_id.id)
        visible = self.env["complaint.complaint"].with_user(self.portal_a).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal_a).read(["name"])

    def test_deletion_refused(self):
        complaint = self._create_complaint()
        for user in (self.manager, self.handler_x, self.auditor, self.portal_a):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                complaint.with_user(user).unlink()
        self.assertTrue(complaint.exists())

    def test_archive_needs_reason(self):
        complaint = self._create_complaint()
        with self.assertRaises(ValidationError) as caught:
            complaint.with_user(self.handler_x).action_archive()
        self.assertIn("Information integrity", str(caught.exception))
        wizard = (
            self.env["complaint.cancel.wizard"]
            .with_user(self.handler_x)
            .create(
                {
                    "complaint_ids": [(6, 0, complaint.ids)],
                    "reason": "Withdrawn by phone",
                }
            )
        )
        wizard.action_confirm()
        self.assertFalse(complaint.active)
        archived = (
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            .search([("reference", "=", complaint.reference)])
        )
        self.assertEqual(archived, complaint, "cancelled complaints stay searchable")


@tagged("post_install", "-at_install")
class TestAnonymity(ComplaintCase):
    def test_identity_hidden_from_all_but_managers(self):
        complaint = self._create_complaint(
            is_anonymous=True, partner_phone="+1 555 0100"
        )
        fields = ["partner_id", "partner_name", "partner_email", "partner_phone"]
        handler_view = complaint.with_user(self.handler_x).read(fields)[0]
        self.assertFalse(handler_view["partner_id"])
        self.assertFalse(handler_view["partner_email"])
        self.assertFalse(handler_view["partner_phone"])
        self.assertNotEqual(handler_view["partner_name"], self.portal_a.name)
        auditor_view = complaint.with_user(self.auditor).search_read(
            [("id", "=", complaint.id)], fields
        )[0]
        self.assertFalse(auditor_view["partner_email"])
        manager_view = complaint.with_user(self.manager).read(fields)[0]
        self.assertEqual(manager_view["partner_id"][0], self.portal_a.partner_id.id)
        self.assertEqual(manager_view["partner_email"], "alice@example.com")
        web = complaint.with_user(self.handler_x).web_read(
            {"partner_id": {"fields": {"display_name": {}}}}
        )
        self.assertFalse(web[0]["partner_id"])

    def test_named_complaint_visible_to_team(self):
        complaint = self._create_complaint()
        view = complaint.with_user(self.handler_x).read(["partner_email"])[0]
        self.assertEqual(view["partner_email"], "alice@example.com")


@tagged("post_install", "-at_install")
class TestMultiCompany(ComplaintCase):
    def test_other_company_isolated(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        complaint_other = self._create_complaint(company_id=other.id, category_id=False)
        complaint_main = self._create_complaint()
        self.assertNotEqual(complaint_other.reference, False)
        visible = self.env["complaint.complaint"].with_user(self.manager).search([])
        self.assertIn(complaint_main, visible)
        self.assertNotIn(complaint_other, visible)
        self.manager.write({"company_ids": [(4, other.id)]})
        visible = (
            self.env["complaint.complaint"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[other.id])
            .search([])
        )
        self.assertIn(complaint_other, visible)
        self.assertNotIn(complaint_main, visible)
