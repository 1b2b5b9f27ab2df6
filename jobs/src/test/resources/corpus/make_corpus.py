#!/usr/bin/env python3
"""Writes the broken-dump corpus of police.uk street files (issue 13, point 5) byte for byte.

Each file carries one kind of defect a real agency export can have; each record's Crime ID names what is expected of it
(ok-*: accepted into silver; q-*: quarantined; f-*: flagged, kept). CorpusTest checks every file and record against
EXPECTED below (copied into the test). Run from this folder: python3 make_corpus.py
"""
import gzip, os

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")
COLS = HEADER.split(",")


def row(cid, month="2024-01", lon="0.52", lat="51.27", ctype="Burglary", loc="On or near Mill Lane",
        force="Kent Police", sep=","):
    return sep.join([cid, month, force, force, lon, lat, loc, "E01024000", "Maidstone 001A", ctype,
                     "Under investigation", ""])


D = "police_uk_street"
os.makedirs(D, exist_ok=True)


def put(name, data, mode="wb"):
    with open(os.path.join(D, name), mode) as f:
        f.write(data)


def text(*lines, nl="\n"):
    return (nl.join(lines) + nl).encode("utf-8")


# a clean file
put("2024-01-kent-street.csv", text(HEADER, row("ok-clean-1"), row("ok-clean-2")))
# wrong delimiter: the header does not split into the spec's columns
put("2024-02-kent-street.csv", text(HEADER.replace(",", ";"), row("x-semicolon", sep=";")))
# a UTF-8 byte-order mark before the header
put("2024-03-kent-street.csv", b"\xef\xbb\xbf" + text(HEADER, row("ok-bom")))
# Latin-1 bytes (an e acute as 0xE9) in a field
put("2024-04-kent-street.csv", text(HEADER) + row("ok-latin1", loc="On or near Caf\u00e9 Row").encode("latin-1") + b"\n")
# CRLF line ends
put("2024-05-kent-street.csv", text(HEADER, row("ok-crlf-1"), row("ok-crlf-2"), nl="\r\n"))
# a quoted field holding a newline and quotes, then a record whose quote never closes (the last one)
put("2024-06-kent-street.csv", text(HEADER, row("ok-quoted", loc='"On or near ""Mill"" Lane\nRear"'),
                                    row("q-unbalanced", loc='"On or near Mill Lane')))
# a column missing (Context), and the columns reordered (Month before Crime ID)
put("2024-07-kent-street.csv", text(",".join(COLS[:-1]), ",".join(row("ok-missing-col").split(",")[:-1])))
reordered = [COLS[1], COLS[0]] + COLS[2:]
r = row("ok-reordered").split(",")
put("2024-08-kent-street.csv", text(",".join(reordered), ",".join([r[1], r[0]] + r[2:])))
# the header repeated inside the file (two exports concatenated)
put("2024-09-kent-street.csv", text(HEADER, row("ok-before-repeat"), HEADER, row("ok-after-repeat")))
# gzip data under a plain .csv name
put("2024-10-kent-street.csv", gzip.compress(text(HEADER, row("x-gzip-misnamed")), mtime=0))
# an over-long field (200,000 characters), NUL bytes inside a field
put("2024-11-kent-street.csv", text(HEADER, row("q-overlong", loc="x" * 200_000), row("ok-after-overlong")))
put("2024-12-kent-street.csv", text(HEADER, row("q-nul", loc="On or near\x00Mill Lane"), row("ok-after-nul")))
# impossible and far-future months
put("2025-01-kent-street.csv", text(HEADER, row("q-month-13", month="2024-13"), row("q-far-future", month="2099-01"),
                                    row("ok-month")))
# coordinates: swapped (outside the UK), not numbers, (0,0)
put("2025-02-kent-street.csv", text(HEADER, row("f-swapped", lon="51.27", lat="0.52"), row("q-text-lon", lon="east"),
                                    row("f-zero", lon="0", lat="0")))
# a category with odd case and spacing; an unknown category; an unknown force (rejected: add it to the agency list)
put("2025-03-kent-street.csv", text(HEADER, row("ok-odd-case", ctype="  bURGLARY "),
                                    row("q-unknown-category", ctype="Teleportation"),
                                    row("q-unknown-force", force="Atlantis Police")))
# an empty file, a header-only file, a truncated gzip, a binary file, plain text named .gz
put("2025-04-kent-street.csv", b"")
put("2025-05-kent-street.csv", text(HEADER))
full = gzip.compress(text(HEADER, *[row("x-truncated-%d" % i) for i in range(500)]), mtime=0)
put("2025-06-kent-street.csv.gz", full[: len(full) * 2 // 3])
put("2025-07-kent-street.csv", bytes((i * 37 + 11) % 256 for i in range(4000)))
put("2025-08-kent-street.csv.gz", text(HEADER, row("x-plain-as-gz")))
# records that do not split into the header's fields (too few, too many); a blank category; an extra column
put("2025-09-kent-street.csv", text(HEADER, "q-short,2024-01,Kent Police", row("q-long") + ",x,y",
                                    row("q-blank-type", ctype=""), row("ok-after-short")))
put("2025-11-kent-street.csv", text(HEADER + ",Extra note", row("ok-extra-col") + ",hello"))
# not a file of this source at all
put("README.txt", text("exported by the records system; see the data dictionary"))
