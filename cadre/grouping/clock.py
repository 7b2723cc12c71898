"""When this process started, so the summary's seconds cover the whole command."""

import os
import time


def process_started() -> float:
    """The `time.perf_counter()` reading at the moment this process started (Linux, from
    /proc/self/stat, to a clock tick); elsewhere, now."""
    try:
        with open("/proc/self/stat", "rb") as file:
            stat = file.read()
        fields = stat[stat.rindex(b")") + 2 :].split()
        started_after_boot = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - started_after_boot
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter()
    return time.perf_counter() - max(age, 0.0)
