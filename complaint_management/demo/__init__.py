"""Demo data only: ``story`` is imported by ``complaint.complaint.
_demo_build_story`` when the demo data is loaded, never by the addon."""
