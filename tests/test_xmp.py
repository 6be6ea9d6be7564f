"""The licence in a figure PDF's XMP: readable by a PDF library, naming the file's address once the site has one,
and refused in one line when the file is not what matplotlib writes."""

from __future__ import annotations

import io

import pytest

from reluviz.xmp import with_xmp, xmp_packet


def _matplotlib_pdf() -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf", metadata={"Title": "a line", "CreationDate": None, "Producer": None})
    return buffer.getvalue()


def test_a_pdf_library_reads_the_packet_and_the_pages_as_before():
    from pypdf import PdfReader

    original = _matplotlib_pdf()
    packet = xmp_packet("Figure 1: a <line> & more", "Ann Author", "Licensed under CC BY 4.0.", "https://example.org/l",
                        "https://example.org/figures/x.pdf")
    updated = with_xmp(original, packet)
    assert updated.startswith(original)  # an incremental update: the earlier bytes unchanged
    reader = PdfReader(io.BytesIO(updated), strict=True)
    xmp = reader.xmp_metadata
    assert (xmp.dc_title, xmp.dc_creator, xmp.dc_rights) == ({"x-default": "Figure 1: a <line> & more"}, ["Ann Author"],
                                                             {"x-default": "Licensed under CC BY 4.0."})
    assert xmp.dc_source == "https://example.org/figures/x.pdf"
    assert reader.metadata.title == "a line" and len(reader.pages) == 1
    assert with_xmp(original, packet) == updated


def test_a_field_without_a_value_is_left_out():
    packet = xmp_packet("t", "c", "r", "", "")
    assert b"dc:source" not in packet and b"WebStatement" not in packet and b"<xmpRights:Marked>True" in packet


@pytest.mark.parametrize("damage", ["not a pdf", "twice"])
def test_what_is_not_matplotlib_s_plain_pdf_is_refused_in_one_line(damage):
    original = _matplotlib_pdf()
    packet = xmp_packet("t", "c", "r", "u", "s")
    pdf = b"%PDF-1.4 nothing else" if damage == "not a pdf" else with_xmp(original, packet)
    with pytest.raises(ValueError, match=r"^pdf") as error:
        with_xmp(pdf, packet)
    assert "\n" not in str(error.value)
