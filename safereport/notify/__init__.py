"""Delivering alerts to staff: email over SMTP, SMS and voice calls through Twilio.

Alerts carry no sensitive content: a case number, the priority, the establishment and a
link, never what was said or who said it (SMS and email are not private).
"""
