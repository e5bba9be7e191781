"""Renderers of a report document: PDF, Excel, CSV and JSON. They format; they never add up."""
