import {registry} from "@web/core/registry";

// A handler opens a complaint from the kanban and tries to jump to "Decided":
// the gate refuses and names the ISO 10002 principle.
registry.category("web_tour.tours").add("complaint_backend_tour", {
    steps: () => [
        {
            trigger:
                ".o_kanban_view .o_kanban_record:contains('Tour parcel complaint')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=reference]:contains('CMP/')",
        },
        {
            trigger: ".o_statusbar_status button:contains('Decided')",
            run: "click",
        },
        {
            trigger: ".modal:contains('Transparency'):contains('decision')",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            // the refused change stays unsaved: discard it
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Acknowledged')",
        },
    ],
});
