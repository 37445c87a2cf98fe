"""What /admin/taxonomy shows: the tables of types, tags and fields, the dialogs that edit
them with their matching rules (the admin form pattern: each error beside its field), the
dialog that applies a rule to the stored documents after its preview, and the rule tester."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.admin_form import admin_form, form_field
from dokvault.components.layout import page_frame
from dokvault.pages.intelligence.taxonomy import FORM, TaxonomyAdminState
from dokvault.services.intelligence.taxonomy_admin import FIELD_KINDS, TAG_COLORS
from dokvault.services.intelligence.taxonomy_rules import ALGORITHMS
from dokvault.state.base import AppState


def _label(prefix: str, value: rx.Var) -> rx.Var:
    return AppState.tr[prefix + value.to(str)]


def rule_cell(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["algorithm"].to(str) == "none",
        rx.text(AppState.tr["algorithm.none"], size="1", color_scheme="gray"),
        rx.vstack(
            rx.badge(_label("algorithm.", row["algorithm"]), variant="soft", size="1"),
            rx.code(row["match"].to(str), size="1", max_width="380px", white_space="nowrap",
                    overflow="hidden", text_overflow="ellipsis"),
            spacing="1",
        ),
    )


def row_actions(kind: str, row: rx.Var) -> rx.Component:
    tr = AppState.tr
    apply = [rx.cond(row["algorithm"].to(str) != "none", rx.tooltip(rx.icon_button(
        rx.icon("wand-sparkles", size=14), size="1", variant="soft", color_scheme="green",
        class_name=f"apply-{kind}", aria_label=tr["taxonomy.apply"],
        on_click=TaxonomyAdminState.preview_apply(kind, row["id"])), content=tr["taxonomy.apply"]))
    ] if kind != "field" else []
    return rx.hstack(
        rx.button(rx.icon("pencil", size=14), tr["taxonomy.edit"], size="1", variant="soft",
                  class_name=f"edit-{kind}", on_click=TaxonomyAdminState.open_edit(kind, row["id"])),
        *apply,
        rx.button(rx.icon("trash-2", size=14), tr["taxonomy.delete"], size="1", variant="soft",
                  color_scheme="red", class_name=f"delete-{kind}",
                  on_click=TaxonomyAdminState.ask_delete(kind, row["id"])),
        spacing="2",
    )


def name_cell(row: rx.Var, name: rx.Component) -> rx.Component:
    return rx.vstack(name, rx.text(row["description"], size="1", color_scheme="gray"), spacing="0",
                     max_width="380px")


def type_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(name_cell(row, rx.text(row["name"], weight="medium", class_name="row-name"))),
        rx.table.cell(rule_cell(row)),
        rx.table.cell(rx.text(row["documents"], class_name="row-documents")),
        rx.table.cell(row_actions("type", row)),
        align="center", class_name="type-row",
    )


def tag_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(name_cell(row, rx.badge(row["name"], color_scheme=row["color"].to(str), size="2",
                                              class_name="row-name"))),
        rx.table.cell(rule_cell(row)),
        rx.table.cell(rx.text(row["documents"], class_name="row-documents")),
        rx.table.cell(row_actions("tag", row)),
        align="center", class_name="tag-row",
    )


def field_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(row["key"], class_name="row-name")),
        rx.table.cell(name_cell(row, rx.text(row["label"], weight="medium"))),
        rx.table.cell(rx.text(_label("field_kind.", row["kind"]), size="2")),
        rx.table.cell(rx.text(row["documents"], class_name="row-documents")),
        rx.table.cell(row_actions("field", row)),
        align="center", class_name="field-row",
    )


def items_table(rows: rx.Var, row: Any, headers: list[str], table_id: str) -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        rows.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(tr[h]) for h in headers],
                                         rx.table.column_header_cell(""))),
            rx.table.body(rx.foreach(rows, row)),
            width="100%", variant="surface", id=table_id,
        ),
        rx.text(tr["taxonomy.empty"], size="2", color_scheme="gray", id=f"{table_id}-empty"),
    )


def tab(kind: str, rows: rx.Var, row: Any, headers: list[str]) -> rx.Component:
    return rx.tabs.content(
        rx.vstack(
            rx.button(rx.icon("plus", size=16), AppState.tr[f"taxonomy.add_{kind}"], variant="soft",
                      id=f"add-{kind}", on_click=TaxonomyAdminState.open_new(kind)),
            items_table(rows, row, headers, f"{kind}s-table"),
            spacing="3", padding_top="1em", width="100%",
        ),
        value=f"{kind}s",
    )


def labelled(name: str, label_key: str, control: rx.Component,
             hint_key: str | None = None) -> rx.Component:
    """A field of the edit dialog, its error beside it (components/admin_form.py)."""
    return form_field(TaxonomyAdminState, FORM, name, label_key, control, hint_key)


def algorithm_select(name: str, select_id: str, default: rx.Var | str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=select_id, width="100%"),
        rx.select.content(*[rx.select.item(AppState.tr[f"algorithm.{a}"], value=a) for a in ALGORITHMS]),
        name=name, default_value=default,
    )


def rule_inputs(edit: rx.Var) -> list[rx.Component]:
    return [
        labelled("algorithm", "taxonomy.algorithm", algorithm_select("algorithm", "item-algorithm",
                                                                     edit["algorithm"].to(str))),
        labelled("match", "taxonomy.match", rx.input(name="match", default_value=edit["match"].to(str),
                                            max_length=1000, id="item-match", width="100%"),
                 "taxonomy.match_hint"),
        rx.text(rx.hstack(rx.checkbox(name="case_sensitive", id="item-case-sensitive",
                                      default_checked=edit["case_sensitive"].to(bool)),
                          AppState.tr["taxonomy.case_sensitive"], spacing="2"),
                as_="label", size="2"),
    ]


def description_input(edit: rx.Var) -> rx.Component:
    return labelled("description", "taxonomy.description",
                    rx.text_area(name="description", id="item-description", max_length=500,
                                 default_value=edit["description"].to(str), width="100%"))


def label_inputs(kind: str, edit: rx.Var) -> rx.Component:
    max_name = 128 if kind == "type" else 64
    color = [labelled("color", "taxonomy.color", rx.select.root(
        rx.select.trigger(id="item-color", width="100%"),
        rx.select.content(*[rx.select.item(c, value=c) for c in TAG_COLORS]),
        name="color", default_value=edit["color"].to(str),
    ))] if kind == "tag" else []
    return rx.vstack(
        labelled("name", "taxonomy.name",
                 rx.input(name="name", default_value=edit["name"].to(str), required=True,
                          max_length=max_name, id="item-name", width="100%")),
        *color,
        description_input(edit),
        *rule_inputs(edit),
        spacing="3", width="100%",
    )


def field_inputs(edit: rx.Var) -> rx.Component:
    return rx.vstack(
        labelled("key", "taxonomy.key",
                 rx.input(name="key", default_value=edit["key"].to(str), required=True,
                          max_length=64, id="item-key", width="100%"), "taxonomy.key_hint"),
        labelled("label", "taxonomy.label",
                 rx.input(name="label", default_value=edit["label"].to(str), required=True,
                          max_length=128, id="item-label", width="100%")),
        labelled("kind", "taxonomy.kind", rx.select.root(
            rx.select.trigger(id="item-kind", width="100%"),
            rx.select.content(*[rx.select.item(AppState.tr[f"field_kind.{k}"], value=k)
                                for k in FIELD_KINDS]),
            name="kind", default_value=edit["kind"].to(str),
        )),
        description_input(edit),
        spacing="3", width="100%",
    )


def edit_dialog() -> rx.Component:
    tr, state = AppState.tr, TaxonomyAdminState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr["taxonomy.edit_" + state.edit_kind]),
            admin_form(
                state, FORM,
                rx.match(state.edit_kind,
                         ("type", label_inputs("type", state.edit)),
                         ("tag", label_inputs("tag", state.edit)),
                         field_inputs(state.edit)),
                on_submit=state.save, submit_key="taxonomy.save",
                extra_buttons=(rx.button(tr["taxonomy.cancel"], type="button", variant="soft",
                                         color_scheme="gray", id="item-cancel",
                                         on_click=state.dialog_changed(False)),),
                id="taxonomy-form",
            ),
            max_width="560px",
            id="taxonomy-dialog",
        ),
        open=state.dialog_open,
        on_open_change=state.dialog_changed,
    )


def delete_dialog() -> rx.Component:
    tr, state = AppState.tr, TaxonomyAdminState
    count = state.delete_count.to(str)
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr["taxonomy.delete_title"].to(str).replace("{name}", state.delete_name)),
            rx.alert_dialog.description(
                rx.cond(state.delete_count > 0,
                        tr["taxonomy.delete_" + state.delete_kind + "_count"].to(str).replace("{n}", count),
                        tr["taxonomy.delete_unused"]),
                id="delete-count",
            ),
            rx.hstack(
                rx.button(tr["taxonomy.cancel"], variant="soft", color_scheme="gray", id="delete-cancel",
                          on_click=state.cancel_delete),
                rx.button(tr["taxonomy.delete"], color_scheme="red", id="delete-confirm",
                          loading=state.saving, on_click=state.confirm_delete),
                justify="end", spacing="3", padding_top="1em",
            ),
            id="delete-dialog",
        ),
        open=state.delete_open,
    )


def apply_dialog() -> rx.Component:
    tr, state, apply = AppState.tr, TaxonomyAdminState, TaxonomyAdminState.apply

    def count(key: str, value: rx.Var, element_id: str) -> rx.Component:
        return rx.text(tr[key].to(str).replace("{n}", value.to(str)), size="2", id=element_id)

    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr["taxonomy.apply_title"].to(str).replace(
                "{name}", apply["name"].to(str))),
            rx.cond(
                apply["ready"].to(bool),
                rx.vstack(
                    count("taxonomy.apply_matching", apply["matching"], "apply-matching"),
                    rx.text(tr["taxonomy.apply_changing"].to(str).replace(
                        "{n}", apply["changing"].to(str)), weight="bold", size="3",
                        id="apply-changing"),
                    rx.cond(apply["confirmed"].to(int) > 0,
                            count("taxonomy.apply_confirmed", apply["confirmed"], "apply-confirmed")),
                    rx.text(tr["taxonomy.apply_hint"], size="1", color_scheme="gray"),
                    spacing="2",
                ),
                rx.hstack(rx.spinner(), rx.text(tr["taxonomy.apply_counting"], size="2"),
                          align="center", spacing="2", id="apply-counting"),
            ),
            rx.hstack(
                rx.button(tr["taxonomy.cancel"], variant="soft", color_scheme="gray",
                          id="apply-cancel", on_click=state.apply_changed(False)),
                rx.button(tr["taxonomy.apply_confirm"], color_scheme="green", id="apply-confirm",
                          disabled=~apply["ready"].to(bool) | (apply["changing"].to(int) == 0),
                          loading=state.saving, on_click=state.confirm_apply),
                justify="end", spacing="3", padding_top="1em",
            ),
            id="apply-dialog",
        ),
        open=state.apply_open,
    )


def matched_names(key: str, names: rx.Var, list_id: str, color: str) -> rx.Component:
    return rx.cond(
        names.length() > 0,
        rx.hstack(rx.text(AppState.tr[key], ": ", size="2"),
                  rx.foreach(names, lambda n: rx.badge(n, color_scheme=color)),
                  wrap="wrap", spacing="2", id=list_id),
    )


def rule_tester() -> rx.Component:
    tr, state = AppState.tr, TaxonomyAdminState
    return rx.card(
        rx.vstack(
            rx.heading(tr["taxonomy.test_title"], size="4"),
            rx.text(tr["taxonomy.test_hint"], size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    rx.hstack(
                        rx.box(algorithm_select("algorithm", "rule-algorithm", "any"), min_width="200px"),
                        rx.input(name="match", placeholder=tr["taxonomy.match"], max_length=1000,
                                 id="rule-match", width=["100%", "100%", "360px"]),
                        rx.text(rx.hstack(rx.checkbox(name="case_sensitive", id="rule-case-sensitive"),
                                          tr["taxonomy.case_sensitive"], spacing="2"), as_="label", size="2"),
                        spacing="3", wrap="wrap", align="center",
                    ),
                    rx.text_area(name="sample", placeholder=tr["taxonomy.sample"], rows="5", width="100%",
                                 id="rule-sample"),
                    rx.button(rx.icon("flask-conical", size=16), tr["taxonomy.test"], type="submit",
                              id="rule-test"),
                    spacing="3", width="100%",
                ),
                on_submit=state.run_test,
                id="rule-test-form",
            ),
            rx.cond(
                state.test_done,
                rx.vstack(
                    rx.cond(
                        state.test_error != "",
                        rx.callout(state.test_error, icon="triangle-alert", color_scheme="red",
                                   id="rule-error"),
                        rx.cond(
                            state.test_matched,
                            rx.callout.root(
                                rx.callout.icon(rx.icon("circle-check")),
                                rx.vstack(rx.text(tr["taxonomy.test_matched"], ": ", state.test_reason),
                                          rx.text(state.test_snippet, size="1", color_scheme="gray"),
                                          spacing="1"),
                                color_scheme="green", id="rule-matched"),
                            rx.callout(tr["taxonomy.test_no_match"], icon="circle-x", color_scheme="gray",
                                       id="rule-not-matched"),
                        ),
                    ),
                    rx.cond(
                        (state.test_types.length() > 0) | (state.test_tags.length() > 0),
                        rx.vstack(
                            matched_names("taxonomy.test_types", state.test_types, "rule-types", "blue"),
                            matched_names("taxonomy.test_tags", state.test_tags, "rule-tags", "green"),
                            spacing="2",
                        ),
                        rx.cond(state.test_error == "",
                                rx.text(tr["taxonomy.test_none_existing"], size="2", color_scheme="gray",
                                        id="rule-no-existing")),
                    ),
                    spacing="3", width="100%", id="rule-result",
                ),
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def taxonomy_page() -> rx.Component:
    tr, state = AppState.tr, TaxonomyAdminState
    return page_frame(
        rx.heading(tr["taxonomy.title"], size="7"),
        rx.text(tr["taxonomy.hint"], size="2", color_scheme="gray"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(tr["taxonomy.tab_types"], value="types", id="tab-types"),
                rx.tabs.trigger(tr["taxonomy.tab_tags"], value="tags", id="tab-tags"),
                rx.tabs.trigger(tr["taxonomy.tab_fields"], value="fields", id="tab-fields"),
                flex_wrap="wrap",  # all three show on a phone
            ),
            tab("type", state.types, type_row, ["taxonomy.col_name", "taxonomy.col_rule",
                                                "taxonomy.col_documents"]),
            tab("tag", state.tags, tag_row, ["taxonomy.col_name", "taxonomy.col_rule",
                                             "taxonomy.col_documents"]),
            tab("field", state.fields, field_row, ["taxonomy.col_key", "taxonomy.col_label",
                                                   "taxonomy.col_kind", "taxonomy.col_documents"]),
            default_value="types",
            width="100%",
            id="taxonomy-tabs",
        ),
        rule_tester(),
        edit_dialog(),
        delete_dialog(),
        apply_dialog(),
    )
