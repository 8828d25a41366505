import io
import json
import zipfile
from datetime import date

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import html2plaintext

# Complaint fields in the subject-access manifest.
EXPORTED_FIELDS = (
    "reference",
    "name",
    "description",
    "partner_name",
    "partner_email",
    "partner_phone",
    "is_anonymous",
    "remedy_requested",
    "date_received",
    "date_acknowledged",
    "date_decided",
    "date_closed",
    "step",
    "severity",
    "decision",
    "proposed_resolution",
    "decision_note",
    "customer_reaction",
    "customer_reaction_note",
    "appeal_reason",
    "external_referral_body",
    "external_referral_date",
    "external_referral_outcome",
    "redress_type",
    "redress_amount",
)


class ComplaintSubjectAccessWizard(models.TransientModel):
    """Subject access request (GDPR Art. 15): everything held about one
    complainant across complaints, as one ZIP with a JSON manifest."""

    _name = "complaint.subject.access.wizard"
    _description = "Complaints: subject access export"

    partner_id = fields.Many2one("res.partner", string="Complainant", required=True)
    include_internal_notes = fields.Boolean(
        default=True, help="Internal notes about the complainant are data held too."
    )

    def _complaints(self):
        partner = self.partner_id
        domain = Domain("partner_id", "=", partner.id)
        if partner.email:
            domain |= Domain("partner_email", "=ilike", partner.email)
        return (
            self.env["complaint.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search(domain, order="date_received, id")
        )

    def _manifest_and_files(self):
        complaints = self._complaints()
        files = {}
        entries = []
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "complaint.complaint"),
                    ("res_id", "in", complaints.ids),
                ],
                order="date, id",
            )
        )
        if not self.include_internal_notes:
            messages = messages.filtered(lambda m: not m.subtype_id.internal)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "complaint.complaint"),
                    ("res_id", "in", complaints.ids),
                ],
                order="id",
            )
        )
        # one read of the complaints, their messages and files per complaint
        records = {row.pop("id"): row for row in complaints.read(list(EXPORTED_FIELDS))}
        messages_of = messages.grouped("res_id")
        attachments_of = attachments.grouped("res_id")
        for complaint in complaints:
            values = records[complaint.id]
            for key, value in values.items():
                if isinstance(value, date):  # datetimes too
                    values[key] = (
                        value.isoformat(sep=" ")
                        if hasattr(value, "hour")
                        else value.isoformat()
                    )
                elif isinstance(value, tuple):  # many2one: (id, name)
                    values[key] = value[1]
            for key in ("description", "proposed_resolution", "decision_note"):
                values[key] = html2plaintext(values[key] or "")
            values["messages"] = [
                {
                    "date": fields.Datetime.to_string(message.date),
                    "author": message.author_id.name or message.email_from or "",
                    "type": message.message_type,
                    "internal": bool(message.subtype_id.internal),
                    "subject": message.subject or "",
                    "body": html2plaintext(message.body or ""),
                }
                for message in messages_of.get(complaint.id, [])
            ]
            values["files"] = []
            for attachment in attachments_of.get(complaint.id, []):
                folder = complaint.reference.replace("/", "-")
                path = f"files/{folder}/{attachment.id}-{attachment.name}"
                files[path] = attachment.raw or b""
                values["files"].append(path)
            entries.append(values)
        manifest = {
            "complainant": {
                "name": self.partner_id.name,
                "email": self.partner_id.email or "",
                "phone": self.partner_id.phone or "",
            },
            "generated": fields.Datetime.to_string(fields.Datetime.now()),
            "complaints": entries,
        }
        return manifest, files

    def action_export(self):
        self.ensure_one()
        self.check_access("write")
        manifest, files = self._manifest_and_files()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False)
            )
            for path, content in files.items():
                archive.writestr(path, content)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"subject-access-{self.partner_id.id}.zip",
                "raw": buffer.getvalue(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/zip",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
