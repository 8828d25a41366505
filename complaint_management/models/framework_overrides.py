# ruff: noqa: E501 (the signatures are written as Odoo prints them)
"""Odoo and OCA methods the two addons override whose contract Odoo may
change without notice: private methods of the ORM, ``mail.thread``,
``rating``, ``portal``, ``ir.qweb`` and ``ir.actions.report``, and the
public mail gateway and export hooks. The next Odoo upgrade starts from this
list: ``tests/test_framework_overrides.py`` compares the signature of each
base implementation (the first class in the model's MRO that is not ours)
with the one written here, and fails when Odoo changed it or when an addon
overrides a method missing from the list.

(model, method, signature of the base implementation, where we override it)
"""

FRAMEWORK_OVERRIDES = (
    # ORM (odoo.orm.models.BaseModel)
    (
        "complaint.complaint",
        "_read_format",
        "(self, fnames: 'Sequence[str]', load: 'str' = '_classic_read') -> 'list[ValuesType]'",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "_fetch_query",
        "(self, query: 'Query', fields: 'Sequence[Field]') -> 'Self'",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "_field_to_sql",
        "(self, alias: 'str', field_expr: 'str', query: 'Query | None' = None) -> 'SQL'",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "export_data",
        "(self, fields_to_export)",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "_compute_display_name",
        "(self)",
        "models/complaint.py",
    ),
    (
        "complaint.principle",
        "_compute_display_name",
        "(self)",
        "models/complaint_principle.py",
    ),
    (
        "complaint.harm.signal",
        "_compute_display_name",
        "(self)",
        "models/complaint_harm_signal.py",
    ),
    # portal.mixin
    (
        "complaint.complaint",
        "_compute_access_url",
        "(self)",
        "models/complaint.py",
    ),
    # mail.thread (mail, rating)
    (
        "complaint.complaint",
        "_track_subtype",
        "(self, initial_values)",
        "models/complaint.py",
    ),
    (
        "complaint.complaint",
        "_creation_message",
        "(self)",
        "models/complaint.py",
    ),
    (
        "complaint.complaint",
        "_mail_track",
        "(self, tracked_fields, initial_values)",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "_track_filter_for_display",
        "(self, tracking_values)",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "_message_compute_author",
        "(self, author_id=None, email_from=None)",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "_message_get_suggested_recipients",
        "(self, reply_discussion=False, reply_message=None, no_create=True, primary_email=False, additional_partners=None)",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "_rating_get_partner",
        "(self)",
        "models/complaint_anonymity.py",
    ),
    (
        "complaint.complaint",
        "message_new",
        "(self, msg_dict, custom_values=None)",
        "models/complaint_mail_gateway.py",
    ),
    (
        "complaint.complaint",
        "message_post",
        "(self, *args, body='', message_type='notification', **kwargs)",
        "models/complaint_mail_gateway.py",
    ),
    (
        "mail.thread",
        "message_process",
        "(self, model, message, custom_values=None, save_original=False, strip_attachments=False, thread_id=None)",
        "models/mail_thread.py",
    ),
    (
        "mail.thread",
        "message_parse",
        "(self, message, save_original=False)",
        "models/mail_thread.py",
    ),
    (
        "mail.thread",
        "message_route",
        "(self, message, message_dict, model=None, thread_id=None, custom_values=None)",
        "models/mail_thread.py",
    ),
    # mail.message (the authors of an anonymous complainant's messages)
    (
        "mail.message",
        "_read_format",
        "(self, fnames: 'Sequence[str]', load: 'str' = '_classic_read') -> 'list[ValuesType]'",
        "models/mail_message.py",
    ),
    (
        "mail.message",
        "_fetch_query",
        "(self, query: 'Query', fields: 'Sequence[Field]') -> 'Self'",
        "models/mail_message.py",
    ),
    (
        "mail.message",
        "_field_to_sql",
        "(self, alias: 'str', field_expr: 'str', query: 'Query | None' = None) -> 'SQL'",
        "models/mail_message.py",
    ),
    ("mail.message", "_to_store_defaults", "(self, target)", "models/mail_message.py"),
    # ir.qweb
    (
        "ir.qweb",
        "_compile",
        "(self, template)",
        "models/ir_qweb.py",
    ),
    # ir.actions.report (complaint_management, then complaint_management_reports)
    (
        "ir.actions.report",
        "_render_qweb_pdf",
        "(self, report_ref, res_ids=None, data=None)",
        "models/ir_actions_report.py",
    ),
    (
        "ir.actions.report",
        "_run_wkhtmltopdf",
        "(self, bodies, report_ref=False, header=None, footer=None, landscape=False, specific_paperformat_args=None, set_viewport_size=False)",
        "models/ir_actions_report.py",
    ),
    (
        "ir.actions.report",
        "_build_wkhtmltopdf_args",
        "(self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False)",
        "models/ir_actions_report.py",
    ),
    (
        "ir.actions.report",
        "_get_layout",
        "(self)",
        "complaint_management_reports/models/ir_actions_report.py",
    ),
    (
        "ir.actions.report",
        "_prepare_html",
        "(self, html, report_model=False)",
        "complaint_management_reports/models/ir_actions_report.py",
    ),
    (
        "ir.actions.report",
        "_render_qweb_pdf_prepare_streams",
        "(self, report_ref, data, res_ids=None)",
        "complaint_management_reports/models/ir_actions_report.py",
    ),
    (
        "ir.actions.report",
        "_render_qweb_html",
        "(self, report_ref, docids, data=None)",
        "complaint_management_reports/models/ir_actions_report.py",
    ),
    (
        "ir.actions.report",
        "_pre_render_qweb_pdf",
        "(self, report_ref, res_ids=None, data=None)",
        "complaint_management_reports/models/ir_actions_report.py",
    ),
)
# Portal controller (odoo.addons.portal.controllers.portal.CustomerPortal)
CONTROLLER_OVERRIDES = (
    ("_prepare_home_portal_values", "(self, counters)", "controllers/portal.py"),
)

# Odoo methods whose work ``complaint.letters.mixin._post_letters`` does for
# a batch of letters, together instead of once per letter (it calls their
# parts, but follows their code): (model, method, digest of the code of every
# implementation that is not ours, in MRO order). When one changes (an Odoo
# update, a module installed with ours), ``tests/test_framework_overrides.py``
# fails: read the change, bring ``_post_letters`` into line (its test
# compares it with message_post), then write the new digest here.
MIRRORED_BY_LETTER_BATCH = (
    ("mail.compose.message", "_action_send_mail_comment", "6848a3cae90a5624"),
    ("complaint.complaint", "message_post", "14f2813abbad2e63"),
    ("complaint.complaint", "_message_compute_parent_id", "d8d95f264290a27a"),
    ("complaint.complaint", "_process_attachments_for_post", "d338b64590ebe696"),
    ("complaint.complaint", "_notify_thread", "5251e7f70f5e8b06"),
    ("complaint.complaint", "_notify_get_recipients", "969190308ea6c78a"),
    ("complaint.complaint", "_notify_thread_by_email", "a209d8488521282f"),
    (
        "complaint.complaint",
        "_notify_by_email_get_base_mail_values",
        "c9fdfebe9285e90d",
    ),
)
