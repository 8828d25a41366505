# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Complaint Management Reports",
    "summary": "ISO 10002 letters, registers, SLA compliance and management "
    "review reports for complaints",
    "version": "19.0.1.0.0",
    "license": "AGPL-3",
    "development_status": "Beta",
    "category": "After-Sales",
    "author": "Complaint Management for Odoo",
    "website": "https://github.com/complaint-management/complaint-management",
    "depends": ["complaint_management"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/complaint_report_security.xml",
        "security/complaint_outcome_security.xml",
        "report/report_paperformat.xml",
        "report/report_common_templates.xml",
        "report/complaint_acknowledgement.xml",
        "report/complaint_acknowledgement_templates.xml",
        "report/complaint_decision.xml",
        "report/complaint_decision_templates.xml",
        "report/complaint_record.xml",
        "report/complaint_record_templates.xml",
        "report/complaint_register.xml",
        "report/complaint_register_templates.xml",
        "report/complaint_management_review.xml",
        "report/complaint_management_review_templates.xml",
        "report/complaint_sla_compliance.xml",
        "report/complaint_sla_compliance_templates.xml",
        "report/complaint_regulatory.xml",
        "report/complaint_regulatory_templates.xml",
        "data/mail_template_data.xml",
        "data/complaint_return_code_data.xml",
        "data/complaint_return_code_ps2519_data.xml",
        "data/complaint_return_code_asic_idr_data.xml",
        "wizard/complaint_management_review_wizard_views.xml",
        "wizard/complaint_regulatory_return_wizard_views.xml",
        "views/complaint_analysis_views.xml",
        "views/complaint_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "views/complaint_outcome_analysis_views.xml",
        "report/complaint_board_pack.xml",
        "report/complaint_board_pack_templates.xml",
        "wizard/complaint_board_pack_views.xml",
    ],
    "demo": ["demo/complaint_bank_demo.xml"],
    "assets": {
        "web.report_assets_common": [
            "complaint_management_reports/static/src/scss/complaint_report.scss",
        ],
        # The stylesheets of the letters to complainants (letter_minimal_layout):
        # Odoo's report stylesheets (with those other addons add) without
        # what a letter does not use: Bootstrap's components and responsive
        # utilities, the icon fonts and the web fonts (our reports print with
        # system fonts). wkhtmltopdf parses them in every run.
        "complaint_management_reports.report_assets_letter": [
            ("include", "web.report_assets_common"),
            (
                "replace",
                "web/static/src/scss/import_bootstrap.scss",
                "complaint_management_reports/static/src/scss/letter_bootstrap.scss",
            ),
            (
                "replace",
                "web/static/lib/bootstrap/scss/utilities/_api.scss",
                "complaint_management_reports/static/src/scss/letter_utilities_api.scss",
            ),
            ("remove", "web/static/src/libs/fontawesome/css/font-awesome.css"),
            ("remove", "web/static/src/scss/fontawesome_overridden.scss"),
            ("remove", "web/static/lib/odoo_ui_icons/*"),
            ("remove", "web/static/fonts/fonts.scss"),
            ("remove", "base/static/src/css/description.css"),
        ],
    },
    "installable": True,
}
