#!/usr/bin/env python3
"""A stand-in for the country's digital identity in Amparo's tests: the OpenID Connect
provider of the `oidc-provider-mock` package (discovery, an authorization endpoint a test
can answer by posting `sub=`, a token endpoint, a JWKS, `PUT /users/SUB` to give a subject
claims), on a free local port, with what the mock leaves out and Amparo relies on:

- PKCE (RFC 7636): the authorization request must carry an S256 `code_challenge`, and the
  token request the `code_verifier` that hashes to it;
- client_secret_basic: the token request must authenticate the client given here;
- faults on demand, for the tests of refusals: `POST /test/next-id-token` with a JSON object
  of claims makes the next ID token carry those instead (a wrong `aud`, say), signed with
  the provider's own key; `POST /test/rotate-key` gives the provider a new signing key.

Prints `http://127.0.0.1:PORT` on its first line once it listens, then serves until it is
sent SIGTERM or its standard input closes (the test process that started it has ended).
"""
import argparse
import base64
import hashlib
import json
import os
import signal
import sys
import threading
from urllib.parse import parse_qs, unquote_plus, urlparse

import flask
import oidc_provider_mock
from authlib import jose
from werkzeug.serving import make_server


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def b64url_json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def basic_credentials(header: str):
    """The client id and secret of `Authorization: Basic`, each form-decoded (RFC 6749 §2.3.1)."""
    if not header.startswith("Basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except ValueError:
        return None
    return unquote_plus(client_id), unquote_plus(secret)


def main() -> None:
    # A process started from the Swift tests inherits their blocked signals: unblock them,
    # or SIGTERM would never end it.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    args = parser.parse_args()

    app = oidc_provider_mock.app(require_nonce=True)
    lock = threading.Lock()
    challenges: dict[str, str] = {}
    overrides: list[dict] = []

    def storage():
        return flask.g.oidc_provider_mock_storage

    def oauth_error(status: int, error: str, description: str):
        return flask.jsonify({"error": error, "error_description": description}), status

    @app.before_request
    def check_pkce_and_client():
        path = flask.request.path
        if path == "/oauth2/authorize":
            if flask.request.args.get("code_challenge_method") != "S256" or not flask.request.args.get("code_challenge"):
                return oauth_error(400, "invalid_request", "an S256 code_challenge is required (PKCE)")
        elif path == "/oauth2/token" and flask.request.form.get("grant_type") == "authorization_code":
            if basic_credentials(flask.request.headers.get("Authorization", "")) != (args.client_id, args.client_secret):
                return oauth_error(401, "invalid_client", "client_secret_basic with the registered client is required")
            with lock:
                challenge = challenges.pop(flask.request.form.get("code", ""), None)
            verifier = flask.request.form.get("code_verifier", "")
            if challenge is None or not verifier or s256(verifier) != challenge:
                return oauth_error(400, "invalid_grant", "the code_verifier does not match the code_challenge")
        return None

    @app.after_request
    def remember_challenge_and_fault(response: flask.Response):
        path = flask.request.path
        if path == "/oauth2/authorize" and response.status_code in (302, 303):
            code = parse_qs(urlparse(response.headers.get("Location", "")).query).get("code", [None])[0]
            if code:
                with lock:
                    challenges[code] = flask.request.args.get("code_challenge", "")
        elif path == "/oauth2/token" and response.status_code == 200:
            with lock:
                override = overrides.pop(0) if overrides else None
            if override is not None:
                body = json.loads(response.get_data())
                header_part, payload_part, _ = body["id_token"].split(".")
                claims = b64url_json(payload_part)
                claims.update(override)
                header = b64url_json(header_part)
                body["id_token"] = jose.jwt.encode(header, claims, storage().jwk).decode("ascii")
                response.set_data(json.dumps(body))
        return response

    @app.post("/test/next-id-token")
    def next_id_token():
        with lock:
            overrides.append(flask.request.get_json(force=True))
        return "", 204

    @app.post("/test/rotate-key")
    def rotate_key():
        storage().jwk = jose.RSAKey.generate_key(is_private=True)
        return "", 204

    def end_with_parent():
        # Standard input closes when the test process ends, however it ends.
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=end_with_parent, daemon=True).start()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
