"""What the sweeps (SLA warnings and escalations, the legal clock) tell
people: to-do activities created in one go per batch, without the e-mail
Odoo sends per assigned activity, and one digest e-mail per person listing
their complaints."""


def todo_vals(complaint, user, date_deadline, summary, note=False):
    """Values of a to-do activity for ``user`` on ``complaint``."""
    env = complaint.env
    return {
        "res_model_id": env["ir.model"]._get_id("complaint.complaint"),
        "res_id": complaint.id,
        # cached: no query per activity (env.ref checks the record exists)
        "activity_type_id": env["ir.model.data"]._xmlid_to_res_id(
            "mail.mail_activity_data_todo"
        ),
        "user_id": user.id,
        "date_deadline": date_deadline,
        "summary": summary,
        "note": note,
    }


def create_todos(env, vals_list):
    """One create for all the activities; the people are told by
    ``notify_digest``, not by one e-mail per activity."""
    if vals_list:
        env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            vals_list
        )


def references(complaints, limit=50):
    """The references of ``complaints``, the first ``limit`` of them."""
    refs = complaints.mapped("reference")
    more = len(refs) - limit
    text = ", ".join(refs[:limit])
    return text + (
        complaints.env._(" and %(more)s more", more=more) if more > 0 else ""
    )


def notify_digest(complaints, user, subject, body):
    """One e-mail to ``user`` about ``complaints`` (posted on the first
    complaint so that the mail links to it)."""
    complaints[:1].message_notify(
        partner_ids=user.partner_id.ids, body=body, subject=subject
    )
