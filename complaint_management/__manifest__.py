# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Complaint Management (ISO 10002)",
    "summary": "Customer complaints handling following ISO 10002:2018 "
    "on top of the OCA helpdesk",
    "version": "19.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Complaint Management for Odoo",
    "website": "https://github.com/complaint-management/complaint-management",
    "depends": ["helpdesk_mgmt", "portal", "rating", "resource", "mail"],
    "external_dependencies": {"python": []},
    "data": [
        "security/complaint_security.xml",
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "application": True,
    "installable": True,
}
