"""The last ways an anonymous complainant's identity reached people who may
not see it (each test failed before its fix)."""

import os

from odoo.exceptions import AccessError
from odoo.modules.migration import load_script
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import file_path

from odoo.addons.mail.tools.discuss import Store

from ..models.complaint_anonymity import IDENTITY_FIELDS
from . import test_anonymity
from .common import ComplaintCase
from .test_anonymity import AnonymityMixin

MIGRATION = "complaint_management/migrations/19.0.1.1.0/pre-migrate.py"


@tagged("post_install", "-at_install")
class TestIdentityLeaks(AnonymityMixin, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_anonymity()

    def test_messages_posted_before_anonymity_hide_their_author(self):
        complaint = self._create_complaint(partner_id=self.zoe.partner_id.id)
        message = complaint.with_user(self.zoe).message_post(
            body="Written before I asked for anonymity",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(message.author_id, self.zoe.partner_id)
        complaint.with_user(self.manager).is_anonymous = True
        self.env.invalidate_all()
        for user, sees in self._readers():
            with self.subTest(user=user.login):
                as_user = message.with_user(user)
                values = as_user.read(["author_id", "email_from", "author_avatar"])[0]
                store = Store().add(as_user).get_result()
                found = as_user.search(
                    [
                        ("id", "=", message.id),
                        ("author_id", "=", self.zoe.partner_id.id),
                    ]
                )
                if sees:
                    self.assertEqual(values["author_id"][0], self.zoe.partner_id.id)
                    self.assertEqual(found, message)
                else:
                    self.assertFalse(values["author_id"])
                    self._assert_no_secret(values, "message read")
                    self._assert_no_secret(store, "chatter")
                    self.assertFalse(found, "found by its author")
        # a handler's message keeps its author
        own = complaint.with_user(self.handler_x).message_post(body="Handled")
        self.assertEqual(
            own.with_user(self.handler_x).read(["author_id"])[0]["author_id"][0],
            self.handler_x.partner_id.id,
        )

    def test_ticket_of_an_anonymous_complaint_is_hidden(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Broken parcel",
                "description": "Crushed box",
                "partner_id": self.zoe.partner_id.id,
                "team_id": self.team_x.id,
            }
        )
        ticket.action_escalate_to_complaint()
        complaint = ticket.complaint_ids
        complaint.write({"is_anonymous": True, "category_id": self.category_x.id})
        for user, sees in self._readers():
            with self.subTest(user=user.login):
                Complaint = self.env["complaint.complaint"].with_user(user)
                values = Complaint.browse(complaint.id).read(["ticket_id"])[0]
                found = Complaint.search(
                    [("ticket_id.partner_id", "=", self.zoe.partner_id.id)]
                )
                self.assertEqual(bool(values["ticket_id"]), sees)
                if not sees:
                    self.assertNotIn(complaint, found)

    def test_portal_colleagues_do_not_find_an_anonymous_complaint(self):
        colleague = new_test_user(
            self.env,
            "cm_portal_zoe_colleague",
            groups="base.group_portal",
            name="Colin Colleague",
            email="colin@example.com",
        )
        colleague.partner_id.parent_id = self.secret_company
        named = self._create_complaint(
            name="Colleague's named complaint", partner_id=colleague.partner_id.id
        )
        Complaint = self.env["complaint.complaint"].with_user(colleague)
        for domain in test_anonymity.TestAnonymity._identity_domains(self):
            with self.subTest(domain=domain):
                self.assertFalse(Complaint.search([("id", "=", self.anon.id)] + domain))
        # found as before by what does not name anybody, the identity masked
        self.assertEqual(Complaint.search([("id", "=", self.anon.id)]), self.anon)
        values = Complaint.browse(self.anon.id).read(list(IDENTITY_FIELDS))[0]
        self._assert_no_secret(values, "read by a colleague")
        self.assertIn(
            named, Complaint.search([("partner_id", "=", colleague.partner_id.id)])
        )
        # the complainant still finds her own anonymous complaint
        own = self.env["complaint.complaint"].with_user(self.zoe)
        self.assertEqual(own.search([("id", "=", self.anon.id)]), self.anon)
        self.assertIn(named, own.search([]), "a named one of her entity as before")

    def test_mail_to_the_complaints_alias_is_for_the_gateway_only(self):
        alias = self.env.ref("complaint_management.mail_alias_complaint")
        alias.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "complaints.example.com"}
        )
        # the alias received mail before (the first mail marks it valid, which
        # only an administrator may write)
        alias.alias_status = "valid"
        raw = (
            "From: Una Known <una.known@example.org>\n"
            f"To: {alias.alias_full_name}\n"
            "Subject: Posted over RPC\n"
            "Message-ID: <rpc-1@example.org>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            "Filed by a handler through message_process.\n"
        )
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        before = Complaint.search_count([])
        for user in (self.handler_x, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["mail.thread"].with_user(user).message_process(False, raw)
        self.assertEqual(Complaint.search_count([]), before)
        # the mail gateway (an administrator, or the superuser) files it
        self.env["mail.thread"].message_process(False, raw)
        self.assertEqual(Complaint.search_count([]), before + 1)

    def test_migration_sets_the_noupdate_flags(self):
        path = file_path(MIGRATION)
        self.assertTrue(os.path.exists(path))
        module = load_script(path, "complaint_management_pre_migrate")
        names = module.noupdate_xmlids(self.env.cr)
        for xmlid in (
            "complaint_stage_assessed",
            "complaint_channel_walk_in",
            "complaint_principle_confidentiality",
        ):
            self.assertIn(xmlid, names)
        Data = self.env["ir.model.data"].sudo()
        data = Data.search(
            [("module", "=", "complaint_management"), ("name", "in", list(names))]
        )
        self.assertEqual(len(data), len(names))
        data.write({"noupdate": False})
        data.flush_recordset()
        module.migrate(self.env.cr, "19.0.1.0.0")
        data.invalidate_recordset(["noupdate"])
        self.assertTrue(all(data.mapped("noupdate")))
        # records of files that are not noupdate keep their flag
        view = Data.search(
            [("module", "=", "complaint_management"), ("model", "=", "ir.ui.view")],
            limit=1,
        )
        self.assertFalse(view.noupdate)
        # the manifest's version runs the script on databases before it
        version = self.env["ir.module.module"].get_module_info("complaint_management")[
            "version"
        ]
        self.assertGreaterEqual(tuple(map(int, version.split("."))), (19, 0, 1, 1, 0))
