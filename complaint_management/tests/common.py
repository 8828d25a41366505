from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from ..models.complaint_stage import STEP_ORDER, STEPS


class ComplaintCase(TransactionCase):
    """Users of every role, two teams and a category per team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.company.write(
            {
                "complaint_appeal_levels": 1,
                "complaint_external_body": "Consumer Ombudsman",
                "email": "complaints@example.com",
            }
        )
        groups = "complaint_management.group_complaint_"
        cls.manager = new_test_user(
            cls.env, "cm_manager", groups=groups + "manager", name="Mona Manager"
        )
        cls.handler_x = new_test_user(
            cls.env, "cm_handler_x", groups=groups + "user", name="Xavier Handler"
        )
        cls.handler_x2 = new_test_user(
            cls.env, "cm_handler_x2", groups=groups + "user", name="Xena Handler"
        )
        cls.handler_y = new_test_user(
            cls.env, "cm_handler_y", groups=groups + "user", name="Yusuf Handler"
        )
        cls.auditor = new_test_user(
            cls.env, "cm_auditor", groups=groups + "auditor", name="Ada Auditor"
        )
        cls.portal_a = new_test_user(
            cls.env,
            "cm_portal_a",
            groups="base.group_portal",
            name="Alice Portal",
            email="alice@example.com",
        )
        cls.portal_b = new_test_user(
            cls.env,
            "cm_portal_b",
            groups="base.group_portal",
            name="Bob Portal",
            email="bob@example.com",
        )
        Team = cls.env["helpdesk.ticket.team"]
        cls.team_x = Team.create(
            {
                "name": "Team X",
                "user_ids": [(6, 0, (cls.handler_x | cls.handler_x2).ids)],
                "user_id": cls.manager.id,
            }
        )
        cls.team_y = Team.create(
            {"name": "Team Y", "user_ids": [(6, 0, cls.handler_y.ids)]}
        )
        Category = cls.env["complaint.category"]
        cls.category_x = Category.create({"name": "Delivery", "team_id": cls.team_x.id})
        cls.category_y = Category.create({"name": "Billing", "team_id": cls.team_y.id})
        cls.root_cause = cls.env["complaint.root.cause"].create(
            {"name": "Carrier delay"}
        )
        cls.channel_phone = cls.env.ref("complaint_management.complaint_channel_phone")
        cls.stage = {
            step: cls.env.ref(f"complaint_management.complaint_stage_{step}")
            for step in (
                "new",
                "acknowledged",
                "assessed",
                "investigating",
                "waiting",
                "responded",
                "decided",
                "closed",
            )
        }

    @classmethod
    def _create_complaint(cls, **values):
        vals = {
            "name": "Parcel arrived broken",
            "description": "<p>The box was crushed.</p>",
            "partner_id": cls.portal_a.partner_id.id,
            "category_id": cls.category_x.id,
            "channel_id": cls.channel_phone.id,
        }
        vals.update(values)
        return cls.env["complaint.complaint"].create(vals)

    @classmethod
    def _send_letters(cls):
        """Run the outbox of letters as the cron worker does; return how many
        letters were sent."""
        Letter = cls.env["complaint.letter"].sudo()
        waiting = Letter.search_count([])
        Letter._cron_send()
        return waiting - Letter.search_count([])

    @classmethod
    def _advance_to(cls, complaint, step):
        """Fill what each gate needs and move the complaint up to ``step``."""
        order = [code for code, _label in STEPS if code != "new"]
        fill = {
            "assessed": {"severity": "medium", "user_id": cls.handler_x.id},
            "responded": {
                "findings": "<p>The carrier dropped the parcel.</p>",
                "proposed_resolution": "<p>We send a new one.</p>",
            },
            "decided": {"decision": "upheld", "remedy_type": "replacement"},
            "closed": {"root_cause_id": cls.root_cause.id},
        }
        for current in order[: order.index(step) + 1]:
            if STEP_ORDER[complaint.step] >= STEP_ORDER[current]:
                continue
            if current == "closed" and complaint.customer_reaction == "none":
                complaint.action_customer_accept()
            values = {
                fname: value
                for fname, value in fill.get(current, {}).items()
                if not complaint[fname]
            }
            complaint.write(dict(values, stage_id=cls.stage[current].id))
        return complaint
