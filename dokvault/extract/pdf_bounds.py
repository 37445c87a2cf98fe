"""What a PDF's pages would cost PDFium, measured with pikepdf before PDFium loads one.

PDFium inflates a page's content streams whole when it loads the page, and an image whole
when it renders it: a flate bomb of a megabyte is a gigabyte in memory. So, for the pages
that will be read, every stream the page uses is measured here first. Its raw bytes go
through zlib (or the LZW and RunLength counters below) a piece at a time, counting what
they inflate to without keeping it. The page tree is walked with a guard against cycles
(PDFium fails such pages, or reads one page over and over), and images may declare no
more pixels than extract/ocr.py accepts in a picture.

A page that would be a bomb refuses the document; pages that are each fine but together
too much (PDFium parses a content stream again on every page that shows it) are read up
to the budget, and the document says where reading stopped.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, UnidentifiedImageError

from dokvault.extract.ocr import MAX_IMAGE_PIXELS
from dokvault.extract.types import ExtractionError

log = logging.getLogger(__name__)
MIB = 1024 * 1024

MAX_PAGES = 5000  # pages whose text is read; more is a stack of paper no one searches whole
MAX_STREAM_BYTES = 128 * MIB  # what one content stream, font or other stream may inflate to
MAX_PAGE_CONTENT = 128 * MIB  # a page's content streams and the forms it draws, together
MAX_DOCUMENT_CONTENT = 1024 * MIB  # all pages read, together
MAX_IMAGE_BYTES = 256 * MIB  # one decoded image (100 Mpx grey, 85 Mpx RGB)
MAX_TREE_DEPTH = 64  # page-tree levels (a balanced tree of a million pages has about 10)
MAX_OBJECTS = 1_000_000  # objects visited while measuring (a page uses tens)
_CHUNK = 1 * MIB
_FEED = 64 * 1024
_CODECS = {"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode"}
_COMPONENTS = {"/DeviceGray": 1, "/G": 1, "/CalGray": 1, "/DeviceRGB": 3, "/RGB": 3,
               "/CalRGB": 3, "/Lab": 3, "/DeviceCMYK": 4, "/CMYK": 4, "/Indexed": 1, "/I": 1}
_BACK_LINKS = {"/Parent", "/P"}  # up the tree, or from an annotation back to its page


@dataclass
class Pages:
    """The first `readable` pages may be loaded; `cut` says why the rest may not ("pages"
    past MAX_PAGES, "size" past MAX_DOCUMENT_CONTENT), None when all may."""

    readable: int
    cut: str | None = None


def _refuse(code: str, detail: str) -> ExtractionError:
    log.warning("pdf refused: %s (%s)", code, detail)
    return ExtractionError(code, detail)


# --- counting what a stream inflates to, without keeping it ------------------------------------


def _inflated_size(data: bytes, limit: int) -> int:
    """Bytes `data` inflates to (zlib, or raw deflate as some writers make it), counted up to
    just past `limit`; a stream broken part-way counts what came before the break."""
    for wbits in (zlib.MAX_WBITS | 32, -zlib.MAX_WBITS):
        inflater = zlib.decompressobj(wbits)
        total = 0
        try:
            for start in range(0, len(data), _FEED):
                piece = data[start:start + _FEED]
                while piece:
                    total += len(inflater.decompress(piece, _CHUNK))
                    if total > limit or inflater.eof:
                        return total
                    piece = inflater.unconsumed_tail
            return total
        except zlib.error:
            if total:
                return total
    return 0


def _inflate(data: bytes, limit: int) -> bytes:
    """The inflated bytes themselves, for a filter that follows (at most `limit` of them)."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
    try:
        return inflater.decompress(data, limit + 1)
    except zlib.error:
        return b""


def lzw_size(data: bytes, limit: int, early_change: int = 1) -> int:
    """Bytes an LZW stream decodes to, counted from the lengths of its table entries alone."""
    lengths = [1] * 256 + [0, 0]  # 256 clears the table, 257 ends the data
    width, buffer, bits, previous, total = 9, 0, 0, None, 0
    for byte in data:
        buffer, bits = (buffer << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            buffer &= (1 << bits) - 1
            if code == 256:
                del lengths[258:]
                width, previous = 9, None
                continue
            if code == 257:
                return total
            if code < len(lengths):
                length = lengths[code]
            elif code == len(lengths) and previous is not None:
                length = lengths[previous] + 1
            else:
                return total  # a broken stream: decoders stop here
            if previous is not None and len(lengths) < 4096:
                lengths.append(lengths[previous] + 1)
            total += length
            if total > limit:
                return total
            previous = code
            if len(lengths) + early_change >= (1 << width) and width < 12:
                width += 1
    return total


def run_length_size(data: bytes, limit: int) -> int:
    """Bytes a RunLength stream decodes to (at most 128 times its size)."""
    total = index = 0
    while index < len(data) and total <= limit:
        length = data[index]
        if length == 128:
            break
        if length < 128:
            total += length + 1
            index += length + 2
        else:
            total += 257 - length
            index += 2
    return total


def _names(value) -> list[str]:
    """A /Filter value as a list of names."""
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)]


