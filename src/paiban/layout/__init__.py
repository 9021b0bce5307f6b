"""Flowables and page templates built on ReportLab's platypus.

`paiban.layout.paragraph.CJKParagraph` sets Chinese body text with paiban's own text engine
(`paiban.cjk`); frames, page templates and the other flowables stay ReportLab's.
"""
