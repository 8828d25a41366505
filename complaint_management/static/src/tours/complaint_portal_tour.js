import {registry} from "@web/core/registry";

const SUBJECT = "Tour: my parcel never came";

/** Put a file in a file input, as a person choosing it would. */
function chooseFile(inputEl, name, content, type) {
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], name, {type}));
    inputEl.files = transfer.files;
    inputEl.dispatchEvent(new Event("change", {bubbles: true}));
}

/**
 * A portal customer files a complaint, finds it in the list, opens it and
 * replies in the conversation with a document.
 */
registry.category("web_tour.tours").add("complaint_portal_file", {
    steps: () => [
        {
            content: "Send the empty form: errors are listed and announced",
            trigger: ".o_complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger:
                "#complaint_error_summary:contains(Please give your complaint a subject.)",
        },
        {
            trigger:
                "#complaint_subject[aria-invalid='true'][aria-describedby='complaint_subject_error']",
        },
        {trigger: "#complaint_subject", run: `edit ${SUBJECT}`},
        {trigger: "#complaint_category_id", run: "selectByLabel Delivery"},
        {
            trigger: "#complaint_description",
            run: "edit I ordered a lamp three weeks ago and it never arrived.",
        },
        {
            trigger: "#complaint_remedy_requested",
            run: "edit Send the lamp or refund me.",
        },
        {
            content: "Attach a photo of the order",
            trigger: "#complaint_attachments",
            run() {
                chooseFile(
                    this.anchor,
                    "order.txt",
                    "Order 42, paid on 1 May",
                    "text/plain"
                );
            },
        },
        {trigger: "#complaint_consent", run: "check"},
        {trigger: ".o_complaint_submit", run: "click", expectUnloadPage: true},
        {
            content: "The confirmation shows the reference",
            trigger: ".o_complaint_reference:contains(CMP/)",
        },
        {
            trigger: "a.btn-link[href='/my/complaints']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint is in the list",
            trigger: `.o_complaint_row a:contains(${SUBJECT})`,
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: `h1:contains(${SUBJECT})`},
        {trigger: ".o_complaint_timeline [aria-current='step']"},
        {
            content: "The document sent with the form is in the conversation",
            trigger:
                "#chatterRoot:shadow .o-mail-Message:contains(Documents sent with the complaint.)",
            // the portal chatter bundle is built on its first use: slow on a busy machine
            timeout: 60000,
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit Here is the delivery note from the carrier.",
        },
        {
            content: "Attach the delivery note to the reply",
            trigger: "#chatterRoot:shadow .o-mail-Composer .o_input_file:not(:visible)",
            run() {
                chooseFile(
                    this.anchor,
                    "delivery_note.txt",
                    "Delivered? No.",
                    "text/plain"
                );
            },
        },
        {
            trigger:
                "#chatterRoot:shadow .o-mail-Composer .o-mail-AttachmentContainer:not(.o-isUploading):contains(delivery_note.txt)",
        },
        {trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled", run: "click"},
        {
            content: "The reply and its document are posted",
            trigger:
                "#chatterRoot:shadow .o-mail-Message:contains(Here is the delivery note from the carrier.):contains(delivery_note.txt)",
        },
    ],
});

/** After the decision (set up by the test), the customer accepts and rates it. */
registry.category("web_tour.tours").add("complaint_portal_decision", {
    steps: () => [
        {trigger: "#complaint_decision:contains(Upheld)"},
        {trigger: ".o_complaint_accept", run: "click", expectUnloadPage: true},
        {trigger: ".alert-success:contains(you accepted our decision)"},
        {trigger: "#complaint_decision:contains(You accepted this decision.)"},
        {
            content: "Rate: satisfied",
            trigger: ".o_complaint_rating .o_complaint_rating_5",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Rating's own page, the smiley chosen",
            trigger: ".o_rating_page_submit textarea[name=feedback]",
            run: "edit Quick and fair, thank you.",
        },
        {
            trigger: ".o_rating_page_submit button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: ".o_rating_page_thank_you"},
    ],
});
