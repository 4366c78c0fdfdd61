"""Small real files for upload tests: checked by content, so they must be what they claim to be."""

import math
import struct

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# Sector numbers with a meaning in a compound file's allocation tables ([MS-CFB] 2.1), and "no entry" in its directory.
FREE, END_OF_CHAIN, FAT_SECTOR, DIFAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
NO_ENTRY = 0xFFFFFFFF
SECTOR = 512
PER_SECTOR = SECTOR // 4


def _directory_entry(name: str, kind: int, *, right: int = NO_ENTRY, child: int = NO_ENTRY) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if kind else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, NO_ENTRY, right, child)
            + bytes(36) + struct.pack("<IQ", END_OF_CHAIN, 0))


def compound_file(*names: str, nested: tuple[str, ...] = (), directory_at: int | None = None) -> bytes:
    """An OLE2 compound file (512-byte sectors) whose root storage holds the empty streams `names` and, given `nested`,
    a storage holding those, as an embedded object is kept. The directory takes as many sectors as it needs, chained
    through the allocation table, from sector `directory_at` (by default right after the tables); past 109 table
    sectors, the header lists the rest through DIFAT sectors, as a large file's does."""
    top = [(name, 2) for name in names] + ([("ObjectPool", 1)] if nested else [])
    last = len(top) + len(nested)
    entries = [_directory_entry("Root Entry", 5, child=1 if top else NO_ENTRY)]
    for index, (name, kind) in enumerate(top, start=1):  # each the right sibling of the one before
        entries.append(_directory_entry(name, kind, right=index + 1 if index < len(top) else NO_ENTRY,
                                        child=len(top) + 1 if kind == 1 else NO_ENTRY))
    for index, name in enumerate(nested, start=len(top) + 1):
        entries.append(_directory_entry(name, 2, right=index + 1 if index < last else NO_ENTRY))
    entries += [_directory_entry("", 0)] * (-len(entries) % 4)
    directory = [b"".join(entries[at:at + 4]) for at in range(0, len(entries), 4)]

    fat_count, difat_count = 1, 0
    while True:  # enough table sectors to map every sector, their own included
        first = fat_count + difat_count if directory_at is None else directory_at
        total = first + len(directory)
        fats = math.ceil(total / PER_SECTOR)
        needed = (fats, math.ceil(max(0, fats - 109) / (PER_SECTOR - 1)))
        if needed == (fat_count, difat_count):
            break
        fat_count, difat_count = needed

    fat = [FREE] * (fat_count * PER_SECTOR)
    fat[:fat_count + difat_count] = [FAT_SECTOR] * fat_count + [DIFAT_SECTOR] * difat_count
    for sector in range(first, total):
        fat[sector] = sector + 1 if sector + 1 < total else END_OF_CHAIN
    body = bytearray(total * SECTOR)
    for sector in range(fat_count):
        body[sector * SECTOR:(sector + 1) * SECTOR] = struct.pack(f"<{PER_SECTOR}I",
                                                                  *fat[sector * PER_SECTOR:(sector + 1) * PER_SECTOR])
    listed = list(range(fat_count))[109:]
    for number in range(difat_count):
        sector = fat_count + number
        chunk = listed[number * (PER_SECTOR - 1):(number + 1) * (PER_SECTOR - 1)]
        chunk += [FREE] * (PER_SECTOR - 1 - len(chunk)) + [sector + 1 if number + 1 < difat_count else END_OF_CHAIN]
        body[sector * SECTOR:(sector + 1) * SECTOR] = struct.pack(f"<{PER_SECTOR}I", *chunk)
    for number, data in enumerate(directory):
        body[(first + number) * SECTOR:(first + number + 1) * SECTOR] = data

    in_header = list(range(min(fat_count, 109)))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, fat_count, first, 0, 4096, END_OF_CHAIN,
                            0, fat_count if difat_count else END_OF_CHAIN, difat_count)
              + struct.pack("<109I", *in_header, *[FREE] * (109 - len(in_header))))
    return header + bytes(body)


# Word's and Excel's binary files, with the streams the programs write beside the document; WPS Office's .wps and
# .et are the same formats.
DOC = compound_file("\x01CompObj", "\x05DocumentSummaryInformation", "\x05SummaryInformation", "1Table", "WordDocument")
XLS = compound_file("\x05DocumentSummaryInformation", "\x05SummaryInformation", "Workbook")
