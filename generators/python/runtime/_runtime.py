"""Runtime of a specdrive-generated Python SDK: register access and the wire protocol.

The generated ``device`` module describes registers as data (RegisterSpec) and gives each a typed
class; this module does the bit work once. Safety rules, the same in every generated SDK:

* ``modify`` never disturbs flags with write side effects: write-1-to-clear/set/toggle bits are
  written 0 and write-0-to-* bits 1 unless named (the read-modify-write hazard of other PACs).
* registers whose read has side effects (read-to-clear, FIFO pop) get no ``modify``.
* ``write`` starts from the neutral value of side-effect fields and the reset value of the others.

The link speaks docs/protocol.md: SLIP frames (RFC 1055) holding
``version u8 | flags u8 | seq u16 | device u8 | op u8 | width u8 | count u16 | address u32 |
payload | CRC-32 u32``, all little-endian; every response payload starts with a status byte.
"""

from __future__ import annotations

import errno
import importlib
import os
import select
import socket
import struct
import time
import zlib
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Protocol, Union

FieldValue = Union[int, str]


class RegisterIo(Protocol):
    """Abstract register transport. Widths are in bits."""

    def read(self, address: int, width: int) -> int: ...

    def write(self, address: int, width: int, value: int) -> None: ...

    def modify(self, address: int, width: int, value: int, mask: int) -> bool:
        """Masked write in one round trip; returns False when the transport cannot do it."""
        ...

    def wait(self, address: int, width: int, mask: int, value: int, timeout_ms: int) -> Optional[bool]:
        """Device-side poll; None when the transport cannot do it."""
        ...


@dataclass(frozen=True)
class FieldSpec:
    lsb: int
    width: int
    readable: bool
    writable: bool
    clear: str
    #: Names a write takes (and a read returns, unless ``read_enums`` differs).
    enums: Optional[Mapping[str, int]] = None
    #: Names a read returns when they are not the write names (SVD usage read vs write).
    read_enums: Optional[Mapping[str, int]] = None

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb


@dataclass(frozen=True)
class RegisterSpec:
    offset: int
    width: int
    neutral_mask: int
    neutral_value: int
    write_base: int
    read_side_effect: bool
    fields: Mapping[str, FieldSpec]


class Register:
    """One register at one address. Generated subclasses expose only what its access allows."""

    SPEC: RegisterSpec

    def __init__(self, io: RegisterIo, address: int) -> None:
        self._io = io
        self.address = address

    def _read_raw(self) -> int:
        return self._io.read(self.address, self.SPEC.width)

    def _write_raw(self, value: int) -> None:
        self._io.write(self.address, self.SPEC.width, value)

    def _decode(self, raw: int) -> dict[str, FieldValue]:
        out: dict[str, FieldValue] = {}
        for name, f in self.SPEC.fields.items():
            if not f.readable:
                continue
            value = (raw >> f.lsb) & ((1 << f.width) - 1)
            decoded = f.read_enums if f.read_enums is not None else f.enums
            label = next((k for k, v in (decoded or {}).items() if v == value), None)
            out[name] = label if label is not None else value
        return out

    def _encode(self, values: Mapping[str, Optional[FieldValue]]) -> tuple[int, int]:
        value = 0
        mask = 0
        for name, given in values.items():
            if given is None:
                continue
            f = self.SPEC.fields[name]
            numeric = (f.enums or {}).get(given) if isinstance(given, str) else given
            if numeric is None or numeric < 0 or numeric >= (1 << f.width):
                raise ValueError(f"{given!r} does not fit field {name} ({f.width} bits)")
            value |= numeric << f.lsb
            mask |= f.mask
        return value, mask

    def _write(self, values: Mapping[str, Optional[FieldValue]]) -> None:
        value, mask = self._encode(values)
        full = (1 << self.SPEC.width) - 1
        self._write_raw((self.SPEC.write_base & ~mask & full) | value)

    def _modify(self, values: Mapping[str, Optional[FieldValue]]) -> None:
        if self.SPEC.read_side_effect:
            raise RuntimeError("modify would read a register whose read has side effects")
        value, mask = self._encode(values)
        full = (1 << self.SPEC.width) - 1
        forced = value | (self.SPEC.neutral_value & self.SPEC.neutral_mask & ~mask & full)
        every = mask | self.SPEC.neutral_mask
        if self._io.modify(self.address, self.SPEC.width, forced, every):
            return
        old = self._read_raw()
        self._write_raw((old & ~every & full) | forced)

    def _read_field(self, name: str) -> int:
        f = self.SPEC.fields[name]
        return (self._read_raw() >> f.lsb) & ((1 << f.width) - 1)

    def _wait_field(self, name: str, value: int, timeout_ms: int) -> bool:
        f = self.SPEC.fields[name]
        expected = (value & ((1 << f.width) - 1)) << f.lsb
        in_device = self._io.wait(self.address, self.SPEC.width, f.mask, expected, timeout_ms)
        if in_device is not None:
            return in_device
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            if self._read_raw() & f.mask == expected:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)

    def _clear(self, name: str) -> None:
        f = self.SPEC.fields[name]
        if f.clear == "plain":
            raise ValueError(f"{name} has no clear semantics; use modify({name}=0)")
        ones = (1 << f.width) - 1
        if f.clear == "read":
            self._read_raw()
        elif f.clear == "any-write":
            self._write_raw(self.SPEC.write_base)
        else:
            target = ones if f.clear == "write-one" else 0
            if self.SPEC.read_side_effect:
                self._write({name: target})
            else:
                self._modify({name: target})


