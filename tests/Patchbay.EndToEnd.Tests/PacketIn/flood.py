#!/usr/bin/env python3
"""New-conversation flood for PacketInFloodTests: raw IPv4/UDP frames from an AF_PACKET socket, each to the next
of COUNT addresses from FIRST_DST (addresses no endpoint has), at RATE frames per second for SECONDS seconds.
Bounded: it never sends more than RATE * SECONDS frames and stops at SECONDS whatever it reached.
Prints one JSON line: {"sent": N, "seconds": S, "rate": N/S}. Run it inside the flooding container's namespace.

usage: flood.py IFACE SRC_MAC SRC_IP DST_MAC FIRST_DST COUNT RATE SECONDS
"""
import ipaddress
import json
import socket
import struct
import sys
import time


def checksum(header: bytes) -> int:
    total = sum(struct.unpack("!10H", header))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def frame(src_mac: bytes, dst_mac: bytes, src_ip: bytes, dst_ip: bytes, port: int) -> bytes:
    udp = struct.pack("!HHHH", 40000, port, 8 + 18, 0) + bytes(18)
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0, src_ip, dst_ip)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return dst_mac + src_mac + b"\x08\x00" + header + udp


def main() -> None:
    iface, src_mac, src_ip, dst_mac, first_dst, count, rate, seconds = sys.argv[1:9]
    count, rate, seconds = int(count), int(rate), float(seconds)
    mac = lambda text: bytes.fromhex(text.replace(":", ""))
    first = int(ipaddress.IPv4Address(first_dst))
    frames = [frame(mac(src_mac), mac(dst_mac), socket.inet_aton(src_ip), ipaddress.IPv4Address(first + i).packed, 1024 + i % 50000)
              for i in range(count)]
    limit = int(rate * seconds)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    sock.bind((iface, 0))
    send = sock.send
    sent = 0
    start = time.monotonic()
    deadline = start + seconds
    while sent < limit:
        now = time.monotonic()
        if now >= deadline:
            break
        # Catch up to where the schedule says we should be, in slices of at most 1 ms of traffic.
        due = min(limit, int((now - start) * rate) + rate // 1000)
        while sent < due:
            try:
                send(frames[sent % count])
            except BlockingIOError:
                break
            except OSError:
                # ENOBUFS: the veth queue is full for a moment; the schedule retries.
                break
            sent += 1
        if sent >= due:
            time.sleep(0.0005)
    elapsed = time.monotonic() - start
    print(json.dumps({"sent": sent, "seconds": round(elapsed, 3), "rate": round(sent / elapsed)}))


if __name__ == "__main__":
    main()
