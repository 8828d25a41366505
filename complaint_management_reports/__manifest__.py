# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Complaint Management Reports",
    "summary": "ISO 10002 letters, registers, SLA compliance and management "
    "review reports for complaints",
    "version": "19.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Complaint Management for Odoo",
    "website": "https://github.com/complaint-management/complaint-management",
    "depends": ["complaint_management"],
    "data": [],
    "installable": True,
}
