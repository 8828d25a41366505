"""Demo data that tells a story: about sixty complaints received over the
last 120 days, each living its life through the normal code paths (create,
stage changes with their gates, letters, messages, appeals, ratings) at
backdated moments under a frozen clock, while the SLA cron runs every hour of
those 120 days. Called once by ``demo/complaint_story_demo.xml`` (and by
``tests/test_demo_story.py``) through ``complaint.complaint._demo_build_story``,
which imports this module: plain Python, not a model, never loaded by
production code."""

import heapq
import random
from collections import namedtuple
from datetime import datetime, timedelta

import pytz

from odoo import fields

from ..models.complaint_stage import STEP_CLOSED, STEPS
from ..models.letter_flags import CTX_NO_COMMIT

STORY_DAYS = 120
SEED = 10002  # same story on every load
# Public holidays of the demo company (month, day, name): global leaves.
HOLIDAYS = [
    (1, 1, "New Year's Day"),
    (5, 1, "Labour Day"),
    (8, 15, "Assumption Day"),
    (11, 1, "All Saints' Day"),
    (11, 11, "Armistice Day"),
    (12, 25, "Christmas Day"),
    (12, 26, "Boxing Day"),
]

Case = namedtuple(
    "Case",
    "kind subject description remedy chase question answer findings "
    "resolution remedy_type decision",
)
CASES = [
    Case(
        "late",
        "Parcel delivered nine days late",
        "Tracking promised Monday; the parcel came the Wednesday after. I had "
        "taken a day off to wait for it.",
        "Refund of the express delivery fee.",
        "Any news? It has been a week and nobody called me back.",
        "Could you send us the tracking number printed on the label?",
        "Here it is: PK-4471-220. The label was half torn.",
        "The parcel missed the regional connection twice: mis-sorted at the hub.",
        "We refund the express fee and add a voucher for your next delivery.",
        "refund",
        "upheld",
    ),
    Case(
        "late",
        "Birthday present arrived after the birthday",
        "I paid for guaranteed next-day delivery. It arrived three days later.",
        "Refund of the guaranteed delivery supplement.",
        "Is anybody looking at this?",
        "Which address was on the parcel: home or work?",
        "The work address, reception desk on the ground floor.",
        "The driver found the reception closed and took the parcel back.",
        "We refund the supplement; the driver will call before a second attempt.",
        "refund",
        "partially_upheld",
    ),
    Case(
        "late",
        "Parcel stuck in the depot for two weeks",
        "The tracking page has said 'at the depot' for fourteen days.",
        "Deliver it or refund it.",
        "Still nothing. I would like an answer.",
        "Can you confirm the contents, to help the depot find it?",
        "A blue box with two pairs of shoes.",
        "The parcel was on a shelf for unaddressed items: the label had come off.",
        "We delivered it the next morning and refund the delivery fee.",
        "refund",
        "upheld",
    ),
    Case(
        "damage",
        "Parcel left in the rain",
        "The courier left my parcel outside in the rain; the books are ruined.",
        "A replacement of the books.",
        "Could you tell me where this stands?",
        "Could you send photos of the books and the box?",
        "Photos attached: the box is soaked and the covers are warped.",
        "The courier left the parcel without a safe place agreed.",
        "We pay for replacement books and brief the courier.",
        "compensation",
        "upheld",
    ),
    Case(
        "damage",
        "Broken vase",
        "The vase arrived in pieces; the box had no padding at all.",
        "A replacement vase.",
        "I have not heard from you for a while.",
        "Do you still have the box and the pieces?",
        "Yes, both are in my garage.",
        "The vase was packed without padding at the packing station.",
        "We replace the vase and pay the return postage.",
        "replacement",
        "upheld",
    ),
    Case(
        "damage",
        "Laptop screen cracked in transit",
        "The box was crushed on one corner and the laptop screen is cracked.",
        "Repair or replacement of the laptop.",
        "My work depends on this laptop, please hurry.",
        "Was the outer box damaged when you received it?",
        "Yes, one corner was crushed; the driver saw it.",
        "The sender's packaging met our rules; the damage happened on the belt.",
        "We pay the repair at the manufacturer's service centre.",
        "repair",
        "partially_upheld",
    ),
    Case(
        "billing",
        "Charged twice for one delivery",
        "My card was charged twice for order 4417.",
        "Refund of the second charge.",
        "The second charge is still on my statement.",
        "Could you send the last four digits of the card?",
        "The card ends in 2231.",
        "A payment retry after a time-out charged the card a second time.",
        "We refund the second charge.",
        "refund",
        "upheld",
    ),
    Case(
        "billing",
        "Invoice in the wrong name",
        "The invoice names my former company; my accountant cannot use it.",
        "A corrected invoice.",
        "I still need the corrected invoice for my accounts.",
        "Which name and VAT number should the invoice carry?",
        "Green Leaf Studio, VAT BE0477 112 309.",
        "The billing system kept the name of the first order of the account.",
        "We send a corrected invoice.",
        "explanation",
        "upheld",
    ),
    Case(
        "billing",
        "Surcharge for a remote area I do not live in",
        "I was charged a remote-area surcharge for a city-centre address.",
        "Refund of the surcharge.",
        "Any progress on the surcharge?",
        "What postcode did you enter when ordering?",
        "1000, city centre.",
        "The surcharge table is right: the order used an old postcode.",
        "We explain the surcharge; the table was correct for the postcode given.",
        "explanation",
        "not_upheld",
    ),
    Case(
        "staff",
        "Rude driver at the depot",
        "The driver shouted at me when I asked about my parcel.",
        "An apology.",
        "Has anyone spoken to the driver?",
        "Can you tell us the day and time of your visit?",
        "Tuesday around 16:30, at the collection counter.",
        "The counter was short-staffed; the driver did not follow our "
        "customer-care rules.",
        "We apologise; the driver follows the customer-care training again.",
        "apology",
        "upheld",
    ),
    Case(
        "staff",
        "Collection counter closed during opening hours",
        "I came at 15:00 and the counter was closed without any notice.",
        "An apology and opening hours that are kept.",
        "I would like to know what happened.",
        "Which depot was it?",
        "The north depot, on the ring road.",
        "The counter closed early for a stock count that was not announced.",
        "We apologise and announce closures on the website in advance.",
        "process_change",
        "upheld",
    ),
]
# Health and safety: assessed critical at intake, tighter targets.
CRITICAL_CASE = Case(
    "damage",
    "Leaking parcel with a chemical smell",
    "A parcel delivered to our office leaked a liquid with a strong chemical "
    "smell; two colleagues felt dizzy.",
    "Collect the parcel and tell us what it contained.",
    "We still have not been told what the liquid was.",
    "Could you tell us the sender's name on the label?",
    "Hardware Depot Ltd, order 88-1204.",
    "A cleaning product was shipped without the hazardous-goods packaging.",
    "We collected the parcel, had the office checked and stopped the sender's "
    "shipments until their packaging is compliant.",
    "process_change",
    "upheld",
)
# Handlers' notes: demo content, not translated (as the texts above).
NOTE_INVESTIGATION = "Asked the depot for the scan history and the driver's notes."
NOTE_APPEAL = "Reviewed the depot scans and the delivery photo again."
RATING_FEEDBACK = {
    5: "Quick and fair, thank you.",
    3: "Solved in the end, but it took long.",
    1: "I am not satisfied with the outcome.",
}
# Channels of customers without an account; the portal user files online.
STAFF_CHANNELS = ("phone", "walk_in", "letter")
OTHER_CHANNELS = ("email", "phone", "web", "email", "walk_in", "letter")
# The last complaints stop at a step, so that every step has complaints today.
RECENT_STOPS = tuple(step for step, _label in STEPS if step != STEP_CLOSED)
# The twist of a complaint, by index (each index a different complaint).
TWISTS = {
    2: "appeal",
    6: "referral",
    9: "duplicate",
    13: "appeal",
    21: "duplicate",
}

