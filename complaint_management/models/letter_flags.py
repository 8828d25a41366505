"""Names shared by the letter batch (``complaint.letter._cron_send``), the
renderers it drives (``ir.qweb``, ``ir.actions.report`` in both addons) and
the batch loops of the scheduled actions: cursor cache keys and context keys.
One definition each; import them, never spell the string again."""

# Cursor cache (``env.cr.cache``) of the running batch of letters:
# pre-rendered PDF letters, {(report id, res id): pdf bytes}
PDF_CACHE_KEY = "complaint_letter_pdfs"
# compiled mail template bodies, {(source, options): compiled template}
QWEB_CACHE_KEY = "complaint_letter_qweb"
# ``env.cr.precommit.data``: the letters cron is triggered once per
# transaction that queues letters.
TRIGGERED_KEY = "complaint.letter.triggered"

# Context keys
# The reports render the letters of a batch together (one wkhtmltopdf run).
CTX_LETTER_BATCH = "complaint_letter_batch"
# The letters being rendered have no script: no javascript delay.
CTX_LETTER_WITHOUT_SCRIPTS = "complaint_letter_without_scripts"
# The batch loops do not commit: the caller runs inside a larger transaction
# (the demo story, loaded in a savepoint).
CTX_NO_COMMIT = "complaint_no_commit"
# The mail gateway processes a mail for complaints (hardened parsing).
CTX_MAIL_GATEWAY = "complaint_mail_gateway"
# The form that files a complaint says how it came in: the creation's line in
# the log (``complaint.complaint._creation_message``).
CTX_CREATION_NOTE = "complaint_creation_note"
