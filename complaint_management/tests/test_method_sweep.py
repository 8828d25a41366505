"""Method sweep: every public method of every complaint model (both addons),
called as the Auditor, as a handler of another team and as a portal user of
another customer, through the ORM and through Odoo's JSON-2 API
(/json/2/<model>/<method> with an API key). Each call is refused, or changes
nothing the role may not change. A public method without a row in
METHOD_SWEEP fails the sweep.

Public: a callable attribute without a leading underscore, defined in a class
of our addons in the registry class's MRO (so also our overrides of core
methods, e.g. create, write, message_post).
"""

import email
import email.policy
import json
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from .portal_common import ComplaintHttpCase

OUR_MODULE_PREFIXES = (
    "odoo.addons.complaint_management.",
    "odoo.addons.complaint_management_reports.",
)
MAIL_THREAD_MODULE = "odoo.addons.complaint_management.models.mail_thread"
ROLES = ("auditor", "handler_y", "portal_b")
# REFUSED: the call raises (AccessError, UserError, ...; over JSON-2 an error
# answer) and nothing changes. UNCHANGED: it may answer (an action to open, a
# parse result) but changes nothing. ALLOWED: the role may create what the
# call creates (it is within its own rights), the target records stay as
# they were.
REFUSED, UNCHANGED, ALLOWED = "refused", "unchanged", "allowed"
RAW_MAIL = (
    "From: Rpc Sender <rpc@example.org>\nTo: complaints@example.com\n"
    "Subject: Sent over RPC\nMessage-ID: <rpc-{n}@example.org>\n\nBody"
)
# (model, method): (target, kwargs builder, (auditor, handler_y, portal_b)).
# target: "record" (the sweep's record of that model) or "model" (no ids).
# "*" as model: the method of our mail.thread extension, on every complaint
# model that is a mail thread. A handler of another team may open a wizard on
# a complaint of team X, but its complaints are read through the record rules:
# the wizard finds nothing to act on (UNCHANGED).
# Methods whose argument JSON cannot carry (an email.message object): the
# standard code answers ValueError (500) before anything happens.
JSON2_BAD_ARGUMENT = {"message_parse", "message_route"}
# fmt: off
METHOD_SWEEP = {
    ("complaint.complaint", "create"): ("model", lambda t: {"vals_list": [t.complaint_vals()]}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "write"): ("record", lambda t: {"vals": {"name": "Hacked"}}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "export_data"): ("record", lambda t: {"fields_to_export": ["name", "partner_email"]}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_assign_to_me"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_next_step"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_customer_accept"): ("record", lambda t: {"note": "ok"}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_customer_reject"): ("record", lambda t: {"note": "no"}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_appeal"): ("record", lambda t: {"reason": "Unfair", "handler": t.handler_x2.id}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_reopen"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_mark_duplicate"): ("record", lambda t: {"original": t.other.id, "reason": "Same"}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_cancel"): ("record", lambda t: {"reason": "Gone"}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_open_cancel_wizard"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.complaint", "action_open_duplicate_wizard"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.complaint", "action_open_appeal_wizard"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.complaint", "action_view_sla_status"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.complaint", "action_erase"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_send_holding_response"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_send_summary_resolution"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_record_resolution"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_open_holding_wizard"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.complaint", "action_open_resolution_wizard"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    # a handler may create a complaint without a team (as with create())
    ("complaint.complaint", "message_new"): ("model", lambda t: {"msg_dict": {"subject": "By RPC", "email_from": "rpc@example.org", "body": "x"}}, (REFUSED, ALLOWED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "message_post"): ("record", lambda t: {"body": "Posted by a stranger"}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("*", "message_process"): ("model", lambda t: {"model": "complaint.complaint", "message": RAW_MAIL.format(n=t.next_n())}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    # needs an email.message object: over JSON-2 always refused
    ("*", "message_parse"): ("model", lambda t: {"message": t.parse_arg()}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    # a mail for complaints is routed for the gateway only
    ("*", "message_route"): ("model", lambda t: t.route_args(), (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.action", "action_done"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.action", "action_cancel"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.action", "action_reopen"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.sla", "create"): ("model", lambda t: {"vals_list": [{"name": "RPC rule", "target_step": "decided", "time_hours": 1}]}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.sla", "write"): ("record", lambda t: {"vals": {"time_hours": 1}}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.sla", "unlink"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.sla", "action_view_status"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.cancel.wizard", "action_confirm"): ("record", lambda t: {}, (REFUSED, UNCHANGED, REFUSED)),  # noqa: E501
    ("complaint.duplicate.wizard", "action_confirm"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.appeal.wizard", "action_confirm"): ("record", lambda t: {}, (REFUSED, UNCHANGED, REFUSED)),  # noqa: E501
    ("complaint.regulatory.response.wizard", "action_confirm"): ("record", lambda t: {}, (REFUSED, UNCHANGED, REFUSED)),  # noqa: E501
    # managers only: another role cannot even read the manager's wizard
    ("complaint.subject.access.wizard", "action_export"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.public.holidays.wizard", "action_fill"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    # improvement loop: links and views change nothing by themselves; the
    # sweep's complaint has no systemic issue to share (refused for all)
    ("complaint.complaint", "action_share_systemic_issue"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.complaint", "action_view_systemic_issue"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.systemic.issue", "action_monitor"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.systemic.issue", "action_close"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.systemic.issue", "action_reopen"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.systemic.issue", "action_open_merge_wizard"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.systemic.issue", "action_view_complaints"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.systemic.issue.merge.wizard", "action_merge"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.harm.signal", "action_view_complaints"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.harm.signal", "action_create_issue"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.harm.signal", "action_dismiss"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    # complaint_management_reports
    ("complaint.management.review.wizard", "action_print_review"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.management.review.wizard", "action_print_sla_compliance"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    # the board pack: managers and auditors only (a handler is refused)
    ("complaint.management.review.wizard", "action_print_board_pack"): ("record", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501
    ("complaint.outcome.analysis", "init"): ("model", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501  (@api.private: not callable over RPC)
    # compliance officers (managers) and auditors: a preview or a file of
    # their own, nothing else changes; others cannot read the wizard
    ("complaint.regulatory.return.wizard", "action_compute"): ("record", lambda t: {}, (UNCHANGED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.regulatory.return.wizard", "action_export_csv"): ("record", lambda t: {}, (UNCHANGED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.regulatory.return.wizard", "action_export_xlsx"): ("record", lambda t: {}, (UNCHANGED, REFUSED, REFUSED)),  # noqa: E501
    # vulnerability notes: the complaint's team and managers only
    ("complaint.vulnerability", "create"): ("model", lambda t: {"vals_list": [{"complaint_id": t.complaint.id, "driver": "health"}]}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.vulnerability", "write"): ("record", lambda t: {"vals": {"note": "Changed"}}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.vulnerability", "unlink"): ("record", lambda t: {}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    # categories: managers only (moving one re-matches the SLA rules)
    ("complaint.category", "write"): ("record", lambda t: {"vals": {"parent_id": t.category_y.id}}, (REFUSED, REFUSED, REFUSED)),  # noqa: E501
    ("complaint.analysis", "init"): ("model", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501  (@api.private: not callable over RPC)
    ("complaint.complaint", "init"): ("model", lambda t: {}, (UNCHANGED, UNCHANGED, UNCHANGED)),  # noqa: E501  (@api.private: not callable over RPC)
}
# fmt: on


def our_public_methods(env):
    """{(model, method)} for the public methods our addons define on the
    complaint models; methods of our mail.thread extension under "*"."""
    found = set()
    for model_name in list(env.registry):
        # abstract models (mixins) reach callers through the concrete models
        # that inherit them, which the sweep covers
        if not model_name.startswith("complaint.") or env[model_name]._abstract:
            continue
        for klass in type(env[model_name]).mro():
            if not klass.__module__.startswith(OUR_MODULE_PREFIXES):
                continue
            # our mail.thread extension: one row for every complaint thread
            key_model = "*" if klass.__module__ == MAIL_THREAD_MODULE else model_name
            for name, attr in vars(klass).items():
                if name.startswith("_") or isinstance(attr, fields.Field):
                    continue
                if callable(attr) or isinstance(attr, classmethod | staticmethod):
                    found.add((key_model, name))
    return found


@tagged("post_install", "-at_install")
class TestMethodSweep(ComplaintHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._advance_to(cls._create_complaint(), "decided")
        cls.other = cls._create_complaint(name="Same parcel")
        cls.action = cls.env["complaint.action"].create(
            {
                "complaint_id": cls.complaint.id,
                "name": "Repair",
                "user_id": cls.manager.id,
            }
        )
        cls.vulnerability = cls.env["complaint.vulnerability"].create(
            {"complaint_id": cls.complaint.id, "driver": "health", "note": "Kept"}
        )
        cls.sla_rule = cls.env["complaint.sla"].create(
            {"name": "Sweep rule", "target_step": "decided", "time_hours": 80}
        )
        cls.issues = cls.env["complaint.systemic.issue"].create(
            [{"name": "Sweep issue"}, {"name": "Sweep issue too"}]
        )
        cls.signal = cls.env["complaint.harm.signal"].create(
            {
                "company_id": cls.company.id,
                "dimension": "category",
                "category_id": cls.category_x.id,
                "date_from": "2027-01-01",
                "date_to": "2027-01-21",
                "weeks": 3,
                "observed": 20,
                "expected": 5.0,
            }
        )
        cls.keys = {}
        for role in ROLES:
            user = getattr(cls, role)
            cls.keys[role] = (
                cls.env["res.users.apikeys"]
                .with_user(user)
                .sudo(False)
                ._generate(
                    scope="rpc",
                    name="sweep",
                    expiration_date=datetime.now() + timedelta(days=1),
                )
            )
        cls._n = 0

    # helpers used by the table ------------------------------------------
    def complaint_vals(self):
        return {
            "name": "Created by a stranger",
            "category_id": self.category_x.id,
            "channel_id": self.channel_phone.id,
            "partner_id": self.portal_a.partner_id.id,
        }

    def next_n(self):
        type(self)._n += 1
        return self._n

    def parse_arg(self):
        return email.message_from_string(
            RAW_MAIL.format(n=self.next_n()), policy=email.policy.SMTP
        )

    def route_args(self):
        message = self.parse_arg()
        return {
            "message": message,
            "message_dict": self.env["mail.thread"].message_parse(message),
            "model": "complaint.complaint",
        }

    def _target(self, model, role):
        """The record a method is called on, for ``role``."""
        if model == "complaint.complaint":
            return self.complaint
        if model == "complaint.action":
            return self.action
        if model == "complaint.sla":
            return self.sla_rule
        if model == "complaint.vulnerability":
            return self.vulnerability
        if model == "complaint.category":
            return self.category_x
        if model == "complaint.systemic.issue":
            return self.issues[0]
        if model == "complaint.harm.signal":
            return self.signal
        values = {
            "complaint.cancel.wizard": {"reason": "Gone"},
            "complaint.duplicate.wizard": {
                "reason": "Same",
                "original_id": self.other.id,
            },
            "complaint.appeal.wizard": {"reason": "Unfair"},
            "complaint.regulatory.response.wizard": {"reason": "Outage"},
            "complaint.management.review.wizard": {},
            "complaint.regulatory.return.wizard": {
                "date_from": "2027-01-01",
                "date_to": "2027-06-30",
            },
            "complaint.systemic.issue.merge.wizard": {
                "issue_ids": [(6, 0, self.issues.ids)],
                "target_id": self.issues[0].id,
            },
            "complaint.subject.access.wizard": {
                "partner_id": self.portal_a.partner_id.id
            },
            "complaint.public.holidays.wizard": {
                "calendar_id": self.company.resource_calendar_id.id,
                "country_code": "GB",
                "year_from": 2030,
                "year_to": 2030,
            },
        }[model]
        if "complaint_ids" in self.env[model]._fields:
            values["complaint_ids"] = [(6, 0, self.complaint.ids)]
        # a wizard of the role's own, when it may create one (wizards are
        # readable by their creator only)
        try:
            with self.env.cr.savepoint():
                return self.env[model].with_user(getattr(self, role)).create(values)
        except Exception:  # noqa: BLE001  no right to create: admin's wizard
            return self.env[model].create(values)

    def _snapshot(self):
        """What no role of the sweep may change."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        Complaint = self.env["complaint.complaint"].sudo()
        skip = {"write_date", "date_last_customer_update"}
        fnames = [
            name
            for name, field in Complaint._fields.items()
            if field.store and field.column_type and name not in skip
        ]
        return {
            "complaints": [
                c.read(fnames)[0] for c in (self.complaint | self.other).sudo()
            ],
            "messages": self.env["mail.message"]
            .sudo()
            .search_count([("model", "=", "complaint.complaint")]),
            "complaint_count": Complaint.with_context(active_test=False).search_count(
                []
            ),
            "action": self.action.sudo().read(["state", "date_done", "name"]),
            "sla": self.sla_rule.sudo().read(["name", "time_hours", "active"]),
            "vulnerability": self.vulnerability.sudo().exists().read(["note"]),
            "sla_lines": self.complaint.sudo().sla_status_ids.read(
                ["deadline", "status", "reached_date"]
            ),
            "issues": self.issues.sudo().read(["state", "name"]),
            "signal": self.signal.sudo().read(["state", "systemic_issue_id"]),
            "holidays": self.env["resource.calendar.leaves"]
            .sudo()
            .search_count([("date_from", ">=", "2030-01-01")]),
        }

    def _assert_outcome(self, expected, before, raised, label):
        after = self._snapshot()
        if expected == REFUSED:
            self.assertTrue(raised, f"{label}: expected a refusal")
        if expected == ALLOWED:
            # its own new complaint: the sweep's records are untouched
            after["complaint_count"] = before["complaint_count"]
            after["messages"] = before["messages"]
        self.assertEqual(after, before, f"{label}: changed what it may not")

    def _calls(self):
        """(model, method, target, kwargs builder, expectations) for each
        method of the table, "*" expanded to every complaint mail thread."""
        for (model, method), (target, build, expected) in METHOD_SWEEP.items():
            models = (
                [
                    name
                    for name in self.env.registry
                    if name.startswith("complaint.")
                    and hasattr(self.env[name], "message_process")
                    and not self.env[name]._transient
                    and not self.env[name]._abstract
                ]
                if model == "*"
                else [model]
            )
            for name in models:
                if name in self.env:
                    yield name, method, target, build, expected

    # the table covers every public method --------------------------------
    def test_table_covers_every_public_method(self):
        found = our_public_methods(self.env)
        self.assertIn(("complaint.complaint", "action_customer_accept"), found)
        self.assertIn(("*", "message_parse"), found)
        missing = found - METHOD_SWEEP.keys()
        self.assertFalse(
            missing, f"public methods without a row in METHOD_SWEEP: {missing}"
        )
        stale = METHOD_SWEEP.keys() - found
        self.assertFalse(stale, f"METHOD_SWEEP rows for no method: {stale}")

    # through the ORM ----------------------------------------------------
    def test_orm(self):
        for model, method, target, build, expected in self._calls():
            for role, expect in zip(ROLES, expected, strict=True):
                user = getattr(self, role)
                label = f"ORM {role} {model}.{method}"
                with self.subTest(role=role, model=model, method=method):
                    records = (
                        self._target(model, role)
                        if target == "record"
                        else self.env[model]
                    ).with_user(user)
                    before = self._snapshot()
                    raised = False
                    try:
                        with self.env.cr.savepoint():
                            getattr(records, method)(**build(self))
                            self.env.flush_all()
                    except Exception:  # noqa: BLE001  any refusal counts
                        raised = True
                    self._assert_outcome(expect, before, raised, label)

    # through JSON-2 -----------------------------------------------------
    def test_json2(self):
        self.assertEqual(
            self.env["ir.module.module"].search([("name", "=", "rpc")]).state,
            "installed",
        )
        # every role's key works: the refusals below are not authentication
        # failures (each reads its own view of the complaints)
        for role in ROLES:
            response = self.url_open(
                "/json/2/complaint.complaint/search_count",
                data=json.dumps({"domain": [("id", "=", self.complaint.id)]}),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.keys[role]}",
                },
            )
            self.assertEqual(response.status_code, 200, f"{role}: {response.text}")
            self.assertEqual(response.json(), int(role == "auditor"), role)
        for model, method, target, build, expected in self._calls():
            for role, expect in zip(ROLES, expected, strict=True):
                label = f"JSON-2 {role} {model}.{method}"
                with self.subTest(role=role, model=model, method=method):
                    body = build(self)
                    if method in JSON2_BAD_ARGUMENT:
                        body = {"message": RAW_MAIL.format(n=self.next_n())}
                    if target == "record":
                        body["ids"] = self._target(model, role).ids
                    before = self._snapshot()
                    response = self.url_open(
                        f"/json/2/{model}/{method}",
                        data=json.dumps(body),
                        headers={
                            "Content-Type": "application/json",
                            "Authorization": f"Bearer {self.keys[role]}",
                        },
                    )
                    if method not in JSON2_BAD_ARGUMENT:
                        self.assertLess(
                            response.status_code, 500, f"{label}: {response.text[:300]}"
                        )
                    raised = response.status_code != 200
                    self._assert_outcome(expect, before, raised, label)
