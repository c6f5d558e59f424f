"""The image's HEALTHCHECK: exit 0 when /healthz says the app and its database answer.

Plain Python, so the slim image needs no curl and the probe does not load Django.
"""

import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.getenv('PORT', '8000')}/healthz"
try:
    with urllib.request.urlopen(url, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(f"{url}: {error}", file=sys.stderr)
    sys.exit(1)
