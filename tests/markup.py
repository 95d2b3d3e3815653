"""What a browser would execute in generated HTML (shared by the plugin and builder tests)."""

from __future__ import annotations

from html.parser import HTMLParser


class LiveMarkup(HTMLParser):
    """Finds what a browser would execute: event handlers, javascript: URLs, injected elements,
    and the marker inside a script."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and text.startswith(("javascript:", "data:")):
                self.findings.append(f"<{tag} {name}={value}>")
        if tag in ("iframe", "svg", "style", "b", "div") and any("PWNED" in (v or "") for _, v in attrs):
            self.findings.append(f"<{tag}> from data")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.findings.append("<img src=x> from data")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "PWNED" in data:
            self.findings.append("marker inside <script>")
