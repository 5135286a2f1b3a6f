"""A real SMTP server for MailMvc's integration tests, on aiosmtpd.

Binds 127.0.0.1 on a port the OS picks (or --port) and prints "PORT <n>" on
stdout once it listens, so the test fixture never races or sleeps. Every
connection, AUTH and message is appended as one JSON line to the --journal file
*before* the server answers, so when the client has its reply the journal
already holds the event. The journal is appended to, so a server restarted on
the same port with the same journal keeps what the first one received.
The server exits when its stdin closes (the test process went away).

Fault modes for the outbox's tests, counted over the messages (ends of DATA)
this process receives: --tempfail-first N answers the first N with 451,
--drop-first N closes the connection of the first N without a reply, and
--delay-ms holds every message that long before answering.

OAuth2: --oauth-user U --oauth-token T (repeatable) offers AUTH XOAUTH2 and
OAUTHBEARER only, and accepts U with any of the tokens T. A refused token gets
the 334 error challenge (base64 JSON) and, after the client's answer, 535, as
Gmail and Microsoft 365 do.

PIPELINING (RFC 2920) is offered, as Postfix and the big services offer it, unless --no-pipelining. Each message's
journal line says whether its MAIL FROM arrived with its DATA already behind it (envelope_pipelined) and whether its
end of data arrived with the next MAIL FROM already behind it (next_pipelined): what a pipelining client does.

For connection pools: --idle-timeout S closes a connection idle that many
seconds without a word, as servers do (aiosmtpd's own timeout; Postfix waits
300 s, some services 60 s), and --hang-up-reused N closes, without a reply, the
first N connections that bring a second MAIL FROM (the server's idle timer firing
just as a pooled connection is used again); with --hang-up-421 it answers that MAIL
FROM "421" instead and leaves the connection open (it then answers RSET, as a
server shutting down may). QUITs and hang-ups are journalled.

Run by tests/MailMvc.Mail.Tests/Integration/SmtpTestServer.cs with Debian's
/usr/bin/python3 (apt-get install -y python3-aiosmtpd).
"""

import argparse
import asyncio
import base64
import email.parser
import json
import time
import os
import ssl
import sys

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError as error:
    sys.stderr.write(
        f"aiosmtpd is not installed for /usr/bin/python3 ({error}). "
        "Run: apt-get install -y python3-aiosmtpd\n")
    sys.exit(3)

AUTH_MECHANISMS = ("PLAIN", "LOGIN")
OAUTH_MECHANISMS = ("XOAUTH2", "OAUTHBEARER")
TEMPFAIL_REPLY = "451 4.3.0 Try again later"


class Journal:
    def __init__(self, path):
        self._file = open(path, "a", encoding="utf-8")

    def write(self, event, **fields):
        self._file.write(json.dumps({"event": event, "at": time.time(), **fields}) + "\n")
        self._file.flush()


def message_id(content):
    """The Message-ID header of the raw message, or None."""
    headers = email.parser.BytesHeaderParser().parsebytes(content)
    value = headers.get("Message-ID")
    return str(value).strip() if value is not None else None


def buffered(server):
    """What the client has sent that the server has not read yet (aiosmtpd reads line by line from this buffer)."""
    return bytes(getattr(server._reader, "_buffer", b""))


