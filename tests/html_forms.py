"""Staff pages read as a browser's parser reads them: links, forms with their fields and
buttons, and forms nested in others (which a browser drops). The crawler and the tests that post a
page's own form (as a browser would, then changed as an attacker would) share it."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    required_empty: list[str] = field(default_factory=list)
    selects: dict = field(default_factory=dict)


class Page(HTMLParser):
    """Links, forms and nested forms, read as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.nested: list[str] = []
        self._form: Form | None = None
        self._textarea: tuple[str, bool] | None = None
        self._text = ""
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            if self._form is not None:
                self.nested.append(a.get("action") or "(this page)")
                return  # a browser ignores the inner form's start tag
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower())
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                self._form.buttons.append((name or "", a.get("value") or ""))
            elif kind == "file" and name:
                self._form.files.append(name)
            elif not name or kind in ("button", "reset"):
                return
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value") or "on"))
            else:
                value = a.get("value") or ""
                if not value and "required" in a:
                    self._form.required_empty.append(name)
                self._form.fields.append((name, value))
        elif tag == "button":
            if (a.get("type") or "submit").lower() == "submit":
                self._form.buttons.append((a.get("name") or "", a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], "required" in a)
            self._text = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.selects[self._select] = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._form.selects[self._select] is None or "selected" in a:
                self._form.selects[self._select] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, required = self._textarea
            text = self._text.removeprefix("\n")
            if required and not text.strip():
                self._form.required_empty.append(name)
            self._form.fields.append((name, text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self._form.fields += [(k, v) for k, v in self._form.selects.items() if v is not None]
            self.forms.append(self._form)
            self._form = None


def page_form(html: str, having: str) -> dict[str, list[str]]:
    """The fields of the page's form that has a field named `having`, as a browser would send
    them (without a button): each name with its values, in page order."""
    page = Page()
    page.feed(html)
    [form] = [f for f in page.forms if any(name == having for name, _ in f.fields)]
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    return data
