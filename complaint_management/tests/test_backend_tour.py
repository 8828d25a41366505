from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBackendTour(HttpCase):
    def test_gate_refusal_in_web_client(self):
        self.env["complaint.complaint"].create(
            {
                "name": "Tour parcel complaint",
                "partner_id": self.env.ref("base.partner_admin").id,
            }
        )
        self.start_tour("/odoo/complaints", "complaint_backend_tour", login="admin")
