"""One PDF per page of a PDF written by wkhtmltopdf, without PyPDF2.

Odoo splits a batch of one-page letters with PyPDF2: a writer per page,
which walks and re-serialises every object the page uses (its fonts most of
all), about 2 ms a letter. The PDF wkhtmltopdf writes (Qt's writer) is
simple: a classic cross-reference table, one flat page tree, no object
streams, no encryption. Each page's PDF is made here of the bytes of the
objects the page uses, copied as they are (only their numbers change), a
page tree and a catalog of its own. Anything else (another writer, a page
that refers to another page, ...) returns None: the caller splits the
standard way."""

import re
from bisect import bisect_right

REFERENCE_RE = re.compile(rb"(\d+)\s+0\s+R\b")
OBJECT_HEAD_RE = re.compile(rb"\s*(\d+)\s+0\s+obj\b")
STREAM_RE = re.compile(rb">>\s*stream(?:\r\n|\n)")
KIDS_RE = re.compile(rb"/Kids\s*\[([^\]]*)\]")
PROCSET_RE = re.compile(rb"/ProcSet\s*\[[^\]]*\]")
# the keys of Qt's page tree: anything else might be inherited by its pages
PAGE_TREE_KEYS = {b"Type", b"Pages", b"Kids", b"Count"}


class Unsplittable(Exception):
    pass


class _Document:
    def __init__(self, pdf):
        self.pdf = pdf
        start = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
        if pdf[start : start + 4] != b"xref":
            raise Unsplittable("no classic cross-reference table")
        trailer_at = pdf.index(b"trailer", start)
        trailer = pdf[trailer_at : pdf.index(b"startxref", trailer_at)]
        if b"/Prev" in trailer or b"/Encrypt" in trailer:
            raise Unsplittable("updated or encrypted")
        self.root = int(re.search(rb"/Root\s+(\d+)\s+0\s+R", trailer).group(1))
        self.offsets = {}
        tokens = pdf[start + 4 : trailer_at].split()
        index = 0
        while index < len(tokens):
            first, count = int(tokens[index]), int(tokens[index + 1])
            index += 2
            for number in range(first, first + count):
                offset, _generation, kind = tokens[index : index + 3]
                index += 3
                if kind == b"n":
                    self.offsets[number] = int(offset)
        self.starts = sorted(self.offsets.values()) + [start]

    def raw(self, number):
        """The bytes of object ``number``, ``N 0 obj`` to before the next."""
        start = self.offsets[number]
        end = self.starts[bisect_right(self.starts, start)]
        raw = self.pdf[start:end]
        head = OBJECT_HEAD_RE.match(raw)
        if not head or int(head.group(1)) != number:
            raise Unsplittable(f"object {number} not where the table says")
        return raw

    def dictionary(self, raw):
        """The part of an object that may hold references (not its stream)."""
        stream = STREAM_RE.search(raw)
        return raw[: stream.start() + 2] if stream else raw

    def references(self, number):
        return [
            int(ref) for ref in REFERENCE_RE.findall(self.dictionary(self.raw(number)))
        ]


def split_pages(pdf):
    """[one PDF (bytes) per page of ``pdf``], or None when it cannot be
    split this way."""
    try:
        return _split(_Document(pdf))
    except (Unsplittable, ValueError, KeyError, IndexError, AttributeError):
        return None


def _split(document):
    catalog = document.dictionary(document.raw(document.root))
    tree = int(re.search(rb"/Pages\s+(\d+)\s+0\s+R", catalog).group(1))
    tree_raw = document.dictionary(document.raw(tree))
    kids_match = KIDS_RE.search(tree_raw)
    kids = [int(ref) for ref in REFERENCE_RE.findall(kids_match.group(1))]
    procset = PROCSET_RE.search(tree_raw)
    rest = PROCSET_RE.sub(b"", KIDS_RE.sub(b"", tree_raw))
    rest = rest[OBJECT_HEAD_RE.match(rest).end() :]
    if set(re.findall(rb"/([A-Za-z]+)", rest)) - PAGE_TREE_KEYS:
        raise Unsplittable("page tree with inherited attributes")
    pages = set(kids)
    header = document.pdf[: document.pdf.index(b"\n") + 1] + b"%\xe2\xe3\xcf\xd3\n"
    result = []
    for page in kids:
        if b"/Type /Pages" in document.dictionary(document.raw(page)):
            raise Unsplittable("nested page tree")
        # the objects the page uses (its tree excepted: written anew)
        used, todo = [], [page]
        seen = {page, tree}
        while todo:
            number = todo.pop()
            used.append(number)
            for ref in document.references(number):
                if ref in pages or ref == document.root:
                    raise Unsplittable("a page refers to another page")
                if ref not in seen:
                    seen.add(ref)
                    todo.append(ref)
        used.sort()
        numbers = {old: new for new, old in enumerate(used, start=1)}
        numbers[tree] = len(used) + 1
        catalog_number = len(used) + 2

        def renumber(match, numbers=numbers):
            return b"%d 0 R" % numbers[int(match.group(1))]

        out = bytearray(header)
        offsets = []
        for old in used:
            raw = document.raw(old)
            head = OBJECT_HEAD_RE.match(raw)
            stream = STREAM_RE.search(raw)
            cut = stream.start() + 2 if stream else len(raw)
            offsets.append(len(out))
            out += b"%d 0 obj" % numbers[old]
            out += REFERENCE_RE.sub(renumber, raw[head.end() : cut])
            out += raw[cut:]
            if not out.endswith(b"\n"):
                out += b"\n"
        offsets.append(len(out))
        out += (
            b"%d 0 obj\n<<\n/Type /Pages\n/Kids [%d 0 R]\n/Count 1\n%s\n>>\nendobj\n"
            % (
                numbers[tree],
                numbers[page],
                procset.group(0) if procset else b"",
            )
        )
        offsets.append(len(out))
        out += b"%d 0 obj\n<<\n/Type /Catalog\n/Pages %d 0 R\n>>\nendobj\n" % (
            catalog_number,
            numbers[tree],
        )
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (catalog_number + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<<\n/Size %d\n/Root %d 0 R\n>>\nstartxref\n%d\n%%%%EOF\n" % (
            catalog_number + 1,
            catalog_number,
            xref,
        )
        result.append(bytes(out))
    return result
