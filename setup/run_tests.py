#!/usr/bin/env python3
"""Run every test of both addons and of tests/, then print one summary line.

Called by ``setup/test.sh`` once PostgreSQL is up (PGHOST/PGPORT/PGUSER set).
Odoo's own runner installs both addons with tests enabled into a throwaway
database; then pytest runs the cross-addon tests in ``tests/`` against a real
server on that database. Exit status is non-zero on any failure, error,
missing summary, or when no test ran. Skipped tests are reported apart and
never counted as passed.
"""

import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = "complaint_management,complaint_management_reports"
OUR_TAGS = ",".join(f"/{addon}" for addon in ADDONS.split(","))
SUMMARY_RE = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
SKIP_RE = re.compile(r" INFO \S+ odoo\.addons\.\S+: skipped ")
LOG_RECORD_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
PYTEST_RE = re.compile(r"^=*\s*(\d+ \w+.*) in [\d.]+s")


sys.path.insert(0, os.path.join(ROOT, "tests"))
from odoo_server import odoo_launcher as odoo_cmd  # noqa: E402


def run_odoo_tests(db, logfile, test_tags):
    cmd = odoo_cmd(
        "-d",
        db,
        "-i",
        ADDONS,
        "--test-enable",
        "--stop-after-init",
        "--log-level=info",
        "--http-interface=127.0.0.1",
        f"--http-port={os.environ.get('COMPLAINT_TEST_HTTP_PORT', '8169')}",
        "--workers=0",
        "--max-cron-threads=0",
    )
    # Only our addons' tests: Odoo would otherwise run every installed module's.
    cmd.append(f"--test-tags={test_tags or OUR_TAGS}")
    failed = errors = ran = skipped = 0
    summary = showing = False
    with open(logfile, "w") as log:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for line in proc.stdout:
            log.write(line)
            if SKIP_RE.search(line):
                skipped += 1
            match = SUMMARY_RE.search(line)
            if match:
                failed, errors, ran = map(int, match.groups())
                summary = True
            # Show progress and every problem (with its traceback), not the
            # whole info log.
            if LOG_RECORD_RE.match(line):
                showing = (
                    any(
                        level in line
                        for level in (" ERROR ", " CRITICAL ", " WARNING ")
                    )
                    or ": Starting " in line
                )
            if showing:
                sys.stdout.write(line)
        rc = proc.wait()
    if not summary:
        print(f"Odoo stopped (exit {rc}) without a test summary; see {logfile}")
        errors += 1
    elif rc and not (failed or errors):
        print(f"Odoo exited with status {rc}; see {logfile}")
        errors = max(errors, 1)
    passed = max(ran - failed - errors - skipped, 0)
    return passed, failed + errors, skipped


def run_pytest(db):
    tests_dir = os.path.join(ROOT, "tests")
    # Only pytest's own plugins: an installed plugin such as pytest-odoo
    # (common in OCA setups) would take over these live-server tests.
    env = dict(os.environ, COMPLAINT_TEST_DB=db, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            tests_dir,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    print(proc.stdout)
    counts = {"passed": 0, "failed": 0, "error": 0, "errors": 0, "skipped": 0}
    for line in proc.stdout.splitlines()[::-1]:
        match = PYTEST_RE.search(line)
        if match:
            for part in match.group(1).split(","):
                bits = part.strip().split(" ")
                if len(bits) >= 2 and bits[0].isdigit() and bits[1] in counts:
                    counts[bits[1]] += int(bits[0])
            break
    failed = counts["failed"] + counts["error"] + counts["errors"]
    if proc.returncode not in (0, 5) and not failed:
        failed = 1  # pytest crashed or was interrupted
    return counts["passed"], failed, counts["skipped"]


def main():
    test_tags = os.environ.get("TEST_TAGS", "")
    db = os.environ.get("TEST_DB") or f"complaint_test_{int(time.time())}_{os.getpid()}"
    logfile = os.path.join(ROOT, ".local", f"test-{db}.log")
    subprocess.run(["dropdb", "--if-exists", db], check=False)
    print(f"Installing both addons with tests into database {db} (log: {logfile})")
    o_passed, o_failed, o_skipped = run_odoo_tests(db, logfile, test_tags)
    print(f"Odoo addons: {o_passed} passed, {o_failed} failed, {o_skipped} skipped")
    p_passed = p_failed = p_skipped = 0
    if not test_tags and not os.environ.get("SKIP_CROSS_TESTS"):
        p_passed, p_failed, p_skipped = run_pytest(db)
        print(f"tests/: {p_passed} passed, {p_failed} failed, {p_skipped} skipped")
    if not os.environ.get("KEEP_TEST_DB"):
        subprocess.run(["dropdb", "--if-exists", db], check=False)
    passed, failed = o_passed + p_passed, o_failed + p_failed
    skipped = o_skipped + p_skipped
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
