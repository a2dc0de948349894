"""ui/shell/gc_main_thread.py: cyclic garbage is collected on the GUI thread's timer, never by whichever
thread allocates (a PySide crash when Qt wrappers are finalised off the GUI thread)."""
from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from ui.shell.gc_main_thread import MainThreadGarbageCollector


class Node:
    pass


def test_garbage_made_by_a_worker_thread_is_collected_on_the_gui_thread(qtbot):
    collector = MainThreadGarbageCollector(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()
        refs = []

        def worker():  # allocates plenty, makes cycles holding Qt wrappers: no collection here
            for _ in range(3000):
                a, b = Node(), Node()
                a.b, b.a = b, a
                a.qt = QObject()
                refs.append(weakref.ref(a))
            assert not gc.isenabled()

        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert sum(r() is not None for r in refs) == len(refs)  # nothing collected off-thread
        qtbot.waitUntil(lambda: all(r() is None for r in refs), timeout=5000)  # the timer's work
    finally:
        collector.stop()
    assert gc.isenabled()
