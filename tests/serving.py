"""Run examsite the way its container does, and talk to it like a browser, for the
deployment tests. No Docker engine runs here, so the tests run the image's own commands
(taken from the Dockerfile) against the repository, with the documented environment."""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "exams.example.org"  # ALLOWED_HOSTS in .env.example
BIN = Path(sys.executable).parent


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an env file such as .env.example (comments skipped)."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def production_env(**overrides: str) -> dict[str, str]:
    """The process environment of a container started with the documented .env."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "PYTEST", "DATABASE_URL")) and k != "DEBUG"
    }
    documented = env_file(ROOT / ".env.example")
    documented["SECRET_KEY"] = secrets.token_urlsafe(50)
    return {
        **base,
        **documented,
        "DJANGO_SETTINGS_MODULE": "examsite.settings",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **overrides,
    }


def dockerfile_instruction(name: str) -> list[str]:
    """An exec-form instruction of the Dockerfile (ENTRYPOINT, CMD, or HEALTHCHECK's CMD),
    with the image's /app paths pointing into the repository."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith(name + " "):
            exec_form = line[line.index("[") :] if name != "HEALTHCHECK" else line.split("CMD")[1]
            return [arg.replace("/app/", f"{ROOT}/") for arg in json.loads(exec_form)]
    raise LookupError(f"no {name} in the Dockerfile")


def collectstatic_env() -> dict[str, str]:
    """The variables the Dockerfile's collectstatic step sets (KEY=VALUE before python)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if "collectstatic" in line)
    words = line.removeprefix("RUN").split("python manage.py collectstatic")[0].split()
    return dict(word.split("=", 1) for word in words)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A process serving examsite on 127.0.0.1:port; its output goes to ``log``."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.port = int(env["PORT"])
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def output(self) -> str:
        return self.log.read_text()

    def first_answer(self, path: str = "/healthz", seconds: float = 180) -> "Response":
        """The response to ``path`` once the server takes connections."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.output}")
            try:
                return request(self.port, "GET", path)
            except OSError:
                time.sleep(0.25)
        raise AssertionError(f"no answer on {path} after {seconds} s:\n{self.output}")

    def wait_until_healthy(self) -> None:
        r = self.first_answer("/healthz")
        assert r.status == 200, f"/healthz said {r.status}:\n{self.output}"

    def stop(self) -> int:
        """SIGTERM, as `docker stop` sends; gunicorn finishes its requests and exits."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def csrf_token(self) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text).group(1)


def request(
    port: int, method: str, path: str, body: str | None = None, headers: dict | None = None
) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return Response(r.status, r.headers, r.read().decode("utf-8", "replace"))
    finally:
        conn.close()


class Browser:
    """One candidate's browser behind the TLS proxy: one cookie jar, whichever app
    server the proxy picks for each request."""

    def __init__(self, client_ip: str = "203.0.113.10"):
        self.cookies: dict[str, str] = {}
        self.client_ip = client_ip

    def headers(self) -> dict[str, str]:
        # What the TLS proxy adds (the original host and scheme, the client's address), then
        # compose's balancer (the TLS proxy's address): TRUSTED_PROXY_COUNT=2.
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"{self.client_ip}, 172.18.0.1",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, r: Response) -> None:
        for raw in r.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, port: int, path: str) -> Response:
        r = request(port, "GET", path, headers=self.headers())
        self._keep_cookies(r)
        return r

    def post(self, port: int, path: str, form: dict) -> Response:
        headers = {
            **self.headers(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}",
        }
        r = request(port, "POST", path, urlencode(form, doseq=True), headers)
        self._keep_cookies(r)
        return r


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
