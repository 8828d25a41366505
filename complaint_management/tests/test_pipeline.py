"""The stage pipeline: one declared order of gates and hooks, run from one
place (readme: Stage pipeline)."""

import inspect
from contextlib import ExitStack
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase

WRITE_VALS_HOOKS = ("_privacy_write_vals",)
STAGE_GATES = ("_gate_principles", "_regulatory_check_final_response")
STAGE_ENTERED_HOOKS = (
    "_sla_on_stage_entered",
    "_record_step_dates",
    "_send_stage_letters",
)
WRITTEN_HOOKS = ("_sla_on_write",)
CREATED_HOOKS = ("_flag_possible_duplicates",)
WRITE_PIPELINE = (*WRITE_VALS_HOOKS, *STAGE_GATES, *STAGE_ENTERED_HOOKS, *WRITTEN_HOOKS)
PIPELINE = (*WRITE_PIPELINE, *CREATED_HOOKS)
# The methods through which a capability could hook into a stage move other
# than through the pipeline: only models/complaint.py defines them.
PIPELINE_ENTRIES = ("write", "create", "_on_stage_entered", "_check_stage_gates")
OWNER_MODULE = "odoo.addons.complaint_management.models.complaint"


@tagged("post_install", "-at_install")
class TestStagePipeline(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["complaint.complaint"]
        cls.fca = cls.env.ref("complaint_management.regulatory_profile_fca_disp")

    def test_pipeline_is_declared_in_this_order(self):
        self.assertEqual(self.Complaint._write_vals_hooks, WRITE_VALS_HOOKS)
        self.assertEqual(self.Complaint._stage_gates, STAGE_GATES)
        self.assertEqual(self.Complaint._stage_entered_hooks, STAGE_ENTERED_HOOKS)
        self.assertEqual(self.Complaint._written_hooks, WRITTEN_HOOKS)
        self.assertEqual(self.Complaint._created_hooks, CREATED_HOOKS)
        for name in PIPELINE:
            self.assertTrue(callable(getattr(self.Complaint, name, None)), name)

    def test_no_capability_hooks_in_another_way(self):
        """No class of our addons in the complaint's MRO but the complaint's
        own overrides write, create or the stage hooks: a mixin that did
        (ordered by its place in _inherit) would bypass the declared
        order."""
        offenders = [
            f"{cls.__module__}.{cls.__qualname__}.{name}"
            for cls in type(self.Complaint).__mro__
            if cls.__module__.startswith("odoo.addons.complaint_management")
            and cls.__module__ != OWNER_MODULE
            for name in PIPELINE_ENTRIES
            if name in vars(cls)
        ]
        self.assertEqual(offenders, [])
        owners = {
            cls.__module__
            for cls in type(self.Complaint).__mro__
            for name in PIPELINE_ENTRIES
            if name in vars(cls) and cls.__module__.startswith("odoo.addons.complaint")
        }
        self.assertEqual(owners, {OWNER_MODULE})
        # and the pipeline's steps are not called from anywhere else
        for cls in type(self.Complaint).__mro__:
            if not cls.__module__.startswith("odoo.addons.complaint"):
                continue
            for name, member in vars(cls).items():
                if not callable(member) or name.startswith("__"):
                    continue
                try:
                    source = inspect.getsource(member)
                except (OSError, TypeError):
                    continue
                for step in PIPELINE:
                    if step != name and f"._{step.lstrip('_')}(" in source:
                        self.fail(f"{cls.__module__}.{name} calls {step} directly")

    def _trace(self, records, operation):
        """The pipeline steps ``operation`` runs, in order, for the outermost
        ``write`` (the writes made inside it run their own pipeline)."""
        calls, depth = [], {"write": 0, "step": 0}
        cls = type(self.Complaint)

        def traced(name, original):
            def wrapper(records, *args, **kwargs):
                if name == "write":
                    kind = "write"
                else:
                    kind = "step"
                    if depth == {"write": 1, "step": 0}:
                        calls.append(name)
                depth[kind] += 1
                try:
                    return original(records, *args, **kwargs)
                finally:
                    depth[kind] -= 1

            return wrapper

        with ExitStack() as stack:
            for name in ("write", *PIPELINE):
                stack.enter_context(
                    patch.object(cls, name, traced(name, getattr(cls, name)))
                )
            operation(records)
        return calls

    def test_pipeline_runs_in_the_declared_order(self):
        complaint = self._create_complaint()
        calls = self._trace(
            complaint,
            lambda c: c.write(
                {
                    "severity": "high",
                    "user_id": self.handler_x.id,
                    "stage_id": self.stage["assessed"].id,
                }
            ),
        )
        self.assertEqual(calls, list(WRITE_PIPELINE))
        # no stage move: no gate, no stage hook
        calls = self._trace(complaint, lambda c: c.write({"impact": "Late"}))
        self.assertEqual(calls, [*WRITE_VALS_HOOKS, *WRITTEN_HOOKS])

    def test_created_hooks_run_once_after_the_stage_pipeline(self):
        calls = []
        cls = type(self.Complaint)

        def traced(name, original):
            def wrapper(records, *args, **kwargs):
                calls.append(name)
                return original(records, *args, **kwargs)

            return wrapper

        with ExitStack() as stack:
            for name in ("_run_stage_pipeline", *CREATED_HOOKS):
                stack.enter_context(
                    patch.object(cls, name, traced(name, getattr(cls, name)))
                )
            self._create_complaint()
        self.assertEqual(calls[0], "_run_stage_pipeline")
        self.assertEqual(calls[-len(CREATED_HOOKS) :], list(CREATED_HOOKS))
        self.assertEqual(calls.count(CREATED_HOOKS[0]), 1)

    def test_regulatory_gate_names_its_rule_beside_the_principles(self):
        """The legal clock's check is a gate like the others: refused
        together with the principle gates, in one message that names the
        rule (the profile's citation) and each principle."""
        complaint = self._create_complaint(regulatory_profile_id=self.fca.id)
        self._advance_to(complaint, "responded")
        with self.assertRaises(UserError) as caught:
            complaint.write({"stage_id": self.stage["decided"].id})
        message = str(caught.exception)
        lines = message.splitlines()
        self.assertIn(
            "Transparency (ISO 10002:2018 §4.4) requires the decision", lines[0]
        )
        self.assertRegex(lines[1], r"^FCA DISP 1\.6\.2R: .*waive")
        self.assertIn(complaint.reference, lines[1])
        self.assertEqual(
            lines[-1], f'Complaint {complaint.reference} cannot enter stage "Decided".'
        )
        self.assertEqual(complaint.step, "responded")

    def test_regulatory_gate_applies_when_created_at_the_decision(self):
        """A gate of the pipeline refuses at creation too: a complaint
        recorded straight at the decision under a profile needs the
        mandatory letter blocks."""
        with self.assertRaises(UserError) as caught:
            self._create_complaint(
                regulatory_profile_id=self.fca.id,
                stage_id=self.stage["decided"].id,
                decision="upheld",
                user_id=self.handler_x.id,
                severity="low",
                findings="<p>Found</p>",
                proposed_resolution="<p>Proposed</p>",
            )
        self.assertRegex(str(caught.exception), r"^FCA DISP 1\.6\.2R: .*waive")

    def test_legal_hold_stamped_by_the_write_hook(self):
        complaint = self._create_complaint()
        complaint.write({"legal_hold": True, "legal_hold_reason": "Inquiry"})
        self.assertEqual(complaint.legal_hold_user_id, self.env.user)
        self.assertTrue(complaint.legal_hold_date)
        complaint.write({"legal_hold": False})
        self.assertFalse(complaint.legal_hold_user_id)
