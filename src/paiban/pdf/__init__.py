"""Writing PDF: glyph codes, font embedding, the font metrics cache, the text-object writer and
the page canvas. The layout decides where things go; this package only writes them."""
