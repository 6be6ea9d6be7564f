"""A figure's credit as XMP in its PDF, where programs that manage images and documents look for the licence.

matplotlib writes the PDF's document information dictionary only (title, author, and the licence under "Subject",
which no program reads as rights). `with_xmp` appends an incremental update to the file, as PDF 1.4 allows: an XMP
packet with Dublin Core's title, creator, rights and source and XMP Rights' "marked" and licence address, and a
new version of the document catalog pointing at it. The earlier bytes stay as they were, so the result is as
byte-stable as matplotlib's output.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

_TRAILER = re.compile(rb"trailer\s*<<(?P<body>.*?)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*$", re.DOTALL)
_ROOT = re.compile(rb"/Root (\d+) 0 R")
_SIZE = re.compile(rb"/Size (\d+)")
_INFO = re.compile(rb"/Info (\d+) 0 R")


def xmp_packet(title: str, creator: str, rights: str, rights_url: str, source: str) -> bytes:
    """The XMP packet: a fixed header and footer around one RDF description (empty fields left out)."""
    def field(tag: str, value: str, container: str) -> str:
        if not value:
            return ""
        item = f'<rdf:li xml:lang="x-default">{escape(value)}</rdf:li>' if container == "Alt" else f"<rdf:li>{escape(value)}</rdf:li>"
        return f"<{tag}><rdf:{container}>{item}</rdf:{container}></{tag}>"

    body = (field("dc:title", title, "Alt") + field("dc:creator", creator, "Seq") + field("dc:rights", rights, "Alt")
            + (f"<dc:source>{escape(source)}</dc:source>" if source else "")
            + "<xmpRights:Marked>True</xmpRights:Marked>"
            + (f"<xmpRights:WebStatement>{escape(rights_url)}</xmpRights:WebStatement>" if rights_url else ""))
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">'
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    ).encode()


def with_xmp(pdf: bytes, packet: bytes) -> bytes:
    """``pdf`` with ``packet`` as its document metadata stream, by an incremental update.

    Raises
    ------
    ValueError
        If ``pdf`` does not end in a classic cross-reference table and trailer (as matplotlib writes).
    """
    trailer = _TRAILER.search(pdf)
    root, size = (_ROOT.search(trailer.group("body")), _SIZE.search(trailer.group("body"))) if trailer else (None, None)
    if trailer is None or root is None or size is None:
        raise ValueError("pdf must end in a cross-reference table and a trailer naming /Root and /Size")
    versions = list(re.finditer(rb"\n" + root.group(1) + rb" 0 obj\s*<<(.*?)>>\s*endobj", pdf, re.DOTALL))
    catalog = versions[-1] if versions else None  # the newest version of the catalog, after any earlier update
    if catalog is None or b"/Metadata" in catalog.group(1):
        raise ValueError("pdf's document catalog must be a plain dictionary without /Metadata")
    root_number, metadata_number = int(root.group(1)), int(size.group(1))
    objects = {
        metadata_number: b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(packet) + packet + b"\nendstream",
        root_number: b"<<" + catalog.group(1).rstrip() + b" /Metadata %d 0 R >>" % metadata_number,
    }
    update, offsets = bytearray(), {}
    start = len(pdf) + (0 if pdf.endswith(b"\n") else 1)
    for number, body in sorted(objects.items()):
        offsets[number] = start + len(update)
        update += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = start + len(update)
    update += b"xref\n"
    for number in sorted(offsets):
        update += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    info = _INFO.search(trailer.group("body"))
    update += (b"trailer\n<< /Size %d /Root %d 0 R" % (metadata_number + 1, root_number)
               + (b" /Info %s 0 R" % info.group(1) if info else b"")
               + b" /Prev %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer.group("xref"), xref))
    return pdf + (b"" if pdf.endswith(b"\n") else b"\n") + bytes(update)
