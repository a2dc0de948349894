"""My Number card: pure protocol over a Transport (protocol.py), pyscard transport (pcsc.py), reader
monitor (monitor.py), and a virtual card for vsmartcard-vpcd (virtual.py). No Qt, no app/, no central/.

pcsc.py and monitor.py import pyscard; import them explicitly (``from drivers.card import pcsc``) so the
protocol stays usable where pyscard is not installed.
"""
from .errors import *  # noqa: F401,F403
from .errors import CardError
from .protocol import (AuthCertificate, BasicInfo, MyNumberCard, MyNumberResult, PinStatus, TextApRead,
                       Transport)

__all__ = ["CardError", "MyNumberCard", "Transport", "BasicInfo", "MyNumberResult", "TextApRead",
           "AuthCertificate", "PinStatus"]
