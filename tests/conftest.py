"""Test-session settings: no background compile of the compiled engine (physics/compiled/warmup.py);
the tests that need it compile in-process, and a second compiler would only load the shared box."""
import os

os.environ.setdefault("ISS_NO_BACKGROUND_COMPILE", "1")