# ---------------------------------------------------------------- wire protocol

OP_HELLO, OP_READ, OP_WRITE, OP_MODIFY, OP_WAIT = 0x01, 0x02, 0x03, 0x04, 0x07
FLAG_RESPONSE, FLAG_ASYNC = 0x01, 0x02
STATUS_OK, STATUS_TIMEOUT = 0x00, 0x07
SLIP_END, SLIP_ESC, SLIP_ESC_END, SLIP_ESC_ESC = 0xC0, 0xDB, 0xDC, 0xDD
HEADER = struct.Struct("<BBHBBBHI")


class LinkError(Exception):
    """The link failed (time-out, closed, malformed answer) or the device is not the expected one."""


class HelloMismatch(LinkError):
    """The device's HELLO names another board, revision or spec: this SDK refuses to drive it."""


class OperationError(Exception):
    """A generated operation failed: ``code`` is ``unsupported`` (a value no solved configuration
    covers, e.g. a baud rate outside the solved table) or ``timeout`` (a wait did not complete)."""

    def __init__(self, code: str, operation: str, detail: str) -> None:
        super().__init__(code + " " + operation + ": " + detail)
        self.code = code
        self.operation = operation


class DeviceError(Exception):
    """The device answered with a status other than OK."""

    def __init__(self, status: int, op: int, address: int) -> None:
        super().__init__(f"op 0x{op:02x} at 0x{address:08x} failed with status 0x{status:02x}")
        self.status = status


class Transport(Protocol):
    def send(self, data: bytes) -> None: ...

    def receive(self, timeout: float) -> bytes:
        """Bytes available within the time-out (b'' when none)."""
        ...

    def close(self) -> None: ...


class SocketTransport:
    """A Unix socket (a path) or TCP (host, port)."""

    def __init__(self, target: Union[str, tuple[str, int]]) -> None:
        if isinstance(target, str):
            self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.connect(target)

    def send(self, data: bytes) -> None:
        self._sock.sendall(data)

    def receive(self, timeout: float) -> bytes:
        self._sock.settimeout(timeout)
        try:
            data = self._sock.recv(4096)
        except socket.timeout:
            return b""
        if not data:
            raise LinkError("socket closed by the device")
        return data

    def close(self) -> None:
        self._sock.close()