def _parameter(stream: pikepdf.Stream, position: int, key: str, default: int) -> int:
    parameters = stream.get("/DecodeParms")
    if isinstance(parameters, pikepdf.Array):
        parameters = parameters[position] if position < len(parameters) else None
    try:
        return int(parameters.get(key, default)) if isinstance(parameters, pikepdf.Dictionary) \
            else default
    except (TypeError, ValueError):
        return default


def decoded_size(stream: pikepdf.Stream, limit: int) -> int:
    """What the stream's filters before its image codec (if any) make of its raw bytes,
    counted up to just past `limit`."""
    data = stream.read_raw_bytes()
    filters = _names(stream.get("/Filter"))
    chain = filters[:next((i for i, f in enumerate(filters) if f in _CODECS), len(filters))]
    for position, name in enumerate(chain):
        last = position == len(chain) - 1
        try:
            if name in ("/ASCIIHexDecode", "/AHx"):
                hexdigits = bytes(c for c in data.split(b">")[0] if c in b"0123456789abcdefABCDEF")
                data = binascii.unhexlify(hexdigits + b"0" * (len(hexdigits) % 2))
            elif name in ("/ASCII85Decode", "/A85"):
                data = base64.a85decode(data.split(b"~>")[0].lstrip(b"<~"), adobe=False)
            elif name in ("/FlateDecode", "/Fl"):
                if last:
                    return _inflated_size(data, limit)
                data = _inflate(data, limit)
            elif name in ("/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"):
                if not last:  # only counted, never decoded here: what follows cannot be measured
                    raise _refuse("error.too_complex", f"filters after {name}")
                if name in ("/RunLengthDecode", "/RL"):
                    return run_length_size(data, limit)
                return lzw_size(data, limit, _parameter(stream, position, "/EarlyChange", 1))
            else:
                break  # a filter PDFium does not know either
        except (ValueError, binascii.Error):
            break  # a broken stream: PDFium reads what it can, as counted so far
        if len(data) > limit:
            break
    return len(data)


# --- images ------------------------------------------------------------------------------------


def _components(image: pikepdf.Stream) -> int:
    space = image.get("/ColorSpace")
    if isinstance(space, pikepdf.Array) and len(space):
        if str(space[0]) == "/ICCBased":
            try:
                return int(space[1].get("/N", 3))
            except (TypeError, ValueError, AttributeError):
                return 4
        space = space[0]
    return _COMPONENTS.get(str(space), 4) if space is not None else 1


def _check_image(image: pikepdf.Stream, measure: _Measure) -> None:
    try:
        width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        depth = 1 if image.get("/ImageMask") else int(image.get("/BitsPerComponent", 8))
    except (TypeError, ValueError):
        return  # PDFium skips an image it cannot size
    filters = _names(image.get("/Filter"))
    if filters and filters[-1] in ("/DCTDecode", "/DCT", "/JPXDecode"):
        try:  # a JPEG's own header can claim more than the dictionary does
            with Image.open(io.BytesIO(image.read_raw_bytes())) as picture:
                width, height = max(width, picture.width), max(height, picture.height)
        except Image.DecompressionBombError as exc:
            raise _refuse("error.image_too_large", str(exc)[:120]) from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            pass
    pixels = width * height
    components = 1 if image.get("/ImageMask") else _components(image)
    declared = pixels * components * max(depth, 1) // 8
    if pixels > MAX_IMAGE_PIXELS or declared > MAX_IMAGE_BYTES:
        raise _refuse("error.image_too_large", f"image of {width}x{height}")
    allowed = max(2 * declared, MIB)
    decoded = measure.size(image, allowed)
    if decoded > allowed:  # PDFium inflates all of it before it reads the pixels
        raise _refuse("error.bomb", f"image of {width}x{height} inflating past {decoded} bytes")


# --- the page tree and what each page uses ------------------------------------------------------


