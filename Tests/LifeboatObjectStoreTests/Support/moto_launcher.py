"""Runs moto's S3 server with signature checking on, for the Swift tests (MotoServer.swift).

moto checks SigV4 signatures after INITIAL_NO_AUTH_ACTION_COUNT unauthenticated actions. This script
spends exactly those on CreateUser, PutUserPolicy and CreateAccessKey, so every later request (ours,
boto3's, the aws CLI's) must carry a valid signature made with the printed key.

One fix to moto 5.2.1 is applied: moto recomputes the signature over werkzeug's *re-encoded* URL, in
which `%2F`, `%2B`, `%3D` and UTF-8 escapes are decoded again, so it rejects correctly signed requests
for keys with `+`, `=` or non-ASCII characters and listings with a `/` delimiter (boto3 and the aws CLI
fail the same way). The patch makes moto verify the signature over the request target exactly as it was
sent (werkzeug's RAW_URI), which is what AWS does. Everything else is moto unchanged.

With `--ssl-cert FILE --ssl-key FILE` the server speaks HTTPS with that certificate (PEM) instead of
plain HTTP; signature checking stays on. The handshake runs on each connection's own thread, so a client
that rejects the certificate (the point of the TLS tests) costs nobody else anything.

Prints one JSON line: {"endpoint": ..., "accessKeyId": ..., "secretAccessKey": ...}. Then waits for EOF
on stdin (the test process exiting or closing the pipe) and exits, taking the server with it.
"""
import argparse
import json
import os
import ssl
import sys
import threading

NO_AUTH_ACTIONS = 3  # CreateUser, PutUserPolicy, CreateAccessKey
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(NO_AUTH_ACTIONS)  # read by moto.settings at import

import boto3  # noqa: E402
import urllib3  # noqa: E402
from moto.core.authorization import ActionAuthenticatorMixin  # noqa: E402
from moto.core.responses import BaseResponse  # noqa: E402
from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

_setup_class = BaseResponse.setup_class


def setup_class(self, request, full_url, headers, *args, **kwargs):
    environ = getattr(request, "environ", None) or {}
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    self._lifeboat_raw_uri = raw
    return _setup_class(self, request, full_url, headers, *args, **kwargs)


_authenticate = ActionAuthenticatorMixin._authenticate_and_authorize_action


def authenticate(self, iam_request_cls, resource="*"):
    raw = getattr(self, "_lifeboat_raw_uri", None)
    if not raw:
        return _authenticate(self, iam_request_cls, resource)
    seen = self.uri
    self.uri = raw if raw.startswith("http") else "http://moto" + raw
    try:
        return _authenticate(self, iam_request_cls, resource)
    finally:
        self.uri = seen


BaseResponse.setup_class = setup_class
ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate


def start_https(cert_file, key_file):
    """moto's app in a threaded werkzeug server behind TLS; returns the endpoint URL."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=True)
    # Wrapped here rather than through make_server's ssl_context, which would run every handshake
    # inside accept() on the serving thread.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.ssl_context = context  # werkzeug reads it for wsgi.url_scheme and to log SSL errors quietly
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"https://127.0.0.1:{server.port}"


def start_http():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return f"http://{host}:{port}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ssl-cert", help="serve HTTPS with this PEM certificate (chain)")
    parser.add_argument("--ssl-key", help="the PEM private key of --ssl-cert")
    args = parser.parse_args()
    if bool(args.ssl_cert) != bool(args.ssl_key):
        parser.error("--ssl-cert and --ssl-key go together")
    endpoint = start_https(args.ssl_cert, args.ssl_key) if args.ssl_cert else start_http()
    if args.ssl_cert:
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    # The bootstrap calls skip certificate verification: they only create the key the tests then use.
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", verify=False if args.ssl_cert else None,
                       aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam.create_user(UserName="lifeboat")
    iam.put_user_policy(UserName="lifeboat", PolicyName="s3-all", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }))
    key = iam.create_access_key(UserName="lifeboat")["AccessKey"]
    print(json.dumps({"endpoint": endpoint, "accessKeyId": key["AccessKeyId"],
                      "secretAccessKey": key["SecretAccessKey"]}), flush=True)
    sys.stdin.read()  # returns at EOF: our parent closed the pipe or exited
    os._exit(0)


if __name__ == "__main__":
    main()
