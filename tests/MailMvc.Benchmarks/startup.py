#!/usr/bin/env python3
"""Start-up beside a blank app: the time from starting the process to the first answer of `/`, MailMvc's web app
against a blank `dotnet new mvc` app, both published the same way (Release, ReadyToRun for linux-x64 unless
--no-ready-to-run; with --composite self-contained, the app and the runtime compiled together into one composite
ReadyToRun image, as README "Deploy" describes), both in Production, alternating runs on this machine. Prints each
run and the medians.

    python3 tests/MailMvc.Benchmarks/startup.py [--runs 5] [--no-ready-to-run | --composite]

Run it from the repository root with nothing else running. Published copies go to /tmp/mailmvc-startup*/.
"""
import os, socket, statistics, subprocess, sys, time, urllib.error, urllib.request

known = {"--runs", "--no-ready-to-run", "--composite"}
unknown = [a for i, a in enumerate(sys.argv[1:], 1) if a not in known and sys.argv[i - 1] != "--runs"]
if unknown:
    raise SystemExit(f"unknown argument {unknown[0]}: use [--runs N] [--no-ready-to-run | --composite]")
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
ready_to_run = "--no-ready-to-run" not in sys.argv
composite = "--composite" in sys.argv
if composite and not ready_to_run:
    raise SystemExit("--composite is a form of ReadyToRun: leave out --no-ready-to-run")
form = "composite" if composite else "ReadyToRun" if ready_to_run else "JIT"
work = "/tmp/mailmvc-startup" + {"composite": "-composite", "ReadyToRun": "", "JIT": "-jit"}[form]
publish = ["dotnet", "publish", "-c", "Release", "--nologo", "-v", "q"] + {
    "composite": ["-r", "linux-x64", "--self-contained", "true", "-p:PublishReadyToRun=true", "-p:PublishReadyToRunComposite=true"],
    "ReadyToRun": ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"],
    "JIT": []}[form]

blank_src = os.path.join(work, "blank-src")
if not os.path.exists(os.path.join(blank_src, "BlankMvc.csproj")):
    subprocess.run(["dotnet", "new", "mvc", "-n", "BlankMvc", "-o", blank_src, "--no-restore"], check=True, stdout=subprocess.DEVNULL)
subprocess.run(publish + ["-o", os.path.join(work, "blank"), blank_src], check=True, stdout=subprocess.DEVNULL)
subprocess.run(publish + ["-o", os.path.join(work, "app"), "src/MailMvc.Web"], check=True, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_response(folder, dll, settings):
    """Seconds from starting the app to its first answer to GET /, and its peak RSS in MB."""
    port = free_port()
    env = dict(os.environ, ASPNETCORE_URLS=f"http://127.0.0.1:{port}", ASPNETCORE_ENVIRONMENT="Production", **settings)
    started = time.monotonic()
    # A self-contained app is started as its deploy runs it, by its own executable.
    command = [os.path.join(folder, os.path.splitext(dll)[0])] if composite else ["dotnet", dll]
    app = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            if time.monotonic() - started > 30:
                raise SystemExit(f"{dll}: no answer within 30 s")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    answer.read()
                break
            except urllib.error.HTTPError as e:
                raise SystemExit(f"{dll}: GET / answered {e.code}")
            except OSError:
                if app.poll() is not None:
                    raise SystemExit(f"{dll} exited with {app.returncode}: {app.stderr.read().decode()[-2000:]}")
                time.sleep(0.005)
        seconds = time.monotonic() - started
        with open(f"/proc/{app.pid}/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) // 1024
        return seconds, rss
    finally:
        app.terminate()
        app.wait()


# What Production requires of MailMvc; mail is not sent and the outbox is off, as for a blank app's first page.
mailmvc = {"EmailTemplates__BaseUrl": "https://mail.example.test/", "Unsubscribe__SigningKey": "s" * 64,
           "Mail__SuppressSend": "true", "Mail__Outbox__Enabled": "false"}
results = {"blank": [], "mailmvc": []}
for run in range(runs):
    for name, folder, dll, settings in [("blank", "blank", "BlankMvc.dll", {}), ("mailmvc", "app", "MailMvc.Web.dll", mailmvc)]:
        seconds, rss = first_response(os.path.join(work, folder), dll, settings)
        results[name].append((seconds, rss))
        print(f"run {run + 1} {name:8} first response {seconds:.3f} s, peak RSS {rss} MB", flush=True)

blank = statistics.median(s for s, _ in results["blank"])
app = statistics.median(s for s, _ in results["mailmvc"])
print(f"medians ({form}): blank mvc {blank:.3f} s "
      f"({statistics.median(r for _, r in results['blank'])} MB), MailMvc {app:.3f} s "
      f"({statistics.median(r for _, r in results['mailmvc'])} MB): {app / blank:.2f}x")
