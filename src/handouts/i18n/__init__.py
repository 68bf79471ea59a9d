"""Translations: gettext PO catalogs that translators edit, and topics built from them."""
