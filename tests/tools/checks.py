"""The ok:/FAIL: lines and exit status the ken-ofp tool tests share
(test_decode.py, test_docs.py, test_pcap.py), kept in one place so the
three report alike."""
import sys

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)
    else:
        print("ok:", what)


def finish():
    """Prints the count of failures and exits 1 when there was any."""
    print(f"{failures} failure(s)")
    sys.exit(1 if failures else 0)
