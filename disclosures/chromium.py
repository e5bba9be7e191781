"""How the project runs Debian's Chromium (browser tests, bench): never a downloaded browser."""

CHROMIUM = "/usr/bin/chromium"
# Headless, and quiet: this machine's network is closed, and Chromium must not try to reach out.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
