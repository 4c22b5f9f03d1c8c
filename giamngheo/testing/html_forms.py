"""Read a page's forms as a browser would submit them, so that in-process tests post what the
template really renders (field names included: `agree_22.223` once hid behind tests that built the
POST by hand)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class HtmlForm:
    action: str
    attrs: dict[str, str]
    data: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # every named control, in page order
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, text)
    options: dict[str, list[str]] = field(default_factory=dict)  # a select's option values
    text: str = ""


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = HtmlForm(action=a.get("action", ""), attrs=a)
            self.forms.append(self._form)
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            form.names.append(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.data[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                form.data[name] = a.get("value", "")
        elif tag == "select" and name:
            form.names.append(name)
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            form.options.setdefault(self._select, []).append(value)
            if self._select_first is None:
                self._select_first = value
                form.data.setdefault(self._select, value)
            if "selected" in a:
                form.data[self._select] = value
        elif tag == "textarea" and name:
            form.names.append(name)
            self._textarea = name
            form.data[name] = ""
        elif tag == "button":
            self._button = {"name": a.get("name", ""), "value": a.get("value", ""), "text": ""}

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form.buttons.append((self._button["name"], self._button["value"], self._button["text"].strip()))
            self._button = None

    def handle_data(self, data):
        if self._form is not None:
            self._form.text += data
            if self._textarea:
                self._form.data[self._textarea] += data
            if self._button is not None:
                self._button["text"] += data


def forms_of(html: str) -> list[HtmlForm]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, *, action: str | None = None, button: str | None = None) -> HtmlForm:
    """The one form whose action contains `action` and/or that has a button reading `button`."""
    found = [
        f
        for f in forms_of(html)
        if (action is None or action in f.action) and (button is None or any(button in b[2] for b in f.buttons))
    ]
    if len(found) != 1:
        raise AssertionError(f"expected one form (action={action!r}, button={button!r}), found {len(found)}")
    return found[0]
