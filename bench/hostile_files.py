"""Hostile files of every kind DokVault reads, built on the spot (nothing is downloaded).

Each builder writes one file and returns its path. Sizes are parameters, so the unit
tests build the same shapes small and bench/hostile.py builds them as an attacker would.
Compressed parts are made with zlib from repeated blocks: a gigabyte of inflated data
costs a second or two to build and a megabyte on disk.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

MIB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _repeated(block: bytes, total: int) -> Iterator[bytes]:
    """`block` repeated to `total` bytes (whole blocks only), in pieces of about a MiB."""
    piece = block * max(1, MIB // len(block))
    total -= total % len(block)
    while total > 0:
        yield piece[:total]
        total -= len(piece)


def deflated(block: bytes, total: int, *, wbits: int = zlib.MAX_WBITS) -> bytes:
    """`block` repeated to `total` bytes, compressed (zlib wrapper by default, raw with
    wbits=-15)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    out = bytearray()
    for piece in _repeated(block, total):
        out += compressor.compress(piece)
    out += compressor.flush()
    return bytes(out)


# --- ZIP containers ---------------------------------------------------------------------------

DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
}


def _zip_part(archive: zipfile.ZipFile, name: str, head: bytes, block: bytes, filler: int,
              tail: bytes) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as fh:
        fh.write(head)
        for piece in _repeated(block, filler):
            fh.write(piece)
        fh.write(tail)


def docx_bomb(path: Path, inflated: int) -> Path:
    """A DOCX whose word/document.xml is `inflated` bytes of paragraphs, in a file of a
    few hundred KB (the probe's 298 KB DOCX held 100 MB)."""
    paragraph = b"<w:p><w:r><w:t>bombe bombe bombe bombe</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in DOCX_PARTS.items():
            archive.writestr(name, text)
        head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
        _zip_part(archive, "word/document.xml", head, paragraph, inflated,
                  b"</w:body></w:document>")
    return path


ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>")


def odt_bomb(path: Path, inflated: int) -> Path:
    """An ODT whose content.xml is `inflated` bytes of paragraphs."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            b"<office:body><office:text>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", ODT_MANIFEST, zipfile.ZIP_DEFLATED)
        _zip_part(archive, "content.xml", head, b"<text:p>bombe bombe bombe</text:p>", inflated,
                  b"</office:text></office:body></office:document-content>")
    return path


def docx_with_entries(path: Path, entries: int) -> Path:
    """A DOCX whose central directory lists `entries` tiny parts (ZipInfo objects cost
    hundreds of bytes each: millions of them fill the memory before any part is read)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, text in DOCX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body/></w:document>')
        for number in range(entries):
            archive.writestr(f"word/media/x{number}.xml", b"")
    return path


# --- PDF --------------------------------------------------------------------------------------


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of `objects` (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(out)
    return Path(path)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def pdf_flate_bomb(path: Path, inflated: int) -> Path:
    """One page whose content stream inflates to `inflated` bytes (about 1000:1)."""
    content = deflated(b"0 0 m 1 1 l S\n" * 64, inflated)
    return write_pdf(path, [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"/Filter /FlateDecode", content),
    ])


def _image_page(size: tuple[float, float] = (595, 842)) -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>" % size)


def _draw_image(size: tuple[float, float] = (595, 842)) -> bytes:
    return _stream(b"", b"q %g 0 0 %g 0 0 cm /Im0 Do Q" % size)


def pdf_image_bomb(path: Path, width: int, height: int) -> Path:
    """One scanned-looking page whose grey image declares `width` x `height` pixels and
    inflates to all of them (a render or OCR decodes the whole image)."""
    data = deflated(b"\xff" * 4096, width * height)
    return write_pdf(path, [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _image_page(),
        _draw_image(),
        _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height), data),
    ])


def pdf_page_tree_cycle(path: Path) -> Path:
    """A page tree whose second kid is the tree itself."""
    return write_pdf(path, [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 3 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"", b"BT /F1 12 Tf 72 720 Td (sykel) Tj ET"),
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>",
    ])


def pdf_many_pages(path: Path, fanout: int, levels: int = 2) -> Path:
    """fanout ** levels pages in a file of a few KB: every kid of a level is the same node,
    down to one shared page (a tree no printer ever wrote, and legal PDF syntax)."""
    objects = [CATALOG, b""]
    number = 3
    page = number
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>"
                   % (number + 1))
    objects.append(_stream(b"", b"BT /F1 12 Tf 72 720 Td (side) Tj ET"))
    number += 2
    below, count = page, 1
    for _level in range(levels - 1):
        count *= fanout
        kids = b" ".join(b"%d 0 R" % below for _ in range(fanout))
        objects.append(b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (kids, count))
        below, number = number, number + 1
    kids = b" ".join(b"%d 0 R" % below for _ in range(fanout))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count * fanout)
    return write_pdf(path, objects)


