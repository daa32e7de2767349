"""An SMTP server for tests (aiosmtpd): stores each message it receives, as received.

    python3 smtp_sink.py PORT DIRECTORY

listens on 127.0.0.1:PORT and writes message N as DIRECTORY/N.eml (the DATA bytes) with
DIRECTORY/N.json beside it ({"from": envelope sender, "to": [envelope recipients]}). The
.json is written first and each file through a temporary name, so a reader that sees
N.eml sees both whole. Runs until killed, or until its standard input closes.
"""

import itertools
import json
import os
import pathlib
import sys

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory: pathlib.Path):
        self.directory = directory
        self.numbers = itertools.count(1)

    def write(self, name: str, data: bytes):
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, self.directory / name)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.numbers)
        sender = {"from": envelope.mail_from, "to": list(envelope.rcpt_tos)}
        self.write(f"{n}.json", json.dumps(sender).encode())
        self.write(f"{n}.eml", envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp_sink listening on 127.0.0.1:{port}", flush=True)
    try:
        sys.stdin.read()  # the test's end closes it (or kills us)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
