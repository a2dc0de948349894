"""Private services for tests and benchmarks, each started in a temporary directory and stopped
(with what it forked) afterwards; the system's own services are never touched:

* ``postgres`` — a throw-away PostgreSQL cluster on loopback;
* ``pcscd`` — pcscd + vsmartcard-vpcd with two virtual readers;
* ``cupsd`` — a CUPS scheduler with one file-backed queue;
* ``daemons`` — what the pcscd and cupsd stacks share.
"""
