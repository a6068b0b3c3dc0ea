"""A small client for structured chat completions from any OpenAI-compatible endpoint (vLLM, SGLang, OpenAI, ...).

The reply is forced to match a JSON schema (`response_format: json_schema`; vLLM enforces it with guided decoding),
so it always parses; a reply that still does not (a truncated generation, a server that ignores the schema) is
retried, then reported as an error for the caller to fall back on. Standard library only: it runs where the trainer
runs, with no extra package. The dataset builder (genui_grpo/codebase.py) uses it to describe components.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

logger = logging.getLogger(__name__)


class EndpointError(RuntimeError):
    """The endpoint could not give a reply matching the schema (unreachable, server error, unparseable reply)."""


@dataclass(frozen=True)
class StructuredClient:
    base_url: str  # e.g. http://127.0.0.1:8000/v1
    model: str
    api_key: str | None = None
    timeout: float = 120.0
    retries: int = 2
    temperature: float = 0.2
    max_tokens: int = 512

    def complete(self, messages: list[dict], schema: dict, name: str = "answer") -> dict:
        """The reply, parsed: a dict matching `schema`. Raises EndpointError after `retries` failed retries."""
        body = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": True},
            },
        }
        last = None
        for attempt in range(self.retries + 1):
            try:
                return self._parse(self._request("/chat/completions", body), schema)
            except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError, KeyError) as err:
                last = err
                if isinstance(err, urllib.error.HTTPError) and 400 <= err.code < 500 and err.code != 429:
                    break  # the request itself is wrong: retrying cannot help
                time.sleep(min(8.0, 0.5 * 2**attempt))
        raise EndpointError(f"{self.base_url} ({self.model}): {last}")

    def check(self) -> None:
        """Fail now, with the fix, if the endpoint is unreachable or does not serve the model."""
        try:
            served = [m["id"] for m in self._request("/models")["data"]]
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError, KeyError) as err:
            raise EndpointError(
                f"{self.base_url} is not answering ({err}): start an OpenAI-compatible server there (e.g. "
                "`python -m vllm.entrypoints.openai.api_server --model NAME`), or leave the endpoint out"
            ) from err
        if served and self.model not in served:
            raise EndpointError(f"{self.base_url} does not serve model {self.model!r}; it serves {served}")

    def _request(self, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url.rstrip("/") + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as err:
            detail = err.read()[:300].decode(errors="replace")
            raise urllib.error.HTTPError(err.url, err.code, f"{err.reason}: {detail}", err.headers, None) from None

    @staticmethod
    def _parse(reply: dict, schema: dict) -> dict:
        choice = reply["choices"][0]
        content = choice["message"]["content"] or ""
        if choice.get("finish_reason") == "length":
            raise ValueError("the reply was cut off at max_tokens")
        data = json.loads(content, strict=False)  # the schema fixed the structure; raw control characters may remain
        missing = [k for k in schema.get("required", ()) if k not in data]
        if not isinstance(data, dict) or missing:
            raise ValueError(f"reply does not match the schema (missing {missing}): {content[:200]}")
        return data
