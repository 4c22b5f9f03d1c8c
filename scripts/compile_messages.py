"""Compile giamngheo/locale/*/LC_MESSAGES/django.po to .mo in pure Python (no gettext tools needed).

    python scripts/compile_messages.py

Handles the subset of PO we write: msgid/msgstr pairs (a msgctxt before some) of single or continued quoted lines.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "giamngheo" / "locale"


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr; an entry under `msgctxt` is keyed "context\x04msgid", as gettext's .mo keys it
    (pgettext: the models' Vietnamese plural is the singular word, its English is another)."""
    return dict(po_entries(text))


def po_entries(text: str) -> list[tuple[str, str]]:
    """Every (key, msgstr) in file order, duplicates kept (the test of the catalogue looks for them)."""
    entries: list[tuple[str, str]] = []
    context = key = value = None
    field = None

    def close() -> None:
        if key is not None:
            entries.append((f"{context}\x04{key}" if context is not None else key, value or ""))

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("msgctxt "):
            close()
            context, key, value, field = ast.literal_eval(line[8:]), None, None, "ctxt"
        elif line.startswith("msgid "):
            if field != "ctxt":
                close()
                context = None
            key, value, field = ast.literal_eval(line[6:]), "", "id"
        elif line.startswith("msgstr "):
            value, field = ast.literal_eval(line[7:]), "str"
        elif line.startswith('"') and field == "ctxt":
            context += ast.literal_eval(line)
        elif line.startswith('"') and field == "id":
            key += ast.literal_eval(line)
        elif line.startswith('"') and field == "str":
            value += ast.literal_eval(line)
    close()
    return entries


def write_mo(messages: dict[str, str], path: Path) -> None:
    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    offsets, id_pos, str_pos = [], start, start + len(ids)
    for k in keys:
        offsets.append((len(k.encode()), id_pos, len(messages[k].encode()), str_pos))
        id_pos += len(k.encode()) + 1
        str_pos += len(messages[k].encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    table_ids = b"".join(struct.pack("ii", n, o) for n, o, _, _ in offsets)
    table_strs = b"".join(struct.pack("ii", n, o) for _, _, n, o in offsets)
    path.write_bytes(header + table_ids + table_strs + ids + strs)


def main() -> None:
    for po in ROOT.glob("*/LC_MESSAGES/django.po"):
        messages = parse_po(po.read_text(encoding="utf-8"))
        write_mo(messages, po.with_suffix(".mo"))
        print(f"{po.with_suffix('.mo')}: {len(messages) - 1} messages")


if __name__ == "__main__":
    main()
