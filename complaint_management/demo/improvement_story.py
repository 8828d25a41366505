"""Demo data of the improvement loop (demo/complaint_improvement_demo.xml):
a planted rise of complaints about parcel lockers that the weekly signal job
finds, and a systemic issue whose corrective action worked. Plain Python,
not a model: imported by complaint.harm.signal._demo_improvement_story only
when the demo data calls it."""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from ..models.complaint_stage import STEP_CLOSED

LOCKER_SUBJECTS = (
    "Parcel locker would not open",
    "Locker code rejected, parcel stuck inside",
    "Parcel locker door jammed",
    "Locker screen frozen, could not collect my parcel",
)
DEPOT_SUBJECTS = (
    "Parcel crushed at the depot",
    "Box torn open on arrival",
    "Contents broken, box dented",
)


def build(env, cast):
    """``cast``: ids of the ``team``, the ``channel`` and the
    ``customers``. Returns the systemic issue."""
    now = fields.Datetime.now()
    company = env.company
    auto_acknowledge = company.complaint_auto_acknowledge
    company.complaint_auto_acknowledge = False
    Complaint = env["complaint.complaint"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    category = env["complaint.category"].create(
        {"name": "Parcel lockers", "team_id": cast["team"]}
    )
    depot = env["complaint.root.cause"].create({"name": "Depot handling"})
    customers = cast["customers"]

    def values(subjects, moments, **extra):
        return [
            dict(
                {
                    "name": subjects[n % len(subjects)],
                    "description": f"<p>{subjects[n % len(subjects)]}.</p>",
                    "partner_id": customers[n % len(customers)],
                    "channel_id": cast["channel"],
                    "date_received": moment,
                },
                **extra,
            )
            for n, moment in enumerate(moments)
        ]

    # Lockers: one complaint a week for 16 weeks, then seven a week.
    lockers = [now - timedelta(weeks=week, days=2) for week in range(3, 17)]
    lockers += [
        now - timedelta(weeks=week, days=day % 6, hours=day)
        for week in range(3)
        for day in range(7)
    ]
    # Depot: twelve complaints in the 8 weeks before the action was done
    # (8 weeks ago), one since.
    pivot = now - timedelta(weeks=8)
    depot_moments = [pivot - timedelta(days=4 * n + 2) for n in range(12)]
    depot_moments.append(now - timedelta(weeks=3))
    complaints = Complaint.create(
        values(LOCKER_SUBJECTS, lockers, category_id=category.id)
        + values(DEPOT_SUBJECTS, depot_moments, root_cause_id=depot.id)
    )
    depot_complaints = complaints.filtered(lambda c: c.root_cause_id == depot)
    # The complaints older than three weeks were handled and closed.
    closed = env["complaint.stage"].search([("step", "=", STEP_CLOSED)], limit=1)
    old = complaints.filtered(lambda c: c.date_received < now - timedelta(weeks=3))
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE complaint_complaint SET stage_id = %s, step = %s,
                date_acknowledged = date_received + interval '2 hours',
                date_decided = date_received + interval '6 days',
                date_closed = date_received + interval '8 days',
                decision = 'upheld', remedy_type = 'refund',
                redress_amount = CASE WHEN root_cause_id = %s THEN 25 ELSE 0 END,
                redress_amount_company
                    = CASE WHEN root_cause_id = %s THEN 25 ELSE 0 END
            WHERE id = ANY(%s)
            """,
            closed.id,
            STEP_CLOSED,
            depot.id,
            depot.id,  # in the company's currency
            old.ids,
        )
    )
    env.invalidate_all()
    issue = env["complaint.systemic.issue"].create(
        {
            "name": "Parcels damaged at the depot",
            "description": "<p>Parcels were stacked without padding at the "
            "depot; the corrective action re-trained the team and added "
            "padding to every cage.</p>",
            "root_cause_ids": [(6, 0, depot.ids)],
            "customers_affected": 140,
            "state": "monitoring",
        }
    )
    depot_complaints.write({"systemic_issue_id": issue.id})
    env["complaint.action"].create(
        {
            "complaint_id": depot_complaints[0].id,
            "systemic_issue_id": issue.id,
            "action_type": "corrective",
            "name": "Re-train the depot team, pad every cage",
            "state": "done",
            "date_done": pivot.date(),
            "blocking": False,
        }
    )
    company.complaint_auto_acknowledge = auto_acknowledge
    env["complaint.harm.signal"]._cron_detect(now=now)
    return issue
