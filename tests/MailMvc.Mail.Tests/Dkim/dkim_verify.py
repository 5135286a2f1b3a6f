"""Verifies the DKIM signature of one message with dkimpy (Debian's python3-dkim), an implementation independent of
MimeKit. The message comes on stdin; the public key (base64, the DNS record's p=) is the first argument and is
handed to dkimpy by a DNS function, so no real DNS is asked. Prints "pass" or "fail: <reason>"."""

import sys

import dkim


def main():
    public_key = sys.argv[1].encode("ascii")
    message = sys.stdin.buffer.read()

    def dnsfunc(name, timeout=5):
        return b"v=DKIM1; k=rsa; p=" + public_key

    verifier = dkim.DKIM(message)
    try:
        ok = verifier.verify(dnsfunc=dnsfunc)
    except dkim.DKIMException as error:
        print(f"fail: {error}")
        return
    print("pass" if ok else "fail: signature does not verify")


main()
