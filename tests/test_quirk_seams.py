"""Quirks at seams (issue 13): the strict server code names no quirk; quirks change it only through its rules."""
from __future__ import annotations

import ast
import inspect
import os
from dataclasses import fields

import pytest
from h1conform_server.app_rules import AppRules
from h1conform_server.quirks import QUIRKS, rules_for
from h1conform_server.routes import App
from h1conform_server.rules import STRICT

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server_under_test")
MODULES = sorted(f for f in os.listdir(PACKAGE) if f.endswith(".py"))

#: the application's modules: they take AppRules and never see a quirk
APP_MODULES = ["routes.py", "semantics.py", "conditional.py", "ranges.py", "resources.py", "negotiation.py",
               "static.py", "app_rules.py", "messages.py"]


def _tree(name: str) -> ast.AST:
    with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
        return ast.parse(f.read(), name)


@pytest.mark.parametrize("name", MODULES)
def test_strict_module_names_no_quirk(name):
    named = sorted({node.value for node in ast.walk(_tree(name))
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in QUIRKS})
    assert not named, f"{name} names quirk(s) {named}: give their behaviour a seam (server_under_test/quirks/)"


@pytest.mark.parametrize("name", MODULES)
def test_no_broken_outside_quirks(name):
    with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
        assert "broken" not in f.read().lower()


@pytest.mark.parametrize("name", APP_MODULES)
def test_app_modules_do_not_import_quirks(name):
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.ImportFrom):
            assert "quirks" not in (node.module or "") and all("quirks" not in a.name for a in node.names), name
        elif isinstance(node, ast.Import):
            assert all("quirks" not in a.name for a in node.names), name


def test_the_app_takes_rules_not_quirk_names():
    assert "quirks" not in inspect.signature(App).parameters
    assert App().rules == AppRules() == STRICT.app == rules_for(()).app


def test_strict_hooks_are_empty():
    for f in fields(AppRules):
        value = getattr(AppRules(), f.name)
        assert not isinstance(value, tuple) or value == (), f.name


@pytest.mark.parametrize("name", sorted(n for n, q in QUIRKS.items() if q.family == "semantics"))
def test_every_semantics_quirk_changes_the_app_rules(name):
    rules = rules_for({name})
    assert rules.app != AppRules() and rules.parser == STRICT.parser and rules.connection == STRICT.connection


@pytest.mark.parametrize("name", sorted(QUIRKS))
def test_every_quirk_changes_a_seam(name):
    rules = rules_for({name})
    changed = [seam for seam in ("parser", "connection", "app") if getattr(rules, seam) != getattr(STRICT, seam)]
    assert changed, f"{name} changes no rule: declare what it changes (parser=, connection= or app=)"


def test_an_unknown_rule_in_a_declaration_is_an_error():
    from h1conform_server.quirks.declare import quirk

    with pytest.raises(TypeError, match="no rule"):
        quirk("not_declared_anywhere", "a typo in a rule name", breaks=(), parser=dict(bare_lf_in_hed=True))
    with pytest.raises(TypeError, match="unknown seam"):
        quirk("not_declared_anywhere", "a typo in a seam", breaks=(), parsr=dict(bare_lf_in_head=True))
    assert "not_declared_anywhere" not in QUIRKS


def test_two_quirks_setting_one_rule_conflict():
    from h1conform_server.quirks import QuirkConflict

    with pytest.raises(QuirkConflict, match="request_line"):
        rules_for({"method_lenient", "version_lenient"})
    hooks = rules_for({"no_date", "stale_date"}).connection.head_hooks  # hooks add up
    assert len(hooks) == 2


def test_quirks_combined_in_the_tests_do_not_collide():
    rules_for({"put_replace_201", "put_validators_altered", "delete_redirects", "content_range_put_replaces"})


def test_the_static_fast_path_is_on_while_the_app_and_the_connection_are_strict():
    from h1conform_server import Server

    assert Server().config.static is not None
    assert Server(quirks={"no_vary"}).config.static is None  # an app rule
    assert Server(file_cache=False).config.static is None
    assert Server(quirks={"no_date"}).config.static is None  # a writer hook
    assert Server(quirks={"bare_lf_accepted"}).config.static is not None  # the parser's rules only
