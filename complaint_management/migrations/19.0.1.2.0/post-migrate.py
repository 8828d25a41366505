"""The portal record rules read the complaint's stored commercial partner
(``commercial_partner_id``, indexed with the date received) instead of
joining the complainant's contact: the same complaints, served from an index.
The rules are ``noupdate`` data: rewrite those still as installed.

Every complaint now has its tracking token from its creation (a portal page,
a read-only request, wrote one for the complaints it linked to, and was then
served again on a read/write cursor): give one to those without."""

RULES = {
    "complaint_rule_portal": (
        "[('partner_id.commercial_partner_id', '=', "
        "user.partner_id.commercial_partner_id.id)]",
        "[('commercial_partner_id', '=', user.partner_id.commercial_partner_id.id)]",
    ),
    "complaint_sla_status_rule_portal": (
        "[('complaint_id.partner_id.commercial_partner_id', '=', "
        "user.partner_id.commercial_partner_id.id)]",
        "[('complaint_id.commercial_partner_id', '=', "
        "user.partner_id.commercial_partner_id.id)]",
    ),
}


def migrate(cr, version):
    for name, (former, current) in RULES.items():
        cr.execute(
            """
            UPDATE ir_rule SET domain_force = %s
            WHERE id = (SELECT res_id FROM ir_model_data
                        WHERE module = 'complaint_management' AND name = %s)
              AND domain_force = %s
            """,
            [current, name, former],
        )
    cr.execute(
        "UPDATE complaint_complaint SET access_token = gen_random_uuid()::text "
        "WHERE access_token IS NULL"
    )
