"""Files as an office has them, turned into what the spec stage and the charts read.

Text files (Markdown, Word, plain text, pasted text) become paragraphs with paiban's markup and
a map back to the place in the file each character came from; data files are decoded whatever
encoding Excel or WPS saved them in (or read from a workbook); photos are turned upright, cropped
and downsampled before they are embedded. The package sits under `spec` in the layering: it
knows nothing of the spec model, only of files, and it imports its libraries (python-docx,
markdown-it-py, python-calamine, Pillow) when a file needs them, so a build that reads none of
them does not pay for their import.
"""
