#!/usr/bin/python3
"""rxflow serve on 127.0.0.1 (the server this script starts, stopped by its
PID at the end): how soon a result page is ready once its run has ended,
how long 50 connections take to open and whether, idle, they slow a
request, what a burst of 200 form posts
does (queued, refused, every queued run completed), and the server's
memory (VmRSS) over repeated bursts. Bounded: 1 + ROUNDS + 4 x 200 posts,
ROUNDS x 50 idle connections.

    /usr/bin/python3 bench/serve.py [ROUNDS]    (default 9; needs a build)
"""
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(rounds):
    work = tempfile.mkdtemp()
    server = subprocess.Popen([os.path.join(ROOT, "build/bin/rxflow"), "serve",
                               "workflows/case_study.toml", "--port", "0", "--results",
                               os.path.join(work, "results")],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    try:
        port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))
        run(server.pid, port, rounds)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work)


def run(pid, port, rounds):
    def request(method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response, data

    def rss_kib():
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

    token = re.search(r'csrf_token" value="([0-9a-f]+)',
                      request("GET", "/")[1].decode()).group(1)

    def form(i):
        return urllib.parse.urlencode({
            "csrf_token": token, "patient_id": f"p{i}", "age": 52, "weight_kg": 82,
            "gender": "female", "genetic_marker": 0.72, "comorbidity": 0.3, "drug": "DrugA"})

    # Result page ready after the run ended: the first read of its run file.
    first = []
    for i in range(rounds):
        job = request("POST", "/runs", form(i))[0].getheader("Location")
        run_id = json.loads(request("GET", job + "/status?wait=ended")[1])["run_id"]
        start = time.perf_counter()
        response, _ = request("GET", "/runs/" + run_id)
        first.append(time.perf_counter() - start)
        assert response.status == 200, response.status
    print(f"result page after its run ended, first read: median of {rounds} "
          f"{1000 * statistics.median(first):.1f} ms (max {1000 * max(first):.1f} ms)")

    # 50 connections opened at once and left idle, then a request; ROUNDS times.
    opening, answering, statuses = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
        opening.append(time.perf_counter() - start)
        start = time.perf_counter()
        response, _ = request("GET", "/")
        answering.append(time.perf_counter() - start)
        statuses.append(response.status)
        for connection in idle:
            connection.close()
    print(f"50 idle connections opened: median of {rounds} "
          f"{1000 * statistics.median(opening):.1f} ms (max {1000 * max(opening):.1f} ms); "
          f"GET / with them open: median {1000 * statistics.median(answering):.1f} ms "
          f"(max {1000 * max(answering):.1f} ms), statuses {sorted(set(statuses))}")

    before = rss_kib()
    for burst in range(4):
        statuses, jobs, lock = [], [], threading.Lock()

        def post(i):
            response, _ = request("POST", "/runs", form(1000 * (burst + 1) + i))
            with lock:
                statuses.append(response.status)
                if response.status == 303:
                    jobs.append(response.getheader("Location"))
        threads = [threading.Thread(target=post, args=(i,)) for i in range(200)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
        ended = [json.loads(request("GET", job + "/status?wait=ended")[1])["state"]
                 for job in jobs]
        others = sorted(s for s in statuses if s not in (303, 503))
        print(f"burst {burst + 1} of 200 posts in {seconds:.2f} s: {statuses.count(303)} queued, "
              f"{statuses.count(503)} refused (503), other {others}; "
              f"{ended.count('complete')} of {len(jobs)} queued runs complete; "
              f"VmRSS {rss_kib()} KiB (before the bursts {before} KiB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
