r"""The build's clock: the time stamp a build writes (``prov:generatedAtTime``).

>>> import re
>>> bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", read_time()))
True
"""

from __future__ import annotations

import os
import time


def read_time() -> str:
    """Now as ``xsd:dateTime`` (UTC, seconds); ``$SOURCE_DATE_EPOCH`` when set, for
    reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