class Handler:
    def __init__(self, journal, refused, data_reply, tempfail_first=0, drop_first=0, delay_ms=0, hang_up_reused=0,
                 pipelining=True, hang_up_421=False):
        self._journal = journal
        self._pipelining = pipelining
        self._hang_up_reused = hang_up_reused
        self._hang_up_421 = hang_up_421
        self._refused = {address.lower() for address in refused}
        self._data_reply = data_reply
        self._tempfail_first = tempfail_first
        self._drop_first = drop_first
        self._delay = delay_ms / 1000
        self._received = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self._pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        session.mailmvc_envelope_pipelined = b"DATA\r\n" in buffered(server)
        if getattr(session, "mailmvc_messages", 0) > 0 and self._hang_up_reused > 0:
            # A reused connection, and the server's idle timer has just fired: no reply, the connection is gone.
            self._hang_up_reused -= 1
            self._journal.write("hung_up", mail_from=address)
            if self._hang_up_421:
                return "421 4.4.2 mailmvc-test idle timeout, closing connection"
            server.transport.close()
            await asyncio.sleep(3600)  # aiosmtpd cancels this once the connection is gone
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_QUIT(self, server, session, envelope):
        self._journal.write("quit")
        return "221 2.0.0 Bye"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self._refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self._received += 1
        number = self._received
        if self._delay:
            await asyncio.sleep(self._delay)
        if self._data_reply:
            return self._data_reply
        if number <= self._tempfail_first:
            self._journal.write("tempfail", message_id=message_id(envelope.content), reply=TEMPFAIL_REPLY)
            return TEMPFAIL_REPLY
        if number <= self._drop_first:
            # The content has arrived, the reply never does: the client cannot know whether it was delivered.
            self._journal.write("dropped", message_id=message_id(envelope.content))
            server.transport.close()
            await asyncio.sleep(3600)  # aiosmtpd cancels this once the connection is gone
        session.mailmvc_messages = getattr(session, "mailmvc_messages", 0) + 1
        self._journal.write(
            "message",
            message_id=message_id(envelope.content),
            mail_from=envelope.mail_from,
            mail_options=list(envelope.mail_options),
            rcpt_tos=list(envelope.rcpt_tos),
            data=envelope.content.decode("utf-8", "replace"),
            tls=server.transport.get_extra_info("ssl_object") is not None,
            authenticated=bool(session.authenticated),
            helo=session.host_name,
            envelope_pipelined=getattr(session, "mailmvc_envelope_pipelined", False),
            next_pipelined=buffered(server).startswith(b"MAIL FROM:"))
        return "250 2.0.0 OK: queued"


class OAuthHandler(Handler):
    """A Handler that also offers AUTH XOAUTH2 and OAUTHBEARER (aiosmtpd finds auth_* methods on the handler)."""

    def __init__(self, journal, oauth_user, oauth_tokens, *args):
        super().__init__(journal, *args)
        self._oauth_user = oauth_user
        self._oauth_tokens = set(oauth_tokens)

    async def auth_XOAUTH2(self, server, args):
        return await self._oauth(server, args, "XOAUTH2")

    async def auth_OAUTHBEARER(self, server, args):
        return await self._oauth(server, args, "OAUTHBEARER")

    async def _oauth(self, server, args, mechanism):
        if len(args) > 1:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except ValueError:
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        else:
            blob = await server.challenge_auth("", encode_to_b64=False)
            if not isinstance(blob, bytes):
                return AuthResult(success=False, handled=True)
        text = blob.decode("utf-8", "replace")
        fields = text.split("\x01")
        user = None
        token = None
        for field in fields:
            if field.startswith("user="):
                user = field[len("user="):]
            elif field.startswith("n,a="):
                user = field[len("n,a="):].rstrip(",")
            elif field.startswith("auth=Bearer "):
                token = field[len("auth=Bearer "):]
        ok = user == self._oauth_user and token in self._oauth_tokens
        self._journal.write("auth", mechanism=mechanism, success=ok, user=user, token=token)
        if ok:
            return AuthResult(success=True, auth_data=user)
        # RFC 7628 / Google's XOAUTH2: an error challenge, the client's (empty) answer, then the failure.
        error = json.dumps({"status": "401", "schemes": "Bearer", "scope": "https://mail.google.com/"})
        answer = await server.challenge_auth(error)
        if not isinstance(answer, bytes):
            return AuthResult(success=False, handled=True)
        return AuthResult(success=False, handled=False)