Plan = namedtuple(
    "Plan",
    "index case customer channel received entered ack_hours work_hours "
    "critical waiting chase twist reaction rating stop",
)


def build(env, cast):
    """Build the demo story (demo data only). ``cast``: ids of the
    ``portal_user``, the ``customers``, and per kind of case (``late``,
    ``damage``, ``billing``, ``staff``) the ``categories`` and
    ``root_causes``."""
    # freezegun (in Odoo's requirements) is needed by the demo only.
    from freezegun import freeze_time

    DemoStory(env["complaint.complaint"].sudo(), cast).run(freeze_time)
    return True


class DemoStory:
    """The complaints of the story and the clock that moves them."""

    def __init__(self, complaints, cast):
        env = complaints.env
        self.env = env
        self.company = env.company
        self.calendar = self.company.resource_calendar_id
        self.rng = random.Random(SEED)
        self.now = fields.Datetime.now()
        self.start = self.now - timedelta(days=STORY_DAYS)
        # Mails are queued (the mail cron sends them), never sent during load.
        self.Complaint = complaints.with_context(
            mail_notify_force_send=False, **{CTX_NO_COMMIT: True}
        )
        self.portal_user = env["res.users"].browse(cast["portal_user"])
        self.customers = env["res.partner"].browse(cast["customers"])
        self.categories = {
            kind: env["complaint.category"].browse(category_id)
            for kind, category_id in cast["categories"].items()
        }
        self.root_causes = {
            kind: env["complaint.root.cause"].browse(cause_id)
            for kind, cause_id in cast["root_causes"].items()
        }
        Stage = env["complaint.stage"]
        self.waiting_stage = Stage.search(
            [("step", "=", "investigating"), ("pause_sla", "=", True)], limit=1
        )

    # ------------------------------------------------------------------
    # Set-up: public holidays and SLA rules
    # ------------------------------------------------------------------
    def _setup_sla(self):
        tz = pytz.timezone(self.calendar.tz or "UTC")
        leaves = []
        for year in range(self.start.year - 1, self.now.year + 2):
            for month, day, name in HOLIDAYS:
                begin = tz.localize(datetime(year, month, day)).astimezone(pytz.utc)
                leaves.append(
                    {
                        "name": name,
                        "calendar_id": False,
                        "company_id": self.company.id,
                        "date_from": begin.replace(tzinfo=None),
                        "date_to": (begin + timedelta(days=1, seconds=-1)).replace(
                            tzinfo=None
                        ),
                        "time_type": "leave",
                    }
                )
        self.env["resource.calendar.leaves"].create(leaves)
        day = self.calendar.hours_per_day or 8.0
        manager = self.company.complaint_manager_id or self.env.ref("base.user_admin")
        common = {"calendar_id": self.calendar.id, "company_id": self.company.id}
        self.env["complaint.sla"].create(
            [
                dict(
                    common,
                    name="Acknowledge within 1 working day",
                    sequence=10,
                    target_step="acknowledged",
                    time_hours=day,
                    warning_percent=75,
                ),
                dict(
                    common,
                    name="Decide within 10 working days",
                    sequence=20,
                    target_step="decided",
                    time_hours=10 * day,
                    warning_percent=80,
                    escalate_to_id=manager.id,
                    escalate_raise_priority=True,
                ),
                dict(
                    common,
                    name="Critical: acknowledge within 2 working hours",
                    sequence=30,
                    severity="critical",
                    target_step="acknowledged",
                    time_hours=2,
                    warning_percent=50,
                    escalate_to_id=manager.id,
                ),
                dict(
                    common,
                    name="Critical: decide within 3 working days",
                    sequence=40,
                    severity="critical",
                    target_step="decided",
                    time_hours=3 * day,
                    warning_percent=75,
                    escalate_to_id=manager.id,
                ),
            ]
        )
        # The team acknowledges each complaint itself (within the target):
        # the "Received" step and the acknowledgement target have a story.
        self.company.complaint_auto_acknowledge = False

    # ------------------------------------------------------------------
    # The plans: who complains about what, when, and how it goes
    # ------------------------------------------------------------------
    def _plans(self, count=60):
        rng = self.rng
        recent = len(RECENT_STOPS)
        plans = []
        for index in range(count):
            twist = TWISTS.get(index)
            customer = (
                self.portal_user.partner_id
                if index % 6 == 1 or index >= count - 3
                else self.customers[index % len(self.customers)]
            )
            if customer == self.portal_user.partner_id:
                channel = "portal"
            else:
                channel = OTHER_CHANNELS[index % len(OTHER_CHANNELS)]
            stop = False
            if index >= count - recent:
                # The last ones, planned back from now: they reach their step
                # whatever the weekday the demo is loaded.
                stop = RECENT_STOPS[count - 1 - index]
                back = {"new": 0.5, "acknowledged": 4, "assessed": 9}.get(stop, 20)
                received = self.calendar.plan_hours(
                    -back, self.now, compute_leaves=True
                )
            else:
                days_ago = STORY_DAYS - 2.1 * index - rng.uniform(0, 1)
                received = (self.now - timedelta(days=days_ago)).replace(
                    hour=rng.choice((7, 9, 10, 11, 14, 15, 16, 19, 21)),
                    minute=rng.randrange(60),
                    second=0,
                    microsecond=0,
                )
            # Letters are entered a little after they arrive: the
            # acknowledgement target counts from their arrival.
            entered = received
            if channel == "letter":
                entered = self.later(received, rng.choice((1, 2, 11)))
            critical = index in (4, 17, 38)
            # SLA outcome: most on time, some warned, a few late.
            pace = rng.random()
            ack_hours = (
                rng.uniform(0.3, 1.5)
                if critical
                else rng.choice((0.5, 1, 2, 3, 4, 6.5, 7.2, 10))
            )
            if critical:
                work_hours = 14 if index != 38 else 30
            elif pace < 0.6:
                work_hours = rng.uniform(20, 55)
            elif pace < 0.85:
                work_hours = rng.uniform(68, 77)
            else:
                work_hours = rng.uniform(88, 110)
            if stop:
                ack_hours, work_hours = 0.2, 12
            reaction = rng.choice(("accepted", "accepted", "accepted", "none"))
            if twist in ("appeal", "referral"):
                reaction = "rejected"
            rating = rng.choice((5, 5, 5, 3, 3, 1, 0))
            plans.append(
                Plan(
                    index=index,
                    case=CRITICAL_CASE if critical else CASES[index % len(CASES)],
                    customer=customer,
                    channel=self.env.ref(
                        f"complaint_management.complaint_channel_{channel}"
                    ),
                    received=received,
                    entered=entered,
                    ack_hours=ack_hours,
                    work_hours=work_hours,
                    critical=critical,
                    waiting=index % 5 == 3 and not stop,
                    chase=index % 4 == 2,
                    twist=twist,
                    reaction=reaction,
                    rating=rating,
                    stop=stop,
                )
            )
        return plans

    # ------------------------------------------------------------------
    # The clock
    # ------------------------------------------------------------------
    def run(self, freeze_time):
        """Play every life and the hourly cron in time order, the clock set
        to each event's moment; tracking messages are written at that moment
        too (before the clock moves on)."""
        self._setup_sla()
        lives = [self._cron_ticks()]
        lives += [self._life(plan) for plan in self._plans()]
        queue = []
        for order, life in enumerate(lives):
            queue.append((next(life), order, life))
        heapq.heapify(queue)
        with freeze_time(self.start) as clock:
            while queue:
                moment, order, life = heapq.heappop(queue)
                clock.move_to(moment)
                following = next(life, None)
                self._send_letters()
                self._flush_tracking()
                if following and following <= self.now:
                    heapq.heappush(queue, (max(following, moment), order, life))
            clock.move_to(self.now)
            self._run_crons(daily=True)
            self._send_letters()
            self._flush_tracking()
        # From now on the demo behaves as shipped: new complaints are
        # acknowledged on receipt. The story's letters stay in the chatter;
        # their queued e-mails to fictitious addresses are dropped.
        self.company.complaint_auto_acknowledge = True
        self.env["mail.mail"].search(
            [("model", "=", "complaint.complaint"), ("state", "=", "outgoing")]
        ).unlink()

    def _send_letters(self):
        """The letters queued by the event go out at its moment (the outbox's
        cron, without its commits: the demo loads in one transaction)."""
        self.env["complaint.letter"].sudo().with_context(
            **{CTX_NO_COMMIT: True}, mail_notify_force_send=False
        )._cron_send()

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def later(self, moment, hours):
        """``hours`` working hours of the company calendar after ``moment``."""
        return self.env["complaint.sla"]._plan_working_hours(
            [(self.calendar, moment, hours)]
        )[0]

    @staticmethod
    def customer_time(rng, moment, days):
        """A customer's reply ``days`` later, at lunch or in the evening."""
        return (moment + timedelta(days=days)).replace(
            hour=rng.choice((11, 12, 18, 19, 20)), minute=rng.randrange(60), second=0
        )

    def _run_crons(self, daily=False):
        self.env["complaint.sla.status"].with_context(
            **{CTX_NO_COMMIT: True}, mail_notify_force_send=False
        )._cron_check_sla()
        if daily:
            self.Complaint._cron_send_status_updates()

    def _cron_ticks(self):
        """The scheduled actions: the SLA check every hour that had working
        time (deadlines and warnings fall in working time), status updates
        daily."""
        moment = self.start.replace(minute=0, second=0)
        while True:
            moment += timedelta(hours=1)
            yield moment
            worked = self.env["complaint.sla"]._working_hours_between(
                [(self.calendar, moment - timedelta(hours=1), moment)]
            )[0]
            if worked or moment.hour == 6:
                self._run_crons(daily=moment.hour == 6)

    # ------------------------------------------------------------------
    # One complaint's life
    # ------------------------------------------------------------------
    def _handler(self, complaint, rng, exclude):
        """A member of the complaint's team (not one it is about)."""
        team = complaint.team_id
        members = (team.user_ids or team.user_id) - exclude
        return members[rng.randrange(len(members))] if members else self.env.user

    def _as(self, complaint, user):
        return complaint.with_user(user).sudo()

    def _customer_says(self, complaint, text):
        """A message of the complainant: on the portal, or by e-mail."""
        partner = complaint.partner_id
        if partner == self.portal_user.partner_id:
            self._as(complaint, self.portal_user).message_post(
                body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        else:
            complaint.message_post(
                body=text,
                author_id=partner.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )

    def _customer(self, complaint):
        if complaint.partner_id == self.portal_user.partner_id:
            return self._as(complaint, self.portal_user)
        return complaint

    def _move(self, complaint, step, values=None, stage=None):
        stage = stage or complaint._stage_for_step(step)
        complaint.write(dict(values or {}, stage_id=stage.id))

    def _life(self, plan):
        """Receipt, acknowledgement, assessment, investigation, proposal,
        decision, the customer's reaction, closure and rating. Yields the
        moment of each next event; stops at ``plan.stop`` or at now."""
        # Its own random draws: the same whatever the order of the events.
        case, rng = plan.case, random.Random(SEED + plan.index)
        yield plan.entered
        values = {
            "name": case.subject,
            "description": f"<p>{case.description}</p>",
            "remedy_requested": case.remedy,
            "partner_id": plan.customer.id,
            "channel_id": plan.channel.id,
            "category_id": self.categories[case.kind].id,
            "date_received": plan.received,
        }
        if plan.critical:
            values["severity"] = "critical"
        complaint = self.Complaint.create(dict(values))  # create() fills vals in
        involved = self.env["res.users"]
        if case.kind == "staff" and len(complaint.team_id.user_ids) > 1:
            involved = complaint.team_id.user_ids[:1]
            complaint.involved_user_ids = involved
        handler = self._handler(complaint, rng, involved)
        staff = self._as(complaint, handler)
        if plan.stop == "new":
            return
        # Acknowledgement (letter with the reference and target dates)
        ack_at = max(
            self.later(plan.received, plan.ack_hours), self.later(plan.entered, 0.2)
        )
        yield ack_at
        staff.write({"user_id": handler.id})
        if complaint.step == "new":
            self._move(staff, "acknowledged")
        if plan.stop == "acknowledged":
            return
        if plan.twist == "duplicate":
            yield self.customer_time(rng, ack_at, 1)
            duplicate = self.Complaint.create(
                dict(
                    values,
                    name=f"Again: {case.subject}",
                    description="<p>I am writing again about my parcel.</p>",
                    channel_id=self.env.ref(
                        "complaint_management.complaint_channel_email"
                    ).id,
                    date_received=fields.Datetime.now(),
                )
            )
            yield self.later(fields.Datetime.now(), 1)
            self._as(duplicate, handler).action_mark_duplicate(
                complaint, "The same parcel, reported again by e-mail."
            )
        work = plan.work_hours - plan.ack_hours
        at = self.later(max(ack_at, fields.Datetime.now()), 0.1 * work)
        # Initial assessment (7.5)
        yield at
        self._move(
            staff,
            "assessed",
            {
                "severity": complaint.severity
                or rng.choice(("low", "medium", "medium", "high")),
                "impact": "One customer; no risk to health or safety."
                if not plan.critical
                else "Health and safety: the parcel was isolated at once.",
            },
        )
        if plan.stop == "assessed":
            return
        # Investigation (7.6), with a question to the customer (SLA paused)
        at = self.later(at, 0.1 * work)
        yield at
        self._move(staff, "investigating")
        staff.message_post(
            body=NOTE_INVESTIGATION,
            subtype_xmlid="mail.mt_note",
        )
        if plan.waiting:
            at = self.later(at, 0.1 * work)
            yield at
            staff.message_post(
                body=case.question,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self._move(staff, "investigating", stage=self.waiting_stage)
            at = self.customer_time(rng, at, rng.randint(2, 5))
            yield at
            self._customer_says(complaint, case.answer)
            at = self.later(at, 1)
            yield at
            self._move(staff, "investigating")
        if plan.stop == "investigating":
            return
        respond_at = self.later(at, (0.5 if plan.waiting else 0.6) * work)
        if plan.chase:
            yield at + (respond_at - at) / 2
            self._customer_says(complaint, case.chase)
        # Proposed resolution (7.7)
        yield respond_at
        decision = case.decision
        if plan.twist in ("appeal", "referral"):
            decision = "not_upheld"
        self._move(
            staff,
            "responded",
            {
                "findings": f"<p>{case.findings}</p>",
                "proposed_resolution": f"<p>{case.resolution}</p>",
                "remedy_type": case.remedy_type if decision != "not_upheld" else "none",
            },
        )
        if plan.stop == "responded":
            return
        # Decision (7.8): the decision letter, and the corrective action
        at = self.later(respond_at, 0.2 * work)
        yield at
        self._decide(staff, decision, case)
        action = self._actions(staff, handler, plan)
        if plan.stop == "decided":
            return
        # The customer's reaction, appeals, external referral
        if plan.reaction == "none":
            at = self.later(
                at + timedelta(days=self.company.complaint_reply_window_days), 1
            )
        else:
            at = self.customer_time(rng, at, rng.randint(1, 5))
            yield at
            if plan.reaction == "accepted":
                self._customer(complaint).action_customer_accept(
                    "Thank you, that is fine."
                )
            else:
                at = yield from self._appeal(complaint, plan, at, rng)
        # Closure (7.9): actions done, root cause
        at = self.later(at, 2)
        yield at
        action.action_done()
        at = self.later(at, 1)
        yield at
        self._move(
            self._as(complaint, complaint.user_id),
            STEP_CLOSED,
            {"root_cause_id": self.root_causes[case.kind].id},
        )
        if complaint.external_referral_body:
            yield self.later(at, 5 * 8)
            complaint.external_referral_outcome = (
                "The ombudsman found our decision fair and closed the case."
            )
        elif plan.rating:
            yield self.customer_time(rng, at, 1)
            token = complaint._rating_get_access_token()
            complaint.rating_apply(
                plan.rating, token=token, feedback=RATING_FEEDBACK[plan.rating]
            )

    def _decide(self, staff, decision, case):
        self._move(
            staff,
            "decided",
            {
                "decision": decision,
                "decision_note": f"<p>{case.findings} {case.resolution}</p>"
                if decision != "not_upheld"
                else f"<p>{case.findings} We cannot grant your request.</p>",
            },
        )

    def _actions(self, staff, handler, plan):
        """The corrective action closure waits for, and now and then a
        preventive one that stays open (the management review lists it)."""
        Action = self.env["complaint.action"].with_user(handler).sudo()
        today = fields.Date.context_today(staff)
        action = Action.create(
            {
                "complaint_id": staff.id,
                "action_type": "corrective",
                "name": f"Correct the cause: {plan.case.findings[:60]}",
                "user_id": handler.id,
                "date_deadline": today + timedelta(days=10),
            }
        )
        if plan.chase:
            Action.create(
                {
                    "complaint_id": staff.id,
                    "action_type": "preventive",
                    "name": "Check the same risk at the other depots",
                    "user_id": handler.id,
                    "date_deadline": today + timedelta(days=30),
                    "blocking": False,
                }
            )
        return action

    def _appeal(self, complaint, plan, at, rng):
        """Rejected: the customer appeals; a different handler decides again;
        for a referral the second decision is rejected as well and the
        complainant is pointed to the external body. Returns the moment of
        the last event."""
        case, customer = plan.case, self._customer(complaint)
        customer.action_customer_reject("I do not agree with this decision.")
        customer.action_appeal("The delivery proof is not signed by me.")
        staff = self._as(complaint, complaint.user_id)
        at = self.later(at, 2)
        yield at
        staff.message_post(
            body=NOTE_APPEAL,
            subtype_xmlid="mail.mt_note",
        )
        at = self.later(at, 16)
        yield at
        self._move(staff, "responded")
        at = self.later(at, 6)
        yield at
        self._decide(
            staff,
            "partially_upheld" if plan.twist == "appeal" else "not_upheld",
            case,
        )
        at = self.customer_time(rng, at, 3)
        yield at
        if plan.twist == "appeal":
            customer.action_customer_accept("Fair enough, thank you for reviewing it.")
        else:
            customer.action_customer_reject("I will take this to the ombudsman.")
        return at
