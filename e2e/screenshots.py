#!/usr/bin/env python3
"""Takes screenshots of danchu pages at 1280 px and 360 px with headless Chromium through
chromedriver (Debian packages), signed in as a demo account, for a person to look at.

Usage: e2e/screenshots.py BASE_URL OUT_DIR [USERNAME]   (the demo must be running)
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

base, out = sys.argv[1].rstrip("/"), sys.argv[2]
user = sys.argv[3] if len(sys.argv) > 3 else "admin"
os.makedirs(out, exist_ok=True)
PAGES = ["/bai-viet/ke-hoach-thuc-hien-quy-che-dan-chu-o-co-so-nam-2023-tren-dia-ban-huyen-dau-tieng",
         "/bai-viet/ke-hoach-thuc-hien-quy-che-dan-chu-o-co-so-nam-2023-tren-dia-ban-huyen-dau-tieng/in",
         "/tin-tuc/dan-chu-o-co-so", "/", "/dang-nhap", "/quan-tri", "/quan-tri/don-vi", "/quan-tri/don-vi?parent=2",
         "/quan-tri/don-vi/3", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky", "/khong-co"]
# DANCHU_PAGES="/a /b" takes other pages.
PAGES = os.environ.get("DANCHU_PAGES", "").split() or PAGES


def call(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["value"]


drv = subprocess.Popen(["chromedriver", "--port=9515"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    time.sleep(1)
    wd = "http://127.0.0.1:9515"
    for width in (1280, 360):
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--window-size={width},1000", f"--user-data-dir=/tmp/danchu-shots-{width}"],
            **({"mobileEmulation": {"deviceMetrics": {"width": 360, "height": 800, "pixelRatio": 1}}} if width == 360 else {})}}}}
        sid = call("POST", f"{wd}/session", caps)["sessionId"]
        s = f"{wd}/session/{sid}"
        call("POST", f"{s}/url", {"url": base + "/dang-nhap"})
        el = lambda css: list(call("POST", f"{s}/element", {"using": "css selector", "value": css}).values())[0]
        call("POST", f"{s}/element/{el('#username')}/value", {"text": user})
        call("POST", f"{s}/element/{el('#password')}/value", {"text": "danchu-demo-2023"})
        call("POST", f"{s}/element/{el('form.card button')}/click", {})
        time.sleep(0.5)
        for p in PAGES:
            call("POST", f"{s}/url", {"url": base + p})
            png = call("GET", f"{s}/screenshot")
            name = p.strip("/").replace("/", "_").replace("?", "_").replace("=", "") or "home"
            with open(os.path.join(out, f"{name}-{width}.png"), "wb") as f:
                import base64
                f.write(base64.b64decode(png))
        call("DELETE", s)
finally:
    drv.kill()
print("screenshots in", out)