class SerialTransport:
    """A serial port: a real board's bridge, or the simulator's pty.

    On POSIX only the standard library is used (termios raw 8N1, non-blocking I/O and select), so a
    fresh machine with nothing but python3 can open the simulator's pty. Elsewhere (no termios)
    pyserial is used; it is an optional dependency (``pip install <package>[serial]``).
    """

    def __init__(self, path: str, baudrate: int = 115200) -> None:
        self._fd = -1
        self._port: Any = None
        try:
            import termios
        except ImportError:
            # Only where there is no termios, so POSIX users need not install pyserial. Imported by
            # name so `mypy --strict` passes on a clean install (no pyserial, no types-pyserial).
            serial = importlib.import_module("serial")
            self._port = serial.Serial(path, baudrate=baudrate, timeout=0)
            return
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            iflag, oflag, cflag, lflag, ispeed, ospeed, cc = termios.tcgetattr(fd)
        except termios.error:
            self._fd = fd  # not a terminal (a FIFO, a character device): plain bytes as they are
            return
        # Raw mode by hand, as the C host link does; HUPCL off so closing does not hang up a pty.
        iflag &= ~(termios.IGNBRK | termios.BRKINT | termios.PARMRK | termios.ISTRIP | termios.INLCR | termios.IGNCR | termios.ICRNL | termios.IXON | termios.IXOFF)
        oflag &= ~termios.OPOST
        lflag &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN)
        cflag &= ~(termios.CSIZE | termios.PARENB | termios.CSTOPB | termios.HUPCL)
        cflag |= termios.CS8 | termios.CREAD | termios.CLOCAL
        speed = getattr(termios, "B" + str(baudrate), None)
        if isinstance(speed, int):
            ispeed = ospeed = speed  # a pty ignores it; a real UART needs it
        cc[termios.VMIN] = 0
        cc[termios.VTIME] = 0
        try:
            termios.tcsetattr(fd, termios.TCSANOW, [iflag, oflag, cflag, lflag, ispeed, ospeed, cc])
        except termios.error as error:
            os.close(fd)
            raise LinkError("cannot configure " + path + ": " + str(error)) from error
        self._fd = fd

    def send(self, data: bytes) -> None:
        if self._port is not None:
            self._port.write(data)
            return
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                select.select([], [self._fd], [], 0.05)
                continue
            except OSError as error:
                raise LinkError("serial write failed: " + str(error)) from error
            view = view[written:]

    def receive(self, timeout: float) -> bytes:
        if self._port is not None:
            self._port.timeout = timeout
            first = self._port.read(1)
            if not first:
                return b""
            waiting = int(self._port.in_waiting)
            return bytes(first) + (bytes(self._port.read(waiting)) if waiting else b"")
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            data = os.read(self._fd, 4096)
        except BlockingIOError:
            return b""
        except OSError as error:
            # A vanished pty peer shows up as EIO.
            raise LinkError("serial port gone: " + errno.errorcode.get(error.errno or 0, str(error))) from error
        if not data:
            raise LinkError("serial port closed")
        return data

    def close(self) -> None:
        if self._port is not None:
            self._port.close()
        elif self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@dataclass(frozen=True)
class HelloInfo:
    protocol_version: int
    device_count: int
    max_payload: int
    board: str
    revision: str
    spec_hash: str


def slip_encode(frame: bytes) -> bytes:
    body = frame.replace(bytes([SLIP_ESC]), bytes([SLIP_ESC, SLIP_ESC_ESC])).replace(bytes([SLIP_END]), bytes([SLIP_ESC, SLIP_ESC_END]))
    return bytes([SLIP_END]) + body + bytes([SLIP_END])


# Retransmission waits double up to this many times (200 ms, 400 ms, ... 3.2 s; docs/protocol.md).
BACKOFF_DOUBLINGS = 4