def pdf_scanned_pages(path: Path, pages: int, size: tuple[float, float] = (144, 144)) -> Path:
    """`pages` pages without text, each showing one small grey picture: every page is a
    scan for OCR. Small pages, so the cost is the count, not the render."""
    image = bytes((x * 7 + y * 3) % 256 for y in range(64) for x in range(64))
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    return write_pdf(path, [
        CATALOG,
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        _image_page(size),
        _draw_image(size),
        _stream(b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode", zlib.compress(image)),
    ])


def pdf_huge_page(path: Path, inches: float = 200) -> Path:
    """A scanned page `inches` square (OCR at 300 dpi would be gigapixels)."""
    side = inches * 72
    image = bytes((x * 5 + y * 11) % 256 for y in range(64) for x in range(64))
    return write_pdf(path, [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _image_page((side, side)),
        _draw_image((side, side)),
        _stream(b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode", zlib.compress(image)),
    ])


def pdf_thin_page(path: Path, width: float = 0.05, height: float = 14400) -> Path:
    """A page a hair wide and 200 inches tall: a thumbnail 240 pixels wide would be
    tens of millions of pixels tall."""
    return write_pdf(path, [
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents 4 0 R >>" % (width, height),
        _stream(b"", b"0 0 m 0 14400 l S"),
    ])


# --- images -----------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, chunks: list[bytes], bit_depth: int = 8) -> bytes:
    row = b"\x00" + b"\xff" * ((width * bit_depth + 7) // 8)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + b"".join(chunks)
            + _png_chunk(b"IDAT", deflated(row, len(row) * height)) + _png_chunk(b"IEND", b""))


def png_bomb(path: Path, width: int, height: int, bit_depth: int = 1) -> Path:
    """A white PNG of `width` x `height` pixels that inflates to all of them."""
    Path(path).write_bytes(_png(width, height, [], bit_depth))
    return Path(path)


def png_text_bomb(path: Path, inflated: int) -> Path:
    """A small PNG with one zTXt chunk that inflates to `inflated` bytes."""
    text = _png_chunk(b"zTXt", b"Comment\x00\x00" + deflated(b"bombe ", inflated))
    Path(path).write_bytes(_png(64, 64, [text]))
    return Path(path)


def png_many_text_chunks(path: Path, chunks: int, each: int = 1000 * 1000) -> Path:
    """A small PNG with `chunks` zTXt chunks of `each` inflated bytes (just under Pillow's
    limit per chunk): tens of megabytes of text in a file of kilobytes."""
    one = _png_chunk(b"zTXt", b"Comment\x00\x00" + deflated(b"tekst ", each))
    Path(path).write_bytes(_png(64, 64, [one] * chunks))
    return Path(path)


def jpeg_huge_dimensions(path: Path, width: int = 60000, height: int = 60000) -> Path:
    """A tiny JPEG whose frame header claims `width` x `height` pixels."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (16, 16), 255).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    Path(path).write_bytes(bytes(data))
    return Path(path)


def tiff_many_pages(path: Path, pages: int, size: tuple[int, int] = (200, 120)) -> Path:
    """A TIFF of `pages` small frames with a word on each (the probe's had 2,000)."""
    from PIL import Image, ImageDraw

    frame = Image.new("L", size, 255)
    ImageDraw.Draw(frame).text((10, 50), "side", fill=0)
    frame.save(path, save_all=True, append_images=[frame] * (pages - 1), compression="tiff_deflate",
               dpi=(300, 300))
    return Path(path)


def tiff_huge_dimensions(path: Path, width: int = 40000, height: int = 40000) -> Path:
    """A bi-level TIFF of `width` x `height` white pixels, G4-compressed to almost nothing."""
    from PIL import Image

    Image.new("1", (width, height), 1).save(path, compression="group4")
    return Path(path)


# --- e-mail -----------------------------------------------------------------------------------


def eml_carrying(path: Path, attachment: Path) -> Path:
    """A mail with `attachment` (e.g. a zip-bomb DOCX) attached."""
    message = EmailMessage()
    message["From"] = "angriper@example.com"
    message["To"] = "megler@example.no"
    message["Subject"] = "Kontrakt"
    message.set_content("Se vedlegg.")
    message.add_attachment(attachment.read_bytes(), maintype="application",
                           subtype="octet-stream", filename=attachment.name)
    Path(path).write_bytes(message.as_bytes())
    return Path(path)


def _nested(depth: int, fanout: int, label: str) -> bytes:
    boundary = f"grense-{label}".encode()
    parts = [b"Content-Type: text/plain; charset=utf-8\r\n\r\nSe vedlegg.\r\n",
             b'Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; '
             b'filename="vedlegg-%s.txt"\r\n\r\nVedlegg p\xc3\xa5 niv\xc3\xa5 %s\r\n'
             % (label.encode(), label.encode())]
    if depth > 0:
        parts += [b"Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
                  + _nested(depth - 1, fanout, f"{label}.{number}") for number in range(fanout)]
    body = b"".join(b"--%s\r\n%s\r\n" % (boundary, part) for part in parts)
    return (b"From: angriper@example.com\r\nTo: megler@example.no\r\nSubject: Niv\xc3\xa5 %s\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n%s--%s--\r\n"
            % (label.encode(), boundary, body, boundary))


def eml_nested(path: Path, depth: int, fanout: int) -> Path:
    """A mail carrying `fanout` mails, each carrying `fanout` more, `depth` levels deep, and
    a small text file at every level (written as MIME directly: the email package takes
    minutes to build a hundred thousand parts)."""
    Path(path).write_bytes(_nested(depth, fanout, "e"))
    return Path(path)


# --- text -------------------------------------------------------------------------------------


def html_huge(path: Path, size: int) -> Path:
    """`size` bytes of tiny nested elements: a DOM of millions of nodes."""
    with Path(path).open("wb") as fh:
        fh.write(b"<!doctype html><html><body><main>")
        for piece in _repeated(b"<div><span>ord</span> <b>mer</b></div>\n", size):
            fh.write(piece)
        fh.write(b"</main></body></html>")
    return Path(path)


def txt_huge(path: Path, size: int, line: bytes = b"tekst " * 20) -> Path:
    """`size` bytes of text; a single line when `line` has no newline."""
    with Path(path).open("wb") as fh:
        for piece in _repeated(line, size):
            fh.write(piece)
    return Path(path)

