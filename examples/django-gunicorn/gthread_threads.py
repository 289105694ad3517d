"""Watches the example's gunicorn gthread workers from outside (Linux, as root or as the server's user) and
prints a line each time what it sees changes: per worker, its open connections, how many of its threads sit
in a blocking read on a connection that has no bytes waiting (a connection that has not sent its request),
and how many connections hold a request nobody has read yet (waiting in the worker's queue for a thread).

A worker whose threads all wait on idle connections while requests wait unread answers nothing until one
of those connections sends or closes: gunicorn 20.1's gthread worker gives each new connection a thread
that waits for its first request with no time limit.

    sudo python3 gthread_threads.py            # while the example runs; Ctrl-C to stop

Reads /proc/<pid>/task/*/syscall (which threads are in recvfrom, on which descriptor) and `ss -tnHae`
(each socket's unread bytes); samples every 100 ms.
"""
import os
import re
import subprocess
import sys
import time

SYS_RECVFROM = 45  # x86_64
INTERVAL_S = 0.1


def workers() -> list:
    """The gunicorn workers serving marketplace.wsgi: children of its master."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"marketplace.wsgi" not in open(f"/proc/{pid}/cmdline", "rb").read():
                continue
            ppid = int(re.search(r"PPid:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1))
            found.append((int(pid), ppid))
        except OSError:
            pass
    pids = {p for p, _ in found}
    return sorted(p for p, parent in found if parent in pids)


def established_sockets() -> dict:
    """Socket inode -> its unread bytes (Recv-Q), for every established TCP socket."""
    unread = {}
    for line in subprocess.run(["ss", "-tnHae", "state", "established"], capture_output=True, text=True).stdout.splitlines():
        inode = re.search(r"ino:(\d+)", line)
        fields = line.split()
        if inode and fields:
            unread[inode.group(1)] = int(fields[0])
    return unread


def worker_state(pid: int, unread: dict) -> tuple:
    """(connections, threads waiting on an idle connection, connections with a request unread)."""
    connections = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            inode = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
        if inode and inode.group(1) in unread:
            connections[int(fd)] = unread[inode.group(1)]
    reading = set()
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            call = open(f"/proc/{pid}/task/{tid}/syscall").read().split()
        except OSError:
            continue
        if call and call[0] == str(SYS_RECVFROM):
            reading.add(int(call[1], 16))
    idle_waits = sum(1 for fd, q in connections.items() if fd in reading and q == 0)
    queued = sum(1 for fd, q in connections.items() if fd not in reading and q > 0)
    return len(connections), idle_waits, queued


def main() -> None:
    last = None
    try:
        while True:
            unread = established_sockets()
            parts = []
            for pid in workers():
                try:
                    conns, idle_waits, queued = worker_state(pid, unread)
                except OSError:
                    continue
                parts.append(f"worker {pid}: {conns} connections, {idle_waits} threads on idle ones, {queued} requests unread")
            line = " | ".join(parts) or "no worker"
            if line != last:
                now = time.time()
                print(f"{time.strftime('%H:%M:%S', time.localtime(now))}.{int(now * 1000) % 1000:03d}  {line}", flush=True)
                last = line
            time.sleep(INTERVAL_S)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    if sys.platform != "linux":
        sys.exit("gthread_threads.py reads /proc: Linux only")
    main()