class Link:
    """Synchronous protocol client: numbered requests, time-out and retransmission by seq."""

    def __init__(self, transport: Transport, timeout: float = 0.2, retries: int = 5, device: int = 0, ticks_per_ms: int = 1000) -> None:
        self._transport = transport
        self._timeout = timeout
        self._retries = retries
        self._device = device
        self._ticks_per_ms = ticks_per_ms
        self._seq = int.from_bytes(os.urandom(2), "little")
        self._buffer = bytearray()
        self._frames: list[bytes] = []

    def close(self) -> None:
        self._transport.close()

    def _next_frame(self, timeout: float) -> Optional[bytes]:
        deadline = time.monotonic() + timeout
        while not self._frames:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            for byte in self._transport.receive(left):
                if byte == SLIP_END:
                    if self._buffer:
                        raw = bytes(self._buffer).replace(bytes([SLIP_ESC, SLIP_ESC_END]), bytes([SLIP_END])).replace(bytes([SLIP_ESC, SLIP_ESC_ESC]), bytes([SLIP_ESC]))
                        self._frames.append(raw)
                    self._buffer.clear()
                else:
                    self._buffer.append(byte)
        return self._frames.pop(0)

    def _transact(self, op: int, width: int, address: int, payload: bytes = b"") -> bytes:
        seq = self._seq
        self._seq = (self._seq + 1) & 0xFFFF
        body = HEADER.pack(1, 0, seq, self._device, op, width, 1, address & 0xFFFFFFFF) + payload
        wire = slip_encode(body + struct.pack("<I", zlib.crc32(body)))
        for attempt in range(self._retries + 1):
            self._transport.send(wire)
            while True:
                # Back off (x2 per retransmission, at most x16): a peer that is only slow, e.g. a
                # simulator sharing a loaded machine, gets time to answer; a lost frame is still resent fast.
                frame = self._next_frame(self._timeout * (1 << min(attempt, BACKOFF_DOUBLINGS)))
                if frame is None:
                    break  # time-out: retransmit; the device answers a repeat from its cache
                if len(frame) < HEADER.size + 5 or zlib.crc32(frame[:-4]) != struct.unpack("<I", frame[-4:])[0]:
                    continue
                _, flags, rseq, _, rop, _, _, _ = HEADER.unpack(frame[: HEADER.size])
                if flags & FLAG_ASYNC or not flags & FLAG_RESPONSE or rseq != seq or rop != op:
                    continue
                response = frame[HEADER.size : -4]
                if response[0] != STATUS_OK:
                    raise DeviceError(response[0], op, address)
                return response[1:]
        raise LinkError(f"no answer to op 0x{op:02x} after {self._retries + 1} attempts")

    def hello(self, board: Optional[str] = None, revision: Optional[str] = None, spec_hash: Optional[str] = None, attempts: int = 10) -> HelloInfo:
        last: Optional[Exception] = None
        for _ in range(attempts):
            try:
                body = self._transact(OP_HELLO, 0, 0, os.urandom(4))
            except LinkError as error:
                last = error
                continue
            texts: list[str] = []
            at = 4
            for _ in range(3):
                length = body[at]
                texts.append(body[at + 1 : at + 1 + length].decode("utf-8", "replace"))
                at += 1 + length
            info = HelloInfo(body[0], body[1], int.from_bytes(body[2:4], "little"), texts[0], texts[1], texts[2])
            wrong = [f"{what} {got!r} (expected {want!r})" for what, got, want in (("board", info.board, board), ("revision", info.revision, revision), ("spec hash", info.spec_hash, spec_hash)) if want is not None and got != want]
            if wrong:
                raise HelloMismatch("device does not match this SDK: " + ", ".join(wrong))
            return info
        raise LinkError(f"no HELLO answer after {attempts} attempts ({last})")

    @staticmethod
    def _bytes(width_bits: int) -> int:
        if width_bits not in (8, 16, 32):
            raise ValueError(f"the wire protocol carries 8, 16 or 32-bit accesses, not {width_bits}")
        return width_bits // 8

    def read(self, address: int, width: int) -> int:
        w = self._bytes(width)
        return int.from_bytes(self._transact(OP_READ, w, address)[:w], "little")

    def write(self, address: int, width: int, value: int) -> None:
        w = self._bytes(width)
        self._transact(OP_WRITE, w, address, value.to_bytes(w, "little"))

    def modify(self, address: int, width: int, value: int, mask: int) -> bool:
        w = self._bytes(width)
        self._transact(OP_MODIFY, w, address, value.to_bytes(w, "little") + mask.to_bytes(w, "little"))
        return True

    def wait(self, address: int, width: int, mask: int, value: int, timeout_ms: int) -> Optional[bool]:
        w = self._bytes(width)
        ticks = max(1, timeout_ms * self._ticks_per_ms) & 0xFFFFFFFF
        try:
            self._transact(OP_WAIT, w, address, value.to_bytes(w, "little") + mask.to_bytes(w, "little") + ticks.to_bytes(4, "little"))
        except DeviceError as error:
            if error.status == STATUS_TIMEOUT:
                return False
            raise
        return True
