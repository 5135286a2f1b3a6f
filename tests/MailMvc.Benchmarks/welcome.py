import os, re, shutil, socket, subprocess, sys, time, urllib.request, urllib.error, http.cookiejar, json, tempfile, base64, uuid, glob, collections
"""Times a 10,000-row /welcome list through the running web app (Release, Production, outbox off, rate limits lifted).

usage: python3 tests/MailMvc.Benchmarks/welcome.py SMTP_PORT RUNS APP_DLL...
  e.g. smtp-sink -u nobody 127.0.0.1:2525 1024 & dotnet build -c Release src/MailMvc.Web &&
       python3 tests/MailMvc.Benchmarks/welcome.py 2525 3 src/MailMvc.Web/bin/Release/net10.0/MailMvc.Web.dll
Starts each app in turn on a free port, uploads the list, polls its status until done and prints the time from the
upload to the last row. Env: POLL=seconds between status requests (0.1; the page's own script polls every 0.5 s),
TWICE=1 (a second list in the same process), TIMELINE=1 (print each status), PERF=1 (perf record to /tmp/perf-w.data),
CPU=1 (add the app's CPU seconds from the upload to the last row, user+system, from /proc), OUTBOX_PG=connection
string (the outbox on, on that PostgreSQL database; the list's rows are then queued, and the list's store is there too).
"""
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]
def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
def run(dll, smtp_port, rows=10000):
    port = free_port(); data = tempfile.mkdtemp(prefix="mailmvc-welcome-")
    env = dict(os.environ, ASPNETCORE_URLS=f"http://127.0.0.1:{port}", ASPNETCORE_ENVIRONMENT="Production",
        Sending__AllowAnonymous="true", EmailTemplates__BaseUrl="https://mail.example.test/",
        Unsubscribe__SigningKey=base64.b64encode(os.urandom(32)).decode(), Mail__DeliveryMethod="Smtp",
        Mail__Server="127.0.0.1", Mail__Port=str(smtp_port), Mail__SuppressSend="false", Mail__Outbox__Enabled="false",
        Mail__Suppression__DatabasePath=os.path.join(data, "s.db"), BulkWelcome__DatabasePath=os.path.join(data, "b.db"),
        RateLimits__Sending__PermitsPerMinute="100000", RateLimits__Sending__RecipientsPerMinute="1000000",
        RateLimits__Sending__RecipientsPerDay="10000000")
    if os.environ.get("OUTBOX_PG"):
        # The outbox on PostgreSQL (a connection string): the list's rows are then queued there, and the list's own
        # store is the same database.
        env.update(Mail__Outbox__Enabled="true", Mail__Outbox__Provider="PostgreSql", Mail__Outbox__ConnectionString=os.environ["OUTBOX_PG"])
    t0 = time.monotonic()
    cmd = (["perf","record","-F","499","-g","-o","/tmp/perf-w.data","--"] if os.environ.get("PERF") else []) + ["dotnet", os.path.basename(dll)]
    if os.environ.get("PERF"): env.update(DOTNET_PerfMapEnabled="1", DOTNET_EnableWriteXorExecute="0")
    app = subprocess.Popen(cmd, cwd=os.path.dirname(os.path.abspath(dll)), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    jar = http.cookiejar.CookieJar()
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k): return None
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        while True:
            try:
                opener.open(base + "/welcome", timeout=5).read(); break
            except (urllib.error.URLError, ConnectionError):
                if app.poll() is not None: raise SystemExit(app.stderr.read().decode()[-2000:])
                time.sleep(0.01)
        ready = time.monotonic() - t0
        for attempt in range(2 if os.environ.get("TWICE") else 1):
            page = opener.open(base + "/welcome", timeout=5).read().decode()
            form = page[page.index('action="/welcome/bulk"'):]
            token = re.search(r'name="__RequestVerificationToken"[^>]*value="([^"]+)"', form) or re.search(r'value="([^"]+)"[^>]*name="__RequestVerificationToken"', form)
            csv = "name,email\n" + "".join(f"Person {i},person{i}@example{attempt}.com\n" for i in range(rows))
            b = uuid.uuid4().hex
            body = (f"--{b}\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token.group(1)}\r\n"
                    f"--{b}\r\nContent-Disposition: form-data; name=\"Bulk.List\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{b}--\r\n").encode()
            up = time.monotonic(); cpu_up = cpu_seconds(app.pid)
            req = urllib.request.Request(base + "/welcome/bulk", data=body, headers={"Content-Type": f"multipart/form-data; boundary={b}"})
            try:
                r = opener.open(req); loc = r.headers["Location"]
            except urllib.error.HTTPError as e:
                if e.code != 302: raise SystemExit(f"upload {e.code}: {e.read().decode()[:500]}")
                loc = e.headers["Location"]
            posted = time.monotonic() - up
            while True:
                st = json.loads(opener.open(base + loc + "/status").read())
                if os.environ.get("TIMELINE"): print(f"  {time.monotonic()-up:.2f} {json.dumps(st)[:150]}", flush=True)
                if st["isDone"]: break
                time.sleep(float(os.environ.get("POLL", "0.1")))
            done = time.monotonic()
            results.append((ready, done - up, done - t0, st.get("sent", st), posted, cpu_seconds(app.pid) - cpu_up))
        return results
    finally:
        app.send_signal(2) if os.environ.get('PERF') else app.terminate(); app.wait()
        shutil.rmtree(data, ignore_errors=True)
smtp = int(sys.argv[1])
for i in range(int(sys.argv[2])):
    for dll in sys.argv[3:]:
        for n, r in enumerate(run(dll, smtp)):
            print(f"{dll}: {'second ' if n else ''}ready {r[0]:.2f} s, list {r[1]:.2f} s (upload to last row), from start {r[2]:.2f} s, upload answered {r[4]:.2f} s, sent {r[3]}"
                  + (f", app cpu {r[5]:.2f} s" if os.environ.get("CPU") else ""), flush=True)
