"""Gettext catalogs (``<locale>/LC_MESSAGES/messages.po``) and the language registry."""
