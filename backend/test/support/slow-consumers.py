"""Event-stream clients that stop reading, for the reliability tests.

Node cannot set a socket's receive buffer, so this small Python program does:
each connection asks for a tiny SO_RCVBUF (the kernel makes it a few kB),
opens GET /api/events from the oldest event (Last-Event-ID: 0), and never
reads a byte, so the server meets backpressure almost at once instead of
after megabytes of kernel buffers. Every `reopen` seconds each connection is
replaced by a new one, as an attacker would after being cut off.

Usage: slow-consumers.py HOST PORT CONNECTIONS SECONDS REOPEN < tokens.json
Prints "opened N" once all are open, then "done OPENED" at the end.
"""
import json
import socket
import sys
import time

host, port, count, seconds, reopen = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
tokens = json.loads(sys.stdin.read())
opened = 0


def connect(index):
    global opened
    token = tokens[index % len(tokens)]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect((host, port))
    s.sendall(
        f"GET /api/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Last-Event-ID: 0\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    opened += 1
    return s


sockets = [connect(i) for i in range(count)]
print(f"opened {len(sockets)}", flush=True)
deadline = time.time() + seconds
next_reopen = time.time() + reopen
while time.time() < deadline:
    time.sleep(0.2)
    if reopen > 0 and time.time() >= next_reopen:
        next_reopen = time.time() + reopen
        for i, s in enumerate(sockets):
            s.close()
            try:
                sockets[i] = connect(i)
            except OSError:
                pass
for s in sockets:
    s.close()
print(f"done {opened}", flush=True)
