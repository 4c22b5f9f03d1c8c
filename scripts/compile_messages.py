"""Compile giamngheo/locale/*/LC_MESSAGES/django.po to .mo in pure Python (no gettext tools needed).

    python scripts/compile_messages.py

Handles the subset of PO we write: msgid/msgstr pairs of single or continued quoted lines.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "giamngheo" / "locale"


def parse_po(text: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    key = value = None
    field = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            if key is not None:
                messages[key] = value or ""
            key, value, field = ast.literal_eval(line[6:]), "", "id"
        elif line.startswith("msgstr "):
            value, field = ast.literal_eval(line[7:]), "str"
        elif line.startswith('"') and field == "id":
            key += ast.literal_eval(line)
        elif line.startswith('"') and field == "str":
            value += ast.literal_eval(line)
    if key is not None:
        messages[key] = value or ""
    return messages


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
