"""Access sweep: every model of both addons, every kind of user, every portal
route. The expected answers are written down here as data; every cell is
checked. A model added to an addon without a row here fails the sweep.
"""

import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase
from .portal_common import ComplaintHttpCase

OUR_MODULES = ("complaint_management", "complaint_management_reports")
MODES = (("read", "r"), ("write", "w"), ("create", "c"), ("unlink", "u"))

# Columns of the matrices. "other_manager" is a complaints manager of another
# company (member of that company only); "admin" is base.user_admin, the only
# one in base.group_system.
ROLES = (
    "public",
    "portal_a",
    "portal_b",
    "handler_x",
    "handler_y",
    "manager",
    "auditor",
    "other_manager",
    "admin",
)

# Model level (ACL): r(ead) w(rite) c(reate) u(nlink), one cell per role.
# fmt: off
MODEL_MATRIX = {
    #                            public portal_a portal_b handler_x handler_y manager auditor other_mgr admin  # noqa: E501
    "complaint.complaint":       ("",   "r",     "r",     "rwc",    "rwc",    "rwc",  "r",    "rwc",    "rwcu"),  # noqa: E501
    "complaint.stage":           ("",   "r",     "r",     "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.category":        ("r",  "r",     "r",     "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.channel":         ("",   "r",     "r",     "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.principle":       ("r",  "r",     "r",     "r",      "r",      "rwc",  "r",    "rwc",    "rwc"),  # noqa: E501
    "complaint.root.cause":      ("",   "",      "",      "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.action":          ("",   "",      "",      "rwc",    "rwc",    "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.sla":             ("",   "",      "",      "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.sla.status":      ("",   "r",     "r",     "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.submission.log":  ("",   "",      "",      "",       "",       "",     "",     "",       "rwcu"),  # noqa: E501
    "complaint.letter":          ("",   "",      "",      "",       "",       "",     "",     "",       "rwcu"),  # noqa: E501
    "complaint.cancel.wizard":   ("",   "",      "",      "rwc",    "rwc",    "rwc",  "",     "rwc",    "rwc"),  # noqa: E501
    "complaint.duplicate.wizard": ("",  "",      "",      "rwc",    "rwc",    "rwc",  "",     "rwc",    "rwc"),  # noqa: E501
    "complaint.appeal.wizard":   ("",   "",      "",      "rwc",    "rwc",    "rwc",  "",     "rwc",    "rwc"),  # noqa: E501
    "complaint.regulatory.response.wizard": ("", "", "",    "rwc",    "rwc",    "rwc",  "",     "rwc",    "rwc"),  # noqa: E501
    "complaint.regulatory.profile": ("r", "r",    "r",     "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.vulnerability":   ("",   "",      "",      "rwcu",   "rwcu",   "rwcu", "",     "rwcu",   "rwcu"),  # noqa: E501
    "complaint.anonymization.log": ("", "",      "",      "",       "",       "r",    "",     "r",      "r"),  # noqa: E501
    "complaint.subject.access.wizard": ("", "",      "",      "",       "",       "rwc",  "",     "rwc",    "rwc"),  # noqa: E501
    "complaint.regulatory.calendar": ("", "",     "",      "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.public.holidays.wizard": ("", "",   "",      "",       "",       "rwc",  "",     "rwc",    "rwc"),  # noqa: E501
    # improvement loop: handlers read issues (and link complaints to them),
    # managers open, merge and close them; signals are the managers'
    "complaint.systemic.issue":  ("",   "",      "",      "r",      "r",      "rwc",  "r",    "rwc",    "rwc"),  # noqa: E501
    "complaint.systemic.issue.merge.wizard": ("", "", "",  "",       "",       "rwc",  "",     "rwc",    "rwc"),  # noqa: E501
    "complaint.harm.signal":     ("",   "",      "",      "",       "",       "rw",   "r",    "rw",     "rw"),  # noqa: E501
    # complaint_management_reports
    "complaint.analysis":        ("",   "",      "",      "r",      "r",      "r",    "r",    "r",      "r"),  # noqa: E501
    "complaint.return.code":     ("",   "",      "",      "r",      "r",      "rwcu", "r",    "rwcu",   "rwcu"),  # noqa: E501
    "complaint.regulatory.return.wizard": ("", "", "",    "",       "",       "rwc",  "rwc",  "rwc",    "rwc"),  # noqa: E501
    "complaint.fca.return.line": ("",   "",      "",      "",       "",       "rwcu", "rwcu", "rwcu",   "rwcu"),  # noqa: E501
    "complaint.asic.return.line": ("",  "",      "",      "",       "",       "rwcu", "rwcu", "rwcu",   "rwcu"),  # noqa: E501
    "complaint.management.review.wizard": ("", "", "",    "rwc",    "rwc",    "rwc",  "rwc",  "rwc",    "rwc"),  # noqa: E501
    "complaint.outcome.analysis": ("",  "",      "",      "r",      "r",      "r",    "r",    "r",      "r"),  # noqa: E501
}
# fmt: on

# Models of other addons that ours extend (fields, hooks): their access rights
# are those of their own addon. Listed so that a new extension is noticed.
EXTENDED_MODELS = {
    "helpdesk.ticket",
    "helpdesk.ticket.team",
    "res.company",
    "res.config.settings",
    # Hooks only (no field, no access change): tag changes re-match the SLA
    # rules; calendar changes clear the cached working timelines.
    "res.partner",
    "resource.calendar",
    "resource.calendar.attendance",
    "resource.calendar.leaves",
    # Hook only: a letter of the batch being sent is taken from the batch's
    # rendering (no field, no access change).
    "ir.actions.report",
    # Hook only: the author of a message an anonymous complainant wrote
    # before the complaint became anonymous is masked for those who may not
    # see the identity (no field, no access change).
    "mail.message",
}

# Record level (ACL and record rules together): r(ead) w(rite) u(nlink) on
# concrete records. x_a: team X's complaint of portal A; y_b: team Y's of
# portal B; noteam: no team yet (any handler may pick it up), of a customer
# without portal access; other: a complaint of another company.
RECORDS = ("x_a", "y_b", "noteam", "other")
# fmt: off
RECORD_MATRIX = {
    "complaint.complaint": {
        #                x_a    y_b    noteam  other
        "public":        ("",    "",    "",     ""),
        "portal_a":      ("r",   "",    "",     ""),
        "portal_b":      ("",    "r",   "",     ""),
        "handler_x":     ("rw",  "",    "rw",   ""),
        "handler_y":     ("",    "rw",  "rw",   ""),
        "manager":       ("rw",  "rw",  "rw",   ""),
        "auditor":       ("r",   "r",   "r",    ""),
        "other_manager": ("",    "",    "",     "rw"),
        "admin":         ("rwu", "rwu", "rwu",  ""),
    },
    "complaint.sla.status": {
        "public":        ("",    "",    "",     ""),
        "portal_a":      ("r",   "",    "",     ""),
        "portal_b":      ("",    "r",   "",     ""),
        "handler_x":     ("r",   "",    "r",    ""),
        "handler_y":     ("",    "r",   "r",    ""),
        "manager":       ("rwu", "rwu", "rwu",  ""),
        "auditor":       ("r",   "r",   "r",    ""),
        "other_manager": ("",    "",    "",     "rwu"),
        "admin":         ("rwu", "rwu", "rwu",  ""),
    },
    "complaint.action": {
        "public":        ("",    "",    "",     ""),
        "portal_a":      ("",    "",    "",     ""),
        "portal_b":      ("",    "",    "",     ""),
        "handler_x":     ("rw",  "",    "rw",   ""),
        "handler_y":     ("",    "rw",  "rw",   ""),
        "manager":       ("rwu", "rwu", "rwu",  ""),
        "auditor":       ("r",   "r",   "r",    ""),
        "other_manager": ("",    "",    "",     "rwu"),
        "admin":         ("rwu", "rwu", "rwu",  ""),
    },
    # complaint_management_reports: one read-only row per complaint
    "complaint.analysis": {
        "public":        ("",    "",    "",     ""),
        "portal_a":      ("",    "",    "",     ""),
        "portal_b":      ("",    "",    "",     ""),
        "handler_x":     ("r",   "",    "r",    ""),
        "handler_y":     ("",    "r",   "r",    ""),
        "manager":       ("r",   "r",   "r",    ""),
        "auditor":       ("r",   "r",   "r",    ""),
        "other_manager": ("",    "",    "",     "r"),
        "admin":         ("r",   "r",   "r",    ""),
    },
}
# fmt: on


class AccessSweepMixin:
    """The users of the sweep and one complaint of each kind, each with an SLA
    target line and a corrective action."""

    @classmethod
    def _setup_sweep(cls):
        cls.other_company = cls.env["res.company"].create(
            {"name": "Other Complaints Co"}
        )
        cls.other_manager = new_test_user(
            cls.env,
            "cm_other_manager",
            groups="complaint_management.group_complaint_manager",
            name="Otto Othercompany",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.public = cls.env.ref("base.public_user")
        cls.admin = cls.env.ref("base.user_admin")
        # One target for every complaint of every company.
        cls.env["complaint.sla"].search([]).write({"active": False})
        cls.sla_rule = cls.env["complaint.sla"].create(
            {
                "name": "Sweep: decide in 80 hours",
                "target_step": "decided",
                "time_hours": 80,
                "company_id": False,
            }
        )
        cls.carla = cls.env["res.partner"].create(
            {"name": "Carla Nobody", "email": "carla@example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Olga Othercustomer", "company_id": cls.other_company.id}
        )
        cls.complaints = {
            "x_a": cls._create_complaint(name="Sweep X of Alice"),
            "y_b": cls._create_complaint(
                name="Sweep Y of Bob",
                category_id=cls.category_y.id,
                partner_id=cls.portal_b.partner_id.id,
            ),
            "noteam": cls._create_complaint(
                name="Sweep without team", category_id=False, partner_id=cls.carla.id
            ),
            "other": cls._create_complaint(
                name="Sweep other company",
                category_id=False,
                partner_id=cls.other_customer.id,
                company_id=cls.other_company.id,
            ),
        }
        cls.actions = {
            key: cls.env["complaint.action"].create(
                {
                    "complaint_id": complaint.id,
                    "name": f"Fix {key}",
                    "user_id": cls.manager.id,
                }
            )
            for key, complaint in cls.complaints.items()
        }

    def _user(self, role):
        return getattr(self, role)


@tagged("post_install", "-at_install")
class TestAccessSweep(AccessSweepMixin, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sweep()

    # ------------------------------------------------------------------
    # The matrix covers every model
    # ------------------------------------------------------------------
    def _models_of_our_addons(self):
        """(own, extended): concrete models our addons define, and those of
        other addons they extend (the first xmlid of an ir.model names the
        addon that defined it)."""
        Data = self.env["ir.model.data"].sudo()
        ours = Data.search([("model", "=", "ir.model"), ("module", "in", OUR_MODULES)])
        own, extended = set(), set()
        for ir_model in self.env["ir.model"].sudo().browse(set(ours.mapped("res_id"))):
            if ir_model.model not in self.env or self.env[ir_model.model]._abstract:
                continue
            first = Data.search(
                [("model", "=", "ir.model"), ("res_id", "=", ir_model.id)],
                order="id",
                limit=1,
            )
            (own if first.module in OUR_MODULES else extended).add(ir_model.model)
        return own, extended

    def test_matrix_covers_every_model(self):
        own, extended = self._models_of_our_addons()
        self.assertIn("complaint.complaint", own)
        self.assertFalse(
            own - MODEL_MATRIX.keys(),
            "models without a row in MODEL_MATRIX: write down who may do what",
        )
        self.assertFalse(
            extended - EXTENDED_MODELS,
            "extended models not listed in EXTENDED_MODELS: check their access",
        )
        # No stale row: every model of the matrix is installed and ours.
        stale = {m for m in MODEL_MATRIX if m not in own and m in self.env}
        self.assertFalse(stale, "MODEL_MATRIX rows for models that are not ours")
        for row in MODEL_MATRIX.values():
            self.assertEqual(len(row), len(ROLES))

    def test_every_role_exists(self):
        for role in ROLES:
            self.assertTrue(self._user(role).exists(), role)
        self.assertTrue(self.public._is_public())
        self.assertEqual(self.other_manager.company_ids, self.other_company)
        self.assertTrue(self.admin.has_group("base.group_system"))
        for role in ROLES:
            if role != "admin":
                self.assertFalse(self._user(role).has_group("base.group_system"), role)

    # ------------------------------------------------------------------
    # Model level
    # ------------------------------------------------------------------
    def test_model_matrix(self):
        for model, row in MODEL_MATRIX.items():
            if model not in self.env:  # reports addon not installed
                continue
            for role, expected in zip(ROLES, row, strict=True):
                records = self.env[model].with_user(self._user(role))
                for mode, letter in MODES:
                    with self.subTest(model=model, role=role, mode=mode):
                        self.assertEqual(
                            records.has_access(mode),
                            letter in expected,
                            f"{role} {mode} {model}: expected {expected!r}",
                        )

    # ------------------------------------------------------------------
    # Record level
    # ------------------------------------------------------------------
    def _records(self, model):
        if model == "complaint.complaint":
            return self.complaints
        if model == "complaint.action":
            return self.actions
        if model == "complaint.analysis":
            return {
                key: self.env[model].browse(c.id) for key, c in self.complaints.items()
            }
        lines = {key: c.sla_status_ids for key, c in self.complaints.items()}
        for key, line in lines.items():
            self.assertEqual(len(line), 1, f"one SLA target on {key}")
        return lines

    def test_record_matrix(self):
        for model, rows in RECORD_MATRIX.items():
            if model not in self.env:  # reports addon not installed
                continue
            records = self._records(model)
            self.assertEqual(set(rows), set(ROLES), model)
            for role, cells in rows.items():
                user = self._user(role)
                for key, expected in zip(RECORDS, cells, strict=True):
                    record = records[key].with_user(user)
                    for mode, letter in MODES:
                        if mode == "create":
                            continue
                        with self.subTest(
                            model=model, role=role, record=key, mode=mode
                        ):
                            self.assertEqual(
                                record.has_access(mode),
                                letter in expected,
                                f"{role} {mode} {model} {key}: expected {expected!r}",
                            )

    def test_search_matches_read_matrix(self):
        """search() returns exactly the records the matrix says are readable."""
        for model, rows in RECORD_MATRIX.items():
            if model not in self.env:
                continue
            records = self._records(model)
            all_ids = [r.id for r in records.values()]
            for role, cells in rows.items():
                if "r" not in MODEL_MATRIX[model][ROLES.index(role)]:
                    continue
                found = (
                    self.env[model]
                    .with_user(self._user(role))
                    .search([("id", "in", all_ids)])
                )
                expected = {
                    records[k].id
                    for k, c in zip(RECORDS, cells, strict=True)
                    if "r" in c
                }
                with self.subTest(model=model, role=role):
                    self.assertEqual(set(found.ids), expected)

    # ------------------------------------------------------------------
    # The cases that matter most, done for real rather than asked
    # ------------------------------------------------------------------
    def test_portal_b_cannot_read_portal_a_complaint(self):
        complaint = self.complaints["x_a"]
        Complaint = self.env["complaint.complaint"].with_user(self.portal_b)
        with self.assertRaises(AccessError):
            complaint.with_user(self.portal_b).read(["name", "partner_name"])
        # RPC-style calls as the web client and external API make them
        self.assertEqual(
            Complaint.search_read([("id", "=", complaint.id)], ["name"]), []
        )
        self.assertEqual(
            Complaint.search_count([("reference", "=", complaint.reference)]), 0
        )
        names = [r["name"] for r in Complaint.search_read([], ["name"])]
        self.assertIn("Sweep Y of Bob", names)
        self.assertNotIn("Sweep X of Alice", names)
        self.assertFalse(
            Complaint.web_search_read([("id", "=", complaint.id)], {"name": {}})[
                "records"
            ]
        )
        # its SLA targets neither
        Status = self.env["complaint.sla.status"].with_user(self.portal_b)
        self.assertEqual(
            Status.search_read([("complaint_id", "=", complaint.id)], ["deadline"]), []
        )
        with self.assertRaises(AccessError):
            complaint.sla_status_ids.with_user(self.portal_b).read(["deadline"])
        # nor through a relation: searching on the complaint's fields
        self.assertFalse(
            Status.search([("complaint_id.name", "=", "Sweep X of Alice")])
        )
        with self.assertRaises(AccessError):
            complaint.with_user(self.portal_b).write({"name": "Hacked"})
        self.env.invalidate_all()
        self.assertEqual(complaint.name, "Sweep X of Alice")

    def test_handler_y_cannot_read_team_x(self):
        complaint = self.complaints["x_a"]
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler_y).read(["name"])
        Complaint = self.env["complaint.complaint"].with_user(self.handler_y)
        self.assertNotIn(complaint, Complaint.search([]))
        self.assertEqual(
            Complaint.search_read([("id", "=", complaint.id)], ["name"]), []
        )
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler_y).write({"user_id": self.handler_y.id})
        with self.assertRaises(AccessError):
            self.actions["x_a"].with_user(self.handler_y).read(["name"])

    def test_auditor_reads_all_writes_nothing(self):
        main = [self.complaints[k] for k in ("x_a", "y_b", "noteam")]
        Complaint = self.env["complaint.complaint"].with_user(self.auditor)
        found = Complaint.search([])
        for complaint in main:
            self.assertIn(complaint, found)
            self.assertTrue(
                complaint.with_user(self.auditor).read(["name", "description"])
            )
            with self.assertRaises(AccessError):
                complaint.with_user(self.auditor).write({"name": "Audited"})
        with self.assertRaises(AccessError):
            Complaint.create(
                {"name": "By the auditor", "channel_id": self.channel_phone.id}
            )
        with self.assertRaises(AccessError):
            self.actions["x_a"].with_user(self.auditor).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.complaints["x_a"].sla_status_ids.with_user(self.auditor).write(
                {"warned": True}
            )
        with self.assertRaises(AccessError):
            self.stage["new"].with_user(self.auditor).write({"name": "Audited"})

    def test_only_system_unlinks_complaints(self):
        complaint = self.complaints["x_a"]
        for role in ROLES:
            if role == "admin":
                continue
            # AccessError (no right) or UserError (information integrity)
            with self.subTest(role=role), self.assertRaises(UserError):
                complaint.with_user(self._user(role)).unlink()
        self.assertTrue(complaint.exists())
        # base.group_system may (e.g. to honour an erasure request)
        fresh = self._create_complaint(name="Created by mistake")
        fresh.with_user(self.admin).unlink()
        self.assertFalse(fresh.exists())

    def test_analysis_hides_anonymous_identity(self):
        if "complaint.analysis" not in self.env:
            self.skipTest("complaint_management_reports is not installed")
        anonymous = self._create_complaint(name="Sweep anonymous", is_anonymous=True)
        self.env.flush_all()
        for role in ("handler_x", "auditor", "manager"):
            row = (
                self.env["complaint.analysis"]
                .with_user(self._user(role))
                .search_read([("complaint_id", "=", anonymous.id)], ["partner_id"])
            )
            self.assertEqual(len(row), 1, role)
            self.assertFalse(row[0]["partner_id"], role)

    def test_other_company_manager_isolated(self):
        Complaint = self.env["complaint.complaint"].with_user(self.other_manager)
        self.assertEqual(
            Complaint.search([("name", "like", "Sweep")]), self.complaints["other"]
        )
        with self.assertRaises(AccessError):
            self.complaints["x_a"].with_user(self.other_manager).read(["name"])
        manager_view = (
            self.env["complaint.complaint"].with_user(self.manager).search([])
        )
        self.assertNotIn(self.complaints["other"], manager_view)


# ----------------------------------------------------------------------
# Portal and public routes over HTTP
# ----------------------------------------------------------------------
# Visitors who must not see portal A's complaint: anonymous, another customer,
# an internal user of another team.
VISITORS = {"anonymous": None, "portal_b": "cm_portal_b", "internal": "cm_handler_y"}
LOGIN = "login"  # 303 to /web/login, the same for every id (no hint)
# (method, url on portal A's complaint {id}, expected answer per visitor)
ROUTE_MATRIX = [
    ("GET", "/my/complaints", {"anonymous": LOGIN, "portal_b": 200, "internal": 200}),
    (
        "GET",
        "/my/complaints?search={ref}",
        {"anonymous": LOGIN, "portal_b": 200, "internal": 200},
    ),
    (
        "GET",
        "/my/complaints/{id}",
        {"anonymous": LOGIN, "portal_b": 404, "internal": 404},
    ),
    (
        "GET",
        "/my/complaints/{id}/decision",
        {"anonymous": LOGIN, "portal_b": 404, "internal": 404},
    ),
    (
        "GET",
        "/my/complaints/new",
        {"anonymous": LOGIN, "portal_b": 200, "internal": 200},
    ),
    ("GET", "/complaints/policy", {"anonymous": 200, "portal_b": 200, "internal": 200}),
    (
        "GET",
        "/complaints/submitted/{id}",
        {"anonymous": 404, "portal_b": 404, "internal": 404},
    ),
    # a wrong, or another complaint's, access token
    ("GET", "/my/complaints/{id}?access_token=tampered", {"*": 404}),
    ("GET", "/my/complaints/{id}?access_token={other_token}", {"*": 404}),
    ("GET", "/my/complaints/{id}/decision?access_token=tampered", {"*": 404}),
    ("GET", "/complaints/submitted/{id}?access_token=tampered", {"*": 404}),
    ("GET", "/complaints/submitted/{id}?access_token={other_token}", {"*": 404}),
    ("POST", "/my/complaints/{id}/accept", {"*": 404}),
    ("POST", "/my/complaints/{id}/reject", {"*": 404}),
    ("POST", "/my/complaints/{id}/appeal", {"*": 404}),
    ("POST", "/my/complaints/{id}/rate", {"*": 404}),
    ("POST", "/my/complaints/{id}/accept?access_token=tampered", {"*": 404}),
    ("POST", "/my/complaints/{id}/appeal?access_token={other_token}", {"*": 404}),
    ("POST", "/my/complaints/{id}/rate?access_token=tampered", {"*": 404}),
]
POST_DATA = {"note": "x", "reason": "Because", "rate": "5"}


@tagged("post_install", "-at_install")
class TestAccessSweepHttp(ComplaintHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint_a = cls._create_complaint(name="Alice secret parcel")
        cls._advance_to(cls.complaint_a, "decided")
        cls.complaint_b = cls._create_complaint(
            name="Bob own table", partner_id=cls.portal_b.partner_id.id
        )
        cls.complaint_a._portal_ensure_token()
        cls.complaint_b._portal_ensure_token()
        cls.complaint_a.message_post(
            body="Alice private answer: the courier is Zed",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.secrets = (
            cls.complaint_a.reference,
            cls.complaint_a.name,
            cls.portal_a.name,
            "the courier is Zed",
        )

    def _assert_no_leak(self, response, label, url="", secrets=None):
        for secret in secrets or self.secrets:
            if secret in url:
                continue  # a redirect echoes what the visitor typed
            self.assertNotIn(secret, response.text, f"{label} reveals {secret!r}")

    def _url(self, template):
        return template.format(
            id=self.complaint_a.id,
            ref=self.complaint_a.reference,
            other_token=self.complaint_b.access_token,
        )

    def _sweep(self, visitor):
        login = VISITORS[visitor]
        if login:
            self.authenticate(login, login)
        csrf = self._csrf("/complaints/policy")
        for method, template, answers in ROUTE_MATRIX:
            expected = answers.get(visitor, answers.get("*"))
            url = self._url(template)
            with self.subTest(visitor=visitor, method=method, url=template):
                if method == "GET":
                    response = self.url_open(url, allow_redirects=False)
                else:
                    response = self.url_open(
                        url,
                        data=dict(POST_DATA, csrf_token=csrf),
                        allow_redirects=False,
                    )
                if expected == LOGIN:
                    self.assertEqual(response.status_code, 303, url)
                    self.assertIn("/web/login", response.headers["Location"])
                else:
                    self.assertEqual(response.status_code, expected, url)
                self._assert_no_leak(response, f"{visitor} {method} {url}", url)
        self._sweep_chatter(visitor)
        # nothing changed behind the owner's back
        self.env.invalidate_all()
        self.assertEqual(self.complaint_a.customer_reaction, "none")
        self.assertEqual(self.complaint_a.escalation_level, 0)
        self.assertEqual(self.complaint_a.step, "decided")
        self.assertFalse(
            self.env["rating.rating"].search(
                [
                    ("res_model", "=", "complaint.complaint"),
                    ("res_id", "=", self.complaint_a.id),
                ]
            )
        )

    def _jsonrpc(self, url, **params):
        return self.url_open(
            url,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )

    def _sweep_chatter(self, visitor):
        """The portal chatter's JSON routes: read, post, init."""
        complaint = self.complaint_a
        complaint_messages = complaint.message_ids.ids
        messages_before = len(complaint_messages)
        thread = {"thread_model": "complaint.complaint", "thread_id": complaint.id}
        for label, url, params in (
            ("fetch", "/mail/chatter_fetch", {}),
            ("fetch tampered token", "/mail/chatter_fetch", {"token": "tampered"}),
            (
                "fetch other token",
                "/mail/chatter_fetch",
                {"token": self.complaint_b.access_token},
            ),
            ("init", "/portal/chatter_init", {}),
            ("init tampered token", "/portal/chatter_init", {"token": "tampered"}),
            ("thread messages", "/mail/thread/messages", {}),
            (
                "post",
                "/mail/message/post",
                {
                    "post_data": {
                        "body": "Injected by a stranger",
                        "message_type": "comment",
                    }
                },
            ),
            (
                "post tampered token",
                "/mail/message/post",
                {
                    "post_data": {
                        "body": "Injected by a stranger",
                        "message_type": "comment",
                    },
                    "token": "tampered",
                },
            ),
        ):
            with self.subTest(visitor=visitor, chatter=label):
                response = self._jsonrpc(url, **thread, **params)
                self.assertLess(response.status_code, 500)
                secrets = self.secrets
                if label == "thread messages":
                    # the fallback lists messages the visitor may read, such
                    # as a contact's history (staff read contacts): only the
                    # complaint's own data must be absent
                    secrets = tuple(x for x in secrets if x != self.portal_a.name)
                self._assert_no_leak(response, f"{visitor} {label}", secrets=secrets)
                if response.status_code == 200 and "error" not in response.json():
                    # (/mail/thread/messages without access to the thread
                    # falls back to the visitor's own messages: none of A's)
                    result = response.json()["result"] or {}
                    returned = set(result.get("messages") or [])
                    self.assertFalse(
                        returned & set(complaint_messages), f"{visitor} {label}"
                    )
        self.env.invalidate_all()
        self.assertEqual(len(complaint.message_ids), messages_before)
        self.assertFalse(
            complaint.message_ids.filtered(lambda m: "stranger" in (m.body or ""))
        )

    def test_routes_anonymous(self):
        self._sweep("anonymous")

    def test_routes_other_customer(self):
        self._sweep("portal_b")
        # portal B's own complaint still opens: the refusals are about A's
        response = self.url_open(f"/my/complaints/{self.complaint_b.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Bob own table", response.text)

    def test_routes_internal_user_of_another_team(self):
        self._sweep("internal")

    def test_routes_owner(self):
        decision = self.env.ref(
            "complaint_management_reports.action_report_complaint_decision",
            raise_if_not_found=False,
        )
        token = self.complaint_a.access_token
        # the right token, without an account
        for url in (
            f"/my/complaints/{self.complaint_a.id}?access_token={token}",
            f"/complaints/submitted/{self.complaint_a.id}?access_token={token}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(self.complaint_a.reference, response.text)
        response = self._jsonrpc(
            "/mail/chatter_fetch",
            thread_model="complaint.complaint",
            thread_id=self.complaint_a.id,
            token=token,
        )
        self.assertIn("the courier is Zed", response.text)
        response = self.url_open(
            f"/my/complaints/{self.complaint_a.id}/decision?access_token={token}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200 if decision else 404)
        # logged in as the owner
        self.authenticate("cm_portal_a", "cm_portal_a")
        for url in (
            "/my/complaints",
            f"/my/complaints/{self.complaint_a.id}",
            f"/complaints/submitted/{self.complaint_a.id}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(self.complaint_a.reference, response.text)
            self.assertNotIn("Bob own table", response.text)
