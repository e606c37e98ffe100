#!/usr/bin/env python3
"""Builds the golden-bytes fixtures of the store's on-disk formats, independently of the C# encoders.

Every field is laid out here by hand from the format documentation in src/Registry.Store, and CRC-32C is computed
by the bit-wise reference algorithm below (not the hardware instruction the store uses). The C# tests compare their
encoders' output with these files byte for byte. Run from this folder: python3 make_fixtures.py
"""
import struct

def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF

assert crc32c(b"123456789") == 0xE3069283  # RFC 3720 B.4 check value

def write_hex(name: str, data: bytes) -> None:
    with open(name, "w") as f:
        for i in range(0, len(data), 32):
            f.write(data[i:i + 32].hex() + "\n")

# Checkpoint file, format 1 (CheckpointFormat.cs)
payload = b"registry-state:v42"
header = struct.pack("<IHHII", 0x50434752, 1, 1, 64, 0)
header += struct.pack("<qqqqq", 42, 4160, 100, 1767323045678, len(payload))  # 2026-01-02T03:04:05.678Z
header += struct.pack("<I", crc32c(payload))
header += struct.pack("<I", crc32c(header))
assert len(header) == 64
write_hex("checkpoint-v1.hex", header + payload)

# Commit-record slot, format 1 (CommitRecordFormat.cs)
meta = bytes(range(44))
slot = struct.pack("<IHHQqiI", 0x4D434C52, 1, 1, 7, 9, len(meta), 0) + meta
slot += struct.pack("<I", crc32c(slot))
slot += bytes(4096 - len(slot))
write_hex("commit-record-slot-v1.hex", slot)

# Log entry frame (EntryFrame.cs): sequence 5, payload "hello"
body = struct.pack("<q", 5) + b"hello"
write_hex("entry-frame-v1.hex", struct.pack("<I", crc32c(body)) + body)

# Commit cookie (CommitCookie.cs): 1234 entries, 1 MiB pages (2^20), 256 MiB segments (2^28)
write_hex("commit-cookie-v1.hex", struct.pack("<IqBBH", 0x4B434C52, 1234, 20, 28, 0))
