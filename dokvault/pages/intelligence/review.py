"""The review queue: the classifier's unconfirmed suggestions, least sure first. Accept all
or correct a field, one click each; keys A (accept), S (save), J/K (next/previous)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, office_filter, page_frame
from dokvault.models import User
from dokvault.services import documents
from dokvault.services.admin import offices
from dokvault.services.documents import ListFilter
from dokvault.services.intelligence import review, taxonomy
from dokvault.services.intelligence.review import LOW_CONFIDENCE, Decision
from dokvault.state.base import AppState
from dokvault.state.guards import signed_in

NO_TYPE = "-"  # a select item cannot have an empty value
EXCERPT_CHARS = 4000
KEYS_SCRIPT = """
(() => {
  if (window.__dokvaultReviewKeys) return;
  window.__dokvaultReviewKeys = true;
  const buttons = {a: "review-accept", s: "review-save", j: "review-next", k: "review-previous"};
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)
                   || target.getAttribute("role") === "combobox")) return;
    const id = buttons[event.key.toLowerCase()];
    const button = id && document.getElementById(id);
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
})();
"""


class ReviewState(AppState):
    queue: list[dict[str, Any]] = []
    waiting: int = 0
    uid: str = ""
    doc: dict[str, Any] = {}
    suggestion: dict[str, Any] = {}
    excerpt: str = ""
    type_options: list[str] = []
    tag_options: list[str] = []
    field_specs: list[dict[str, str]] = []
    chosen_type: str = NO_TYPE
    chosen_tags: list[str] = []
    field_values: dict[str, str] = {}
    title: str = ""
    accuracy: list[dict[str, Any]] = []
    office: str = "all"  # the office filter (the select, or ?office= from the dashboard)
    office_options: list[dict[str, str]] = []
    # The dashboard's scope from the URL (?owner=me): only those documents.
    _narrow: dict[str, str] = {}

    @rx.var
    def position(self) -> int:
        return next((i for i, item in enumerate(self.queue) if item["uid"] == self.uid), -1)

    def _refresh(self, user) -> None:
        scope = dict(self._narrow)
        if self.office != "all":
            scope["office"] = self.office
        narrow = ListFilter.from_params(scope).conditions(user)
        items, self.waiting = review.pending(user, narrow=narrow)
        self.office_options = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(True)]
        self.queue = [{"uid": i.uid, "name": i.name, "type": i.suggested_type,
                       "confidence": round(i.confidence * 100), "low": i.confidence < LOW_CONFIDENCE}
                      for i in items]
        self.accuracy = [{"provider": a.provider, "field": a.field, "reviewed": a.reviewed,
                          "share": f"{a.share:.0%}"} for a in review.accuracy()]
        known = taxonomy.load()
        self.type_options = [NO_TYPE, *known.type_names()]
        self.tag_options = known.tag_names()
        self.field_specs = [{"key": f.key, "label": f.label, "kind": f.kind} for f in known.fields]

    def _open(self, user, uid: str) -> None:
        found = review.suggestion_of(user, uid) if uid else None
        if found is None:
            self.uid, self.doc, self.suggestion, self.excerpt = "", {}, {}, ""
            return
        document, suggestion = found
        current = review.current_values(document)
        self.uid = uid
        self.doc = {"uid": uid, "name": document.name, "has_thumbnail": bool(document.thumbnail_key),
                    "summary": document.summary or ""}
        self.suggestion = {
            "provider": suggestion.provider, "model": suggestion.model,
            "fallback_from": suggestion.fallback_from or "",
            "type": suggestion.document_type or "",
            "confidence": round(suggestion.type_confidence * 100),
            "low": suggestion.type_confidence < LOW_CONFIDENCE,
            "new_tags": ", ".join(suggestion.new_tags),
        }
        self.excerpt = documents.document_text(document)[:EXCERPT_CHARS]
        self.chosen_type = current.document_type or NO_TYPE
        self.chosen_tags = list(current.tags)
        self.field_values = {spec["key"]: current.fields.get(spec["key"], "")
                             for spec in self.field_specs}
        self.title = current.title or ""

    @rx.event
    @signed_in
    def filter_office(self, office: str, *, user: User):
        self.office = office if office.isdigit() else "all"
        self._show(user)

    @rx.event
    @signed_in
    def load(self, *, user: User):
        params = self.router.url.query_parameters
        self._narrow = {"owner": str(params["owner"])} if "owner" in params else {}
        self.office = str(params.get("office", "")) if str(params.get("office", "")).isdigit() \
            else "all"
        self._show(user)

    def _show(self, user: User) -> None:
        self._refresh(user)
        keep = self.uid if any(item["uid"] == self.uid for item in self.queue) else ""
        self._open(user, keep or (self.queue[0]["uid"] if self.queue else ""))

    @rx.event
    @signed_in
    def open(self, uid: str, *, user: User):
        self._open(user, str(uid))
        return None

    def _step(self, offset: int):
        user = self._current_user()
        if user is None:
            return self._signed_out()
        if self.queue:
            index = min(max(self.position + offset, 0), len(self.queue) - 1)
            self._open(user, self.queue[index]["uid"])
        return None

    @rx.event
    def next(self):
        return self._step(1)

    @rx.event
    def previous(self):
        return self._step(-1)

    def _after_decision(self, user, message_key: str):
        index = max(self.position, 0)
        self._refresh(user)
        following = self.queue[min(index, len(self.queue) - 1)]["uid"] if self.queue else ""
        self._open(user, following)
        return rx.toast.success(self._t(message_key))

    @rx.event
    @signed_in
    def accept_all(self, uid: str, *, user: User):
        # The document the click was made on, not whichever is open when the event is read:
        # a double click must not accept the next one too.
        if not review.accept_all(user, uid, self._client()):
            return rx.toast.error(self._t("error.forbidden"))
        return self._after_decision(user, "review.accepted")

    @rx.event
    @signed_in
    def save(self, *, user: User):
        decision = Decision(
            document_type=None if self.chosen_type == NO_TYPE else self.chosen_type,
            tags=[t for t in self.chosen_tags if t in self.tag_options],
            fields={k: v for k, v in self.field_values.items() if v.strip()},
            title=self.title.strip() or None,
        )
        if not review.decide(user, self.uid, decision, self._client()):
            return rx.toast.error(self._t("error.forbidden"))
        return self._after_decision(user, "review.saved")

    @rx.event
    def choose_type(self, value: str):
        self.chosen_type = value

    @rx.event
    def toggle_tag(self, name: str):
        self.chosen_tags = ([t for t in self.chosen_tags if t != name] if name in self.chosen_tags
                            else [*self.chosen_tags, name])

    @rx.event
    def set_field(self, key: str, value: str):
        self.field_values = {**self.field_values, key: value[:500]}

    @rx.event
    def set_title(self, value: str):
        self.title = value[:300]


def queue_item(item: rx.Var) -> rx.Component:
    selected = item["uid"] == ReviewState.uid
    return rx.box(
        rx.text(item["name"], size="2", weight="medium", trim="start", style=LONG_NAME),
        rx.hstack(
            rx.text(item["type"], size="1", color_scheme="gray"),
            rx.badge(item["confidence"].to(str) + " %", size="1",
                     color_scheme=rx.cond(item["low"], "amber", "green"), variant="soft"),
            justify="between", width="100%",
        ),
        on_click=ReviewState.open(item["uid"]),
        padding="0.6em 0.8em",
        border_radius="8px",
        cursor="pointer",
        background=rx.cond(selected, rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        class_name="review-item",
        width="100%",
    )


def tag_chip(name: rx.Var) -> rx.Component:
    chosen = ReviewState.chosen_tags.contains(name)
    return rx.badge(
        rx.cond(chosen, rx.icon("check", size=12), rx.icon("plus", size=12)), name,
        variant=rx.cond(chosen, "solid", "outline"),
        size="2", cursor="pointer",
        on_click=ReviewState.toggle_tag(name),
        class_name="review-tag",
        data_chosen=rx.cond(chosen, "true", "false"),
    )


def field_input(spec: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(spec["label"], size="1", color_scheme="gray"),
        rx.input(
            value=ReviewState.field_values[spec["key"].to(str)].to(str),
            on_change=lambda value: ReviewState.set_field(spec["key"], value),
            size="2", width="100%",
            class_name="review-field",
            data_key=spec["key"],
        ),
        spacing="1", width="100%",
    )


def accuracy_card() -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        ReviewState.accuracy.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading(tr["review.accuracy"], size="3"),
                rx.text(tr["review.accuracy_hint"], size="1", color_scheme="gray"),
                rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell(tr["review.col_provider"]),
                        rx.table.column_header_cell(tr["review.col_field"]),
                        rx.table.column_header_cell(tr["review.col_reviewed"]),
                        rx.table.column_header_cell(tr["review.col_share"]),
                    )),
                    rx.table.body(rx.foreach(ReviewState.accuracy, lambda row: rx.table.row(
                        rx.table.cell(row["provider"]),
                        rx.table.cell(tr["review.field." + row["field"].to(str)]),
                        rx.table.cell(row["reviewed"]),
                        rx.table.cell(rx.text(row["share"], weight="medium")),
                        class_name="accuracy-row",
                    ))),
                    size="1", width="100%",
                ),
                spacing="2", width="100%",
            ),
            width="100%", id="accuracy",
        ),
    )


def current_document() -> rx.Component:
    tr = AppState.tr
    doc, suggestion = ReviewState.doc, ReviewState.suggestion
    return rx.vstack(
        rx.hstack(
            rx.heading(doc["name"], size="5", id="review-document", style=LONG_NAME),
            rx.link(tr["review.open"], href="/documents/" + doc["uid"].to(str), size="2"),
            align="center", spacing="3", wrap="wrap",
        ),
        rx.hstack(
            rx.text(tr["review.by"].to(str).replace("{provider}", suggestion["provider"].to(str)),
                    size="1", color_scheme="gray"),
            rx.badge(tr["review.confidence"], " ", suggestion["confidence"].to(str), " %",
                     color_scheme=rx.cond(suggestion["low"].to(bool), "amber", "green"),
                     id="review-confidence"),
            rx.cond(suggestion["low"].to(bool), rx.badge(tr["review.low"], color_scheme="amber",
                                                         variant="outline")),
            align="center", spacing="2",
        ),
        rx.cond(suggestion["fallback_from"].to(str) != "",
                rx.callout(tr["review.fallback"].to(str).replace(
                    "{provider}", suggestion["fallback_from"].to(str)),
                    icon="info", size="1", color_scheme="amber")),
        rx.hstack(
            rx.button(rx.icon("check-check", size=16), tr["review.accept"], size="3",
                      on_click=ReviewState.accept_all(ReviewState.uid), id="review-accept"),
            rx.button(rx.icon("save", size=16), tr["review.save"], size="3", variant="soft",
                      on_click=ReviewState.save, id="review-save"),
            rx.spacer(),
            rx.button(rx.icon("chevron-up", size=16), tr["review.previous"], variant="ghost",
                      on_click=ReviewState.previous, id="review-previous"),
            rx.button(rx.icon("chevron-down", size=16), tr["review.next"], variant="ghost",
                      on_click=ReviewState.next, id="review-next"),
            width="100%", align="center", wrap="wrap",
        ),
        rx.hstack(
            rx.cond(
                doc["has_thumbnail"].to(bool),
                rx.image(src="/api/documents/" + doc["uid"].to(str) + "/thumbnail",
                         width="120px", border_radius="6px", alt="", flex_shrink="0",
                         border=f"1px solid {rx.color('gray', 5)}"),
            ),
            rx.vstack(
                rx.cond(doc["summary"].to(str) != "",
                        rx.text(doc["summary"], size="2", color_scheme="gray")),
                rx.scroll_area(
                    rx.text(ReviewState.excerpt, white_space="pre-wrap", size="1",
                            id="review-excerpt"),
                    max_height="180px", padding="0.75em", type="auto",
                    border=f"1px solid {rx.color('gray', 5)}", border_radius="8px",
                ),
                spacing="2", width="100%",
            ),
            spacing="4", align="start", width="100%",
        ),
        rx.grid(
            rx.vstack(
                rx.text(tr["review.type"], size="2", weight="medium"),
                rx.select(ReviewState.type_options, value=ReviewState.chosen_type,
                          on_change=ReviewState.choose_type, id="review-type", width="100%"),
                spacing="1",
            ),
            rx.vstack(
                rx.text(tr["review.doc_title"], size="2", weight="medium"),
                rx.input(value=ReviewState.title, on_change=ReviewState.set_title,
                         id="review-title", width="100%"),
                spacing="1",
            ),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
        ),
        rx.text(tr["review.tags"], size="2", weight="medium"),
        rx.hstack(rx.foreach(ReviewState.tag_options, tag_chip), wrap="wrap", spacing="2"),
        rx.cond(suggestion["new_tags"].to(str) != "",
                rx.text(tr["review.new_tags"], ": ", suggestion["new_tags"].to(str), size="1",
                        color_scheme="gray", id="review-new-tags")),
        rx.text(tr["review.fields"], size="2", weight="medium"),
        rx.grid(rx.foreach(ReviewState.field_specs, field_input), columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3", width="100%"),
        rx.text(tr["review.keys"], size="1", color_scheme="gray"),
        spacing="3", width="100%", min_width="0",
    )


def review_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.script(KEYS_SCRIPT),
        rx.heading(tr["review.title"], size="7"),
        rx.text(tr["review.intro"], color_scheme="gray"),
        office_filter(ReviewState.office, ReviewState.office_options, ReviewState.filter_office,
                      "review-office"),
        accuracy_card(),
        rx.cond(
            ReviewState.waiting > 0,
            # The queue beside the document; on a phone above it.
            rx.flex(
                rx.vstack(
                    rx.text(tr["review.queue"].to(str).replace("{n}", ReviewState.waiting.to(str)),
                            size="2", weight="medium", id="review-waiting"),
                    rx.foreach(ReviewState.queue, queue_item),
                    spacing="1", width=["100%", "100%", "260px"], flex_shrink="0",
                ),
                rx.cond(ReviewState.uid != "", current_document()),
                direction=rx.breakpoints(initial="column", sm="row"),  # sm: 768 px
                spacing="6", align="start", width="100%",
            ),
            rx.callout(tr["review.empty"], icon="circle-check", color_scheme="green",
                       id="review-empty"),
        ),
    )
