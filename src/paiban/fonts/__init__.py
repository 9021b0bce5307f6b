"""Font faces as the text engine, the charts and the PDF writer need them.

One `Face` per font face, registered once with ReportLab so the PDF embeds a subset of it. The
text engine asks a face three things per character: does it have a glyph (`has`), how wide is
it (`advance`), and where is its ink (`ink`, for punctuation compression). Widths come from
ReportLab's own parse of the font, so what we measure is what ReportLab draws.

Editors bring any font file, but ReportLab reads only single static TrueType-outline faces. So
a face that is anything else — CFF or CFF2 outlines (Noto CJK, Source Han as OTF/OTC), a face
inside a TTC/OTC collection, a variable font, a WOFF — is *derived*: the characters the
document uses are drawn out of it through fontTools (cubic outlines turned quadratic with cu2qu,
a variable font read at its weight instance) into a small standalone TrueType file. That costs
about 1.5 s for a big CJK font, so derived files are cached beside the spec, keyed by the
source file's hash and the character set, and reused whenever a cached file already holds every
character asked for. A plain static TTF takes the fast path: ReportLab reads it directly.

A derived face holds only the characters asked for (plus `BASE_CHARS`), so `has()` answers for
the derived file: a character outside the set goes to the next face of the fallback chain.

The modules, each importing only those above it in this list:

- `sniff`: what a file is (container, each face's tables), from its first bytes;
- `bundled`: where the five bundled faces are (a checkout or an installed wheel);
- `face`: `Face` (one loaded face) and `FaceSource` (where a face comes from, as the spec gives it);
- `placeholder`: the box drawn for a character no face has;
- `names`: a face's names, and the face of a file with a given name;
- `collection`: the face of a TTC/OTC collection that suits `document.language` (SC, TC, HK, JP, KR);
- `installed`: installed fonts found by family name (fontconfig, else matplotlib);
- `convert`: static TrueType subsets derived from other faces, and the cache of them;
- `load`: `load_face`, parsing a face with ReportLab (or its metrics cache) and registering it;
- `book`: `FontBook`, the document's families, loaded on first use.

The fallback rule itself (the first face of a chain that has a character) is
`paiban.cjk.face.face_for`, shared with the text engine.
"""
