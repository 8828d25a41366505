import {Interaction} from "@web/public/interaction";
import {registry} from "@web/core/registry";
import {_t} from "@web/core/l10n/translation";

/**
 * Complaint form (/my/complaints/new, /complaints/new): moves the focus to the
 * error summary after a refused submission, and tells at once when a chosen
 * file is too large (the server checks again; this only saves a round trip).
 */
export class ComplaintForm extends Interaction {
    static selector = ".o_complaint_form";
    dynamicContent = {
        "input[name='attachments']": {"t-on-change.withTarget": this.onFilesChange},
        _root: {"t-on-submit": this.onSubmit},
    };

    start() {
        const summaryEl = document.querySelector("#complaint_error_summary");
        if (summaryEl && summaryEl.textContent.trim()) {
            summaryEl.focus();
        }
    }

    onFilesChange(ev, inputEl) {
        const maxMb = parseInt(this.el.dataset.maxUploadMb || "10", 10);
        const maxFiles = parseInt(this.el.dataset.maxUploadFiles || "10", 10);
        const files = [...inputEl.files];
        let message = "";
        if (files.length > maxFiles) {
            message = _t("Please attach at most %(count)s files.", {count: maxFiles});
        }
        const tooBig = files.find((file) => file.size > maxMb * 1024 * 1024);
        if (!message && tooBig) {
            message = _t("The file %(name)s is larger than %(size)s MB.", {
                name: tooBig.name,
                size: maxMb,
            });
        }
        this.setFileError(inputEl, message);
    }

    setFileError(inputEl, message) {
        let errorEl = this.el.querySelector("#complaint_attachments_error");
        if (!errorEl) {
            errorEl = document.createElement("div");
            errorEl.id = "complaint_attachments_error";
            errorEl.className = "invalid-feedback d-block o_complaint_field_error";
            errorEl.setAttribute("role", "alert");
            inputEl.closest(".mb-3").appendChild(errorEl);
        }
        errorEl.textContent = message;
        inputEl.classList.toggle("is-invalid", Boolean(message));
        if (message) {
            inputEl.setAttribute("aria-invalid", "true");
            inputEl.setAttribute(
                "aria-describedby",
                "complaint_attachments_help complaint_attachments_error"
            );
        } else {
            inputEl.removeAttribute("aria-invalid");
            inputEl.setAttribute("aria-describedby", "complaint_attachments_help");
        }
    }

    onSubmit(ev) {
        if (this.el.querySelector("#complaint_attachments.is-invalid")) {
            ev.preventDefault();
            this.el.querySelector("#complaint_attachments").focus();
            return;
        }
        // No double submission; the button stays in the tab order.
        const buttonEl = this.el.querySelector(".o_complaint_submit");
        if (buttonEl) {
            buttonEl.setAttribute("aria-disabled", "true");
            buttonEl.classList.add("disabled");
        }
    }
}

registry
    .category("public.interactions")
    .add("complaint_management.complaint_form", ComplaintForm);
