"""PDF outputs: Jinja2 templates -> HTML -> WeasyPrint, read back through PDFium."""