def make_authenticator(journal, user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        journal.write("auth", mechanism=mechanism, success=ok)
        # handled=False lets aiosmtpd answer 535; handled=True would leave the client waiting.
        return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)
    return authenticate


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journal", required=True, help="file that receives one JSON line per event")
    parser.add_argument("--tls-cert", help="PEM certificate: offers STARTTLS (or implicit TLS with --implicit-tls)")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (needs --tls-cert)")
    parser.add_argument("--require-starttls", action="store_true", help="refuse mail until the client issued STARTTLS")
    parser.add_argument("--auth-user", help="offer AUTH and accept this user")
    parser.add_argument("--auth-password", help="the password of --auth-user")
    parser.add_argument("--auth-mechanism", choices=AUTH_MECHANISMS, help="offer only this mechanism")
    parser.add_argument("--oauth-user", help="offer AUTH XOAUTH2 and OAUTHBEARER only, and accept this user")
    parser.add_argument("--oauth-token", action="append", default=[], help="an access token --oauth-user may log in with")
    parser.add_argument("--refuse-rcpt", action="append", default=[], help="answer RCPT TO for this address with 550")
    parser.add_argument("--data-reply", help="answer the end of DATA with this reply, e.g. '451 4.3.0 Try later'")
    parser.add_argument("--silent", action="store_true", help="accept connections but never send a greeting")
    parser.add_argument("--no-pipelining", action="store_true", help="do not offer PIPELINING")
    parser.add_argument("--port", type=int, default=0, help="listen on this port (0, the default, lets the OS pick)")
    parser.add_argument("--tempfail-first", type=int, default=0, metavar="N",
                        help=f"answer the end of DATA of the first N messages with '{TEMPFAIL_REPLY}'")
    parser.add_argument("--drop-first", type=int, default=0, metavar="N",
                        help="close the connection after the DATA content of the first N messages, without a reply")
    parser.add_argument("--delay-ms", type=int, default=0, help="wait this long before answering each message")
    parser.add_argument("--idle-timeout", type=float, default=300, metavar="S",
                        help="close a connection idle this many seconds (default 300, as Postfix)")
    parser.add_argument("--hang-up-reused", type=int, default=0, metavar="N",
                        help="close the first N connections that bring a second MAIL FROM, without a reply")
    parser.add_argument("--hang-up-421", action="store_true",
                        help="with --hang-up-reused: answer that MAIL FROM 421 instead, and leave the connection open")
    return parser.parse_args()


async def main():
    args = parse_args()
    loop = asyncio.get_running_loop()
    journal = Journal(args.journal)
    stopped = loop.create_future()

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096) and not stopped.done():
            stopped.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)

    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)

    if args.silent:
        async def hold(reader, writer):
            journal.write("connect")
            await reader.read()  # never greet; wait until the client gives up
            writer.close()

        server = await asyncio.start_server(hold, "127.0.0.1", args.port)
    else:
        handler_args = (args.refuse_rcpt, args.data_reply, args.tempfail_first, args.drop_first, args.delay_ms,
                        args.hang_up_reused, not args.no_pipelining, args.hang_up_421)
        handler = (OAuthHandler(journal, args.oauth_user, args.oauth_token, *handler_args) if args.oauth_user
                   else Handler(journal, *handler_args))
        smtp_kwargs = dict(hostname="mailmvc-test", loop=loop, auth_require_tls=False, timeout=args.idle_timeout)
        if args.oauth_user:
            smtp_kwargs["auth_exclude_mechanism"] = list(AUTH_MECHANISMS)
        elif args.auth_user:
            smtp_kwargs["authenticator"] = make_authenticator(journal, args.auth_user, args.auth_password or "")
            if args.auth_mechanism:
                smtp_kwargs["auth_exclude_mechanism"] = [m for m in AUTH_MECHANISMS if m != args.auth_mechanism]
        else:
            # aiosmtpd always has built-in mechanisms; a server without credentials offers none.
            smtp_kwargs["auth_exclude_mechanism"] = list(AUTH_MECHANISMS)
        if tls and not args.implicit_tls:
            smtp_kwargs["tls_context"] = tls
            smtp_kwargs["require_starttls"] = args.require_starttls

        def factory():
            journal.write("connect")
            return SMTP(handler, **smtp_kwargs)

        server = await loop.create_server(
            factory, "127.0.0.1", args.port, ssl=tls if args.implicit_tls else None)

    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    async with server:
        await stopped


if __name__ == "__main__":
    asyncio.run(main())
