from collections import defaultdict

from odoo import api, models

from odoo.addons.complaint_management.models.complaint_stage import (
    STEP_CLOSED,
    STEP_ORDER,
)


class ReportComplaintRecord(models.AbstractModel):
    """Complaint record: the follow-up form of ISO 10002 with every step,
    its date, who moved the complaint and the notes of the step."""

    _name = "report.complaint_management_reports.report_complaint_record"
    _description = "Complaint record report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["complaint.complaint"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "complaint.complaint",
            "docs": docs,
            "history": self._stage_history(docs),
        }

    @api.model
    def _stage_history(self, complaints):
        """Stage changes from the tracking log, oldest first, per complaint:
        one query for all complaints."""
        field = self.env["ir.model.fields"]._get("complaint.complaint", "stage_id")
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", "complaint.complaint"),
                    ("mail_message_id.res_id", "in", complaints.ids),
                ],
                order="id",
            )
        )
        stages = (
            self.env["complaint.stage"]
            .browse(
                trackings.mapped("new_value_integer")
                + trackings.mapped("old_value_integer")
            )
            .exists()
        )
        step_of = {stage.id: stage.step for stage in stages}
        history = defaultdict(list)
        for tracking in trackings:
            message = tracking.mail_message_id
            history[message.res_id].append(
                {
                    "date": message.date,
                    "author": message.author_id.name or message.create_uid.name,
                    "old_stage": tracking.old_value_char,
                    "new_stage": tracking.new_value_char,
                    "step": step_of.get(tracking.new_value_integer),
                }
            )
        return {complaint.id: history[complaint.id] for complaint in complaints}

    @api.model
    def _step_rows(self, complaint, history):
        """One row per step: date, who brought the complaint there, notes."""
        rows = []
        entered = {}
        for event in history:
            if event["step"]:
                entered.setdefault(event["step"], event)
        for line in complaint._report_step_dates():
            event = entered.get(line["step"])
            author = event and event["author"]
            if line["step"] == "new":
                author = complaint.create_uid.name
            rows.append(
                dict(
                    line,
                    date=line["date"] or (event and event["date"]),
                    author=author,
                    notes=self._step_notes(complaint, line["step"]),
                )
            )
        return rows

    @api.model
    def _step_notes(self, complaint, step):
        c = complaint
        env = self.env
        if step == "new":
            return env._("Received by %(channel)s", channel=c.channel_id.name or "-")
        if step == "acknowledged":
            return c.date_acknowledged and env._("Acknowledgement sent") or ""
        if step == "assessed" and c.severity:
            return env._(
                "Severity: %(severity)s; priority: %(priority)s",
                severity=c._report_selection_label("severity"),
                priority=c._report_selection_label("priority"),
            )
        if step == "investigating" and STEP_ORDER.get(c.step, 0) >= STEP_ORDER[step]:
            return env._("Handler: %(user)s", user=c.user_id.name or "-")
        if step == "decided" and c.decision:
            return env._(
                "Decision: %(decision)s; customer reaction: %(reaction)s",
                decision=c._report_selection_label("decision"),
                reaction=c._report_selection_label("customer_reaction"),
            )
        if step == STEP_CLOSED and c.root_cause_id:
            return env._("Root cause: %(cause)s", cause=c.root_cause_id.display_name)
        return ""
