"""Demo data only: ``bank_story`` is imported by ``complaint.complaint.
_demo_build_bank_story`` when the demo data is loaded, never by the addon."""
