"""The rules of safeguarding, free of Flask: every door (kiosk, phone, triage) calls these."""
