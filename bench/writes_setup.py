#!/usr/bin/env python3
"""Signs a demo reporter in on BASE and prints what bench/writes.sh needs, one per line:
the write path (a task of plan 22/KH-UBND given to the reporter's commune), the Cookie
header and the session's CSRF token. Usage: writes_setup.py BASE [username]"""
import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

base = sys.argv[1]
user = sys.argv[2] if len(sys.argv) > 2 else "baocao.anlap"
jar = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def get(path):
    with opener.open(base + path) as r:
        return r.read().decode()


def csrf(html):
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


form = urllib.parse.urlencode({
    "_csrf": csrf(get("/dang-nhap")), "username": user,
    "password": "danchu-demo-2023", "next": "/quan-tri"}).encode()
try:
    opener.open(base + "/dang-nhap", form)
except urllib.error.HTTPError as e:
    if e.code != 303:
        sys.exit(f"sign-in of {user} answered {e.code}")
token = csrf(get("/quan-tri/mat-khau"))
plans = json.loads(get("/api/v1/ke-hoach"))
items = plans["plans"]
plan = items[0]["id"]
detail = json.loads(get(f"/api/v1/ke-hoach/{plan}"))
unit = next(u["unit_id"] for u in detail["units"] if "An Lập" in u["unit_name"])
task = next(t["task"]["id"] for t in detail["tasks"]
            if unit in [u["unit_id"] for u in t["units"]])
print(f"/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}")
print("; ".join(f"{c.name}={c.value}" for c in jar))
print(token)
