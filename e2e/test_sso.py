"""Single sign-on end to end against a real identity provider (issue 7).

A pysaml2 identity provider (Debian's python3-pysaml2, signing with Debian's xmlsec1) and a
JWT-signing "vendor app" (PyJWT) talk to `portal serve` over real HTTP:

- portal fetches the IdP's metadata from the IdP's URL at start; the IdP loads portal's SP
  metadata from portal's metadata URL (metadata exchanged both ways);
- SP-initiated login: portal's redirect carries an AuthnRequest, pysaml2 parses it and signs a
  response, the browser side posts it to portal's ACS, and the session opens the ticket list;
- the same response posted again, an off-site RelayState/return_to, a token replayed, a token
  signed with another secret: refused, with the precise reason in portal's log only.

    /usr/bin/python3 e2e/test_sso.py --binary target/debug/portal
"""

import argparse
import base64
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

import jwt  # PyJWT
import requests
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, xmldsig
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import AUTHN_PASSWORD, NAMEID_FORMAT_PERSISTENT
from saml2.server import Server as IdpServer

BINARY = "target/debug/portal"
XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MetadataHost:
    """Serves the IdP's metadata over HTTP, as identity providers publish it."""

    def __init__(self, port, body):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits += 1
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/samlmetadata+xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.hits = 0
        self.httpd = http.server.HTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()


class SsoEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="portal-sso-e2e-")
        key, cert = os.path.join(cls.dir, "idp.key"), os.path.join(cls.dir, "idp.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=idp.test", "-keyout", key, "-out", cert], check=True, capture_output=True)
        idp_port, portal_port = free_port(), free_port()
        cls.idp_base = f"http://127.0.0.1:{idp_port}"
        cls.base_url = f"http://127.0.0.1:{portal_port}"
        cls.conf = {
            "entityid": f"{cls.idp_base}/idp/metadata",
            "service": {"idp": {
                "endpoints": {"single_sign_on_service": [(f"{cls.idp_base}/idp/sso", BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
                "sign_response": True,
                "sign_assertion": True,
            }},
            "key_file": key,
            "cert_file": cert,
            "xmlsec_binary": XMLSEC,
            "signing_algorithm": xmldsig.SIG_RSA_SHA256,
            "digest_algorithm": xmldsig.DIGEST_SHA256,
        }
        idp_metadata = create_metadata_string(None, config=IdPConfig().load(dict(cls.conf)), valid=24)
        if isinstance(idp_metadata, bytes):
            idp_metadata = idp_metadata.decode()
        cls.metadata_host = MetadataHost(idp_port, idp_metadata)
        cls.secret = subprocess.run([BINARY, "sso-secret"], check=True, capture_output=True, text=True).stdout.strip()
        assert re.fullmatch(r"[0-9a-f]{64}", cls.secret), cls.secret
        config = os.path.join(cls.dir, "portal.toml")
        with open(config, "w") as f:
            f.write(f"""
[sso]
allow = "all"
create_contacts = true
organization_sets_company = true

[sso.saml]
idp_metadata = "{cls.idp_base}/idp/metadata"

[sso.jwt]
secret = "{cls.secret}"
login_url = "{cls.idp_base}/app/portal-login"
""")
        env = dict(os.environ, PORTAL_LISTEN=f"127.0.0.1:{portal_port}", PORTAL_BASE_URL=cls.base_url,
                   PORTAL_DATA_DIR=os.path.join(cls.dir, "data"), PORTAL_LOG="info")
        env.pop("PORTAL_DATABASE_URL", None)
        cls.log_path = os.path.join(cls.dir, "portal.log")
        cls.log = open(cls.log_path, "w")
        cls.proc = subprocess.Popen([BINARY, "--config", config, "serve"], env=env, cwd=cls.dir,
                                    stdout=cls.log, stderr=subprocess.STDOUT, text=True)
        cls.base = None
        deadline = time.time() + 120
        while time.time() < deadline and cls.base is None:
            time.sleep(0.2)
            m = re.search(r"customer portal: (\S+)", open(cls.log_path).read())
            if m:
                cls.base = m.group(1).rstrip("/")
            if cls.proc.poll() is not None:
                break
        if cls.base is None:
            cls.tearDownClass()
            raise RuntimeError("portal did not start:\n" + open(cls.log_path).read())
        cls.path = urllib.parse.urlparse(cls.base).path
        # The other direction: the IdP loads portal's SP metadata from its URL.
        sp_md = requests.get(cls.base + "/sso/saml/metadata", timeout=10)
        assert sp_md.status_code == 200, sp_md.text
        cls.sp_metadata_file = os.path.join(cls.dir, "sp.xml")
        with open(cls.sp_metadata_file, "w") as f:
            f.write(sp_md.text)
        conf = dict(cls.conf, metadata={"local": [cls.sp_metadata_file]})
        cls.idp = IdpServer(config=IdPConfig().load(conf))

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "proc", None):
            cls.proc.terminate()
            try:
                cls.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                cls.proc.kill()
                cls.proc.wait()
        cls.metadata_host.stop()
        cls.log.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def portal_log(self):
        return open(self.log_path).read()

    def wait_for_log(self, fragment):
        for _ in range(50):
            if fragment in self.portal_log():
                return
            time.sleep(0.1)
        self.fail(f"{fragment!r} not in portal's log:\n{self.portal_log()[-3000:]}")

    # -------------------------------------------------------------- SAML

    def saml_login_request(self, session, return_to=None):
        """Starts an SP-initiated login; returns the parsed AuthnRequest."""
        q = {"return_to": return_to} if return_to else {}
        r = session.get(self.base + "/sso/saml/login", params=q, allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303, r.text)
        location = r.headers["Location"]
        self.assertTrue(location.startswith(self.idp_base + "/idp/sso?"), location)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
        return self.idp.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)

    def saml_response(self, request, email, name, organization=None, sha1=False):
        args = self.idp.response_args(request.message, [BINDING_HTTP_POST])
        identity = {"mail": [email], "displayName": [name]}
        if organization:
            identity["o"] = [organization]
        resp = self.idp.create_authn_response(
            identity, userid=email, authn={"class_ref": AUTHN_PASSWORD, "authn_auth": self.idp_base},
            sign_response=True, sign_assertion=True,
            sign_alg=xmldsig.SIG_RSA_SHA1 if sha1 else xmldsig.SIG_RSA_SHA256,
            digest_alg=xmldsig.DIGEST_SHA1 if sha1 else xmldsig.DIGEST_SHA256, **args)
        return base64.b64encode(str(resp).encode()).decode(), args["destination"]

    def test_metadata_was_exchanged_both_ways(self):
        self.assertGreaterEqual(self.metadata_host.hits, 1, "portal fetched the IdP metadata from its URL")
        sp = open(self.sp_metadata_file).read()
        self.assertIn(self.base + "/sso/saml/acs", sp)
        self.assertIn('WantAssertionsSigned="true"', sp)

    def test_login_page_shows_the_sso_buttons(self):
        page = requests.get(self.base + "/login", timeout=10).text
        self.assertIn('id="sso-saml"', page)
        self.assertIn('id="sso-jwt"', page)
        self.assertIn('name="password"', page, "password login stays on unless turned off")

    def test_saml_sp_initiated_login_through_pysaml2(self):
        s = requests.Session()
        request = self.saml_login_request(s, return_to=self.path + "/tickets?view=mine")
        self.assertGreaterEqual(len(request.message.id), 33, "request id carries 128+ random bits")
        self.assertEqual(request.message.assertion_consumer_service_url, self.base + "/sso/saml/acs")
        response, destination = self.saml_response(request, "ben@acme.example", "Ben Demo")
        self.assertEqual(destination, self.base + "/sso/saml/acs")
        r = s.post(destination, data={"SAMLResponse": response}, allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303, r.text[:2000] + self.portal_log()[-2000:])
        self.assertEqual(r.headers["Location"], self.path + "/tickets?view=mine")
        tickets = s.get(self.base + "/tickets", timeout=10)
        self.assertEqual(tickets.status_code, 200)
        self.assertIn("ben@acme.example", tickets.text.lower() + s.get(self.base + "/account", timeout=10).text.lower())
        # The same response again (a replay): refused, reason in the log, generic page.
        again = requests.post(destination, data={"SAMLResponse": response}, allow_redirects=False, timeout=10)
        self.assertEqual(again.status_code, 403)
        self.assertNotIn("InResponseTo", again.text)
        self.wait_for_log("not an outstanding request")

    def test_saml_new_user_gets_a_contact_in_their_organization(self):
        s = requests.Session()
        request = self.saml_login_request(s)
        response, destination = self.saml_response(request, "new.sso@acme.example", "Nia Newcomer", "acme.example")
        r = s.post(destination, data={"SAMLResponse": response}, allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303, self.portal_log()[-2000:])
        self.assertEqual(r.headers["Location"], self.path + "/tickets")
        page = s.get(self.base + "/tickets?view=organization", timeout=10)
        self.assertEqual(page.status_code, 200)

    def test_saml_tampered_response_is_refused(self):
        s = requests.Session()
        request = self.saml_login_request(s)
        response, destination = self.saml_response(request, "ben@acme.example", "Ben Demo")
        xml = base64.b64decode(response).decode().replace("ben@acme.example", "anna@acme.example")
        r = s.post(destination, data={"SAMLResponse": base64.b64encode(xml.encode()).decode()},
                   allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 403)
        self.wait_for_log("samael")

    def test_saml_sha1_signed_response_from_the_real_idp_is_refused(self):
        s = requests.Session()
        request = self.saml_login_request(s)
        response, destination = self.saml_response(request, "ben@acme.example", "Ben Demo", sha1=True)
        self.assertIn("xmldsig#rsa-sha1", base64.b64decode(response).decode())
        r = s.post(destination, data={"SAMLResponse": response}, allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 403)

    def test_saml_off_site_relay_state_is_not_followed(self):
        s = requests.Session()
        r = s.get(self.base + "/sso/saml/login", params={"return_to": "https://evil.example/"},
                  allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(r.headers["Location"]).query)
        request = self.idp.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        response, destination = self.saml_response(request, "ben@acme.example", "Ben Demo")
        r = s.post(destination, data={"SAMLResponse": response, "RelayState": "https://evil.example/"},
                   allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303)
        self.assertEqual(r.headers["Location"], self.path + "/tickets")
        self.wait_for_log("outside the portal ignored")

    # -------------------------------------------------------------- JWT

    def token(self, **claims):
        body = {"iat": int(time.time()), "jti": str(uuid.uuid4()), "email": "jo.jwt@globex.example",
                "name": "Jo Jwt", "external_id": "app-42", "organization": "Globex", "locale": "nl-NL"}
        body.update(claims)
        return jwt.encode(body, bytes.fromhex(self.secret), algorithm="HS256")

    def test_jwt_login_minted_by_pyjwt(self):
        s = requests.Session()
        token = self.token()
        r = s.post(self.base + "/sso/jwt", data={"jwt": token, "return_to": self.base + "/tickets"},
                   allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303, r.text[:2000] + self.portal_log()[-2000:])
        self.assertEqual(r.headers["Location"], self.path + "/tickets")
        page = s.get(self.base + "/tickets", timeout=10)
        self.assertEqual(page.status_code, 200)
        self.assertIn('lang="nl"', page.text, "the token's locale became the contact's language")
        # Replayed: refused.
        again = requests.get(self.base + "/sso/jwt", params={"jwt": token}, allow_redirects=False, timeout=10)
        self.assertEqual(again.status_code, 403)
        self.wait_for_log("already used")

    def test_jwt_get_is_accepted_and_off_site_return_to_ignored(self):
        r = requests.get(self.base + "/sso/jwt", params={"jwt": self.token(), "return_to": "https://evil.example/x"},
                         allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303)
        self.assertEqual(r.headers["Location"], self.path + "/tickets")

    def test_jwt_signed_with_another_secret_is_refused(self):
        forged = jwt.encode({"iat": int(time.time()), "jti": "x", "email": "anna@acme.example", "name": "A"},
                            b"not the portal's secret, but long enough", algorithm="HS256")
        r = requests.post(self.base + "/sso/jwt", data={"jwt": forged}, allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 403)
        self.assertNotIn("signature", r.text.lower())
        self.wait_for_log("signature")

    def test_jwt_login_button_goes_to_the_vendor_with_a_portal_return_address(self):
        r = requests.get(self.base + "/sso/jwt/login", allow_redirects=False, timeout=10)
        self.assertEqual(r.status_code, 303)
        location = r.headers["Location"]
        self.assertTrue(location.startswith(self.idp_base + "/app/portal-login?return_to="), location)
        self.assertEqual(urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["return_to"][0],
                         self.base + "/tickets")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=BINARY)
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
