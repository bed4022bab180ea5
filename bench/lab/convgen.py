#!/usr/bin/env python3
"""Short TCP connections across lab namespaces, for bench/lab/conversations.sh.

One process reaches many network namespaces: it enters a namespace (setns) only to create a socket,
and a socket stays in the namespace it was made in, so one event loop times every connection of the
run without a process per container.

  serve   --netns NS=IP ... --ports FIRST-LAST --seconds S --ready FILE
          listens on IP:PORT in each namespace for every port; answers each connection's request
          with the same bytes and closes; exits after S seconds or on SIGTERM.
  connect --plan FILE --concurrency C --timeout S
          opens one connection per plan line ("NETNS DST_IP DST_PORT"), at most C at a time: connect,
          send one 16-byte request, read the echo, close. Prints one line per connection:
          "LINE START_MS SETUP_MS TOTAL_MS RESULT" (START_MS since the first connect; SETUP_MS is
          connect() to established, the SYN/SYN-ACK round trip; RESULT "ok" or the error).
"""

import argparse
import ctypes
import errno
import os
import selectors
import signal
import socket
import sys
import time

CLONE_NEWNET = 0x40000000
REQUEST = b"patchbay-convgen"  # 16 bytes
_libc = ctypes.CDLL(None, use_errno=True)
_netns_fds = {}


def enter_netns(name):
    """Makes NAME (from `ip netns`) this thread's network namespace for the sockets created next."""
    fd = _netns_fds.get(name)
    if fd is None:
        fd = os.open(f"/run/netns/{name}", os.O_RDONLY | os.O_CLOEXEC)
        _netns_fds[name] = fd
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns {name}: {os.strerror(err)}")


def parse_ports(text):
    first, _, last = text.partition("-")
    first, last = int(first), int(last or first)
    if not 1 <= first <= last <= 65535 or last - first >= 1024:
        raise ValueError(f"ports '{text}' must be FIRST-LAST within 1-65535, at most 1024 of them")
    return range(first, last + 1)


def serve(args):
    ports = parse_ports(args.ports)
    selector = selectors.DefaultSelector()
    for item in args.netns:
        name, _, ip = item.partition("=")
        enter_netns(name)
        for port in ports:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((ip, port))
            listener.listen(256)
            listener.setblocking(False)
            selector.register(listener, selectors.EVENT_READ, None)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    with open(args.ready, "w", encoding="ascii") as ready:
        ready.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + args.seconds
    while not stop and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            if key.data is None:
                try:
                    conn, _ = key.fileobj.accept()
                except BlockingIOError:
                    continue
                conn.setblocking(False)
                selector.register(conn, selectors.EVENT_READ, bytearray())
                continue
            conn, received = key.fileobj, key.data
            try:
                chunk = conn.recv(64)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                chunk = b""
            received += chunk
            if chunk and len(received) < len(REQUEST):
                continue
            selector.unregister(conn)
            try:
                if chunk:
                    conn.setblocking(True)
                    conn.settimeout(2)
                    conn.sendall(bytes(received))
            except OSError:
                pass
            conn.close()
    return 0


class Connection:
    __slots__ = ("line", "sock", "started", "established", "received")

    def __init__(self, line, sock, started):
        self.line = line
        self.sock = sock
        self.started = started
        self.established = None
        self.received = b""


def connect(args):
    plan = []
    with open(args.plan, encoding="ascii") as lines:
        for number, text in enumerate(lines, 1):
            fields = text.split()
            if fields:
                plan.append((number, fields[0], fields[1], int(fields[2])))
    selector = selectors.DefaultSelector()
    out = sys.stdout
    t0 = None
    next_index = 0
    open_count = 0
    deadline = time.monotonic() + args.timeout

    def finish(conn, result):
        nonlocal open_count
        selector.unregister(conn.sock)
        conn.sock.close()
        open_count -= 1
        now = time.perf_counter_ns()
        setup = "-" if conn.established is None else f"{(conn.established - conn.started) / 1e6:.3f}"
        out.write(f"{conn.line} {(conn.started - t0) / 1e6:.3f} {setup} {(now - conn.started) / 1e6:.3f} {result}\n")

    while next_index < len(plan) or open_count:
        while next_index < len(plan) and open_count < args.concurrency:
            line, netns, ip, port = plan[next_index]
            next_index += 1
            enter_netns(netns)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            started = time.perf_counter_ns()
            if t0 is None:
                t0 = started
            conn = Connection(line, sock, started)
            open_count += 1
            code = sock.connect_ex((ip, port))
            selector.register(sock, selectors.EVENT_WRITE, conn)
            if code not in (0, errno.EINPROGRESS):
                finish(conn, errno.errorcode.get(code, str(code)))
        if time.monotonic() > deadline:
            for key in list(selector.get_map().values()):
                finish(key.data, "timeout")
            break
        for key, events in selector.select(timeout=0.2):
            conn = key.data
            if conn.established is None:
                code = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code:
                    finish(conn, errno.errorcode.get(code, str(code)))
                    continue
                conn.established = time.perf_counter_ns()
                try:
                    conn.sock.send(REQUEST)
                except OSError as e:
                    finish(conn, errno.errorcode.get(e.errno, "send"))
                    continue
                selector.modify(conn.sock, selectors.EVENT_READ, conn)
                continue
            try:
                chunk = conn.sock.recv(64)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as e:
                finish(conn, errno.errorcode.get(e.errno, "recv"))
                continue
            conn.received += chunk
            if conn.received == REQUEST:
                finish(conn, "ok")
            elif not chunk:
                finish(conn, "closed")
    out.flush()
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    s = commands.add_parser("serve")
    s.add_argument("--netns", nargs="+", required=True, metavar="NS=IP")
    s.add_argument("--ports", required=True, metavar="FIRST-LAST")
    s.add_argument("--seconds", type=float, required=True)
    s.add_argument("--ready", required=True, metavar="FILE")
    c = commands.add_parser("connect")
    c.add_argument("--plan", required=True, metavar="FILE")
    c.add_argument("--concurrency", type=int, default=16)
    c.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if args.command == "serve":
        return serve(args)
    if not 1 <= args.concurrency <= 1024:
        parser.error("--concurrency must be 1..1024")
    return connect(args)


if __name__ == "__main__":
    sys.exit(main())