class _Measure:
    """Inflated sizes, each stream measured once per document."""

    def __init__(self) -> None:
        self.sizes: dict[tuple[int, int], int] = {}
        self.seen: set[tuple[int, int]] = set()
        self.visits = 0

    def size(self, stream: pikepdf.Stream, limit: int = MAX_STREAM_BYTES) -> int:
        key = stream.objgen
        if key not in self.sizes:
            self.sizes[key] = decoded_size(stream, limit)
        return self.sizes[key]

    def check_reachable(self, root) -> None:
        """Every stream reachable from `root`, not already checked: within its bounds."""
        stack = [root]
        while stack:
            obj = stack.pop()
            self.visits += 1
            if self.visits > MAX_OBJECTS:
                raise _refuse("error.too_complex", f"over {MAX_OBJECTS} objects")
            if isinstance(obj, pikepdf.Array):
                stack.extend(obj)
                continue
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            key = obj.objgen
            if key != (0, 0):
                if key in self.seen:
                    continue
                self.seen.add(key)
            if isinstance(obj, pikepdf.Stream):
                if obj.get("/Subtype") == pikepdf.Name.Image:
                    _check_image(obj, self)
                elif (size := self.size(obj)) > MAX_STREAM_BYTES:
                    raise _refuse("error.bomb", f"stream {key} inflating past {size} bytes")
            stack.extend(value for name, value in obj.items() if name not in _BACK_LINKS)

    def content(self, page: pikepdf.Dictionary, resources) -> int:
        """What PDFium parses to load the page: its content streams and the forms it draws."""
        contents = page.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if isinstance(xobjects, pikepdf.Dictionary):
            streams += [x for x in xobjects.values() if isinstance(x, pikepdf.Stream)
                        and x.get("/Subtype") == pikepdf.Name.Form]
        return sum(self.size(s) for s in streams if isinstance(s, pikepdf.Stream))


def _pages(root, limit: int):
    """The first `limit` pages, in the order PDFium counts them, each with the resources it
    uses (its own or a parent's); a node that contains itself refuses the document."""
    stack = [(iter(root.get("/Kids", [])), root.objgen, root.get("/Resources"))]
    ancestors = {root.objgen}
    found = 0
    while stack and found < limit:
        kids, _key, inherited = stack[-1]
        kid = next(kids, None)
        if kid is None:
            ancestors.discard(stack.pop()[1])
            continue
        if not isinstance(kid, pikepdf.Dictionary):
            continue  # PDFium skips a kid that is not a dictionary
        if "/Kids" in kid:
            key = kid.objgen
            if key in ancestors:
                raise _refuse("error.corrupt_pdf", f"page tree loop at {key}")
            if len(stack) >= MAX_TREE_DEPTH:
                raise _refuse("error.too_complex", f"page tree over {MAX_TREE_DEPTH} levels")
            ancestors.add(key)
            stack.append((iter(kid.get("/Kids", [])), key, kid.get("/Resources", inherited)))
            continue
        found += 1
        yield kid, kid.get("/Resources", inherited)


def measure(path: Path, pages: int) -> Pages:
    """Check the first `pages` pages (fewer if the tree has fewer) before PDFium loads any."""
    try:  # attributes are not pushed down the tree: qpdf would walk all of it, every page
        pdf = pikepdf.open(path, inherit_page_attributes=False)
    except pikepdf.PasswordError as exc:
        raise ExtractionError("error.pdf_encrypted", str(exc)[:200]) from exc
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise ExtractionError("error.corrupt_pdf", f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    with pdf:
        try:
            root = pdf.Root.get("/Pages")
            if not isinstance(root, pikepdf.Dictionary):
                raise ExtractionError("error.corrupt_pdf", "no page tree")
            measure = _Measure()
            allowed = min(pages, MAX_PAGES)
            spent = 0
            readable = 0
            for page, resources in _pages(root, allowed):
                measure.check_reachable(page)
                measure.check_reachable(resources)
                content = measure.content(page, resources)
                if content > MAX_PAGE_CONTENT:
                    raise _refuse("error.bomb", f"page {readable + 1} content of {content} bytes")
                spent += content
                if spent > MAX_DOCUMENT_CONTENT:
                    log.info("pdf read up to page %s: content budget spent", readable)
                    return Pages(readable, "size")
                readable += 1
        except pikepdf.PdfError as exc:
            raise ExtractionError("error.corrupt_pdf", f"PdfError: {str(exc)[:200]}") from exc
    return Pages(readable, "pages" if pages > MAX_PAGES else None)
